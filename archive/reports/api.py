"""Reports in the JSON API: list, read, and (with a token) build a report.

The same operations as the report pages (``archive.reports.operations``)
decide what is allowed, so a script meets exactly the page's rules: only the
author and admins change a report, only the author's own entries of the trip
can be chosen, drafts are visible to their editors only (404 to others).

Reads take an optional token (it lets its owner see their drafts); writes need one.

=======  ==================================================  ==========================================
GET      /reports?trip=&camat=&status=                       reports the caller may see
GET      /reports/<id>                                       one report: sections, items, cards, links
POST     /reports                                            {trip_id, title?, opening?, closing?,
                                                             camat_id? (admins)} -> 201
PATCH    /reports/<id>                                       {title?, opening?, closing?, status?}
DELETE   /reports/<id>                                       -> 204
POST     /reports/<id>/sections                              {title, topic?, narrative?, notes?} -> 201
PATCH    /reports/<id>/sections/<sid>                        {title?, topic?, narrative?, notes?,
                                                             position?}
PUT      /reports/<id>/sections/order                        {order: [section ids]}
DELETE   /reports/<id>/sections/<sid>                        -> 204
PUT      /reports/<id>/sections/<sid>/items                  {items: [{entry_id, caption?, notes?}]}
POST     /reports/<id>/recommendations                       card fields -> 201
PATCH    /reports/<id>/recommendations/<rid>                 changed card fields (status, status_note..)
DELETE   /reports/<id>/recommendations/<rid>                 -> 204
GET      /recommendations?topic=&status=&kecamatan=&trip=    public cards with counts per status
=======  ==================================================  ==========================================
"""
from __future__ import annotations

from typing import Any

from flask import abort, g, jsonify, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from ..api import bp
from ..api.auth import optional_token, token_required
from ..core.refusal import Refused
from ..core.rows import get_row
from ..entries.visibility import Viewer, current_viewer
from ..extensions import db
from ..models import Topic, Trip
from . import operations
from .models import Recommendation, Report
from .serializers import recommendation_to_json, report_summary_to_json, report_to_json, section_to_json


# --- input -----------------------------------------------------------------

def _body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description=_("Kirim badan permintaan berupa objek JSON "
                                 "(Content-Type: application/json)."))
    return data


def _text(data: dict, name: str) -> str | None:
    """A text field if it was sent (None: not sent), refusing other types."""
    if name not in data:
        return None
    value = data[name]
    if value is None:
        return ""
    if not isinstance(value, str):
        raise Refused(_("Kolom '%(name)s' harus berupa teks.", name=name))
    return value


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(_("Kolom '%(name)s' harus bilangan bulat.", name=name))
    return value


def _int_list(data: dict, name: str) -> list[int]:
    value = data.get(name)
    if not isinstance(value, list):
        raise Refused(_("Kolom '%(name)s' harus berupa daftar bilangan bulat.", name=name))
    return [_int(v, name) for v in value]


def _topic_id(data: dict, name: str = "topic") -> int | None:
    """A topic given by slug (as in the entries API) or id; null for none."""
    value = data.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, str):
        topic = db.session.scalar(select(Topic).where(Topic.slug == value))
        if topic is None:
            raise Refused(_("Topik '%(slug)s' tidak dikenal.", slug=value[:64]))
        return topic.id
    return _int(value, name)


def _query_int(name: str) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit():
        raise Refused(_("Parameter '%(name)s' harus bilangan bulat positif.", name=name), 400)
    return int(raw)


def _editable(report_id: int) -> Report:
    return operations.get_editable_report(report_id, g.api_user)


# --- reports ---------------------------------------------------------------

@bp.get("/reports")
@optional_token
def report_list():
    reports = operations.list_reports(
        g.api_user, trip_id=_query_int("trip"), camat_id=_query_int("camat"),
        status=request.args.get("status") or None,
    )
    return jsonify({"reports": [report_summary_to_json(r) for r in reports],
                    "total": len(reports)})


@bp.get("/reports/<int:report_id>")
@optional_token
def report_detail(report_id: int):
    report = operations.get_visible_report(report_id, g.api_user, full=True)
    return jsonify(report_to_json(report, current_viewer()))


@bp.post("/reports")
@token_required
def report_create():
    data = _body()
    user = g.api_user
    if "trip_id" not in data:
        raise Refused(_("Kolom 'trip_id' wajib diisi."))
    trip = get_row(Trip, _int(data["trip_id"], "trip_id"))
    if trip is None:
        raise Refused(_("Kunjungan tidak ditemukan."), 404)
    camat_id = data.get("camat_id")
    camat = operations.author_for(user, None if camat_id is None else _int(camat_id, "camat_id"))
    report = operations.create_report(camat, trip, _text(data, "title"))
    changes = operations.ReportChanges(opening=_text(data, "opening"),
                                     closing=_text(data, "closing"))
    operations.update_report(report, changes)
    response = jsonify(report_to_json(report, current_viewer()))
    response.status_code = 201
    response.headers["Location"] = url_for("api.report_detail", report_id=report.id,
                                           _external=True)
    return response


@bp.patch("/reports/<int:report_id>")
@token_required
def report_update(report_id: int):
    report = _editable(report_id)
    data = _body()
    status = data.get("status")
    if status is not None and not isinstance(status, str):
        raise Refused(_("Status laporan harus draft atau published."))
    operations.update_report(report, operations.ReportChanges(
        title=_text(data, "title"), opening=_text(data, "opening"),
        closing=_text(data, "closing"), status=status,
    ))
    return jsonify(report_to_json(report, current_viewer()))


