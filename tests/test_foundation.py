"""The app factory, configuration, migrations, seed data and login."""
from __future__ import annotations

from sqlalchemy import func, select

from archive import create_app
from archive.extensions import db
from archive.models import Camat, Kecamatan, ScoreRecord, Topic, Trip, User


def test_config_from_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("ARCHIVE_UPLOAD_DIR", str(tmp_path / "up"))
    monkeypatch.setenv("ARCHIVE_INDEX_DIR", str(tmp_path / "ix"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"TESTING": True})
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("/x.db")
    assert (tmp_path / "up").is_dir() and (tmp_path / "ix").is_dir()
    key_file = __import__("pathlib").Path(app.instance_path) / "secret_key"
    assert app.config["SECRET_KEY"] == key_file.read_text().strip()
    assert len(app.config["SECRET_KEY"]) >= 32


def test_secret_key_from_env_wins(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert create_app({"TESTING": True}).config["SECRET_KEY"] == "from-the-environment"


def test_seed_has_the_articles_figures(app):
    with app.app_context():
        assert db.session.scalar(select(func.count(Kecamatan.id))) == 30
        assert db.session.scalar(select(func.count(Topic.id))) == 6
        records = db.session.scalars(select(ScoreRecord).order_by(ScoreRecord.rank)).all()
        assert [(r.kecamatan.name, r.total, r.rank) for r in records][:2] == [
            ("Cinambo", 93.56, 1), ("Batununggal", 89.89, 2)]
        assert (records[-1].kecamatan.name, records[-1].total, records[-1].rank) == (
            "Bojongloa Kaler", 87.04, 10)
        assert len(records) == 10
        assert all(not r.sub_scores for r in records)  # not in the article
        trip = db.session.scalar(select(Trip))
        assert (trip.host_city, trip.year, trip.score_period) == ("Seoul", 2018, "2018")
        assert len(trip.participants) == 10
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
        assert camat.user.username == "cinambo"
        assert camat.score_record("2018").total == 93.56


def test_seed_is_idempotent(app, runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "cinambo" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 11


def test_passwords_are_hashed(app):
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "cinambo"))
        assert "cinambo-demo" not in user.password_hash
        assert user.check_password("cinambo-demo") and not user.check_password("wrong")


def test_login_and_logout(client, auth):
    assert auth.login("cinambo", "wrong").status_code == 401
    response = auth.login("cinambo")
    assert response.status_code == 302
    assert auth.logout().status_code == 302


def test_login_refuses_open_redirect(client):
    response = client.post("/masuk?next=//evil.example/x",
                           data={"username": "admin", "password": "admin-demo"})
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_csrf_is_enforced(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/masuk", data={"username": "admin", "password": "admin-demo"})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/tidak-ada")
    assert response.status_code == 404
    assert "tidak ditemukan" in response.get_data(as_text=True)
    api = client.get("/api/v1/tidak-ada")
    assert api.status_code == 404 and api.is_json and api.json["message"]


def test_create_user_cli(app, runner):
    result = runner.invoke(args=["create-user", "budi", "--role", "camat", "--kecamatan", "Andir",
                                 "--password", "Trotoar-Sungai-Taman-9"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "budi"))
        assert user.camat.kecamatan.name == "Andir"
    bad = runner.invoke(args=["create-user", "eve", "--role", "camat", "--kecamatan", "Atlantis",
                              "--password", "Trotoar-Sungai-Taman-9"])
    assert bad.exit_code != 0 and "tidak dikenal" in bad.output
    dup = runner.invoke(args=["create-user", "budi", "--role", "admin", "--password", "Trotoar-Sungai-Taman-9"])
    assert dup.exit_code != 0 and "sudah dipakai" in dup.output
    prompted = runner.invoke(args=["create-user", "siti", "--role", "admin"],
                             input="Taman-Kota-Bandung-77\nTaman-Kota-Bandung-77\n")
    assert prompted.exit_code == 0, prompted.output


def test_create_token_prints_token_last(app, runner):
    result = runner.invoke(args=["create-token", "cinambo"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert len(token) >= 32
    from archive.models import ApiToken
    from archive.auth.models import hash_token
    with app.app_context():
        assert db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    assert runner.invoke(args=["create-token", "nobody"]).exit_code != 0


def test_ids_past_32_bits_are_404_not_500(client):
    for path in ("/entri/1099511627776", "/camat/1099511627776", "/nilai/1099511627776",
                 "/api/v1/entries/1099511627776"):
        assert client.get(path).status_code == 404, path


def test_gettext_outside_a_request_speaks_indonesian(app):
    from flask_babel import gettext

    with app.app_context():
        assert gettext("Halaman atau data yang dicari tidak ditemukan.").startswith("Halaman")


def test_nul_characters_are_refused_everywhere(client):
    for path in ("/cari?topic=%00", "/topik/%00", "/kunjungan/%00", "/rekomendasi?topic=%00",
                 "/api/v1/search?topic=%00", "/api/v1/recommendations?topic=%00"):
        response = client.get(path)
        assert response.status_code == 400, path
        assert "NUL" in response.get_data(as_text=True)
    assert client.get("/api/v1/search?topic=%00").is_json
    response = client.post("/masuk", data={"username": "a\x00b", "password": "x"})
    assert response.status_code == 400


def test_405_keeps_the_allow_header(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_reference_data_includes_search_synonyms(app):
    from archive.search.models import SearchSynonym

    with app.app_context():
        assert db.session.scalar(select(func.count(SearchSynonym.id))) >= 6


def test_upgrading_the_schema_leaves_the_apps_loggers_enabled(app):
    """Alembic's logging setup ran in the app fixture's upgrade: it must not
    silence the loggers the app's modules made before (errors after the
    answer, failed index syncs would go unreported)."""
    import logging

    import archive.core.after_answer  # noqa: F401
    import archive.search.outbox  # noqa: F401

    for name in ("archive.core.after_answer", "archive.search.outbox", "archive.ingest.pipeline"):
        assert not logging.getLogger(name).disabled, name
