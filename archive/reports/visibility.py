"""Who may see and change a report: the entries' rule (``entries.visibility``) for reports.

The author (the report's camat) and admins edit a report and see it as a
draft; everyone sees a published one. Inside a report, each chosen entry is
shown only to those who may see that entry, so a published report never
shows a draft photo to a visitor.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from ..entries.visibility import Viewer, as_viewer
from .models import Report, ReportItem, ReportSection


def can_edit_report(who, report: Report) -> bool:
    viewer = as_viewer(who)
    return viewer.is_admin or viewer.owns(report.camat_id)


def can_see_report(who, report: Report) -> bool:
    return report.status == "published" or can_edit_report(who, report)


def report_clause(who) -> ColumnElement[bool]:
    viewer: Viewer = as_viewer(who)
    if viewer.is_admin:
        return true()
    if viewer.camat_id is not None:
        return or_(Report.status == "published", Report.camat_id == viewer.camat_id)
    return Report.status == "published"


def visible_items(section: ReportSection, who) -> list[ReportItem]:
    viewer = as_viewer(who)
    return [item for item in section.items if viewer.can_see(item.entry)]
