"""merge the two branches

Revision ID: p4
Revises: p2, p3
Create Date: 2024-05-05 10:00:00

"""
revision = "p4"
down_revision = ("p2", "p3")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
