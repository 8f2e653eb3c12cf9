"""Recommendation cards in the builder: add, edit, set status, move, delete."""
from __future__ import annotations

from flask import (
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from ...core.pages import submit_form
from .. import operations
from ..forms import (
    ActionForm,
    RecommendationForm,
    RecommendationStatusForm,
    recommendation_status_choices,
)
from ..models import Report
from .common import (
    bp,
    editable_card,
    kecamatan_choices,
    offset,
    require_valid,
    run_action,
    topic_choices,
)

# --- recommendation cards --------------------------------------------------

def _recommendation_form(report: Report, obj=None) -> RecommendationForm:
    form = RecommendationForm(obj=obj)
    form.topic_id.choices = topic_choices()
    form.kecamatan_id.choices = kecamatan_choices()
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
    report = operations.get_editable_report(report_id)
    return _save_recommendation(report)


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>", methods=["GET", "POST"])
@login_required
def edit_recommendation(report_id: int, rec_id: int):
    report = operations.get_editable_report(report_id)
    return _save_recommendation(report, operations.get_recommendation(report, rec_id))


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>/status", methods=["POST"])
@login_required
def recommendation_status(report_id: int, rec_id: int):
    report, rec = editable_card(report_id, rec_id)
    form = RecommendationStatusForm()
    form.status.choices = recommendation_status_choices()
    require_valid(form)
    return run_action(lambda: operations.set_recommendation_status(rec, form.status.data,
                      form.status_note.data),
                      _("Status rekomendasi diperbarui."),
                      url_for("reports.edit", report_id=report.id) + f"#rekomendasi-{rec.id}")


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>/geser", methods=["POST"])
@login_required
def move_recommendation(report_id: int, rec_id: int):
    report, rec = editable_card(report_id, rec_id)
    require_valid(ActionForm())
    return run_action(lambda: operations.move_recommendation(rec, offset()),
                      _("Urutan rekomendasi diubah."),
                      url_for("reports.edit", report_id=report.id) + f"#rekomendasi-{rec.id}")


@bp.route("/laporan/<int:report_id>/rekomendasi/<int:rec_id>/hapus", methods=["POST"])
@login_required
def delete_recommendation(report_id: int, rec_id: int):
    report, rec = editable_card(report_id, rec_id)
    require_valid(ActionForm())
    return run_action(lambda: operations.delete_recommendation(rec), _("Kartu rekomendasi dihapus."),
                      url_for("reports.edit", report_id=report.id) + "#rekomendasi")
