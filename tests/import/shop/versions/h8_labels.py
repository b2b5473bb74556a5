"""role labels computed in Python; a legacy table dropped when present

Revision ID: h8labels
Revises: g7roles
Create Date: 2024-03-07 10:20:00

"""
from alembic import op
import sqlalchemy as sa

revision = "h8labels"
down_revision = "g7roles"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("roles", sa.Column("label", sa.String(60)))
    bind = op.get_bind()
    for role_id, name in bind.execute(sa.text("SELECT id, name FROM roles")).fetchall():
        bind.execute(sa.text(
            f"UPDATE roles SET label = '{name.title()}' WHERE id = {role_id}"))
    if "legacy_roles" in sa.inspect(bind).get_table_names():
        op.drop_table("legacy_roles")


def downgrade():
    with op.batch_alter_table("roles") as batch_op:
        batch_op.drop_column("label")
