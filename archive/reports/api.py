"""Reports in the JSON API: list, read, and (with a token) build a report.

The same operations as the report pages (``archive.reports.operations``)
decide what is allowed, so a script meets exactly the page's rules: only the
author and admins change a report, only the author's own entries of the trip
can be chosen, drafts are visible to their editors only (404 to others).

Reads take an optional token (it lets its owner see their drafts); writes need one.
Bodies are checked by the models of ``reports/schemas.py`` (types, lengths, shapes).

=======  ==================================================  ==========================================
GET      /reports?trip=&camat=&status=                       reports the caller may see
GET      /reports/<id>                                       one report: sections, items, cards, links
POST     /reports                                            {trip_id, title?, opening?, closing?,
                                                             camat_id? (admins)} -> 201
PATCH    /reports/<id>                                       {title?, title_en?, opening?, closing?,
                                                              status?}
DELETE   /reports/<id>                                       -> 204
POST     /reports/<id>/sections                              {title, topic?, narrative?, notes?} -> 201
PATCH    /reports/<id>/sections/<sid>                        {title?, topic?, narrative?, notes?,
                                                             position?}
PUT      /reports/<id>/sections/order                        {order: [section ids]}
DELETE   /reports/<id>/sections/<sid>                        -> 204
PUT      /reports/<id>/sections/<sid>/items                  {items: [{entry_id, caption?, notes?, excerpt?}]}
POST     /reports/<id>/recommendations                       card fields -> 201
PATCH    /reports/<id>/recommendations/<rid>                 changed card fields (status, status_note..)
DELETE   /reports/<id>/recommendations/<rid>                 -> 204
GET      /recommendations?topic=&status=&kecamatan=&trip=    public cards with counts per status
=======  ==================================================  ==========================================
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import g, jsonify, request, url_for
from flask.typing import ResponseReturnValue
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

if TYPE_CHECKING:  # the models are imported by the first request body (pydantic, ~5 MiB)
    from .schemas import RecommendationBody


# --- input -----------------------------------------------------------------

def _body(schema: str):
    """The JSON object of the request, checked by the model named ``schema`` in
    ``reports/schemas.py``, imported here by the first body a worker reads
    (pydantic, ~5 MiB)."""
    from ..api.bodies import parse_body
    from . import schemas

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise Refused(_("Kirim badan permintaan berupa objek JSON "
                        "(Content-Type: application/json)."), 400)
    return parse_body(getattr(schemas, schema), data)


def _topic_id(value: int | str | None) -> int | None:
    """The id of a topic given by slug or id (``schemas.TopicRef``)."""
    if isinstance(value, str):
        topic = db.session.scalar(select(Topic).where(Topic.slug == value))
        if topic is None:
            raise Refused(_("Topik '%(slug)s' tidak dikenal.", slug=value[:64]), field="topic")
        return topic.id
    return value


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
def report_list() -> ResponseReturnValue:
    reports = operations.list_reports(
        g.api_user, trip_id=_query_int("trip"), camat_id=_query_int("camat"),
        status=request.args.get("status") or None,
    )
    return jsonify({"reports": [report_summary_to_json(r) for r in reports],
                    "total": len(reports)})


@bp.get("/reports/<int:report_id>")
@optional_token
def report_detail(report_id: int) -> ResponseReturnValue:
    report = operations.get_visible_report(report_id, g.api_user, full=True)
    return jsonify(report_to_json(report, current_viewer()))


@bp.post("/reports")
@token_required
def report_create() -> ResponseReturnValue:
    body = _body("ReportCreate")
    trip = get_row(Trip, body.trip_id)
    if trip is None:
        raise Refused(_("Kunjungan tidak ditemukan."), 404)
    camat = operations.author_for(g.api_user, body.camat_id)
    report = operations.create_report(camat, trip, body.title)
    operations.update_report(report, operations.ReportChanges(
        title_en=body.title_en, opening=body.opening, closing=body.closing))
    response = jsonify(report_to_json(report, current_viewer()))
    response.status_code = 201
    response.headers["Location"] = url_for("api.report_detail", report_id=report.id,
                                           _external=True)
    return response


@bp.patch("/reports/<int:report_id>")
@token_required
def report_update(report_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    body = _body("ReportPatch")
    operations.update_report(report, operations.ReportChanges(
        title=body.title, title_en=body.title_en, opening=body.opening, closing=body.closing,
        status=body.status))
    return jsonify(report_to_json(report, current_viewer()))


@bp.delete("/reports/<int:report_id>")
@token_required
def report_delete(report_id: int) -> ResponseReturnValue:
    operations.delete_report(_editable(report_id))
    return "", 204


# --- sections --------------------------------------------------------------

@bp.post("/reports/<int:report_id>/sections")
@token_required
def report_section_create(report_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    body = _body("SectionCreate")
    section = operations.add_section(report, body.title or "", _topic_id(body.topic))
    operations.update_section(section, operations.SectionChanges(
        narrative=body.narrative, notes=body.notes))
    return jsonify(section_to_json(section, current_viewer())), 201


@bp.patch("/reports/<int:report_id>/sections/<int:section_id>")
@token_required
def report_section_update(report_id: int, section_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    section = operations.get_section(report, section_id)
    body = _body("SectionPatch")
    changes = operations.SectionChanges(
        title=body.title, narrative=body.narrative, notes=body.notes)
    if "topic" in body.model_fields_set:
        changes.topic_id = _topic_id(body.topic)
        changes.clear_topic = changes.topic_id is None
    operations.update_section(section, changes)
    if "position" in body.model_fields_set:
        operations.move_section_to(section, body.position)
    return jsonify(section_to_json(section, current_viewer()))


@bp.put("/reports/<int:report_id>/sections/order")
@token_required
def report_section_order(report_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    operations.reorder_sections(report, _body("SectionOrder").order)
    return jsonify({"sections": [{"id": s.id, "position": s.position, "title": s.title}
                                 for s in report.sections]})


@bp.delete("/reports/<int:report_id>/sections/<int:section_id>")
@token_required
def report_section_delete(report_id: int, section_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    operations.delete_section(operations.get_section(report, section_id))
    return "", 204


@bp.put("/reports/<int:report_id>/sections/<int:section_id>/items")
@token_required
def report_section_items(report_id: int, section_id: int) -> ResponseReturnValue:
    """Replace the section's chosen entries: ``{"items": [{"entry_id", "caption", "notes", "excerpt"}]}``."""
    report = _editable(report_id)
    section = operations.get_section(report, section_id)
    items = _body("SectionItems").items
    operations.set_items(section, [
        operations.ItemSpec(entry_id=item.entry_id, caption=item.caption, notes=item.notes or "",
                            excerpt=item.excerpt)
        for item in items])
    return jsonify(section_to_json(section, current_viewer()))


