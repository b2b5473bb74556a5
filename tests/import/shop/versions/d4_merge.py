"""merge content and billing

Revision ID: d4merge
Revises: b2c3d4e5f6a7, c3billing01
Create Date: 2024-03-03 08:00:00

"""
revision = "d4merge"
down_revision = ("b2c3d4e5f6a7", "c3billing01")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
