"""The report builder: creating a report, its fields and status, its sections and
the entries chosen for each. Every rule is in ``reports.operations``; a refused
button comes back as a flashed message on the page it came from."""
from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_required

from ...auth import camat_required, current_camat
from ...core.pages import submit_action, submit_form
from ...core.refusal import Refused
from ...core.transaction import discard
from ...extensions import db
from ...models import Trip
from ...trips.operations import trips_of
from .. import operations
from ..forms import (
    ActionForm,
    AddItemForm,
    CreateReportForm,
    ItemForm,
    NewSectionForm,
    OrderForm,
    ReportForm,
)
from ..models import Report
from .common import (
    bp,
    editable_item,
    editable_section,
    ids,
    offset,
    require_valid,
    run_action,
    section_url,
    topic_choices,
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
    report = operations.get_editable_report(report_id)
    form = ReportForm(obj=report)

    def save() -> str:
        operations.update_report(report, operations.ReportChanges(
            title=form.title.data, title_en=form.title_en.data or "",
            opening=form.opening.data, closing=form.closing.data))
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
    report = operations.get_editable_report(report_id)
    require_valid(ActionForm())
    wanted = request.form.get("status", "")
    message = (_("Laporan diterbitkan: kini terlihat oleh semua pengunjung.") if wanted == "published"
               else _("Laporan dikembalikan ke draf."))
    return run_action(lambda: operations.set_report_status(report, wanted), message,
                      url_for("reports.edit", report_id=report.id))


@bp.route("/laporan/<int:report_id>/hapus", methods=["POST"])
@login_required
def delete(report_id: int):
    report = operations.get_editable_report(report_id)
    return submit_action(ActionForm(), lambda: _deleted(report), url_for("reports.index"))


def _deleted(report: Report) -> str:
    operations.delete_report(report)
    return _("Laporan dihapus.")


# --- sections --------------------------------------------------------------

@bp.route("/laporan/<int:report_id>/bagian", methods=["POST"])
@login_required
def add_section(report_id: int):
    report = operations.get_editable_report(report_id)
    form = NewSectionForm()
    back = url_for("reports.edit", report_id=report.id) + "#bagian"
    if not form.validate_on_submit():
        flash(_("Isi judul bagian baru (paling panjang 300 karakter)."), "error")
        return redirect(back)
    return run_action(lambda: operations.add_section(report, form.title.data),
                      _("Bagian ditambahkan."), back)


@bp.route("/laporan/<int:report_id>/bagian/urutan", methods=["POST"])
@login_required
def order_sections(report_id: int):
    report = operations.get_editable_report(report_id)
    form = OrderForm()
    require_valid(form)
    return run_action(lambda: operations.reorder_sections(report, ids(form.order.data)),
                      _("Urutan bagian disimpan."), url_for("reports.edit", report_id=report.id) + "#bagian")


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/geser", methods=["POST"])
@login_required
def move_section(report_id: int, section_id: int):
    report, sec = editable_section(report_id, section_id)
    require_valid(ActionForm())
    return run_action(lambda: operations.move_section(sec, offset()), _("Urutan bagian diubah."),
                      url_for("reports.edit", report_id=report.id) + f"#bagian-{sec.id}")


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/hapus", methods=["POST"])
@login_required
def delete_section(report_id: int, section_id: int):
    report, sec = editable_section(report_id, section_id)
    require_valid(ActionForm())
    return run_action(lambda: operations.delete_section(sec), _("Bagian dihapus."),
                      url_for("reports.edit", report_id=report.id) + "#bagian")


# --- items -----------------------------------------------------------------



@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri", methods=["POST"])
@login_required
def add_item(report_id: int, section_id: int):
    report, sec = editable_section(report_id, section_id)
    form = AddItemForm()
    require_valid(form)
    try:
        entry_id = int(form.entry_id.data)
    except (TypeError, ValueError):
        raise Refused(_("Entri yang dipilih tidak sah."), 400) from None
    return run_action(lambda: operations.add_item(sec, entry_id), _("Entri ditambahkan ke bagian."),
                      section_url(report, sec.id, "#pilihan"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/urutan", methods=["POST"])
@login_required
def order_items(report_id: int, section_id: int):
    report, sec = editable_section(report_id, section_id)
    form = OrderForm()
    require_valid(form)
    return run_action(lambda: operations.reorder_items(sec, ids(form.order.data)),
                      _("Urutan entri disimpan."), section_url(report, sec.id, "#pilihan"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/<int:item_id>",
          methods=["POST"])
@login_required
def update_item(report_id: int, section_id: int, item_id: int):
    report, sec, item = editable_item(report_id, section_id, item_id)
    form = ItemForm(prefix=f"item{item.id}")
    require_valid(form)
    return run_action(lambda: operations.update_item(
        item, form.caption.data, form.notes.data,
        form.excerpt.data if item.entry.kind == "paper" else None),
                      _("Keterangan disimpan."), section_url(report, sec.id, f"#item-{item.id}"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/<int:item_id>/geser",
          methods=["POST"])
@login_required
def move_item(report_id: int, section_id: int, item_id: int):
    report, sec, item = editable_item(report_id, section_id, item_id)
    require_valid(ActionForm())
    return run_action(lambda: operations.move_item(item, offset()), _("Urutan entri diubah."),
                      section_url(report, sec.id, f"#item-{item.id}"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/<int:item_id>/hapus",
          methods=["POST"])
@login_required
def remove_item(report_id: int, section_id: int, item_id: int):
    report, sec, item = editable_item(report_id, section_id, item_id)
    require_valid(ActionForm())
    return run_action(lambda: operations.remove_item(item), _("Entri dikeluarkan dari bagian."),
                      section_url(report, sec.id, "#pilihan"))
