"""HTTP hardening in one place: the security headers of every response, the
cookie flags, and trusting a reverse proxy.

- Headers come from Flask-Talisman: a Content-Security-Policy with no inline
  script (every script is a file under ``static/js/``), framing refused
  (``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``), a Referrer-Policy,
  a Permissions-Policy, ``nosniff``, and HSTS on HTTPS requests only.
- A view that sets its own, stricter policy keeps it as it is (the paper
  PDF's ``sandbox``: no script of the file ever runs); framing is still
  refused there by ``X-Frame-Options``.
- ``ARCHIVE_SECURE_COOKIES`` (config ``SESSION_COOKIE_SECURE``) marks the
  session, remember-me and language cookies Secure; they stay HttpOnly and
  SameSite=Lax.
- ``ARCHIVE_BEHIND_PROXY`` (config ``BEHIND_PROXY``, the number of proxies in
  front) wraps the app in werkzeug's ``ProxyFix``, so that the scheme, host
  and client address come from the proxy's ``X-Forwarded-*`` headers; without
  it those headers are ignored.
"""
from __future__ import annotations

import flask
from flask import Flask
from flask_talisman import Talisman
from werkzeug.datastructures import Headers
from werkzeug.middleware.proxy_fix import ProxyFix

#: where the map's background tiles come from (``static/js/map.js``)
MAP_TILE_ORIGIN = "https://tile.openstreetmap.org"

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    # Style attributes only (never <style> elements): a Markdown table's
    # column alignment comes out as style="text-align: ..." (reports.markdown).
    "style-src-attr": "'unsafe-inline'",
    # data: for Leaflet, which blanks a tile it drops with a data: GIF.
    "img-src": f"'self' data: {MAP_TILE_ORIGIN}",
    "font-src": "'self'",
    "connect-src": "'self'",
    # The upload page's service worker (/entri/sw.js) and web-app manifest.
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

#: features the archive never uses are switched off; full screen is for the slides
PERMISSIONS_POLICY = {
    "accelerometer": "()",
    "camera": "()",
    "geolocation": "()",
    "gyroscope": "()",
    "magnetometer": "()",
    "microphone": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
    "fullscreen": "(self)",
}

#: OpenStreetMap's tile policy asks for a Referer; this sends the origin only
REFERRER_POLICY = "strict-origin-when-cross-origin"


class ArchiveTalisman(Talisman):
    """Talisman with two rules of ours: a view's own Content-Security-Policy
    wins (it is the stricter one), and HSTS follows ``request.is_secure`` alone
    (through ``ProxyFix`` when behind a proxy), never an unchecked
    ``X-Forwarded-Proto`` header."""

    def _set_content_security_policy_headers(self, headers: Headers, options: dict) -> None:
        own = headers.get("Content-Security-Policy")
        super()._set_content_security_policy_headers(headers, options)
        if own:  # X-Frame-Options: DENY still refuses framing it
            headers["Content-Security-Policy"] = own

    def _set_hsts_headers(self, headers: Headers) -> None:
        if flask.request.is_secure:
            super()._set_hsts_headers(headers)


def init_app(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    # One Talisman per app: it keeps its settings on itself, and the tests make many apps.
    talisman = ArchiveTalisman()
    app.extensions["talisman"] = talisman
    talisman.init_app(
        app,
        force_https=False,  # the proxy in front redirects to HTTPS
        session_cookie_secure=secure,
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        frame_options="DENY",
        content_security_policy=CONTENT_SECURITY_POLICY,
        permissions_policy=PERMISSIONS_POLICY,
        referrer_policy=REFERRER_POLICY,
        strict_transport_security=True,
        strict_transport_security_include_subdomains=False,
    )
    proxies = int(app.config.get("BEHIND_PROXY") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies,  # type: ignore[method-assign]
                                x_host=proxies, x_port=proxies)
