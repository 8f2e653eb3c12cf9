"""samples: an entry that is an openly licensed sample (the demo's) names its source and licence

Revision ID: 0010_samples
Revises: 0009_item_excerpt
Create Date: 2026-12-02 22:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010_samples'
down_revision = '0009_item_excerpt'
branch_labels = None
depends_on = None


# Plain ALTER TABLE on both databases (SQLite has ADD and DROP COLUMN since
# 3.35): a batch copy of the entry table would leave the trip table's next
# batch copy in a downgrade failing on SQLite's foreign keys.
def upgrade():
    op.add_column('entry', sa.Column('sample_source', sa.String(length=500), nullable=True))
    op.add_column('entry', sa.Column('sample_licence', sa.String(length=120), nullable=True))


def downgrade():
    for column in ('sample_licence', 'sample_source'):
        op.execute(f'ALTER TABLE entry DROP COLUMN {column}')
