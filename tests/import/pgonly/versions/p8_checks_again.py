"""the same unnamed constraints once more

Revision ID: p8
Revises: p7
Create Date: 2024-05-09 10:00:00

"""
from alembic import op

revision = "p8"
down_revision = "p7"
branch_labels = None
depends_on = None


def upgrade():
    # The names of p7 are taken: PostgreSQL numbers these (accounts_check1,
    # accounts_name_key1, tier_history_id_fkey1).
    op.create_check_constraint(None, "accounts", "id > 0 OR name <> ''")
    op.create_unique_constraint(None, "accounts", ["name"])
    op.create_foreign_key(None, "tier_history", "accounts", ["id"], ["id"])


def downgrade():
    op.drop_constraint("tier_history_id_fkey1", "tier_history", type_="foreignkey")
    op.drop_constraint("accounts_name_key1", "accounts", type_="unique")
    op.drop_constraint("accounts_check1", "accounts", type_="check")
