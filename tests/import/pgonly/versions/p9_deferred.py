"""deferrable foreign keys, three ways; deferrable unique keys

Revision ID: p9
Revises: p8
Create Date: 2024-05-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "p9"
down_revision = "p8"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "transfers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_id", sa.Integer(),
                  sa.ForeignKey("accounts.id", deferrable=True, initially="DEFERRED"),
                  nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.BigInteger(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["accounts.id"], ondelete="CASCADE",
                                deferrable=True),
        sa.UniqueConstraint("source_id", "seq", name="uq_transfers_seq",
                            deferrable=True, initially="DEFERRED"),
    )
    op.create_unique_constraint("uq_transfers_target_seq", "transfers", ["target_id", "seq"],
                                deferrable=True)
    op.create_foreign_key("fk_transfers_event", "transfers", "events", ["event_id"], ["id"],
                          deferrable=True, initially="DEFERRED")


def downgrade():
    op.drop_constraint("fk_transfers_event", "transfers", type_="foreignkey")
    op.drop_table("transfers")
