"""roles lookup table with seed rows; the downgrade keeps the table

Revision ID: g7roles
Revises: f6slugs
Create Date: 2024-03-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "g7roles"
down_revision = "f6slugs"
branch_labels = None
depends_on = None


def upgrade():
    if op.get_context().dialect.name == "postgresql":
        op.execute("SET lock_timeout = '4s'")
        op.execute("LOCK TABLE people IN SHARE ROW EXCLUSIVE MODE")
    roles = op.create_table(
        "roles",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(30), nullable=False),
    )
    op.bulk_insert(roles, [{"id": 1, "name": "admin"}, {"id": 2, "name": "editor"}])
    with op.batch_alter_table("people") as batch_op:
        batch_op.alter_column("nickname", new_column_name="handle",
                              existing_type=sa.String(40))


def downgrade():
    with op.batch_alter_table("people") as batch_op:
        batch_op.alter_column("handle", new_column_name="nickname",
                              existing_type=sa.String(40))
    op.execute("DELETE FROM roles")
