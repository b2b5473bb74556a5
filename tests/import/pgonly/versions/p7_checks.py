"""unnamed constraints added to accounts

Revision ID: p7
Revises: p6
Create Date: 2024-05-08 10:00:00

"""
from alembic import op

revision = "p7"
down_revision = "p6"
branch_labels = None
depends_on = None


def upgrade():
    # Unnamed: PostgreSQL names them (accounts_check, accounts_name_key,
    # events_account_id_fkey); the import must write the names it gave.
    op.create_check_constraint(None, "accounts", "id > 0 OR name <> ''")
    op.create_unique_constraint(None, "accounts", ["name"])
    op.create_foreign_key(None, "tier_history", "accounts", ["id"], ["id"])


def downgrade():
    op.drop_constraint("tier_history_id_fkey", "tier_history", type_="foreignkey")
    op.drop_constraint("accounts_name_key", "accounts", type_="unique")
    op.drop_constraint("accounts_check", "accounts", type_="check")
