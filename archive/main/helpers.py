"""Template helpers shared by every page: number and date formats, labels, safe links.

Numbers follow the page's locale through Flask-Babel (93,56 in Indonesian,
93.56 in English), so one filter decides how a score looks everywhere.
"""
from __future__ import annotations

from datetime import date, datetime

from flask import Flask, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from ..core.labels import kind_label, status_label, zone_label
from ..trips.dates import entry_date_warning

SCORE_FORMAT = "#,##0.00"


def format_score(value: float | None) -> str:
    """A score with two decimals in the page's locale; a dash when unknown."""
    if value is None:
        return "–"
    return format_decimal(value, format=SCORE_FORMAT)


def format_filesize(size: int | None) -> str:
    if size is None:
        return "–"
    if size < 1024:
        return ngettext("%(num)s bita", "%(num)s bita", size)
    if size < 1024 * 1024:
        return _("%(n)s KB", n=format_decimal(size / 1024, format="#,##0.0"))
    return _("%(n)s MB", n=format_decimal(size / (1024 * 1024), format="#,##0.0"))


def format_day(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    return format_date(value, "d MMMM yyyy")


def format_moment(value: datetime | None) -> str:
    if value is None:
        return "–"
    return format_datetime(value, "d MMMM yyyy, HH:mm")


def topic_label(topic) -> str:
    """The topic's name in the page's language."""
    if topic is None:
        return _("Tanpa topik")
    return topic.name_en if str(get_locale()) == "en" else topic.name_id


def criterion_label(criterion) -> str:
    """A criterion of the evaluation in the page's language."""
    if str(get_locale()) == "en" and criterion.name_en:
        return criterion.name_en
    return criterion.name_id


def score_criteria(record) -> list[tuple[str, float | None]]:
    """The criteria of the record's period, named in the page's language, with values."""
    return [(criterion_label(c), value) for c, value in record.criteria_values()]


def url_with(**changes) -> str:
    """The current page's address with some query arguments replaced (pagination, filters)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def preview_url(entry, size: str = "small", page: int | None = None) -> str | None:
    """The image that stands for ``entry``: a photo's thumbnail or a paper's page
    (the first unless ``page``); None for a paper without one (locked), which
    then shows the generic "PDF" box."""
    from ..ingest.previews import can_preview

    if entry.kind == "photo":
        return url_for("entries.thumbnail", entry_id=entry.id, size=size)
    if not can_preview(entry.file):
        return None
    if page and page != 1 and page <= entry.file.page_count:
        return url_for("entries.thumbnail", entry_id=entry.id, size=size, page=page)
    return url_for("entries.thumbnail", entry_id=entry.id, size=size)


def init_app(app: Flask) -> None:
    from ..core import bilingual

    bilingual.init_app(app)
    app.add_template_filter(format_score, "score")
    app.add_template_filter(format_filesize, "filesize")
    app.add_template_filter(format_day, "day")
    app.add_template_filter(format_moment, "moment")
    app.add_template_filter(format_decimal, "decimal")
    app.add_template_global(zone_label)
    app.add_template_global(status_label)
    app.add_template_global(kind_label)
    app.add_template_global(topic_label)
    app.add_template_global(score_criteria)
    app.add_template_global(criterion_label)
    app.add_template_global(url_with)
    app.add_template_global(preview_url)
    app.add_template_global(entry_date_warning)
