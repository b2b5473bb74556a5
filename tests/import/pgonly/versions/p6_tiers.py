"""account tiers, an enum type made before its columns; comments

Revision ID: p6
Revises: p5
Create Date: 2024-05-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = "p6"
down_revision = "p5"
branch_labels = None
depends_on = None

# The columns name the type; the revision creates it once, by itself.
TIER = postgresql.ENUM(name="tier", create_type=False)


def upgrade():
    postgresql.ENUM("free", "paid", "gold", name="tier").create(op.get_bind())
    op.add_column("accounts", sa.Column("tier", TIER))
    op.create_table(
        "tier_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("tier", TIER, nullable=False),
    )
    # A type made with raw SQL, as many histories do.
    op.execute("CREATE TYPE plan AS ENUM ('basic', 'it''s pro')")
    op.add_column("accounts", sa.Column(
        "plan", postgresql.ENUM(name="plan", create_type=False)))
    op.create_table_comment("accounts", "who can sign in")
    op.create_table_comment("tier_history", "every tier change")
    op.alter_column("accounts", "tier", comment="what the account pays for",
                    existing_type=TIER)


def downgrade():
    op.alter_column("accounts", "tier", comment=None, existing_type=TIER,
                    existing_comment="what the account pays for")
    op.drop_table_comment("accounts", existing_comment="who can sign in")
    op.drop_table("tier_history")
    op.drop_column("accounts", "tier")
    op.drop_column("accounts", "plan")
    op.execute("DROP TYPE IF EXISTS plan")
    postgresql.ENUM(name="tier").drop(op.get_bind())
