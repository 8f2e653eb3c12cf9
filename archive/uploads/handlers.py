"""The tus requests, the same under the site (session + CSRF) and the API (bearer token).

``views.py`` and ``api.py`` decide who is asking and which URL names an
upload; everything else (headers in, headers out, the operation) is here.
Refusals answer the API's JSON error shape on both paths, with the tus
headers, so that a client gets the message it can show.
"""
from __future__ import annotations

from typing import Callable

from flask import Response, current_app, jsonify, request, url_for
from flask_babel import gettext as _

from ..core.refusal import Refused
from ..models import User
from . import operations, protocol
from .models import PartialUpload

#: the upload URL's methods; a client that can only POST sends X-HTTP-Method-Override
UPLOAD_METHODS = ("GET", "HEAD", "PATCH", "DELETE", "POST")


def answer(work: Callable[[], Response]) -> Response:
    """Run one tus request: its refusal as ``{"message", "status"[, "field"]}``; tus headers always."""
    try:
        response = work()
    except Refused as refusal:
        body = {"message": refusal.message, "status": refusal.status}
        if refusal.field:
            body["field"] = refusal.field
        response = jsonify(body)
        response.status_code = refusal.status
    return protocol.finish_headers(response)


def options() -> Response:
    return protocol.options_response(current_app.config["MAX_FILE_BYTES"])


def create(user: User, endpoint: str) -> Response:
    """POST to the collection: a new upload at ``Location``."""
    protocol.check_version(request.headers)
    if request.headers.get("Upload-Defer-Length"):
        raise Refused(_("Ukuran berkas harus diketahui sejak awal (Upload-Length)."), 400,
                      "Upload-Length")
    length = protocol.non_negative(request.headers.get("Upload-Length"), "Upload-Length")
    metadata = protocol.parse_metadata(request.headers.get("Upload-Metadata"))
    upload = operations.create(user, length, metadata)
    response = Response(status=201)
    response.headers["Location"] = url_for(endpoint, upload_id=upload.id, _external=True)
    response.headers["Upload-Expires"] = protocol.http_date(upload.expires_at)
    response.headers["Upload-Offset"] = "0"
    return response


def on_upload(user: User, upload_id: str) -> Response:
    """GET (the result, JSON), HEAD (the offset), PATCH (bytes), DELETE (termination)."""
    method = request.method
    if method == "POST":
        method = request.headers.get("X-HTTP-Method-Override", "").upper()
        if method not in ("PATCH", "DELETE"):
            raise Refused(_("POST ke alamat unggahan hanya dengan X-HTTP-Method-Override: "
                            "PATCH atau DELETE."), 405)
    if method == "GET":
        return jsonify(_state(operations.find(upload_id, user)))
    protocol.check_version(request.headers)
    if method == "HEAD":
        upload = operations.find(upload_id, user)
        return _with_offset(Response(status=200), upload, metadata=True)
    if method == "DELETE":
        operations.terminate(upload_id, user)
        return Response(status=204)
    if request.mimetype != protocol.OFFSET_CONTENT_TYPE:
        raise Refused(_("Bagian unggahan dikirim dengan Content-Type %(type)s.",
                        type=protocol.OFFSET_CONTENT_TYPE), 415)
    offset = protocol.non_negative(request.headers.get("Upload-Offset"), "Upload-Offset")
    checksum = protocol.parse_checksum(request.headers.get("Upload-Checksum"))
    request.max_content_length = current_app.config["MAX_FILE_BYTES"]
    upload = operations.append(upload_id, user, operations.Chunk(offset, request.stream, checksum))
    response = _with_offset(Response(status=204), upload)
    if upload.finished:
        # The pipeline's answer, also kept for GET on this URL.
        response.headers["Upload-Result"] = upload.result_status
        response.headers["Upload-Result-Message"] = protocol.header_text(upload.result_message)
        if upload.result_entry_id is not None:
            response.headers["Upload-Entry-Id"] = str(upload.result_entry_id)
    return response


def _with_offset(response: Response, upload: PartialUpload, metadata: bool = False) -> Response:
    response.headers["Upload-Offset"] = str(operations.offset_of(upload))
    response.headers["Upload-Length"] = str(upload.length)
    response.headers["Upload-Expires"] = protocol.http_date(upload.expires_at)
    if metadata:
        response.headers["Upload-Metadata"] = protocol.encode_metadata({"filename": upload.filename})
    response.headers["Cache-Control"] = "no-store"
    return response


def _state(upload: PartialUpload) -> dict:
    """What GET on an upload's URL answers: how far it is, and the pipeline's result."""
    state = {
        "id": upload.id, "filename": upload.filename, "length": upload.length,
        "offset": operations.offset_of(upload),
        "expires_at": upload.expires_at.isoformat() + "Z",
        "status": upload.result_status or "uploading",
        "message": upload.result_message or "",
        "entry_id": upload.result_entry_id,
        "entry_url": None,
    }
    if upload.result_http is not None:
        state["http_status"] = upload.result_http
    if upload.result_entry_id is not None:
        state["entry_url"] = url_for("entries.detail", entry_id=upload.result_entry_id)
    return state
