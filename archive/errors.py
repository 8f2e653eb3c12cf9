"""Error pages: a clear message in the page's language, JSON under /api/, never a traceback."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .core.refusal import Refused


def _messages() -> dict[int, str]:
    return {
        400: _("Permintaan tidak dapat diproses."),
        401: _("Anda perlu masuk terlebih dahulu."),
        403: _("Anda tidak berhak membuka atau mengubah halaman ini."),
        404: _("Halaman atau data yang dicari tidak ditemukan."),
        405: _("Metode permintaan ini tidak didukung di alamat ini."),
        409: _("Data ini bertentangan dengan data yang sudah ada."),
        413: _("Berkas terlalu besar untuk diunggah."),
        415: _("Jenis berkas ini tidak didukung."),
        422: _("Data yang dikirim tidak lengkap atau tidak sah."),
        500: _("Terjadi kesalahan di server. Tidak ada data yang hilang; silakan coba lagi."),
    }


def wants_json() -> bool:
    """The API, and a page's script that sent JSON (the review grid's save)."""
    return request.path.startswith("/api/") or request.is_json


def error_response(code: int, message: str | None = None, headers=None):
    message = message or _messages().get(code) or _("Terjadi kesalahan.")
    if wants_json():
        return jsonify({"message": message, "status": code}), code, headers or []
    return render_template("errors/error.html", code=code, message=message), code, headers or []


def refusal_response(err: Refused):
    """A refused action: the JSON error shape under /api/ (with the field, when
    the refusal names one), else an error page with the message."""
    headers = {}
    if getattr(err, "retry_after", None):
        headers["Retry-After"] = str(err.retry_after)
    if wants_json():
        body = {"message": err.message, "status": err.status}
        if err.field:
            body["field"] = err.field
        return jsonify(body), err.status, headers
    return render_template("errors/error.html", code=err.status,
                           message=err.message), err.status, headers


def _has_nul(values) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in values)


def reject_nul_characters():
    """A NUL in the address or a site form field is refused before any view runs:
    PostgreSQL cannot store or even compare it, and no real input carries one."""
    if "\x00" in request.path or _has_nul(request.args.items(multi=True)):
        return error_response(400, _("Alamat atau isian mengandung karakter NUL yang tidak sah."))
    # Site forms only: Flask-WTF's CSRF check reads them before any view anyway.
    # The API validates its own fields and must not read a body before it has
    # checked the token and the size (archive/api).
    if not wants_json() and request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
        "application/x-www-form-urlencoded", "multipart/form-data"
    ) and _has_nul(request.form.items(multi=True)):
        return error_response(400, _("Isian formulir mengandung karakter NUL yang tidak sah."))
    return None


def db_rollback() -> None:
    from .extensions import db

    db.session.rollback()


def init_app(app: Flask) -> None:
    app.before_request(reject_nul_characters)

    # Views' refusals are answered by the transaction boundary; this catches
    # those raised before a view runs (request hooks, decorators).
    @app.errorhandler(Refused)
    def _refused(err: Refused):
        db_rollback()
        return refusal_response(err)

    @app.errorhandler(CSRFError)
    def _csrf(err):
        return error_response(
            400, _("Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")
        )

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        # A message given with abort(code, description=...) is shown as is;
        # werkzeug's own English defaults are replaced by ours.
        custom = err.description if err.description != type(err).description else None
        # Keep headers such as Allow (405) and WWW-Authenticate; the body is ours.
        headers = [(k, v) for k, v in err.get_headers() if k.lower() != "content-type"]
        return error_response(err.code or 500, custom, headers)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        db_rollback()
        app.logger.exception("Unhandled error on %s", request.path)
        return error_response(500)

    @app.errorhandler(InternalServerError)
    def _ise(err):
        return error_response(500)
