"""What the report pages share: the blueprint, template helpers, and the small
parsers and form checks of the builder's buttons."""
from __future__ import annotations

from typing import Callable

from flask import (
    Blueprint,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from ...core.pages import act
from ...core.refusal import Refused
from ...extensions import db
from ...main.helpers import topic_label
from ...models import Kecamatan, Topic
from .. import operations
from ..markdown import render_markdown
from ..models import Recommendation, Report, ReportItem, ReportSection

bp = Blueprint("reports", __name__)


@bp.app_template_filter("markdown")
def _markdown_filter(text: str | None):
    return render_markdown(text)


@bp.app_context_processor
def _report_helpers() -> dict:
    return {"report_status_label": operations.status_label}


def viewer():
    return current_user if current_user.is_authenticated else None


def offset() -> int:
    direction = request.form.get("direction", "")
    if direction not in ("up", "down"):
        raise Refused(_("Arah pemindahan harus naik atau turun."), 400)
    return -1 if direction == "up" else 1


def ids(raw: str) -> list[int]:
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        raise Refused(_("Urutan yang dikirim tidak sah."), 400) from None


def run_action(action: Callable[[], object], success: str, back: str):
    """A builder button whose form ``require_valid`` checked: see ``core.pages.act``."""

    def do() -> str:
        action()
        return success

    return act(do, back)


def require_valid(form) -> None:
    if not form.validate_on_submit():
        messages = [m for errors in form.errors.values() for m in errors]
        raise Refused("; ".join(str(m) for m in messages) or _("Formulir tidak sah."), 400)


def topic_choices() -> list[tuple]:
    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.id)).all()
    return [("", _("(tanpa topik)"))] + [(t.id, topic_label(t)) for t in topics]


def kecamatan_choices() -> list[tuple]:
    rows = db.session.scalars(select(Kecamatan).order_by(Kecamatan.name)).all()
    return [("", _("Seluruh kota"))] + [(k.id, k.name) for k in rows]


def section_url(report: Report, section_id: int, anchor: str = "") -> str:
    keep = {"semua": "1"} if request.args.get("semua") == "1" else {}
    return url_for("reports.section", report_id=report.id, section_id=section_id, **keep) + anchor


def editable_section(report_id: int, section_id: int) -> tuple[Report, ReportSection]:
    """The report and its section, if the requester may edit the report (else 404/403)."""
    report = operations.get_editable_report(report_id)
    return report, operations.get_section(report, section_id)


def editable_item(report_id: int, section_id: int,
                  item_id: int) -> tuple[Report, ReportSection, ReportItem]:
    report, section = editable_section(report_id, section_id)
    return report, section, operations.get_item(section, item_id)


def editable_card(report_id: int, rec_id: int) -> tuple[Report, Recommendation]:
    report = operations.get_editable_report(report_id)
    return report, operations.get_recommendation(report, rec_id)
