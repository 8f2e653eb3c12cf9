"""API tokens: missing, malformed, unknown, revoked, inactive user; last use recorded."""
from __future__ import annotations

from sqlalchemy import select

from archive.extensions import db
from archive.models import ApiToken, User
from archive.auth.models import hash_token
from support.api import assert_json_error, bearer, issue_token
from support.rows import add_entry as make_entry


def test_write_without_token_is_401_with_bearer_challenge(client):
    response = client.post("/api/v1/entries", data={})
    body = assert_json_error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization" in body["message"]


def test_unknown_or_malformed_token_is_refused_even_for_reads(client):
    response = client.get("/api/v1/entries", headers=bearer("not-a-real-token"))
    body = assert_json_error(response, 401)
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]
    assert "create-token" in body["message"]
    for header in ("Basic YWRtaW46YWRtaW4=", "Bearer", "Token abc"):
        response = client.get("/api/v1/me", headers={"Authorization": header})
        assert_json_error(response, 401)
        assert 'error="invalid_request"' in response.headers["WWW-Authenticate"]


def test_me_names_the_tokens_owner(client, tokens):
    body = client.get("/api/v1/me", headers=bearer(tokens["cinambo"])).get_json()
    assert body["username"] == "cinambo" and body["role"] == "camat"
    assert body["camat"]["kecamatan"]["name"] == "Cinambo"
    admin = client.get("/api/v1/me", headers=bearer(tokens["admin"])).get_json()
    assert admin["role"] == "admin" and admin["camat"] is None


def test_revoked_token_stops_working(app, client):
    token = issue_token(app, "cinambo")
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    with app.app_context():
        db.session.delete(db.session.scalar(
            select(ApiToken).where(ApiToken.token_hash == hash_token(token))))
        db.session.commit()
    assert_json_error(client.get("/api/v1/me", headers=bearer(token)), 401)


def test_inactive_users_token_is_refused(app, client):
    token = issue_token(app, "cinambo")
    with app.app_context():
        db.session.scalar(select(User).where(User.username == "cinambo")).active = False
        db.session.commit()
    body = assert_json_error(client.get("/api/v1/entries", headers=bearer(token)), 403)
    assert "dinonaktifkan" in body["message"]
    assert_json_error(client.delete("/api/v1/entries/1", headers=bearer(token)), 403)


def test_last_used_at_is_recorded(app, client):
    token = issue_token(app, "cinambo")
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
        assert row.last_used_at is None
    client.get("/api/v1/entries", headers=bearer(token))
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
        assert row.last_used_at is not None


def test_token_is_not_needed_for_published_reads(app, client):
    entry_id = make_entry(app)
    assert client.get(f"/api/v1/entries/{entry_id}").status_code == 200
    assert client.get("/api/v1/entries").get_json()["total"] == 1


def test_session_login_does_not_authorise_api_writes(app, client, auth):
    # The API is CSRF-exempt, so it must never act on the session cookie.
    auth.login("cinambo")
    entry_id = make_entry(app)
    assert_json_error(client.delete(f"/api/v1/entries/{entry_id}"), 401)
    assert client.get(f"/api/v1/entries/{entry_id}").status_code == 200
