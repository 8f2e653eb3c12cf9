"""``/api/v1/uploads/``: resumable uploads (tus 1.0) with a bearer token; see ``handlers``."""
from __future__ import annotations

from flask import g, request

from ..api import bp
from ..api.auth import token_required
from . import handlers


@bp.route("/uploads/", methods=["POST", "OPTIONS"])
def upload_create():
    if request.method == "OPTIONS":
        return handlers.answer(handlers.options)
    return _create()


@token_required
def _create():
    return handlers.answer(lambda: handlers.create(g.api_user, "api.upload_detail"))


@bp.route("/uploads/<upload_id>", methods=[*handlers.UPLOAD_METHODS, "OPTIONS"])
def upload_detail(upload_id: str):
    if request.method == "OPTIONS":
        return handlers.answer(handlers.options)
    return _on_upload(upload_id)


@token_required
def _on_upload(upload_id: str):
    return handlers.answer(lambda: handlers.on_upload(g.api_user, upload_id))
