"""index account names without blocking writes

Revision ID: p5
Revises: p4
Create Date: 2024-05-06 10:00:00

"""
from alembic import op

revision = "p5"
down_revision = "p4"
branch_labels = None
depends_on = None


def upgrade():
    # CREATE INDEX CONCURRENTLY refuses a transaction block.
    with op.get_context().autocommit_block():
        op.create_index("ix_accounts_name", "accounts", ["name"],
                        postgresql_concurrently=True)


def downgrade():
    with op.get_context().autocommit_block():
        op.drop_index("ix_accounts_name", table_name="accounts",
                      postgresql_concurrently=True)
