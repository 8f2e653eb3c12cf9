"""A report section's page: its fields, the entries chosen for it (reordered by
drag or by the up/down buttons) and the photo picker, which finds the author's
entries of the trip by text, topic, place and dates and adds the ticked ones
in one POST, each with a caption proposed from its title and description."""
from __future__ import annotations

from datetime import date

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ...core.pages import submit_form
from .. import operations
from ..forms import ActionForm, ItemForm, SectionForm
from .common import bp, editable_section, ids, require_valid, run_action, section_url, topic_choices


def _date_arg(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def picker_filter(section) -> operations.PickerFilter:
    """The picker's search from the query string; the section's topic unless another
    (or all: ``topik=``, or the older ``semua=1``) is asked for."""
    raw_topic = request.args.get("topik")
    if raw_topic is None:
        topic_id = None if request.args.get("semua") == "1" else section.topic_id
    else:
        topic_id = int(raw_topic) if raw_topic.isascii() and raw_topic.isdigit() and len(
            raw_topic) < 10 else None
    return operations.PickerFilter(
        text=request.args.get("q", "")[:200], topic_id=topic_id,
        place=request.args.get("tempat", "")[:200],
        date_from=_date_arg("dari"), date_to=_date_arg("sampai"))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>", methods=["GET", "POST"])
@login_required
def section(report_id: int, section_id: int):
    report, sec = editable_section(report_id, section_id)
    form = SectionForm(obj=sec)
    form.topic_id.choices = topic_choices()

    def save() -> str:
        operations.update_section(sec, operations.SectionChanges(
            title=form.title.data, narrative=form.narrative.data, notes=form.notes.data,
            topic_id=form.topic_id.data, clear_topic=form.topic_id.data is None,
        ))
        return _("Bagian disimpan.")

    def render(status: int):
        wanted = picker_filter(sec)
        candidates, total = operations.find_candidates(report, wanted)
        item_forms = {item.id: ItemForm(formdata=None, obj=item, prefix=f"item{item.id}")
                      for item in sec.items}
        return render_template(
            "reports/section.html", report=report, section=sec, form=form, action=ActionForm(),
            candidates=candidates, total=total, wanted=wanted,
            chosen={item.entry_id for item in sec.items}, item_forms=item_forms,
            topics=[(value, label) for value, label in topic_choices() if value],
            back=request.full_path.rstrip("?"),
        ), status

    return submit_form(form, save, render,
                       url_for("reports.section", report_id=report.id, section_id=sec.id))


@bp.route("/laporan/<int:report_id>/bagian/<int:section_id>/entri/pilih", methods=["POST"])
@login_required
def add_items(report_id: int, section_id: int):
    """The ticked entries of the picker, added in one step (all or none)."""
    report, sec = editable_section(report_id, section_id)
    require_valid(ActionForm())
    chosen = ids(",".join(request.form.getlist("entry_ids")))
    return run_action(lambda: operations.add_items(sec, chosen),
                      _("%(n)d entri ditambahkan ke bagian.", n=len(set(chosen))),
                      section_url(report, sec.id, "#pilihan"))
