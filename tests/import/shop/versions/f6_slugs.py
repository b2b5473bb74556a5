"""posts get slugs, filled in Python

Revision ID: f6slugs
Revises: e5batch
Create Date: 2024-03-05 16:45:00

"""
import re

from alembic import op
import sqlalchemy as sa

revision = "f6slugs"
down_revision = "e5batch"
branch_labels = None
depends_on = "billing"


def slugify(title):
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def upgrade():
    op.add_column("posts", sa.Column("slug", sa.String(220)))
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, title FROM posts")).fetchall()
    for post_id, title in rows:
        bind.execute(sa.text("UPDATE posts SET slug = :s WHERE id = :i"),
                     {"s": slugify(title), "i": post_id})
    op.create_index("ix_posts_slug", "posts", ["slug"], unique=True)


def downgrade():
    op.drop_index("ix_posts_slug", table_name="posts")
    with op.batch_alter_table("posts") as batch_op:
        batch_op.drop_column("slug")
