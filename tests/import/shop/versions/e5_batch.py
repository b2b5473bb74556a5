"""people: nickname and age in batch mode, backfill with SQL

Revision ID: e5batch
Revises: d4merge
Create Date: 2024-03-04 12:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "e5batch"
down_revision = "d4merge"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("people") as batch_op:
        batch_op.add_column(sa.Column("age", sa.Integer()))
        batch_op.add_column(sa.Column("nickname", sa.String(40)))
        batch_op.alter_column("full_name", existing_type=sa.String(100),
                              type_=sa.String(150))
        batch_op.create_unique_constraint("uq_people_nickname", ["nickname"])
    op.execute("UPDATE people SET age = 0 WHERE age IS NULL")


def downgrade():
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_constraint("uq_people_nickname", type_="unique")
        batch_op.alter_column("full_name", existing_type=sa.String(150),
                              type_=sa.String(100))
        batch_op.drop_column("nickname")
        batch_op.drop_column("age")
