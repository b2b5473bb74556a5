"""wider event kinds

Revision ID: p3
Revises: p1
Create Date: 2024-05-04 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "p3"
down_revision = "p1"
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("events", "kind", type_=sa.String(40),
                    existing_type=sa.String(20), existing_nullable=False)
    op.create_index("ix_events_kind", "events", ["kind"],
                    postgresql_where=sa.text("kind <> 'noise'"))


def downgrade():
    op.drop_index("ix_events_kind", table_name="events")
    op.alter_column("events", "kind", type_=sa.String(20),
                    existing_type=sa.String(40), existing_nullable=False)
