"""tags that point at their group, created before the group table; stamps

Revision ID: i9tags
Revises: h9moods
Create Date: 2024-03-08 11:00:00

"""
import datetime

from alembic import op
import sqlalchemy as sa

revision = "i9tags"
down_revision = "h9moods"
branch_labels = None
depends_on = None


def upgrade():
    # SQLite accepts a reference to a table that does not exist yet.
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("group_id", sa.Integer(), sa.ForeignKey("tag_groups.id")),
    )
    op.create_table(
        "tag_groups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(40), nullable=False),
    )
    op.add_column("people", sa.Column("stamped_at", sa.DateTime()))
    people = sa.table("people", sa.column("stamped_at", sa.DateTime()))
    op.execute(people.update().values(stamped_at=datetime.datetime(2024, 3, 8, 11, 0)))
    op.execute(people.update().values(stamped_at=datetime.datetime.now()))


def downgrade():
    op.drop_table("tags")
    op.drop_table("tag_groups")
    with op.batch_alter_table("people") as batch_op:
        batch_op.drop_column("stamped_at")
