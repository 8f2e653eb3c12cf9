"""The photo picker of a report section: find the author's entries of the trip
(text, topic, place, dates), add many at once, and propose each one's caption.

Adding is all or nothing: every chosen entry is checked (the author's own, on
the report's trip, not in the section yet) before any item is written.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Sequence

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from ...core.refusal import Refused
from ...extensions import db
from ...models import Entry
from ..models import Report, ReportItem, ReportSection
from .captions import propose_caption
from .common import renumber
from .sections import own_entry

#: entries the picker lists at once (the rest: narrow the search)
MAX_SHOWN = 120
#: entries one "add" may carry
MAX_ADD = 100


@dataclass
class PickerFilter:
    """What the camat looks for; None or "" means "any"."""

    text: str = ""
    topic_id: int | None = None
    place: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def candidates_query(report: Report, wanted: PickerFilter) -> Select:
    """The author's own entries of the report's trip that match ``wanted``, newest first."""
    query = select(Entry).where(Entry.camat_id == report.camat_id,
                                Entry.trip_id == report.trip_id)
    for word in wanted.text.split()[:8]:
        pattern = _like(word)
        query = query.where(or_(*(func.lower(column).like(pattern, escape="\\") for column in (
            Entry.title, Entry.description, Entry.place_name))))
    if wanted.topic_id is not None:
        query = query.where(Entry.topic_id == wanted.topic_id)
    if wanted.place.strip():
        query = query.where(func.lower(Entry.place_name).like(_like(wanted.place.strip()),
                                                              escape="\\"))
    if wanted.date_from is not None:
        query = query.where(Entry.taken_at >= datetime.combine(wanted.date_from, time.min))
    if wanted.date_to is not None:
        query = query.where(Entry.taken_at < datetime.combine(wanted.date_to + timedelta(days=1),
                                                              time.min))
    return query.order_by(Entry.taken_at.desc().nulls_last(), Entry.id.desc())


def find_candidates(report: Report, wanted: PickerFilter) -> tuple[list[Entry], int]:
    """Up to MAX_SHOWN matching entries, and how many match in all."""
    query = candidates_query(report, wanted)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    shown = db.session.scalars(query.options(selectinload(Entry.topic), selectinload(Entry.file))
                               .limit(MAX_SHOWN)).all()
    return list(shown), total or 0


def add_items(section: ReportSection, entry_ids: Sequence[int]) -> list[ReportItem]:
    """Add every chosen entry, in the order given, with a proposed caption; or none."""
    ids = list(dict.fromkeys(entry_ids))
    if not ids:
        raise Refused(_("Pilih minimal satu entri."), 422, "entry_ids")
    if len(ids) > MAX_ADD:
        raise Refused(_("Paling banyak %(max)d entri sekaligus.", max=MAX_ADD), 422, "entry_ids")
    chosen = {item.entry_id for item in section.items}
    entries = [own_entry(section.report, entry_id) for entry_id in ids]
    already = [str(e.id) for e in entries if e.id in chosen]
    if already:
        raise Refused(_("Entri %(ids)s sudah ada di bagian ini.", ids=", ".join(already)), 409,
                      "entry_ids")
    items = [ReportItem(entry=entry, caption=propose_caption(entry), notes="")
             for entry in entries]
    section.items.extend(items)
    renumber(section.items)
    db.session.flush()
    return items
