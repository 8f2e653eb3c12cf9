"""scoring: periods with criteria and thresholds, sub-scores, the award on participants

The four fixed criterion columns of score_record become rows: each period in
use gets a score_period row with the four criteria the article names, and
every filled column becomes a sub_score. Nothing is lost: downgrade puts the
values back into the columns.

Revision ID: 0004_scoring
Revises: 0003_reports
"""
from alembic import op
import sqlalchemy as sa


revision = '0004_scoring'
down_revision = '0003_reports'
branch_labels = None
depends_on = None

#: (column of 0001..0003 and criterion key, Indonesian name, English name)
OLD_CRITERIA = (
    ("public_service", "Kualitas pelayanan publik", "Quality of public service"),
    ("general_government", "Kinerja penyelenggaraan tugas umum pemerintahan",
     "Performance of general government tasks"),
    ("environment", "Ketertiban, kebersihan dan keindahan lingkungan hidup",
     "Order, cleanliness and beauty of the environment"),
    ("innovation_happiness", "Inovasi, kreativitas dan peningkatan indeks kebahagiaan",
     "Innovation, creativity and the happiness index"),
)
SCORE = sa.Numeric(precision=5, scale=2, asdecimal=False)


def upgrade():
    op.create_table('score_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('green_min', SCORE, nullable=True),
    sa.Column('yellow_min', SCORE, nullable=True),
    sa.Column('published_green', sa.Integer(), nullable=True),
    sa.Column('published_yellow', sa.Integer(), nullable=True),
    sa.Column('published_red', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_period')),
    sa.UniqueConstraint('code', name=op.f('uq_score_period_code'))
    )
    op.create_table('score_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('name_id', sa.String(length=300), nullable=False),
    sa.Column('name_en', sa.String(length=300), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=3, asdecimal=False), nullable=True),
    sa.Column('maximum', SCORE, nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['score_period.id'], name=op.f('fk_score_criterion_period_id_score_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score_criterion')),
    sa.UniqueConstraint('period_id', 'key', name=op.f('uq_score_criterion_period_id'))
    )
    with op.batch_alter_table('score_criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_criterion_period_id'), ['period_id'], unique=False)

    op.create_table('sub_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', SCORE, nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['score_criterion.id'], name=op.f('fk_sub_score_criterion_id_score_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['score_record.id'], name=op.f('fk_sub_score_record_id_score_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sub_score')),
    sa.UniqueConstraint('record_id', 'criterion_id', name=op.f('uq_sub_score_record_id'))
    )
    with op.batch_alter_table('sub_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sub_score_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sub_score_record_id'), ['record_id'], unique=False)

    values = _periods_and_old_values()

    with op.batch_alter_table('score_record', schema=None) as batch_op:
        batch_op.add_column(sa.Column('total_entered', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('zone_entered', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('verification_note', sa.String(), nullable=False, server_default=''))
        batch_op.alter_column('total', existing_type=SCORE, nullable=True)
        batch_op.create_index(batch_op.f('ix_score_record_period'), ['period'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_score_record_period_score_period'), 'score_period', ['period'], ['code'], onupdate='CASCADE')
        for column, _id, _en in OLD_CRITERIA:
            batch_op.drop_column(column)

    # after the table is rebuilt: on SQLite the rebuild drops the old table, and the
    # cascade of sub_score's foreign key would empty sub_score with it
    _insert_sub_scores(values)

    with op.batch_alter_table('trip_participant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('award_period', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('award_rank', sa.Integer(), nullable=True))


def _periods_and_old_values():
    """A period row (published, as the records were public) with the four criteria for
    every period code in use; and every filled criterion column, as
    (record id, criterion id, value), to become sub_score rows."""
    conn = op.get_bind()
    codes = {c for (c,) in conn.execute(sa.text("SELECT DISTINCT period FROM score_record"))}
    for code in sorted(codes):
        conn.execute(sa.text(
            "INSERT INTO score_period (code, name, status, source, created_at) "
            "VALUES (:code, :name, 'published', '', CURRENT_TIMESTAMP)"),
            {"code": code, "name": f"Penilaian kinerja kecamatan {code}"})
        period_id = conn.execute(sa.text("SELECT id FROM score_period WHERE code = :code"),
                                 {"code": code}).scalar_one()
        for position, (key, name_id, name_en) in enumerate(OLD_CRITERIA):
            conn.execute(sa.text(
                "INSERT INTO score_criterion (period_id, key, name_id, name_en, position) "
                "VALUES (:p, :key, :name_id, :name_en, :pos)"),
                {"p": period_id, "key": key, "name_id": name_id, "name_en": name_en,
                 "pos": position})
    values = []
    for key, _id, _en in OLD_CRITERIA:
        values += [tuple(row) for row in conn.execute(sa.text(
            f"SELECT r.id, c.id, r.{key} FROM score_record r "
            f"JOIN score_period p ON p.code = r.period "
            f"JOIN score_criterion c ON c.period_id = p.id AND c.key = :key "
            f"WHERE r.{key} IS NOT NULL"), {"key": key})]
    return values


def _insert_sub_scores(values):
    conn = op.get_bind()
    for record_id, criterion_id, value in values:
        conn.execute(sa.text("INSERT INTO sub_score (record_id, criterion_id, value) "
                             "VALUES (:r, :c, :v)"), {"r": record_id, "c": criterion_id, "v": value})


def downgrade():
    with op.batch_alter_table('trip_participant', schema=None) as batch_op:
        batch_op.drop_column('award_rank')
        batch_op.drop_column('award_period')

    conn = op.get_bind()
    # read before the rebuild of score_record, which on SQLite empties sub_score (cascade)
    values = [tuple(row) for row in conn.execute(sa.text(
        "SELECT s.record_id, c.key, s.value FROM sub_score s "
        "JOIN score_criterion c ON c.id = s.criterion_id"))]
    with op.batch_alter_table('score_record', schema=None) as batch_op:
        for column, _id, _en in OLD_CRITERIA:
            batch_op.add_column(sa.Column(column, SCORE, nullable=True))
    columns = {key for key, _id, _en in OLD_CRITERIA}
    for record_id, key, value in values:
        if key in columns:
            conn.execute(sa.text(f"UPDATE score_record SET {key} = :v WHERE id = :r"),
                         {"v": value, "r": record_id})
    # 0003 has no place for a record without a total; making one up would invent a figure
    unknown = conn.execute(sa.text("SELECT COUNT(*) FROM score_record WHERE total IS NULL")).scalar_one()
    if unknown:
        raise RuntimeError(f"{unknown} score records have no total; 0003 cannot hold them. "
                           "Delete or complete them before downgrading.")
    with op.batch_alter_table('score_record', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_score_record_period_score_period'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_score_record_period'))
        batch_op.alter_column('total', existing_type=SCORE, nullable=False)
        batch_op.drop_column('verification_note')
        batch_op.drop_column('zone_entered')
        batch_op.drop_column('total_entered')

    with op.batch_alter_table('sub_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sub_score_record_id'))
        batch_op.drop_index(batch_op.f('ix_sub_score_criterion_id'))
    op.drop_table('sub_score')
    with op.batch_alter_table('score_criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_criterion_period_id'))
    op.drop_table('score_criterion')
    op.drop_table('score_period')
