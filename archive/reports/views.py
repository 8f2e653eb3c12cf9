"""Report pages: the list, a report, the builder, and the public list of recommendations.

Every rule (who edits, what may be chosen, how positions move) is in
operations.py; these views turn forms into service calls, commit, and redirect.
A refused action on a builder page comes back as a flashed message on the
page it came from; a missing or forbidden report is a 404/403 page.
"""
from __future__ import annotations

from typing import Callable

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from ..auth import camat_required, current_camat
from ..extensions import db
from ..trips.operations import trips_of
from ..main.helpers import topic_label
from ..models import Kecamatan, Topic, Trip
from . import operations
from .forms import (
    ActionForm,
    AddItemForm,
    CreateReportForm,
    ItemForm,
    NewSectionForm,
    OrderForm,
    RecommendationForm,
    RecommendationStatusForm,
    ReportForm,
    SectionForm,
    recommendation_status_choices,
)
from .markdown import render_markdown
from .models import RECOMMENDATION_STATUSES, Report
from .visibility import can_edit_report, visible_items
from ..core.pages import submit_action, submit_form
from ..core.refusal import Refused
from ..core.transaction import discard

bp = Blueprint("reports", __name__)


@bp.app_template_filter("markdown")
def _markdown_filter(text: str | None):
    return render_markdown(text)


@bp.app_context_processor
def _report_helpers() -> dict:
    return {"report_status_label": operations.status_label}


def _viewer():
    return current_user if current_user.is_authenticated else None


def _offset() -> int:
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        raise Refused(_("Arah pemindahan harus naik atau turun."), 400)
    return -1 if direction == "up" else 1


def _ids(raw: str) -> list[int]:
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise Refused(_("Urutan yang dikirim tidak sah."), 400) from None


def _act(action: Callable[[], object], success: str, back: str):
    """A builder button whose form was checked already: see ``core.pages.submit_action``."""

    def do() -> str:
        action()
        return success

    return submit_action(_Checked(), do, back)


class _Checked:
    """The builder checks its forms with ``_require_valid`` before acting."""

    def validate_on_submit(self) -> bool:
        return True


def _require_valid(form) -> None:
    if not form.validate_on_submit():
        messages = [m for errors in form.errors.values() for m in errors]
        raise Refused("; ".join(str(m) for m in messages) or _("Formulir tidak sah."), 400)


def _topic_choices() -> list[tuple]:
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)).all()
    return [("", _("(tanpa topik)"))] + [(t.id, topic_label(t)) for t in topics]


def _kecamatan_choices() -> list[tuple]:
    rows = db.session.scalars(select(Kecamatan).order_by(Kecamatan.name)).all()
    return [("", _("Seluruh kota"))] + [(k.id, k.name) for k in rows]


# --- reading ---------------------------------------------------------------

@bp.route("/laporan")
def index():
    camat = current_camat()
    missing_trips: list[Trip] = []
    if camat is not None:
        missing_trips = [t for t in trips_of(camat) if operations.report_of(camat, t) is None]
    return render_template(
        "reports/index.html", groups=operations.reports_for_index(_viewer()), camat=camat,
        missing_trips=missing_trips, create_form=CreateReportForm(),
    )


@bp.route("/laporan/saya")
@camat_required
def mine():
    camat = current_camat()
    trips = trips_of(camat)
    reports = [(t, operations.report_of(camat, t)) for t in trips]
    form = CreateReportForm()
    form.trip_id.choices = [(t.id, t.title) for t, r in reports if r is None]
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


# --- creating and the builder ---------------------------------------------

@bp.route("/laporan/baru", methods=["POST"])
@camat_required
def create():
    camat = current_camat()
    form = CreateReportForm()
    form.trip_id.choices = [(t.id, t.title) for t in trips_of(camat)]
    if not form.validate_on_submit():
        flash(_("Pilih kunjungan yang Anda ikuti."), "error")
        return redirect(url_for("reports.mine"))
    trip = db.get_or_404(Trip, form.trip_id.data)
    try:
        report = operations.create_report(camat, trip, form.title.data)
    except Refused as err:
        discard()
        flash(err.message, "error")
        existing = operations.report_of(camat, trip)
        return redirect(url_for("reports.edit", report_id=existing.id) if existing
                        else url_for("reports.mine"))
    flash(_("Laporan dibuat dengan satu bagian untuk setiap topik tugas."), "success")
    return redirect(url_for("reports.edit", report_id=report.id))


