"""Fixtures several test modules use (conftest.py registers this module as a plugin)."""
from __future__ import annotations

import pytest

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
