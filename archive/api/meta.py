"""``/api/v1/`` (what the API offers) and ``/api/v1/me`` (whose token this is)."""
from __future__ import annotations

from flask import g, url_for
from flask.typing import ResponseReturnValue

from . import bp
from .auth import token_required
from .serializers import camat_to_json


@bp.get("/")
def index() -> ResponseReturnValue:
    def link(endpoint: str) -> str:
        return url_for(endpoint, _external=True)

    return {
        "version": "v1",
        "entries": link("api.entry_list"),
        "camat": link("api.camat_list"),
        "topics": link("api.topic_list"),
        "trips": link("api.trip_list"),
        "me": link("api.me"),
    }


@bp.get("/me")
@token_required
def me() -> ResponseReturnValue:
    user = g.api_user
    return {
        "username": user.username,
        "role": user.role,
        "camat": camat_to_json(user.camat) if user.camat else None,
    }
