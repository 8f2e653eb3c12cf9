"""Reading reports: the list, a camat's own reports, one report, and the public
list of recommendation cards."""
from __future__ import annotations

from flask import (
    render_template,
    request,
)
from sqlalchemy import select

from ...core.bilingual import text_in_language
from ...auth import camat_required, current_camat
from ...extensions import db
from ...models import Kecamatan, Topic, Trip
from ...trips.operations import trips_of
from .. import operations
from ..forms import (
    CreateReportForm,
)
from ..models import RECOMMENDATION_STATUSES
from ..visibility import can_edit_report, visible_items
from .common import bp, viewer

# --- reading ---------------------------------------------------------------

@bp.route("/laporan")
def index():
    camat = current_camat()
    missing_trips: list[Trip] = []
    if camat is not None:
        missing_trips = [t for t in trips_of(camat) if operations.report_of(camat, t) is None]
    return render_template(
        "reports/index.html", groups=operations.reports_for_index(viewer()), camat=camat,
        missing_trips=missing_trips, create_form=CreateReportForm(),
    )


@bp.route("/laporan/saya")
@camat_required
def mine():
    camat = current_camat()
    trips = trips_of(camat)
    reports = [(t, operations.report_of(camat, t)) for t in trips]
    form = CreateReportForm()
    form.trip_id.choices = [(t.id, text_in_language(t, "title")) for t, r in reports if r is None]
    return render_template("reports/mine.html", reports=reports, form=form)


@bp.route("/laporan/<int:report_id>")
def detail(report_id: int):
    report = operations.get_visible_report(report_id, full=True)
    editable = can_edit_report(None, report)
    sections = [(s, visible_items(s, None)) for s in report.sections]
    if not editable:
        # Visitors skip the empty sections; the author sees them as a to-do.
        sections = [(s, items) for s, items in sections if items or s.narrative.strip()]
    return render_template(
        "reports/detail.html", report=report, sections=sections, editable=editable,
        record=report.score_record(),
        drafts=operations.draft_items(report) if editable else [],
    )


@bp.route("/rekomendasi")
def recommendations():
    trip = request.args.get("trip", type=int)
    filters = operations.RecommendationFilters(
        topic=request.args.get("topic") or None,
        status=request.args.get("status") or None,
        kecamatan=request.args.get("kecamatan") or None,
        trip=trip,
    )
    result = operations.public_recommendations(filters)
    return render_template(
        "reports/recommendations.html", result=result, filters=filters,
        statuses=RECOMMENDATION_STATUSES,
        topics=db.session.scalars(select(Topic).order_by(Topic.position)).all(),
        kecamatan=db.session.scalars(select(Kecamatan).order_by(Kecamatan.name)).all(),
        trips=db.session.scalars(select(Trip).order_by(Trip.year.desc())).all(),
    )