@bp.route("/laporan/<int:report_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(report_id: int):
    report = operations.get_editable_report(report_id, current_user)
    form = ReportForm(obj=report)

    def save() -> str:
        operations.update_report(report, operations.ReportChanges(
            title=form.title.data, opening=form.opening.data, closing=form.closing.data))
        return _("Laporan disimpan.")

    def render(status: int):
        return render_template(
            "reports/edit.html", report=report, form=form, action=ActionForm(),
            new_section=NewSectionForm(formdata=None), drafts=operations.draft_items(report),
        ), status

    return submit_form(form, save, render, url_for("reports.edit", report_id=report.id))


@bp.route("/laporan/<int:report_id>/status", methods=["POST"])
@login_required
def set_status(report_id: int):
    report = operations.get_editable_report(report_id, current_user)
    _require_valid(ActionForm())
    wanted = request.form.get("status", "")
    message = (_("Laporan diterbitkan: kini terlihat oleh semua pengunjung.") if wanted == "published"
               else _("Laporan dikembalikan ke draf."))
    return _act(lambda: operations.set_report_status(report, wanted), message,
                url_for("reports.edit", report_id=report.id))


@bp.route("/laporan/<int:report_id>/hapus", methods=["POST"])
@login_required
def delete(report_id: int):
    report = operations.get_editable_report(report_id, current_user)
    return submit_action(ActionForm(), lambda: _deleted(report), url_for("reports.index"))


def _deleted(report: Report) -> str:
    operations.delete_report(report)
    return _("Laporan dihapus.")


# --- sections --------------------------------------------------------------

@bp.route("/laporan/<int:report_id>/bagian", methods=["POST"])
@login_required
def add_section(report_id: int):
    report = operations.get_editable_report(report_id, current_user)
    form = NewSectionForm()
    back = url_for("reports.edit", report_id=report.id) + "#bagian"
    if not form.validate_on_submit():
        flash(_("Isi judul bagian baru (paling panjang 300 karakter)."), "error")
        return redirect(back)
    return _act(lambda: operations.add_section(report, form.title.data),
                _("Bagian ditambahkan."), back)


@bp.route("/laporan/<int:report_id>/bagian/urutan", methods=["POST"])
@login_required
def order_sections(report_id: int):
    report = operations.get_editable_report(report_id, current_user)
    form = OrderForm()
    _require_valid(form)
    return _act(lambda: operations.reorder_sections(report, _ids(form.order.data)),
                _("Urutan bagian disimpan."), url_for("reports.edit", report_id=report.id) + "#bagian")


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>", methods=["GET", "POST"])
@login_required
def section(report_id: int, section_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    form = SectionForm(obj=sec)
    form.topic_id.choices = _topic_choices()

    def save() -> str:
        operations.update_section(sec, operations.SectionChanges(
            title=form.title.data, narrative=form.narrative.data, notes=form.notes.data,
            topic_id=form.topic_id.data, clear_topic=form.topic_id.data is None,
        ))
        return _("Bagian disimpan.")

    def render(status: int):
        show_all = request.args.get("semua") == "1" or sec.topic_id is None
        candidates = operations.eligible_entries(report, None if show_all else sec.topic_id)
        item_forms = {item.id: ItemForm(formdata=None, obj=item, prefix=f"item{item.id}")
                      for item in sec.items}
        return render_template(
            "reports/section.html", report=report, section=sec, form=form, action=ActionForm(),
            candidates=candidates, chosen={item.entry_id for item in sec.items},
            show_all=show_all, item_forms=item_forms,
        ), status

    return submit_form(form, save, render,
                       url_for("reports.section", report_id=report.id, section_id=sec.id))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/geser", methods=["POST"])
@login_required
def move_section(report_id: int, section_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    _require_valid(ActionForm())
    return _act(lambda: operations.move_section(sec, _offset()), _("Urutan bagian diubah."),
                url_for("reports.edit", report_id=report.id) + f"#bagian-{sec.id}")


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/hapus", methods=["POST"])
@login_required
def delete_section(report_id: int, section_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    _require_valid(ActionForm())
    return _act(lambda: operations.delete_section(sec), _("Bagian dihapus."),
                url_for("reports.edit", report_id=report.id) + "#bagian")


# --- items -----------------------------------------------------------------

def _section_url(report: Report, section_id: int, anchor: str = "") -> str:
    keep = {"semua": "1"} if request.args.get("semua") == "1" else {}
    return url_for("reports.section", report_id=report.id, section_id=section_id, **keep) + anchor


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri", methods=["POST"])
@login_required
def add_item(report_id: int, section_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    form = AddItemForm()
    _require_valid(form)
    try:
        entry_id = int(form.entry_id.data)
    except (TypeError, ValueError):
        raise Refused(_("Entri yang dipilih tidak sah."), 400) from None
    return _act(lambda: operations.add_item(sec, entry_id), _("Entri ditambahkan ke bagian."),
                _section_url(report, sec.id, "#pilihan"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/urutan", methods=["POST"])
@login_required
def order_items(report_id: int, section_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    form = OrderForm()
    _require_valid(form)
    return _act(lambda: operations.reorder_items(sec, _ids(form.order.data)),
                _("Urutan entri disimpan."), _section_url(report, sec.id, "#pilihan"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/<int:item_id>",
          methods=["POST"])
@login_required
def update_item(report_id: int, section_id: int, item_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    item = operations.get_item(sec, item_id)
    form = ItemForm(prefix=f"item{item.id}")
    _require_valid(form)
    return _act(lambda: operations.update_item(item, form.caption.data, form.notes.data),
                _("Keterangan disimpan."), _section_url(report, sec.id, f"#item-{item.id}"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/<int:item_id>/geser",
          methods=["POST"])
@login_required
def move_item(report_id: int, section_id: int, item_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    item = operations.get_item(sec, item_id)
    _require_valid(ActionForm())
    return _act(lambda: operations.move_item(item, _offset()), _("Urutan entri diubah."),
                _section_url(report, sec.id, f"#item-{item.id}"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/<int:item_id>/hapus",
          methods=["POST"])
@login_required
def remove_item(report_id: int, section_id: int, item_id: int):
    report = operations.get_editable_report(report_id, current_user)
    sec = operations.get_section(report, section_id)
    item = operations.get_item(sec, item_id)
    _require_valid(ActionForm())
    return _act(lambda: operations.remove_item(item), _("Entri dikeluarkan dari bagian."),
                _section_url(report, sec.id, "#pilihan"))


# --- recommendation cards --------------------------------------------------

def _recommendation_form(report: Report, obj=None) -> RecommendationForm:
    form = RecommendationForm(obj=obj)
    form.topic_id.choices = _topic_choices()
    form.kecamatan_id.choices = _kecamatan_choices()
    form.status.choices = recommendation_status_choices()
    form.entry_ids.choices = [(e.id, e.title) for e in operations.eligible_entries(report)]
    if obj is not None and request.method == "GET":
        form.entry_ids.data = [e.id for e in obj.entries]
    return form


def _fields(form: RecommendationForm) -> operations.RecommendationFields:
    return operations.RecommendationFields(
        title=form.title.data, topic_id=form.topic_id.data, practice=form.practice.data,
        problem=form.problem.data, kecamatan_id=form.kecamatan_id.data,
        executor=form.executor.data, cost_effort=form.cost_effort.data,
        status=form.status.data, status_note=form.status_note.data,
        entry_ids=list(form.entry_ids.data or []),
    )


def _save_recommendation(report: Report, rec=None):
    form = _recommendation_form(report, rec)

    def save() -> str:
        if rec is None:
            operations.create_recommendation(report, _fields(form))
        else:
            operations.update_recommendation(rec, _fields(form))
        return _("Kartu rekomendasi disimpan.")

    def render(status: int):
        return render_template(
            "reports/recommendation_form.html", report=report, form=form, recommendation=rec,
            executors=operations.EXECUTOR_SUGGESTIONS,
            entries=operations.eligible_entries(report),
        ), status

    return submit_form(form, save, render,
                       url_for("reports.edit", report_id=report.id) + "#rekomendasi")


@bp.route("/laporan/<int:report_id>/rekomendasi/baru", methods=["GET", "POST"])
@login_required
def new_recommendation(report_id: int):
    report = operations.get_editable_report(report_id, current_user)
    return _save_recommendation(report)


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>", methods=["GET", "POST"])
@login_required
def edit_recommendation(report_id: int, rec_id: int):
    report = operations.get_editable_report(report_id, current_user)
    return _save_recommendation(report, operations.get_recommendation(report, rec_id))


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>/status", methods=["POST"])
@login_required
def recommendation_status(report_id: int, rec_id: int):
    report = operations.get_editable_report(report_id, current_user)
    rec = operations.get_recommendation(report, rec_id)
    form = RecommendationStatusForm()
    form.status.choices = recommendation_status_choices()
    _require_valid(form)
    return _act(lambda: operations.set_recommendation_status(rec, form.status.data,
                                                           form.status_note.data),
                _("Status rekomendasi diperbarui."),
                url_for("reports.edit", report_id=report.id) + f"#rekomendasi-{rec.id}")


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>/geser", methods=["POST"])
@login_required
def move_recommendation(report_id: int, rec_id: int):
    report = operations.get_editable_report(report_id, current_user)
    rec = operations.get_recommendation(report, rec_id)
    _require_valid(ActionForm())
    return _act(lambda: operations.move_recommendation(rec, _offset()),
                _("Urutan rekomendasi diubah."),
                url_for("reports.edit", report_id=report.id) + f"#rekomendasi-{rec.id}")


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>/hapus", methods=["POST"])
@login_required
def delete_recommendation(report_id: int, rec_id: int):
    report = operations.get_editable_report(report_id, current_user)
    rec = operations.get_recommendation(report, rec_id)
    _require_valid(ActionForm())
    return _act(lambda: operations.delete_recommendation(rec), _("Kartu rekomendasi dihapus."),
                url_for("reports.edit", report_id=report.id) + "#rekomendasi")
