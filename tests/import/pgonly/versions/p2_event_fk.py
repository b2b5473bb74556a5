"""events reference their account

Revision ID: p2
Revises: p1
Create Date: 2024-05-03 10:00:00

"""
from alembic import op

revision = "p2"
down_revision = "p1"
branch_labels = None
depends_on = None


def upgrade():
    # Outside batch mode: SQLite cannot run this (Alembic raises there).
    op.create_foreign_key("fk_events_account", "events", "accounts",
                          ["account_id"], ["id"], ondelete="CASCADE")


def downgrade():
    op.drop_constraint("fk_events_account", "events", type_="foreignkey")
