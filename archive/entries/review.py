"""The review grid of a batch (``/entri/tinjau?ids=1,2,3``): every file of an upload
with its title, topic, tags, place, description and status editable in place.

Three ways in, one operation (``batch.save_rows``, all rows or none):

- ``GET /entri/tinjau``: the grid; ids the user may not edit are left out with a note;
- ``POST /entri/tinjau``: the plain form (no JavaScript) saves every row, the
  bulk fields applied to the ticked rows; errors are shown next to their row;
- ``POST /entri/tinjau/simpan``: JSON rows from ``static/js/review.js`` (the
  ``X-CSRFToken`` header), answered with the saved rows or, 422, each row's errors.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from ..core.refusal import Refused
from ..extensions import db
from ..models import Entry, Topic
from . import batch
from .visibility import current_viewer
from .views import bp

MAX_JSON_BYTES = 2 * 1024 * 1024


def parse_ids(raw: str | list[str] | None) -> list[int]:
    """``1,2,3`` (or repeated ``ids=``) as ids; anything that is not a number is dropped."""
    parts = raw if isinstance(raw, list) else [raw or ""]
    ids = []
    for part in parts:
        for piece in part.split(","):
            piece = piece.strip()
            if piece.isascii() and piece.isdigit() and len(piece) < 12:
                ids.append(int(piece))
    return ids


def _topics() -> list[Topic]:
    return list(db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)))


def _render(entries: list[Entry], left_out: list[int], errors=None, values=None,
            status: int = 200) -> ResponseReturnValue:
    return render_template(
        "entries/review.html", entries=entries, left_out=left_out, topics=_topics(),
        errors=errors or {}, values=values or {}, ids=",".join(str(e.id) for e in entries),
        back=url_for("entries.review", ids=",".join(str(e.id) for e in entries)),
    ), status


@bp.get("/tinjau")
@login_required
def review():
    entries, left_out = batch.editable_entries(current_viewer(), parse_ids(
        request.args.getlist("ids")))
    return _render(entries, left_out)


def _row_from_form(form: MultiDict, entry_id: int) -> batch.RowChange:
    def value(name: str) -> str | None:
        return form.get(f"{name}-{entry_id}")

    return batch.RowChange(
        id=entry_id, title=value("title"), description=value("description"),
        topic_id=_topic_choice(value("topic_id")), tags=value("tags"),
        place_name=value("place_name"), status=value("status"))


def _topic_choice(raw: str | None) -> int | None:
    """A topic select's value: None when not sent, 0 for "no topic", -1 for nonsense
    (which the operation refuses as an unknown choice)."""
    if raw is None:
        return None
    if raw == "":
        return 0
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else -1


def _with_bulk(form: MultiDict, row: batch.RowChange) -> batch.RowChange:
    """The bulk fields filled in, applied to a ticked row (tags are added to its own)."""
    if str(row.id) not in form.getlist("selected"):
        return row
    if form.get("bulk_topic_id"):  # "0": no topic; empty: leave each row's own
        row.topic_id = _topic_choice(form["bulk_topic_id"])
    if form.get("bulk_place_name", "").strip():
        row.place_name = form["bulk_place_name"]
    if form.get("bulk_status") in batch.STATUSES:
        row.status = form["bulk_status"]
    if form.get("bulk_tags", "").strip():
        row.tags = ", ".join(filter(None, [row.tags or "", form["bulk_tags"]]))
    return row


@bp.post("/tinjau")
@login_required
def review_save():
    """The grid as a plain form: every row saved at once, or the grid again with errors."""
    ids = parse_ids(request.form.get("ids"))
    viewer = current_viewer()
    rows = [_with_bulk(request.form, _row_from_form(request.form, i)) for i in ids]
    try:
        batch.save_rows(viewer, rows)
    except batch.RowsRefused as refused:
        entries, left_out = batch.editable_entries(viewer, ids)
        flash(refused.message, "error")
        return _render(entries, left_out, refused.errors,
                       {row.id: row for row in rows}, status=422)
    flash(_("Perubahan %(n)d entri disimpan.", n=len(rows)), "success")
    return redirect(url_for("entries.review", ids=",".join(map(str, ids))))


def _row_from_json(item) -> batch.RowChange:
    if not isinstance(item, dict) or not isinstance(item.get("id"), int) or isinstance(
            item.get("id"), bool):
        raise Refused(_("Setiap baris harus objek JSON dengan 'id' berupa angka."), 400, "rows")
    unknown = set(item) - {"id", *batch.FIELDS}
    if unknown:
        raise Refused(_("Kolom tidak dikenal: %(names)s.", names=", ".join(sorted(unknown))),
                      400, sorted(unknown)[0])
    for name in ("title", "description", "place_name", "status"):
        if item.get(name) is not None and not isinstance(item[name], str):
            raise Refused(_("Kolom '%(name)s' harus teks.", name=name), 400, name)
    topic = item.get("topic_id")
    if topic is not None and (not isinstance(topic, int) or isinstance(topic, bool)):
        raise Refused(_("Kolom '%(name)s' harus angka.", name="topic_id"), 400, "topic_id")
    return batch.RowChange(**item)


@bp.post("/tinjau/simpan")
@login_required
def review_save_json() -> ResponseReturnValue:
    """``{"rows": [{"id": 1, "title": "..."}, ...]}`` → the saved rows, or 422 per row."""
    request.max_content_length = MAX_JSON_BYTES
    data = request.get_json(silent=True) if request.is_json else None
    if not isinstance(data, dict) or not isinstance(data.get("rows"), list):
        raise Refused(_("Kirim JSON {\"rows\": [...]} (Content-Type: application/json)."), 400)
    rows = [_row_from_json(item) for item in data["rows"]]
    try:
        saved = batch.save_rows(current_viewer(), rows)
    except batch.RowsRefused as refused:
        return {"message": refused.message, "status": 422,
                "errors": {str(k): v for k, v in refused.errors.items()}}, 422
    return {"message": _("Perubahan %(n)d entri disimpan.", n=len(saved)),
            "rows": [row_to_json(e) for e in saved]}


def row_to_json(entry: Entry) -> dict:
    return {"id": entry.id, "title": entry.title, "description": entry.description,
            "topic_id": entry.topic_id, "tags": entry.tag_names,
            "place_name": entry.place_name, "status": entry.status}

