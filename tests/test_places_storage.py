"""The derived place stored on the entry: at upload, after an edit of the
coordinates, by `flask rebuild-places` for old rows, and through migration 0007
(SQLite, and PostgreSQL with ARCHIVE_TEST_DATABASE_URL)."""
from __future__ import annotations

from sqlalchemy import inspect, select, text

from archive import create_app
from archive.entries.operations import EntryChanges, apply_changes
from archive.extensions import db, migrations
from archive.models import Entry
from conftest import _base_config
from support.files import SEOUL, camera_jpeg
from support.rows import make_entry
from support.uploads import upload

ARNO = (43.4674483, 11.8851267)  # Arezzo, where the real gps_DSCN photos were taken


def test_an_upload_stores_the_place_of_its_gps_beside_the_typed_one(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(1, gps=SEOUL), "a.jpg"),
                             (camera_jpeg(2, gps=None), "b.jpg")], place_name="Gangnam")
    assert result.status_code == 201
    with app.app_context():
        with_gps, without = db.session.scalars(select(Entry).order_by(Entry.id)).all()
        assert with_gps.place_name == "Gangnam"
        assert (with_gps.gps_landmark, with_gps.gps_landmark_local) == ("Cheonggyecheon", "청계천")
        assert (with_gps.gps_city, with_gps.gps_city_local, with_gps.gps_country_code) == (
            "Seoul", "서울", "KR")
        assert with_gps.gps_district.endswith("-gu") and with_gps.gps_district_local.endswith("구")
        assert without.gps_country == without.gps_city == without.gps_landmark == ""


def test_moving_the_coordinates_moves_the_derived_place(app):
    with app.app_context():
        entry = make_entry(latitude=SEOUL[0], longitude=SEOUL[1])
        changes = EntryChanges.of(entry)
        changes.latitude, changes.longitude = ARNO
        apply_changes(entry, changes)
        assert (entry.gps_city, entry.gps_country, entry.gps_landmark) == ("Arezzo", "Italy", "")
        changes.latitude = changes.longitude = None
        apply_changes(entry, changes)
        assert entry.gps_city == entry.gps_country == ""


def test_rebuild_places_fills_old_rows_and_clears_stale_ones(app, runner, client):
    with app.app_context():
        old = make_entry(latitude=ARNO[0], longitude=ARNO[1]).id
        stale = make_entry(gps_country="Italy", gps_city="Arezzo").id
        untouched = make_entry().id
    result = runner.invoke(args=["rebuild-places"])
    assert result.exit_code == 0, result.output
    assert "2 entri diperiksa, 2 berubah" in result.output
    with app.app_context():
        assert db.session.get(Entry, old).gps_city == "Arezzo"
        assert db.session.get(Entry, stale).gps_city == ""
        assert db.session.get(Entry, untouched).gps_country == ""
    found = client.get("/api/v1/search?q=Tuscany").get_json()    # the index followed
    assert [hit["id"] for hit in found["hits"]] == [old]
    again = runner.invoke(args=["rebuild-places"])
    assert "1 entri diperiksa, 0 berubah" in again.output  # the stale one is clean now



ROWS_AT_0006 = [
    "INSERT INTO kecamatan (id, name, city) VALUES (1, 'Cinambo', 'Bandung')",
    "INSERT INTO camat (id, name, kecamatan_id, bio, created_at) VALUES "
    "(1, 'Camat Cinambo', 1, '', CURRENT_TIMESTAMP)",
    "INSERT INTO trip (id, slug, title, program, origin_city, host_city, host_country, year, "
    "score_period, description, created_at) VALUES (1, 'seoul-2018', 'Seoul', '', 'Bandung', "
    "'Seoul', 'KR', 2018, '2018', '', CURRENT_TIMESTAMP)",
    "INSERT INTO stored_file (id, sha256, kind, mime_type, size_bytes, storage_path, "
    "original_name, text_available, created_at) VALUES (1, 'ab', 'photo', 'image/jpeg', 1, "
    "'ab.jpg', 'a.jpg', false, CURRENT_TIMESTAMP)",
    "INSERT INTO entry (id, trip_id, camat_id, file_id, kind, title, description, place_name, "
    "status, created_at, updated_at, latitude, longitude) VALUES (1, 1, 1, 1, 'photo', 'Foto', "
    "'', 'Arezzo', 'published', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 43.4674483, 11.8851267)",
]


def _entry_row(columns: str) -> tuple:
    with db.engine.connect() as conn:
        return tuple(conn.execute(text(f"SELECT {columns} FROM entry WHERE id = 1")).one())


def test_migration_adds_the_columns_to_stored_rows_and_takes_them_away(empty_url, tmp_path):
    """0006 with an entry, 0007 and on (its place empty, then filled by rebuild_places),
    back to 0006 with the row intact."""
    from flask_migrate import downgrade, upgrade

    from archive.places.operations import entries_to_place, rebuild_places

    app = create_app(_base_config(tmp_path, empty_url))
    with app.app_context():
        migrations()  # Flask-Migrate is bound on first use
        try:
            upgrade(revision="0006_uploads")
            with db.engine.begin() as conn:
                for sql in ROWS_AT_0006:
                    conn.execute(text(sql))
            upgrade()  # through 0007_places to the head, which the models (rebuild_places) need
            assert _entry_row("place_name, gps_city, gps_landmark_local") == ("Arezzo", "", "")
            with app.test_request_context():
                assert rebuild_places(entries_to_place()) == 1
            db.session.remove()
            assert _entry_row("gps_city, gps_country_code") == ("Arezzo", "IT")
            downgrade(revision="0006_uploads")
            assert not {c["name"] for c in inspect(db.engine).get_columns("entry")
                        if c["name"].startswith("gps_")}
            assert _entry_row("place_name, latitude") == ("Arezzo", 43.4674483)
        finally:
            db.session.remove()
            db.engine.dispose()
