"""Fixtures several test modules use (conftest.py registers this module as a plugin)."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.extensions import db

from .api import issue_token
from .reports import build_report


@pytest.fixture
def tokens(app):
    """API tokens of cinambo, batununggal (another camat) and admin."""
    return {name: issue_token(app, name) for name in ("cinambo", "batununggal", "admin")}


@pytest.fixture
def search_ctx(app):
    """A request context with the default synonym groups (PostgreSQL resets
    truncate them); yields the app."""
    from archive.search.synonyms import seed_defaults

    with app.test_request_context():
        seed_defaults()
        db.session.commit()
        yield app


@pytest.fixture
def report(app):
    """build_report(): Cinambo's published report of three photos, a paper and a draft photo."""
    with app.test_request_context("/"):
        return build_report(photos=3)


@pytest.fixture
def empty_url(tmp_path):
    """The URL of an empty database of the test's own (for migration tests):
    a SQLite file, or a new PostgreSQL database dropped afterwards."""
    from conftest import PG_URL

    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'migrate.sqlite3'}"
        return
    base = make_url(PG_URL)
    name = f"archive_migrate_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
