"""Every admin route: a visitor is sent to the login page, a camat gets 403, an admin gets in."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import Camat, Kecamatan, ScorePeriod, ScoreRecord, Topic, Trip, User


def _admin_rules(app) -> list:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("admin.")]
    assert len(rules) >= 25  # the whole admin part is registered
    return rules


def _url(app, rule) -> str:
    """The rule filled with ids of seeded rows, so that an admin's GET finds its page."""
    with app.app_context():
        ids = {
            "user_id": db.session.scalar(select(User.id).where(User.username == "cinambo")),
            "kecamatan_id": db.session.scalar(select(Kecamatan.id).where(Kecamatan.name == "Andir")),
            "camat_id": db.session.scalar(select(Camat.id).limit(1)),
            "trip_id": db.session.scalar(select(Trip.id).limit(1)),
            "topic_id": db.session.scalar(select(Topic.id).limit(1)),
            "record_id": db.session.scalar(select(ScoreRecord.id).limit(1)),
            "token_id": 999999,
            "period_id": db.session.scalar(select(ScorePeriod.id).limit(1)),
        }
        with app.test_request_context():
            from flask import url_for

            return url_for(rule.endpoint, **{arg: ids[arg] for arg in rule.arguments})


def _requests(app):
    for rule in _admin_rules(app):
        url = _url(app, rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, url


def test_visitor_is_sent_to_login_everywhere(app, client):
    for method, url in _requests(app):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert "/masuk" in response.headers["Location"], (method, url)


def test_camat_is_refused_everywhere(app, client, auth):
    auth.login("cinambo")
    for method, url in _requests(app):
        response = client.open(url, method=method)
        assert response.status_code == 403, (method, url)
    with app.app_context():
        # nothing a refused POST could have changed
        assert db.session.scalar(select(User.active).where(User.username == "cinambo"))
        assert len(db.session.scalars(select(Topic)).all()) == 6


def test_admin_opens_every_page(app, client, auth):
    auth.login("admin")
    gets = [url for method, url in _requests(app) if method == "GET"]
    assert len(gets) >= 13
    for url in gets:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "text/html" in response.content_type


def test_a_deactivated_admin_session_loses_access(app, client, auth):
    auth.login("admin")
    assert client.get("/admin/").status_code == 200
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "admin")).active = False
        db.session.commit()
    response = client.get("/admin/")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/admin/topik/baru", "/admin/pengguna/baru"])
def test_posts_need_a_csrf_token(csrf_app, path):
    client = csrf_app.test_client()
    page = client.get("/masuk")
    assert page.status_code == 200
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', page.get_data(as_text=True))
    assert tag, "the login form carries a CSRF token"
    token = re.search(r'value="([^"]+)"', tag.group(0)).group(1)
    login = client.post("/masuk", data={"username": "admin", "password": "admin-demo",
                                        "csrf_token": token})
    assert login.status_code == 302
    response = client.post(path, data={"slug": "x", "username": "x"})
    assert response.status_code == 400
    assert "Formulir kedaluwarsa" in response.get_data(as_text=True)
    form = client.get(path)
    assert form.status_code == 200 and 'name="csrf_token"' in form.get_data(as_text=True)