@bp.delete("/reports/<int:report_id>")
@token_required
def report_delete(report_id: int):
    operations.delete_report(_editable(report_id))
    return "", 204


# --- sections --------------------------------------------------------------

@bp.post("/reports/<int:report_id>/sections")
@token_required
def report_section_create(report_id: int):
    report = _editable(report_id)
    data = _body()
    section = operations.add_section(report, _text(data, "title") or "", _topic_id(data))
    operations.update_section(section, operations.SectionChanges(
        narrative=_text(data, "narrative"), notes=_text(data, "notes")))
    return jsonify(section_to_json(section, current_viewer())), 201


@bp.patch("/reports/<int:report_id>/sections/<int:section_id>")
@token_required
def report_section_update(report_id: int, section_id: int):
    report = _editable(report_id)
    section = operations.get_section(report, section_id)
    data = _body()
    changes = operations.SectionChanges(
        title=_text(data, "title"), narrative=_text(data, "narrative"), notes=_text(data, "notes"),
    )
    if "topic" in data:
        changes.topic_id = _topic_id(data)
        changes.clear_topic = changes.topic_id is None
    operations.update_section(section, changes)
    if "position" in data:
        operations.move_section_to(section, _int(data["position"], "position"))
    return jsonify(section_to_json(section, current_viewer()))


@bp.put("/reports/<int:report_id>/sections/order")
@token_required
def report_section_order(report_id: int):
    report = _editable(report_id)
    operations.reorder_sections(report, _int_list(_body(), "order"))
    return jsonify({"sections": [{"id": s.id, "position": s.position, "title": s.title}
                                 for s in report.sections]})


@bp.delete("/reports/<int:report_id>/sections/<int:section_id>")
@token_required
def report_section_delete(report_id: int, section_id: int):
    report = _editable(report_id)
    operations.delete_section(operations.get_section(report, section_id))
    return "", 204


@bp.put("/reports/<int:report_id>/sections/<int:section_id>/items")
@token_required
def report_section_items(report_id: int, section_id: int):
    """Replace the section's chosen entries: ``{"items": [{"entry_id", "caption", "notes"}]}``."""
    report = _editable(report_id)
    section = operations.get_section(report, section_id)
    raw = _body().get("items")
    if not isinstance(raw, list):
        raise Refused(_("Kolom 'items' harus berupa daftar."))
    specs = []
    for entry in raw:
        if isinstance(entry, int) and not isinstance(entry, bool):
            entry = {"entry_id": entry}
        if not isinstance(entry, dict) or "entry_id" not in entry:
            raise Refused(_("Setiap butir 'items' memerlukan 'entry_id'."))
        specs.append(operations.ItemSpec(
            entry_id=_int(entry["entry_id"], "entry_id"),
            caption=_text(entry, "caption"),
            notes=_text(entry, "notes") or "",
        ))
    operations.set_items(section, specs)
    return jsonify(section_to_json(section, current_viewer()))


# --- recommendation cards --------------------------------------------------

def _recommendation_fields(data: dict, current: Recommendation | None) -> operations.RecommendationFields:
    """Fields from JSON; on an update, what is not sent keeps its current value."""
    def text(name: str, default: str) -> str:
        value = _text(data, name)
        return default if value is None else value

    fields = operations.RecommendationFields(
        title=text("title", current.title if current else ""),
        topic_id=_topic_id(data) if "topic" in data else (current.topic_id if current else None),
        practice=text("practice", current.practice if current else ""),
        problem=text("problem", current.problem if current else ""),
        kecamatan_id=(None if data.get("kecamatan_id") is None
                      else _int(data["kecamatan_id"], "kecamatan_id"))
        if "kecamatan_id" in data else (current.kecamatan_id if current else None),
        executor=text("executor", current.executor if current else ""),
        cost_effort=text("cost_effort", current.cost_effort if current else ""),
        status=text("status", current.status if current else "proposed"),
        status_note=text("status_note", current.status_note if current else ""),
        entry_ids=_int_list(data, "entry_ids") if "entry_ids" in data
        else ([e.id for e in current.entries] if current else []),
    )
    return fields


@bp.post("/reports/<int:report_id>/recommendations")
@token_required
def report_recommendation_create(report_id: int):
    report = _editable(report_id)
    rec = operations.create_recommendation(report, _recommendation_fields(_body(), None))
    return jsonify(recommendation_to_json(rec, current_viewer())), 201


@bp.patch("/reports/<int:report_id>/recommendations/<int:rec_id>")
@token_required
def report_recommendation_update(report_id: int, rec_id: int):
    report = _editable(report_id)
    rec = operations.get_recommendation(report, rec_id)
    operations.update_recommendation(rec, _recommendation_fields(_body(), rec))
    return jsonify(recommendation_to_json(rec, current_viewer()))


@bp.delete("/reports/<int:report_id>/recommendations/<int:rec_id>")
@token_required
def report_recommendation_delete(report_id: int, rec_id: int):
    report = _editable(report_id)
    operations.delete_recommendation(operations.get_recommendation(report, rec_id))
    return "", 204


@bp.get("/recommendations")
def recommendation_list():
    """The public list of cards from published reports, with counts per status."""
    result = operations.public_recommendations(operations.RecommendationFilters(
        topic=request.args.get("topic") or None, status=request.args.get("status") or None,
        kecamatan=request.args.get("kecamatan") or None, trip=_query_int("trip"),
    ))
    return jsonify({
        "recommendations": [recommendation_to_json(r, Viewer()) for r in result.cards],
        "counts": result.counts,
        "total": result.total,
    })
