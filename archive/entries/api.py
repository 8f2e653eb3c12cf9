"""``/api/v1/entries``: list, read, upload, change and delete entries.

Visitors see published entries; a camat's token also shows that camat's
drafts; an admin's token shows everything. Someone else's draft answers 404,
as if it did not exist, so the API never confirms what it will not show.
The bodies (the PATCH's JSON, the upload's form fields) are the models of
``entries/schemas.py``; edits go through ``operations.apply_changes``.
"""
from __future__ import annotations

from flask import abort, current_app, g, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import RequestEntityTooLarge

from . import operations
from .visibility import current_viewer
from ..core.refusal import Refused
from ..extensions import db
from ..trips.operations import trips_of
from ..ingest.pipeline import EntryFields, Upload, ingest_batch
from ..models import Camat, Entry, Tag, Trip, User
from ..api import bp
from ..api import validation as v
from ..api.auth import optional_token, token_required
from ..api.serializers import entry_to_json, pagination_to_json, score_lookup_for

MAX_JSON_BYTES = 1024 * 1024
#: room for the text fields and multipart framing beside the one file
FORM_OVERHEAD_BYTES = 256 * 1024


def _with_relations(stmt: Select) -> Select:
    # Everything entry_to_json touches, loaded with the page instead of per entry.
    return stmt.options(
        joinedload(Entry.topic), joinedload(Entry.file), joinedload(Entry.trip),
        joinedload(Entry.camat).joinedload(Camat.kecamatan), selectinload(Entry.tags),
    )


@bp.get("/entries")
@optional_token
def entry_list() -> ResponseReturnValue:
    user: User | None = g.api_user
    stmt = select(Entry)
    kept: dict[str, object] = {}  # the filters, repeated in the pagination links
    args = request.args
    if args.get("topic"):
        topic = v.topic_by_slug(args["topic"])
        stmt = stmt.where(Entry.topic_id == topic.id)
        kept["topic"] = topic.slug
    camat_id = v.positive_int(args.get("camat"), "camat")
    if camat_id is not None:
        stmt = stmt.where(Entry.camat_id == camat_id)
        kept["camat"] = camat_id
    if args.get("kind"):
        kept["kind"] = v.kind_value(args["kind"])
        stmt = stmt.where(Entry.kind == kept["kind"])
    if args.get("trip"):
        trip = v.trip_by_key(args["trip"])
        stmt = stmt.where(Entry.trip_id == trip.id)
        kept["trip"] = trip.slug
    if args.get("tag"):
        names = v.tag_names(args["tag"])
        for name in names:  # every tag given, as "sungai,ruang publik"
            stmt = stmt.where(Entry.tags.any(Tag.name == name))
        kept["tag"] = ",".join(names)
    if args.get("status"):
        kept["status"] = v.status_value(args["status"])
        if kept["status"] == "draft" and user is None:
            abort(401, description=_("Draf hanya terlihat dengan token API pemiliknya."))
        stmt = stmt.where(Entry.status == kept["status"])
    stmt = stmt.where(current_viewer().entry_clause())
    page_number = v.positive_int(args.get("page"), "page", default=1)
    per_page = min(v.positive_int(args.get("per_page"), "per_page", default=20), v.MAX_PER_PAGE)
    page = db.paginate(
        _with_relations(stmt).order_by(Entry.created_at.desc(), Entry.id.desc()),
        page=page_number, per_page=per_page, error_out=False,
    )
    lookup = score_lookup_for(page.items)
    return {
        "items": [entry_to_json(e, lookup) for e in page.items],
        **pagination_to_json(page, "api.entry_list", **kept),
    }


@bp.get("/entries/<int:entry_id>")
@optional_token
def entry_detail(entry_id: int) -> ResponseReturnValue:
    entry = (db.session.scalar(_with_relations(select(Entry).where(Entry.id == entry_id)))
             if entry_id <= v.MAX_ID else None)
    if entry is None or not current_viewer().can_see(entry):
        abort(404, description=_("Entri %(id)d tidak ditemukan.", id=entry_id))
    return entry_to_json(entry)


def _editable(entry_id: int) -> Entry:
    """The entry, if the token's user may change it: 404 if unseen, 403 if not theirs."""
    viewer = current_viewer()
    entry = v.get_row(Entry, entry_id)
    if entry is None or not viewer.can_see(entry):
        abort(404, description=_("Entri %(id)d tidak ditemukan.", id=entry_id))
    if not viewer.can_edit(entry):
        abort(403, description=_(
            "Hanya camat pemilik entri ini atau admin yang boleh mengubah atau menghapusnya."))
    return entry


def _upload_trip(camat: Camat, raw: str | None) -> Trip:
    """The trip named in the form, or the camat's latest; the camat must have taken part."""
    trips = trips_of(camat)
    if raw:
        trip = v.trip_by_key(raw)
        if trip not in trips:
            v.invalid(_("%(camat)s tidak terdaftar sebagai peserta kunjungan '%(trip)s'.",
                        camat=camat.name, trip=trip.slug), "trip")
        return trip
    if not trips:
        v.invalid(_("%(camat)s belum terdaftar di kunjungan mana pun; minta admin "
                    "menambahkannya sebagai peserta.", camat=camat.name), "trip")
    return trips[0]


