"""Content in two languages: the visitor's language, else the other with a note;
the admin's and the camat's forms, the API, and migration 0008 up and down."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from markupsafe import escape
from sqlalchemy import inspect, select, text

from archive import create_app
from archive.core.bilingual import both_languages, field_in_language, pick
from archive.extensions import db, migrations
from archive.models import Topic, Trip
from conftest import _base_config
from support.reports import report_of
from support.rows import add_entry, seoul

NOTE_ID, NOTE_EN = "(belum ada terjemahan)", "(not yet translated)"


@pytest.mark.parametrize("indonesian, english, lang, expected", [
    ("Kunjungan", "Visit", "id", ("Kunjungan", "id", False)),
    ("Kunjungan", "Visit", "en", ("Visit", "en", False)),
    ("Kunjungan", "  ", "en", ("Kunjungan", "id", True)),
    ("", "Visit", "id", ("Visit", "en", True)),
    (None, None, "en", ("", "en", False)),
])
def test_pick_falls_back_to_the_other_language(indonesian, english, lang, expected):
    shown = pick(indonesian, english, lang)
    assert (shown.text, shown.lang, shown.fallback) == expected


def test_a_row_in_the_visitors_language(app):
    row = SimpleNamespace(title="Judul", title_en="")
    with app.test_request_context("/?lang=en"):
        app.preprocess_request()
        assert field_in_language(row, "title").fallback is True
        markup = app.jinja_env.filters["in_language"](row, "title")
        assert markup == f'<span lang="id">Judul</span> <small class="untranslated">{NOTE_EN}</small>'
        assert app.jinja_env.filters["in_language_text"](row, "title") == "Judul"
    with app.test_request_context("/"):
        assert app.jinja_env.filters["in_language"](row, "title") == "Judul"
    assert both_languages(row, "title") == {"id": "Judul", "en": ""}


def test_home_and_trip_in_both_languages(app, client):
    with app.app_context():
        trip = seoul()
        trip.description_en = ""  # not yet translated
        db.session.commit()
        title_id, title_en, description = trip.title, trip.title_en, trip.description
    home_id = client.get("/?lang=id").get_data(as_text=True)
    assert f"<h1>{title_id}</h1>" in home_id and description in home_id
    assert NOTE_ID not in home_id
    home_en = client.get("/?lang=en").get_data(as_text=True)
    assert f"<h1>{escape(title_en)}</h1>" in home_en
    assert f'<span lang="id">{description}</span> <small class="untranslated">{NOTE_EN}</small>' in home_en
    trip_en = client.get("/kunjungan/seoul-2018").get_data(as_text=True)
    assert f"<title>{escape(title_en)}" in trip_en


def test_topic_description_and_admin_forms(app, client, auth):
    auth.login("admin")
    with app.app_context():
        topic = db.session.scalar(select(Topic).where(Topic.slug == "rivers"))
        topic_id, trip_id = topic.id, seoul().id
        form = {"slug": topic.slug, "name_id": topic.name_id, "name_en": topic.name_en,
                "description": "Sungai yang ditata.", "description_en": "", "position": "0"}
    assert client.post(f"/admin/topik/{topic_id}", data=form).status_code == 302
    topics_en = client.get("/topik?lang=en").get_data(as_text=True)
    assert f'<span lang="id">Sungai yang ditata.</span> <small class="untranslated">{NOTE_EN}</small>' in topics_en
    form["description_en"] = "Rivers put in order."
    assert client.post(f"/admin/topik/{topic_id}", data=form).status_code == 302
    assert "Rivers put in order." in client.get("/topik/rivers").get_data(as_text=True)
    trip_page = client.get(f"/admin/kunjungan/{trip_id}?lang=id").get_data(as_text=True)
    assert 'name="title_en"' in trip_page and 'name="description_en"' in trip_page
    api = client.get("/api/v1/topics").json
    rivers = next(t for t in api["items"] if t["slug"] == "rivers")
    assert (rivers["description"], rivers["description_en"]) == ("Sungai yang ditata.",
                                                                 "Rivers put in order.")


def test_report_title_in_english(app, client, auth):
    auth.login("cinambo")
    client.post("/laporan/baru", data={"trip_id": "1", "title": ""})
    with app.app_context():
        report = report_of("cinambo")
        report_id, title = report.id, report.title
    client.post(f"/laporan/{report_id}/ubah", data={
        "title": title, "title_en": "Cinambo's report on Seoul", "opening": "", "closing": ""})
    client.post(f"/laporan/{report_id}/status", data={"status": "published"})
    assert "<h1>Cinambo&#39;s report on Seoul</h1>" in client.get(
        f"/laporan/{report_id}?lang=en").get_data(as_text=True)
    assert f"<h1>{title}</h1>" in client.get(f"/laporan/{report_id}?lang=id").get_data(as_text=True)
    with app.app_context():
        assert report_of("cinambo").title_en == "Cinambo's report on Seoul"


def test_serializers_carry_both(app, client):
    trip = client.get("/api/v1/trips").json["items"][0]
    assert trip["title_en"] and trip["title"] != trip["title_en"]
    assert "description_en" in trip
    entry_id = add_entry(app, title="Sungai", status="published")
    nested = client.get(f"/api/v1/entries/{entry_id}").json["trip"]
    assert (nested["title"], nested["title_en"]) == (trip["title"], trip["title_en"])


def test_migration_0008_adds_and_drops_the_english_columns(empty_url, tmp_path):
    from flask_migrate import downgrade, upgrade

    app = create_app(_base_config(tmp_path, empty_url))
    with app.app_context():
        migrations()  # Flask-Migrate is bound on first use
        try:
            upgrade(revision="0007_places")
            with db.engine.begin() as conn:
                conn.execute(text(
                    "INSERT INTO topic (slug, name_id, name_en, description, position) "
                    "VALUES ('rivers', 'Sungai', 'Rivers', 'Air', 0)"))
            upgrade(revision="0008_bilingual")
            columns = {t: {c["name"] for c in inspect(db.engine).get_columns(t)}
                       for t in ("trip", "topic", "report")}
            assert {"title_en", "description_en"} <= columns["trip"]
            assert "description_en" in columns["topic"] and "title_en" in columns["report"]
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT description, description_en FROM topic")).one() \
                    == ("Air", "")
            downgrade(revision="0007_places")
            assert "description_en" not in {
                c["name"] for c in inspect(db.engine).get_columns("topic")}
            with db.engine.connect() as conn:
                assert conn.execute(text("SELECT description FROM topic")).scalar() == "Air"
        finally:
            db.engine.dispose()


def test_trip_model_has_the_columns():
    assert {"title_en", "description_en"} <= set(Trip.__table__.columns.keys())
