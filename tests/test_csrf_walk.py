"""Every state-changing route of the URL map refuses a forged request.

The walk covers each POST/PUT/PATCH/DELETE rule, so a route added later is
checked without anyone listing it here: a page form without a valid CSRF
token gets 400, an API call without a valid bearer token gets 401 (a
logged-in session cookie is not enough), and the database is the same
afterwards, row for row.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from archive.extensions import db
from archive.models import ApiToken, User
from support.reports import build_report

CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
#: what a forged form or JSON body says: enough to change something if it got through
BODY = {"title": "Diubah tanpa izin", "name_id": "Palsu", "name_en": "Forged", "slug": "palsu",
        "status": "published", "role": "admin", "active": "", "password": "palsu-sekali-1",
        "confirm": "palsu-sekali-1", "username": "palsu", "order": "1", "direction": "up"}
CSRF_REFUSED = "Formulir kedaluwarsa"
SEEDED_TEXT = {"code": "2018", "slug": "rivers"}


@pytest.fixture
def ids(csrf_app) -> dict[str, int]:
    """Real rows for every kind of id in the URL map, owned by cinambo."""
    with csrf_app.test_request_context("/"):
        report = build_report(photos=2)
        user = db.session.scalar(select(User).where(User.username == "cinambo"))
        token, _secret = ApiToken.issue(user)
        db.session.add(token)
        db.session.commit()
        from archive.reports.models import Report

        row = db.session.get(Report, report.report_id)
        section = row.sections[0]
        return {"entry_id": report.photo_ids[0], "report_id": row.id, "section_id": section.id,
                "item_id": section.items[0].id, "rec_id": row.recommendations[0].id,
                "user_id": user.id, "token_id": token.id}


def changing_rules(app) -> list:
    rules = [rule for rule in app.url_map.iter_rules() if rule.methods & CHANGING]
    assert len(rules) > 50  # the walk sees the whole map
    return sorted(rules, key=lambda rule: rule.rule)


def url_of(rule, ids: dict[str, int]) -> str:
    """The rule's URL with real ids where there are such rows (a forged request
    that got through would change them) and the seeded score period's code."""
    values: dict[str, object] = {}
    for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
        values[name] = ids.get(name, 1) if converter == "int" else SEEDED_TEXT.get(name, "x")
    return rule.build(values)[1]


def snapshot(app) -> dict[str, list]:
    with app.app_context():
        state = {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
                 for table in db.metadata.sorted_tables}
        db.session.rollback()
    return state


def log_in(client, username: str) -> None:
    from archive.seed import ADMIN_DEMO, demo_password

    page = client.get("/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    password = ADMIN_DEMO[1] if username == ADMIN_DEMO[0] else demo_password(username)
    response = client.post("/masuk", data={"csrf_token": token, "username": username,
                                           "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


@pytest.mark.parametrize("username", ["cinambo", "admin"])
def test_pages_refuse_changes_without_a_valid_csrf_token(csrf_app, ids, username):
    client = csrf_app.test_client()
    log_in(client, username)
    before = snapshot(csrf_app)
    walked = []
    for rule in changing_rules(csrf_app):
        if rule.rule.startswith("/api/"):
            continue
        url = url_of(rule, ids)
        for method in sorted(rule.methods & CHANGING):
            for forged in ({}, {"csrf_token": "palsu"}):
                response = client.open(url, method=method, data={**BODY, **forged},
                                       headers={"X-CSRFToken": "palsu"} if forged else {})
                assert response.status_code == 400, (method, url, forged, response.status_code)
                assert CSRF_REFUSED in response.get_data(as_text=True), (method, url)
            walked.append(url)
    assert "/keluar" in walked and "/masuk" in walked
    assert snapshot(csrf_app) == before
    if username == "cinambo":  # the forged logout did not end the session
        assert client.get("/entri/saya").status_code == 200


def test_api_refuses_changes_without_a_valid_token(csrf_app, ids):
    client = csrf_app.test_client()
    log_in(client, "cinambo")  # a session cookie is not a token
    before = snapshot(csrf_app)
    walked = 0
    for rule in changing_rules(csrf_app):
        if not rule.rule.startswith("/api/"):
            continue
        url = url_of(rule, ids)
        for method in sorted(rule.methods & CHANGING):
            for headers in ({}, {"Authorization": "Bearer palsu"}):
                response = client.open(url, method=method, json=BODY, headers=headers)
                assert response.status_code == 401, (method, url, headers, response.status_code)
                assert response.is_json and response.get_json()["status"] == 401
                assert response.headers["WWW-Authenticate"].startswith("Bearer")
            walked += 1
    assert walked >= 14
    assert snapshot(csrf_app) == before
