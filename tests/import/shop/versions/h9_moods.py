"""moods: named enums and comments

Revision ID: h9moods
Revises: h8labels
Create Date: 2024-03-08 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "h9moods"
down_revision = "h8labels"
branch_labels = None
depends_on = None

# A named enum that create_table does not create: the revision creates it.
ENERGY = sa.Enum("low", "high", name="energy")


def upgrade():
    # On PostgreSQL, create_table creates the type `mood` before the table.
    op.create_table(
        "moods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("feeling", sa.Enum("sad", "ok", "happy", name="mood"),
                  nullable=False, server_default="ok", comment="how the day went"),
        sa.Column("note", sa.String(80)),
        comment="one row per day",
    )
    ENERGY.create(op.get_bind())
    op.add_column("moods", sa.Column("energy", ENERGY))


def downgrade():
    op.drop_table("moods")
    ENERGY.drop(op.get_bind())
    sa.Enum(name="mood").drop(op.get_bind())
