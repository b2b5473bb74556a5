"""billing branch: invoices

Revision ID: c3billing01
Revises: a1
Create Date: 2024-03-02 11:30:00

"""
from alembic import op
import sqlalchemy as sa

revision = "c3billing01"
down_revision = "a1"
branch_labels = ("billing",)
depends_on = None


def upgrade():
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(20), nullable=False),
        sa.Column("total", sa.Numeric(12, 2), nullable=False, server_default="0"),
        sa.Column("status", sa.String(10), nullable=False, server_default="open"),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_invoices_person"),
        sa.UniqueConstraint("number", name="uq_invoices_number"),
        sa.CheckConstraint("total >= 0", name="ck_invoices_total"),
    )


def downgrade():
    op.drop_table("invoices")
