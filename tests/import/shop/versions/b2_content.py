"""posts and comments, built by a helper

Revision ID: b2c3d4e5f6a7
Revises: a1
Create Date: 2024-03-02 10:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = "b2c3d4e5f6a7"
down_revision = "a1"
branch_labels = None
depends_on = None

TABLES = ["posts", "comments"]


def stamps():
    return [sa.Column("created_at", sa.DateTime(), nullable=False,
                      server_default=sa.text("CURRENT_TIMESTAMP")),
            sa.Column("updated_at", sa.DateTime())]


def owned_table(name, *extra):
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("author_id", sa.Integer(),
                  sa.ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
        *extra,
        *stamps(),
    )
    op.create_index(f"ix_{name}_author_id", name, ["author_id"])


def upgrade():
    owned_table("posts", sa.Column("title", sa.String(200), nullable=False),
                sa.Column("body", sa.Text()))
    owned_table("comments", sa.Column("post_id", sa.Integer(),
                                      sa.ForeignKey("posts.id")),
                sa.Column("body", sa.Text(), nullable=False))


def downgrade():
    for name in reversed(TABLES):
        op.drop_index(f"ix_{name}_author_id", table_name=name)
        op.drop_table(name)
