"""accounts and their events

Revision ID: p1
Revises:
Create Date: 2024-05-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "p1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("settings", postgresql.JSONB(), nullable=True),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.BigInteger(), primary_key=True),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
    )
    # The order inside a text element: an index column, not an expression.
    op.create_index("ix_events_account_recent", "events",
                    ["account_id", sa.text("id DESC")])


def downgrade():
    op.drop_table("events")
    op.drop_table("accounts")
