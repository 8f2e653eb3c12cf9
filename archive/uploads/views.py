"""Resumable uploads on the site (the logged-in camat's session, CSRF token in the
``X-CSRFToken`` header), and what makes the upload page an installable web app:
its service worker and manifest."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, generate_csrf

from ..config import PROJECT_ROOT
from ..core.refusal import Refused
from . import handlers

bp = Blueprint("uploads", __name__, url_prefix="/entri")

#: the part of the site the service worker controls: the upload page and its tus URLs
APP_SCOPE = "/entri/unggah"


def _user():
    if not current_user.is_authenticated:
        raise Refused(_("Sesi Anda sudah berakhir; masuk lagi, lalu unggahan dilanjutkan."), 401)
    return current_user._get_current_object()


@bp.route("/unggah/tus/", methods=["POST", "OPTIONS"])
def tus_create():
    return handlers.answer(lambda: handlers.options() if _is_options() else
                           handlers.create(_user(), "uploads.tus_upload"))


@bp.route("/unggah/tus/<upload_id>", methods=[*handlers.UPLOAD_METHODS, "OPTIONS"])
def tus_upload(upload_id: str):
    return handlers.answer(lambda: handlers.options() if _is_options() else
                           handlers.on_upload(_user(), upload_id))


@bp.errorhandler(CSRFError)
def _csrf_refused(_err):
    """The upload script shows this message, so it comes as JSON like every tus refusal."""
    return handlers.answer(_raise(Refused(
        _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi."), 400)))


def _raise(refusal: Refused):
    def work():
        raise refusal
    return work


def _is_options() -> bool:
    return request.method == "OPTIONS"


@bp.get("/unggah/token")
def csrf_token():
    """A fresh CSRF token for a page that was opened from the service worker's cache."""
    _user()
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/sw.js")
def service_worker():
    """The service worker, from under /entri/ so that it may control the upload page."""
    response = send_from_directory(PROJECT_ROOT / "static" / "js", "upload-sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = APP_SCOPE
    return response


@bp.get("/unggah/manifest.webmanifest")
def manifest() -> Response:
    body = {
        "name": _("Unggah · Arsip Studi Banding"),
        "short_name": _("Unggah arsip"),
        "description": _("Unggah foto dan paper, juga saat sinyal lemah: berkas menunggu di "
                         "ponsel dan terkirim saat tersambung lagi."),
        "start_url": url_for("entries.upload"),
        "scope": APP_SCOPE,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0f5a7a",
        "icons": [
            {"src": url_for("static", filename="icons/app-192.png"), "sizes": "192x192",
             "type": "image/png"},
            {"src": url_for("static", filename="icons/app-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "any maskable"},
        ],
    }
    response = current_app.response_class(
        current_app.json.dumps(body), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response
