"""Security headers and cookie flags (archive/security.py): every response
carries the policy, HSTS only over HTTPS, cookies Secure when configured, the
proxy trusted only when configured, and no template holds inline script."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from archive.config import load_config
from archive.extensions import db
from archive.security import CONTENT_SECURITY_POLICY, MAP_TILE_ORIGIN
from support.files import pdf_bytes
from support.rows import camat_of, ingest
from conftest import make_app

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["/", "/peta", "/masuk", "/cari?q=sungai", "/topik", "/camat/1", "/tidak-ada",
         "/api/v1/", "/api/v1/entries/999999", "/static/css/app.css"]


@pytest.fixture
def app_with(database_template, tmp_path):
    """``app_with(**config)``: an app with settings of its own, its connections
    closed afterwards (PostgreSQL warns about any left open)."""
    made = []

    def make(**config):
        made.append(make_app(database_template, tmp_path, **config))
        return made[-1]

    yield make
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", PAGES)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    csp = csp_directives(response)
    assert csp["script-src"] == ["'self'"]  # no 'unsafe-inline', no nonce: scripts are files
    assert csp["default-src"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["style-src"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    permissions = response.headers["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions
    assert "fullscreen=(self)" in permissions  # the slides' full-screen key
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP
    response.close()


def test_hsts_only_over_https(client):
    assert "max-age=" in client.get("/", base_url="https://arsip.example").headers[
        "Strict-Transport-Security"]
    # without ProxyFix configured, a client's own X-Forwarded-Proto is not believed
    spoofed = client.get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers


def test_the_map_tiles_are_allowed_and_come_from_where_the_map_code_says():
    assert MAP_TILE_ORIGIN in CONTENT_SECURITY_POLICY["img-src"]
    assert MAP_TILE_ORIGIN + "/{z}/{x}/{y}.png" in (ROOT / "static/js/offline-base.js").read_text()


def test_the_paper_pdf_keeps_its_sandbox(app, client):
    with app.test_request_context("/"):
        [paper_id] = ingest(camat_of("cinambo"), [("paper.pdf", pdf_bytes("Sungai"))])
    response = client.get(f"/entri/{paper_id}/paper.pdf")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == "sandbox"
    assert response.headers["X-Frame-Options"] == "DENY"
    response.close()


def _cookies(response) -> dict[str, str]:
    return {header.split("=", 1)[0]: header for header in response.headers.getlist("Set-Cookie")}


def _log_in_remembered(client):
    from archive.seed import demo_password

    return client.post("/masuk?lang=en", data={"username": "cinambo", "password": demo_password("cinambo"),
                                               "remember": "y"})


@pytest.mark.parametrize("secure", [False, True])
def test_cookies_are_httponly_lax_and_secure_when_configured(app_with, secure):
    app = app_with(SESSION_COOKIE_SECURE=secure, REMEMBER_COOKIE_SECURE=secure)
    client = app.test_client()
    cookies = _cookies(_log_in_remembered(client))
    assert {"session", "remember_token", "lang"} <= set(cookies), cookies
    for name in ("session", "remember_token", "lang"):
        attributes = [part.strip().lower() for part in cookies[name].split(";")]
        assert "httponly" in attributes and "samesite=lax" in attributes, cookies[name]
        assert ("secure" in attributes) is secure, cookies[name]


def test_the_environment_switches(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "x")
    for value, secure in [("", False), ("1", True), ("true", True), ("0", False), ("no", False)]:
        monkeypatch.setenv("ARCHIVE_SECURE_COOKIES", value)
        config = load_config(str(tmp_path))
        assert config["SESSION_COOKIE_SECURE"] is secure and config["REMEMBER_COOKIE_SECURE"] is secure
    for value, proxies in [("", 0), ("1", 1), ("true", 1), ("2", 2), ("0", 0), ("no", 0)]:
        monkeypatch.setenv("ARCHIVE_BEHIND_PROXY", value)
        assert load_config(str(tmp_path))["BEHIND_PROXY"] == proxies


def test_behind_a_proxy_scheme_host_and_address_come_from_it(app_with):
    app = app_with(BEHIND_PROXY=1)
    seen = {}

    @app.get("/_proxy-probe")
    def _probe():
        from flask import request, url_for

        seen.update(secure=request.is_secure, address=request.remote_addr,
                    url=url_for("main.home", _external=True))
        return "ok"

    response = app.test_client().get("/_proxy-probe", headers={
        "X-Forwarded-Proto": "https", "X-Forwarded-Host": "arsip.bandung.go.id",
        "X-Forwarded-For": "203.0.113.9"})
    assert seen == {"secure": True, "address": "203.0.113.9", "url": "https://arsip.bandung.go.id/"}
    assert "max-age=" in response.headers["Strict-Transport-Security"]


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"<style[\s>]", re.I), "an inline <style> element"),
]


def test_no_template_holds_inline_script_or_style():
    found = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text()
        for pattern, what in INLINE:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(ROOT)}:{line}: {what}")
    assert found == [], "the Content-Security-Policy blocks these; move them to static/"
