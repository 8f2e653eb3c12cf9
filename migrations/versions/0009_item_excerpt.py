"""item excerpt: the passage of a paper the camat chose for its slide

Revision ID: 0009_item_excerpt
Revises: 0008_bilingual
Create Date: 2026-12-02 21:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009_item_excerpt'
down_revision = '0008_bilingual'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('excerpt', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('report_item', schema=None) as batch_op:
        batch_op.drop_column('excerpt')
