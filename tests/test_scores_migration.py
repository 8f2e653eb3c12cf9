"""Migration 0004_scoring: today's score rows and their four criterion columns become
periods, criteria and sub-scores without loss, and come back on downgrade. On SQLite,
and on PostgreSQL when ARCHIVE_TEST_DATABASE_URL is set (in a database of its own)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import text

from archive import create_app
from archive.extensions import db, migrations
from conftest import _base_config

OLD_ROWS = [
    # kecamatan, period, total, rank, zone, public_service, general_government, environment, innovation
    ("Cinambo", "2018", 93.56, 1, "green", None, None, None, None),
    ("Andir", "2018", 80.25, 11, None, 90.5, None, 70.0, None),
    ("Andir", "2017", 78.0, 3, "yellow", 81.0, 82.0, 83.0, 84.0),
]


def _run(conn, sql: str, **params):
    return conn.execute(text(sql), params)


def _plain(rows) -> list[tuple]:
    """Rows as tuples of plain values: PostgreSQL answers NUMERIC as Decimal."""
    return [tuple(float(v) if isinstance(v, Decimal) else v for v in row) for row in rows]


def test_score_rows_migrate_to_periods_and_sub_scores_and_back(empty_url, tmp_path):
    from flask_migrate import downgrade, upgrade

    app = create_app(_base_config(tmp_path, empty_url))
    with app.app_context():
        migrations()  # Flask-Migrate is bound on first use
        try:
            _migrate_and_check(upgrade, downgrade)
        finally:
            db.engine.dispose()


def _migrate_and_check(upgrade, downgrade) -> None:
    """0003 with rows, 0004 (checked), back to 0003 (checked)."""
    upgrade(revision="0003_reports")
    with db.engine.begin() as conn:
        for name in ("Cinambo", "Andir"):
            _run(conn, "INSERT INTO kecamatan (name, city) VALUES (:n, 'Bandung')", n=name)
        for kec, period, total, rank, zone, ps, gg, env, inn in OLD_ROWS:
            _run(conn, "INSERT INTO score_record (kecamatan_id, period, total, rank, zone, "
                 "public_service, general_government, environment, innovation_happiness, "
                 "source, created_at, updated_at) VALUES ((SELECT id FROM kecamatan WHERE "
                 "name = :kec), :period, :total, :rank, :zone, :ps, :gg, :env, :inn, 'SIP', "
                 "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", kec=kec, period=period,
                 total=total, rank=rank, zone=zone, ps=ps, gg=gg, env=env, inn=inn)
    upgrade(revision="0004_scoring")
    with db.engine.connect() as conn:
        periods = _run(conn, "SELECT code, status FROM score_period ORDER BY code").all()
        assert [tuple(p) for p in periods] == [("2017", "published"), ("2018", "published")]
        criteria = _run(conn, "SELECT p.code, c.key, c.weight FROM score_criterion c JOIN "
                        "score_period p ON p.id = c.period_id ORDER BY p.code, c.position").all()
        assert len(criteria) == 8 and all(c[2] is None for c in criteria)
        assert [c[1] for c in criteria[:4]] == ["public_service", "general_government",
                                                "environment", "innovation_happiness"]
        records = _run(conn, "SELECT k.name, r.period, r.total, r.rank, r.zone, "
                       "r.total_entered, r.zone_entered, r.source FROM score_record r JOIN "
                       "kecamatan k ON k.id = r.kecamatan_id ORDER BY r.period, k.name").all()
        assert _plain(records) == [
            ("Andir", "2017", 78.0, 3, "yellow", True, True, "SIP"),
            ("Andir", "2018", 80.25, 11, None, True, True, "SIP"),
            ("Cinambo", "2018", 93.56, 1, "green", True, True, "SIP")]
        subs = _run(conn, "SELECT r.period, c.key, s.value FROM sub_score s JOIN score_record r "
                    "ON r.id = s.record_id JOIN score_criterion c ON c.id = s.criterion_id "
                    "ORDER BY r.period, c.position").all()
        assert _plain(subs) == [
            ("2017", "public_service", 81.0), ("2017", "general_government", 82.0),
            ("2017", "environment", 83.0), ("2017", "innovation_happiness", 84.0),
            ("2018", "public_service", 90.5), ("2018", "environment", 70.0)]
    downgrade(revision="0003_reports")
    with db.engine.connect() as conn:
        back = _run(conn, "SELECT k.name, r.period, r.total, r.rank, r.zone, r.public_service, "
                    "r.general_government, r.environment, r.innovation_happiness FROM "
                    "score_record r JOIN kecamatan k ON k.id = r.kecamatan_id").all()
        assert sorted(_plain(back)) == sorted(OLD_ROWS)