# --- recommendation cards --------------------------------------------------

def _recommendation_fields(body: RecommendationBody,
                           current: Recommendation | None) -> operations.RecommendationFields:
    """The card's fields: those sent, else the current card's (else the defaults)."""
    sent = body.model_fields_set

    def kept(name: str, default: Any) -> Any:
        if name in sent:
            return getattr(body, name)
        return getattr(current, name) if current else default

    return operations.RecommendationFields(
        title=kept("title", ""),
        topic_id=_topic_id(body.topic) if "topic" in sent else kept("topic_id", None),
        practice=kept("practice", ""), problem=kept("problem", ""),
        kecamatan_id=kept("kecamatan_id", None),
        executor=kept("executor", ""), cost_effort=kept("cost_effort", ""),
        status=kept("status", "proposed"), status_note=kept("status_note", ""),
        entry_ids=body.entry_ids if "entry_ids" in sent
        else ([e.id for e in current.entries] if current else []),
    )


@bp.post("/reports/<int:report_id>/recommendations")
@token_required
def report_recommendation_create(report_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    fields = _recommendation_fields(_body("RecommendationBody"), None)
    rec = operations.create_recommendation(report, fields)
    return jsonify(recommendation_to_json(rec, current_viewer())), 201


@bp.patch("/reports/<int:report_id>/recommendations/<int:rec_id>")
@token_required
def report_recommendation_update(report_id: int, rec_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    rec = operations.get_recommendation(report, rec_id)
    operations.update_recommendation(rec, _recommendation_fields(_body("RecommendationBody"), rec))
    return jsonify(recommendation_to_json(rec, current_viewer()))


@bp.delete("/reports/<int:report_id>/recommendations/<int:rec_id>")
@token_required
def report_recommendation_delete(report_id: int, rec_id: int) -> ResponseReturnValue:
    report = _editable(report_id)
    operations.delete_recommendation(operations.get_recommendation(report, rec_id))
    return "", 204


@bp.get("/recommendations")
def recommendation_list() -> ResponseReturnValue:
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
