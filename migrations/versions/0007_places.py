"""places: the place read from an entry's GPS, stored apart from the typed one

Revision ID: 0007_places
Revises: 0006_uploads
Create Date: 2026-12-02 22:20:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007_places'
down_revision = '0006_uploads'
branch_labels = None
depends_on = None

COLUMNS = (
    ('gps_country_code', 2), ('gps_country', 100), ('gps_region', 200), ('gps_city', 200),
    ('gps_city_local', 200), ('gps_district', 200), ('gps_district_local', 200),
    ('gps_landmark', 200), ('gps_landmark_local', 200),
)


def upgrade():
    # server_default fills the rows already stored ("" = not derived yet:
    # `flask rebuild-places` derives them from the stored GPS).
    with op.batch_alter_table('entry', schema=None) as batch_op:
        for name, length in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.String(length=length), nullable=False,
                                          server_default=''))


def downgrade():
    with op.batch_alter_table('entry', schema=None) as batch_op:
        for name, _length in reversed(COLUMNS):
            batch_op.drop_column(name)
