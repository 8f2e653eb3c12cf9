"""Public score pages: a period's table of all kecamatan (sortable, zone colours, the
zone distribution and the distance to "all green"), its export, and a kecamatan's
history across periods as a chart."""
from __future__ import annotations

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from ..extensions import db
from .chart import history_chart
from .models import Camat, Kecamatan
from .operations.periods import period_by_code, periods
from .queries import SORTS, history, kecamatan_count, period_table, zone_counts
from .transfer.exchange import export_file
from .visibility import can_see, sees_drafts

bp = Blueprint("scores", __name__)

MIME = {"csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _visible_period(code: str):
    period = period_by_code(code)
    if not can_see(period):
        abort(404)
    return period


@bp.route("/nilai")
def index() -> ResponseReturnValue:
    visible = periods(published_only=not sees_drafts())
    if visible:
        return redirect(url_for("scores.table", code=visible[0].code))
    return render_template("scores/table.html", period=None, periods=[])


@bp.route("/nilai/periode/<code>")
def table(code: str) -> ResponseReturnValue:
    period = _visible_period(code)
    keys = [c.key for c in period.criteria]
    sort = request.args.get("urut", "rank")
    if sort not in SORTS and sort not in keys:
        sort = "rank"
    descending = request.args.get("arah", "desc" if sort == "total" or sort in keys else "asc") == "desc"
    counted = zone_counts(period)
    distribution = period.published_distribution or counted
    total = kecamatan_count()
    return render_template(
        "scores/table.html", period=period, periods=periods(published_only=not sees_drafts()),
        rows=period_table(period, sort, descending), sort=sort, descending=descending,
        counted=counted, distribution=distribution, kecamatan_total=total,
        official=period.published_distribution is not None,
        to_all_green=total - distribution["green"])


@bp.route("/nilai/periode/<code>/unduh.<any(csv, xlsx):fmt>")
def export(code: str, fmt: str) -> ResponseReturnValue:
    period = _visible_period(code)
    return Response(export_file(period, fmt), mimetype=MIME[fmt], headers={
        "Content-Disposition": f'attachment; filename="nilai-{period.code}.{fmt}"'})


@bp.route("/kecamatan/<int:kecamatan_id>")
def kecamatan(kecamatan_id: int) -> ResponseReturnValue:
    place = db.get_or_404(Kecamatan, kecamatan_id)
    records = history(place)
    camats = db.session.scalars(select(Camat).where(Camat.kecamatan_id == place.id)
                                .order_by(Camat.name)).all()
    return render_template("scores/kecamatan.html", kecamatan=place, records=records,
                           chart=history_chart(records), camats=camats)
