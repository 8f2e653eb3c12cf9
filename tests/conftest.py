"""Test fixtures: a migrated, seeded database per test, on SQLite or PostgreSQL.

SQLite (default): the schema is migrated and the demo data seeded once per
run into a template file, which every test copies. PostgreSQL (when
ARCHIVE_TEST_DATABASE_URL is set): a database of its own is created for the
run, migrated and seeded once; each test starts from that state again: the
tables emptied and the seeded rows and sequence positions put back.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive import create_app
from archive.extensions import db
from archive.search.index import forget

#: the fixtures that several test modules share
pytest_plugins = ["support.fixtures"]

PG_URL = os.environ.get("ARCHIVE_TEST_DATABASE_URL")


def _migrate_and_seed(app) -> None:
    from archive.cli import upgrade_schema
    from archive.seed import seed_demo

    with app.app_context():
        upgrade_schema()
        seed_demo()
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """What a test's database URL is made from, plus how to reset it."""
    if PG_URL:
        base = make_url(PG_URL)
        name = f"archive_test_{uuid.uuid4().hex[:10]}"
        admin = create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = base.set(database=name).render_as_string(hide_password=False)
        app = create_app(_base_config(tmp_path_factory.mktemp("pg-seed"), url))
        _migrate_and_seed(app)
        yield {"kind": "postgresql", "url": url, "snapshot": _snapshot_postgres(app)}
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        folder = tmp_path_factory.mktemp("sqlite-template")
        path = folder / "template.sqlite3"
        app = create_app(_base_config(folder, f"sqlite:///{path}"))
        _migrate_and_seed(app)
        yield {"kind": "sqlite", "path": path}


def _base_config(tmp: Path, url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "UPLOAD_DIR": str(tmp / "uploads"),
        "INDEX_DIR": str(tmp / "index"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Each upload's index sync right after its answer, as before the
        # throttle: tests look at the index at once (test_search_sync_soon.py
        # tests the throttle itself).
        "SEARCH_SYNC_INTERVAL": 0,
    }


def _snapshot_postgres(app) -> dict:
    """Every seeded row, table by table, and every sequence's position."""
    with app.app_context():
        rows = {table.name: [dict(r) for r in db.session.execute(
                    table.select().order_by(*table.primary_key.columns)).mappings()]
                for table in db.metadata.sorted_tables}
        names = db.session.scalars(text(
            "SELECT sequence_name FROM information_schema.sequences "
            "WHERE sequence_schema = current_schema()"
        )).all()
        sequences = {name: tuple(db.session.execute(text(
            f'SELECT last_value, is_called FROM "{name}"')).one()) for name in names}
        db.session.remove()
        db.engine.dispose()
    return {"rows": rows, "sequences": sequences}


def _reset_postgres(app, snapshot: dict) -> None:
    """Back to the seeded state: every table emptied and its seeded rows put back.
    DELETE, not TRUNCATE: on these small tables TRUNCATE's new files and fsyncs
    cost a second or more per test. Seeding again through the models instead
    cost ~300 round trips (a quarter of a second) per test."""
    tables = db.metadata.sorted_tables
    with app.app_context():
        # one round trip for the deletes and one for the sequences
        db.session.execute(text("; ".join(f'DELETE FROM "{t.name}"' for t in reversed(tables))))
        for table in tables:
            if snapshot["rows"][table.name]:
                db.session.execute(table.insert(), snapshot["rows"][table.name])
        db.session.execute(text("SELECT " + ", ".join(
            f"setval('\"{name}\"', {int(value)}, {'true' if called else 'false'})"
            for name, (value, called) in snapshot["sequences"].items())))
        db.session.commit()


def make_app(database_template, tmp_path: Path, **overrides):
    if database_template["kind"] == "sqlite":
        path = tmp_path / "archive.sqlite3"
        shutil.copy(database_template["path"], path)
        url = f"sqlite:///{path}"
    else:
        url = database_template["url"]
    config = _base_config(tmp_path, url)
    config.update(overrides)
    app = create_app(config)
    if database_template["kind"] == "postgresql":
        _reset_postgres(app, database_template["snapshot"])
    return app


@pytest.fixture
def app(database_template, tmp_path):
    app = make_app(database_template, tmp_path)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    # The thread's cached searcher of this test's index: its segment files
    # would stay open until the end of the run.
    forget(app.config["INDEX_DIR"])


@pytest.fixture
def csrf_app(database_template, tmp_path):
    """An app with CSRF protection on, as in production."""
    app = make_app(database_template, tmp_path, WTF_CSRF_ENABLED=True)
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log in as one of the seeded demo users: ``auth.login("cinambo")``."""

    def __init__(self, client):
        self._client = client

    def login(self, username: str = "cinambo", password: str | None = None):
        from support.rows import password_of

        if password is None:
            password = password_of(username)
        return self._client.post("/masuk", data={"username": username, "password": password})

    def logout(self):
        return self._client.post("/keluar")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def _closed_at_once(app):
    """The app with each response read into memory and its iterator closed at
    once. Werkzeug's server drains the request socket before it closes the
    response (``WSGIRequestHandler.run_wsgi``): when the browser has already
    hung up (it moved to the next page), that read fails first and a static
    file's handle is left to the garbage collector, a ResourceWarning that
    failed a CI run."""
    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()
    return wsgi


@pytest.fixture
def live_server(app):
    """The app served by werkzeug on a free port in a thread: ``live_server.url``."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, _closed_at_once(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    thread.join(timeout=5)


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("ARCHIVE_CHROMIUM", "/usr/bin/chromium")
    if not Path(executable).exists():
        pytest.fail(f"Chromium not found at {executable}: run the test command from README.md")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
