"""Admin pages of the evaluation beside the tables of ``admin.score_tables``: importing
a file (preview, then apply) and the award (the top N of a period onto a trip)."""
from __future__ import annotations

import json

from flask import Blueprint, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from ..auth.permissions import admin_required
from ..core.pages import act
from ..core.refusal import Refused
from ..core.transaction import discard
from ..extensions import db
from ..trips.models import Trip
from .forms import AwardForm, ImportForm
from .operations import award as award_ops
from .operations.periods import period_by_code, period_choices
from .operations.plan import RawRow, plan_rows
from .operations.records import apply_plan
from .preview import change_lines
from .transfer.exchange import rows_from_file

bp = Blueprint("scores_admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _only_admins() -> None:
    """Every page here is for admins only."""


@bp.route("/nilai/impor", methods=["GET", "POST"])
def import_scores() -> ResponseReturnValue:
    """First POST: the file, answered with a preview. Second POST ("apply"): the
    previewed rows come back in a hidden field, are planned again and written."""
    form = ImportForm()
    form.period.choices = period_choices()
    if request.method == "GET":
        form.period.data = request.args.get("periode") or (form.period.choices or [("", "")])[0][0]
        return render_template("admin/score_import.html", form=form, plan=None)
    if not form.validate_on_submit():
        return render_template("admin/score_import.html", form=form, plan=None), 400
    period = period_by_code(form.period.data)
    try:
        if request.form.get("apply") and form.rows.data:
            rows = [RawRow(line, cells) for line, cells in json.loads(form.rows.data)]
            return _apply(period, plan_rows(period, rows), form)
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            raise Refused(_("Pilih berkas CSV atau XLSX."), field="file", status=400)
        rows, problems = rows_from_file(period, upload.read(), upload.filename)
    except Refused as refused:
        discard()
        form.file.errors = [refused.message]
        return render_template("admin/score_import.html", form=form, plan=None), refused.status
    plan = plan_rows(period, rows, problems)
    form.rows.data = json.dumps([[r.line, {k: _cell(v) for k, v in r.cells.items()}] for r in rows])
    form.filename.data = upload.filename
    discard()  # the preview writes nothing
    return render_template("admin/score_import.html", form=form, plan=plan,
                           changes=change_lines(plan))


def _cell(value: object) -> object:
    return value if value is None or isinstance(value, (str, int, float)) else str(value)


def _apply(period, plan, form) -> ResponseReturnValue:
    def do() -> str:
        done = apply_plan(plan, skip_bad=form.skip_bad.data)
        return _("Impor periode %(code)s: %(new)d baru, %(updated)d berubah, %(unchanged)d "
                 "tetap, %(skipped)d dilewati.", code=period.code, new=done.new,
                 updated=done.updated, unchanged=done.unchanged, skipped=done.skipped)

    if plan.ok or form.skip_bad.data:
        return act(do, url_for("admin.scores", periode=period.code))
    flash(_("%(count)d baris bermasalah, jadi belum ada yang disimpan. Perbaiki berkasnya, "
            "atau pilih untuk melewati baris itu.", count=len(plan.bad)), "error")
    return render_template("admin/score_import.html", form=form, plan=plan,
                           changes=change_lines(plan)), 422


@bp.route("/penghargaan", methods=["GET", "POST"])
def award() -> ResponseReturnValue:
    """Choose a period and "the top N": who qualifies (ties shown), then add them to a trip."""
    form = (AwardForm(formdata=request.args or None, meta={"csrf": False})
            if request.method == "GET" else AwardForm())
    form.period.choices = period_choices()
    trips = db.session.scalars(select(Trip).order_by(Trip.year.desc(), Trip.title)).all()
    form.trip_id.choices = [("", _("- pilih kunjungan -"))] + [(t.id, t.title) for t in trips]
    period = period_by_code(form.period.data or "") if form.period.data else None
    trip = db.session.get(Trip, form.trip_id.data) if form.trip_id.data else None
    qualifiers, status = [], 200
    if period is not None and form.top_n.data and form.validate():
        if request.method == "POST":
            if trip is None:
                form.trip_id.errors = [_("Pilih kunjungan yang menjadi hadiahnya.")]
                status = 400
            else:
                return act(lambda: _("%(count)d camat ditambahkan ke %(trip)s.",
                                     count=award_ops.award(trip, period, form.top_n.data),
                                     trip=trip.title),
                           url_for("main.trip", slug=trip.slug))
        qualifiers = award_ops.qualifiers(period, form.top_n.data, trip)
    elif request.method == "POST" or request.args:
        status = 400
    return render_template("admin/score_award.html", form=form, period=period, trip=trip,
                           qualifiers=qualifiers), status