@bp.post("/entries")
@token_required
def entry_create() -> ResponseReturnValue:
    user: User = g.api_user
    if request.mimetype != "multipart/form-data":
        raise Refused(_("Unggahan harus dikirim sebagai multipart/form-data dengan berkas di "
                        "kolom 'file'."), 415)
    # One file per request, so a body larger than one file can be is refused
    # before werkzeug spools it to disk, not after.
    max_file = current_app.config["MAX_FILE_BYTES"]
    request.max_content_length = min(current_app.config["MAX_CONTENT_LENGTH"] or max_file * 2,
                                     max_file + FORM_OVERHEAD_BYTES)
    try:
        # The body is read before the next query: on SQLite that query opens a
        # write transaction, which must not wait on a slow upload.
        files = request.files.getlist("file")
    except RequestEntityTooLarge:
        abort(413, description=_("Berkas terlalu besar: batasnya %(limit)s MB per berkas.",
                                 limit=format_decimal(max_file / 2**20, format="#,##0.##")))
    camat = user.camat
    if camat is None:
        abort(403, description=_(
            "Akun '%(user)s' tidak terhubung dengan seorang camat; hanya camat yang dapat "
            "mengunggah entri.", user=user.username))
    # Every name sent counts for the unknown-field check, a file under another name too.
    from ..api.bodies import parse_body  # pydantic: imported by the first body a worker reads
    from .schemas import UploadForm

    form = parse_body(UploadForm, dict.fromkeys(request.files) | request.form.to_dict())
    if not files:
        v.invalid(_("Tidak ada berkas: kirim berkas di kolom 'file'."), "file")
    if len(files) > 1:
        v.invalid(_("Kirim satu berkas per permintaan (kolom 'file')."), "file")
    topic = v.topic_by_slug(form.topic) if form.topic else None
    fields = EntryFields(
        title=form.title, description=form.description, topic_id=topic.id if topic else None,
        tags=Tag.normalise(form.tags), place_name=form.place_name, status=form.status,
    )
    trip = _upload_trip(camat, form.trip)
    upload = Upload(filename=files[0].filename or "", stream=files[0].stream)
    # ingest_batch commits an added entry itself and cleans up after a failed one.
    result = ingest_batch([upload], fields, camat=camat, trip=trip, answer_first=True)[0]
    if result.status == "failed" or result.entry is None:
        raise Refused(result.message, result.http_status if result.http_status >= 400 else 422)
    if result.status == "duplicate" and not current_viewer().can_see(result.entry):
        abort(409, description=_(
            "Berkas yang sama sudah ada di arsip sebagai draf camat lain."))
    # The entry itself, plus the pipeline's note (duplicate, PDF without text, ...).
    body = entry_to_json(result.entry) | {"message": result.message}
    if result.status == "duplicate":
        return body, 200
    return body, 201, {
        "Location": url_for("api.entry_detail", entry_id=result.entry.id, _external=True)}


@bp.patch("/entries/<int:entry_id>")
@token_required
def entry_update(entry_id: int) -> ResponseReturnValue:
    entry = _editable(entry_id)
    if not request.is_json:
        raise Refused(_("Kirim perubahan sebagai JSON (Content-Type: application/json)."), 415)
    # The app's limit is sized for batches of photos; a few fields need far less.
    request.max_content_length = MAX_JSON_BYTES
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refused(_("Isi permintaan harus objek JSON yang sah, misalnya "
                        "{\"title\": \"...\"}."), 400)
    from ..api.bodies import parse_body
    from .schemas import EntryPatch

    body = parse_body(EntryPatch, data)
    sent = body.model_fields_set
    changes = operations.EntryChanges.of(entry)
    for name in sent & {"title", "description", "place_name", "status"}:
        setattr(changes, name, getattr(body, name))
    if "topic" in sent:
        changes.topic_id = v.topic_by_slug(body.topic).id if body.topic is not None else None
    if "tags" in sent:
        changes.tags = Tag.normalise(body.tags)
    if sent & {"latitude", "longitude"}:
        # One coordinate alone moves only that one of an entry that has a position.
        latitude = body.latitude if "latitude" in sent else entry.latitude
        longitude = body.longitude if "longitude" in sent else entry.longitude
        if (latitude is None) != (longitude is None):
            v.invalid(_("Isi 'latitude' dan 'longitude' bersama-sama, atau kosongkan keduanya."),
                      "latitude" if latitude is None else "longitude")
        changes.latitude, changes.longitude = latitude, longitude
    operations.apply_changes(entry, changes)
    return entry_to_json(entry)


@bp.delete("/entries/<int:entry_id>")
@token_required
def entry_delete(entry_id: int) -> ResponseReturnValue:
    operations.delete_entry(_editable(entry_id))
    return "", 204
