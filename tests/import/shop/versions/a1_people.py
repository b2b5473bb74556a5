"""people and their accounts

Revision ID: a1
Revises:
Create Date: 2024-03-01 09:15:00

"""
from alembic import op
import sqlalchemy as sa

revision = "a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(255), nullable=False, unique=True),
        sa.Column("full_name", sa.String(100)),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("joined_at", sa.DateTime(), server_default=sa.func.now()),
        sa.Column("score", sa.Numeric(10, 2), server_default="0"),
    )
    op.create_index("ix_people_full_name", "people", ["full_name"])


def downgrade():
    op.drop_index("ix_people_full_name", table_name="people")
    op.drop_table("people")
