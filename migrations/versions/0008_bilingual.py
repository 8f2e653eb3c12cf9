"""bilingual content: English beside the Indonesian text of trips, topics and reports

Revision ID: 0008_bilingual
Revises: 0007_places
Create Date: 2026-12-02 21:50:00

Every new column is NOT NULL with an empty default, so existing rows read as
"not yet translated" and pages fall back to the Indonesian text
(archive/core/bilingual.py).
"""
from alembic import op
import sqlalchemy as sa


revision = '0008_bilingual'
down_revision = '0007_places'
branch_labels = None
depends_on = None

COLUMNS = [
    ('trip', 'title_en', sa.String(length=300)),
    ('trip', 'description_en', sa.Text()),
    ('topic', 'description_en', sa.Text()),
    ('report', 'title_en', sa.String(length=300)),
]


def upgrade():
    for table, column, type_ in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, type_, nullable=False, server_default=''))


def downgrade():
    # A plain DROP COLUMN (SQLite has it since 3.35): a batch copy of trip would
    # drop the table that entries refer to, which SQLite's foreign keys refuse.
    for table, column, _type in reversed(COLUMNS):
        op.drop_column(table, column)
