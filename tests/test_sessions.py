"""Sessions that end, and guessing stopped: logout, password change, deactivation and
"log out everywhere" end sessions on the server (remember-me included); failed
logins and failed API tokens are limited per user name and per address."""
from __future__ import annotations

import os

import pytest
from sqlalchemy import func, select

from archive.auth.models import User, UserSession
from archive.extensions import db
from archive.seed import demo_password

MY_ENTRIES = "/entri/saya"


def _login(client, username: str = "cinambo", password: str | None = None, remember=False):
    data = {"username": username, "password": password or demo_password(username)}
    if remember:
        data["remember"] = "y"
    return client.post("/masuk", data=data)


def _cookies(client) -> dict[str, str]:
    found = {name: client.get_cookie(name) for name in ("session", "remember_token")}
    return {name: cookie.value for name, cookie in found.items() if cookie is not None}


def _replay(app, cookies: dict[str, str]):
    """A new browser that presents cookies saved earlier."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _sessions(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(UserSession.id)).join(User).where(
            User.username == username))


def test_logout_ends_the_session_on_the_server(app, client):
    assert _login(client).status_code == 302
    assert client.get(MY_ENTRIES).status_code == 200
    saved = _cookies(client)
    assert _sessions(app, "cinambo") == 1
    client.post("/keluar")
    assert _sessions(app, "cinambo") == 0
    replayed = _replay(app, saved).get(MY_ENTRIES)
    assert replayed.status_code == 302 and "/masuk" in replayed.headers["Location"]


@pytest.mark.parametrize("how", ["password", "deactivate", "everywhere"])
def test_admin_actions_end_every_session_remember_me_included(app, client, auth, how):
    camat = app.test_client()
    assert _login(camat, remember=True).status_code == 302
    saved = _cookies(camat)
    assert "remember_token" in saved
    second = app.test_client()
    _login(second)
    assert _sessions(app, "cinambo") == 2
    auth.login("admin")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.username == "cinambo"))
    if how == "password":
        new = "Trotoar-Sungai-Taman-9"
        response = client.post(f"/admin/pengguna/{user_id}/kata-sandi",
                               data={"password": new, "confirm": new})
    elif how == "deactivate":
        response = client.post(f"/admin/pengguna/{user_id}/status", data={"active": "0"})
    else:
        response = client.post(f"/admin/pengguna/{user_id}/keluar-semua")
    assert response.status_code == 302
    assert _sessions(app, "cinambo") == 0
    # Neither the session cookie nor the remember-me cookie opens anything any more.
    for cookies in (saved, {"remember_token": saved["remember_token"]}):
        replayed = _replay(app, cookies).get(MY_ENTRIES)
        assert replayed.status_code == 302 and "/masuk" in replayed.headers["Location"]


def test_remember_me_alone_restores_a_live_session(app, client):
    _login(client, remember=True)
    saved = _cookies(client)
    # A browser restarted: only the remember-me cookie is left.
    assert _replay(app, {"remember_token": saved["remember_token"]}).get(MY_ENTRIES).status_code == 200


def test_failed_logins_are_limited_per_user_name_with_a_clear_message(app, client):
    for _ in range(5):
        assert _login(client, password="salah-sekali").status_code == 401
    refused = _login(client)  # the right password, too late
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 60
    assert "Coba lagi dalam 15 menit" in refused.get_data(as_text=True)
    # Another account from the same address is not locked by this one's failures.
    assert _login(app.test_client(), "batununggal").status_code == 302


def test_failed_logins_are_limited_per_address(app):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = "3 per 15 minutes"
    client = app.test_client()
    for name in ("cinambo", "batununggal", "cidadap"):
        assert _login(client, name, "salah-sekali").status_code == 401
    assert _login(client, "coblong").status_code == 429


def test_successful_logins_are_not_counted(app):
    for _ in range(8):
        client = app.test_client()
        assert _login(client).status_code == 302


def test_failed_api_tokens_are_limited_per_address(app, client):
    app.config["TOKEN_FAILURES_PER_ADDRESS"] = "3 per 15 minutes"
    for _ in range(3):
        assert client.get("/api/v1/entries", headers={"Authorization": "Bearer nope"}).status_code == 401
    refused = client.get("/api/v1/entries", headers={"Authorization": "Bearer nope"})
    assert refused.status_code == 429 and refused.is_json
    assert refused.get_json()["status"] == 429 and "Retry-After" in refused.headers
    # Reading without a token is not guessing.
    assert client.get("/api/v1/entries").status_code == 200


def test_limits_are_shared_through_redis_when_configured(database_template, tmp_path):
    """Two apps (two workers) with the same Redis storage share the counts."""
    import redis
    from conftest import make_app

    # test.sh runs the SQLite and PostgreSQL halves at once: each flushes a database of its own.
    url = f"redis://127.0.0.1:6379/{2 if os.environ.get('ARCHIVE_TEST_DATABASE_URL') else 1}"
    try:
        redis.Redis.from_url(url).ping()
    except redis.ConnectionError:
        pytest.fail("Redis is expected on 127.0.0.1:6379 (test.sh starts it)")
    redis.Redis.from_url(url).flushdb()
    workers = []
    for name in ("w1", "w2"):
        (tmp_path / name).mkdir()
        workers.append(make_app(database_template, tmp_path / name, RATELIMIT_STORAGE_URI=url,
                                LOGIN_FAILURES_PER_USER="2 per 15 minutes"))
    try:
        assert _login(workers[0].test_client(), password="salah-sekali").status_code == 401
        assert _login(workers[1].test_client(), password="salah-sekali").status_code == 401
        assert _login(workers[0].test_client()).status_code == 429
    finally:
        redis.Redis.from_url(url).flushdb()
        for worker in workers:
            with worker.app_context():
                db.session.remove()
                db.engine.dispose()


def test_create_user_refuses_short_and_common_passwords(runner):
    for weak in ("pendek", "password123", "bandung2018", "rahasia123"):
        result = runner.invoke(args=["create-user", "budi", "--role", "admin", "--password", weak])
        assert result.exit_code != 0 and "Kata sandi" in result.output, (weak, result.output)
    result = runner.invoke(args=["create-user", "budi", "--role", "admin",
                                 "--password", "Trotoar-Sungai-Taman-9"])
    assert result.exit_code == 0, result.output
