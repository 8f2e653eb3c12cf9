"""A report's sections and the entries chosen for each (items)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...core.refusal import Refused
from ...core.rows import get_row
from ...extensions import db
from ...models import Entry
from ..models import Report, ReportItem, ReportSection
from .captions import propose_caption as default_caption
from .common import (
    clean_text,
    clean_title,
    move_within,
    remove_within,
    renumber,
    reorder_within,
    topic_or_none,
)


def add_section(report: Report, title: str, topic_id: int | None = None) -> ReportSection:
    section = ReportSection(
        title=clean_title(title, _("Judul bagian")), topic=topic_or_none(topic_id),
        narrative="", notes="", position=len(report.sections),
    )
    report.sections.append(section)
    renumber(report.sections)
    db.session.flush()
    return section


@dataclass
class SectionChanges:
    title: str | None = None
    narrative: str | None = None
    notes: str | None = None
    #: the topic to set; ``clear_topic`` removes it
    topic_id: int | None = None
    clear_topic: bool = False


def update_section(section: ReportSection, changes: SectionChanges) -> ReportSection:
    if changes.title is not None:
        section.title = clean_title(changes.title, _("Judul bagian"))
    if changes.narrative is not None:
        section.narrative = clean_text(changes.narrative, _("Narasi"))
    if changes.notes is not None:
        section.notes = clean_text(changes.notes, _("Catatan pembicara"))
    if changes.clear_topic:
        section.topic = None
    elif changes.topic_id is not None:
        section.topic = topic_or_none(changes.topic_id)
    db.session.flush()
    return section


def move_section(section: ReportSection, offset: int) -> None:
    move_within(section.report, "sections", section, offset)


def move_section_to(section: ReportSection, position: int) -> None:
    """Move to an absolute position (0 first): the same dense renumbering as the buttons."""
    report = section.report
    ids = [s.id for s in report.sections if s.id != section.id]
    ids.insert(max(0, min(len(ids), position)), section.id)
    reorder_sections(report, ids)


def reorder_sections(report: Report, section_ids: Sequence[int]) -> None:
    reorder_within(report, "sections", section_ids, _("bagian"))


def delete_section(section: ReportSection) -> None:
    remove_within(section.report, "sections", section)  # its items go with it


# --- items (entries chosen for a section) ---------------------------------

def eligible_entries(report: Report, topic_id: int | None = None) -> list[Entry]:
    """The author's own entries of the report's trip, optionally of one topic."""
    query = (
        select(Entry)
        .where(Entry.camat_id == report.camat_id, Entry.trip_id == report.trip_id)
        .options(selectinload(Entry.topic))
        .order_by(Entry.taken_at.desc().nulls_last(), Entry.id.desc())
    )
    if topic_id is not None:
        query = query.where(Entry.topic_id == topic_id)
    return list(db.session.scalars(query))


def own_entry(report: Report, entry_id: int) -> Entry:
    entry = get_row(Entry, entry_id)
    if entry is None:
        raise Refused(_("Entri %(id)s tidak ditemukan.", id=entry_id), 422)
    if entry.camat_id != report.camat_id or entry.trip_id != report.trip_id:
        raise Refused(
            _("Entri %(id)s bukan milik penulis laporan pada kunjungan ini, sehingga tidak dapat "
              "dipilih.", id=entry_id),
            422,
        )
    return entry


def add_item(section: ReportSection, entry_id: int, caption: str | None = None,
             notes: str = "") -> ReportItem:
    entry = own_entry(section.report, entry_id)
    if any(item.entry_id == entry.id for item in section.items):
        raise Refused(_("Entri ini sudah ada di bagian ini."), 409)
    item = ReportItem(
        entry=entry, caption=clean_text(caption, _("Keterangan")) if caption
        else default_caption(entry),
        notes=clean_text(notes, _("Catatan")), position=len(section.items),
    )
    section.items.append(item)
    renumber(section.items)
    db.session.flush()
    return item


@dataclass
class ItemSpec:
    """One chosen entry as a script sends it: the entry, its caption and notes."""

    entry_id: int
    caption: str | None = None
    notes: str = ""
    #: a paper's passage for its slide; None keeps what the item has
    excerpt: str | None = None


def set_items(section: ReportSection, specs: Sequence[ItemSpec]) -> list[ReportItem]:
    """Replace a section's items with ``specs`` in that order (the API's "set items")."""
    seen: set[int] = set()
    for spec in specs:
        if spec.entry_id in seen:
            raise Refused(_("Entri %(id)s disebut lebih dari sekali.", id=spec.entry_id))
        seen.add(spec.entry_id)
        own_entry(section.report, spec.entry_id)
    existing = {item.entry_id: item for item in section.items}
    items = []
    for spec in specs:
        item = existing.pop(spec.entry_id, None)
        if item is None:
            item = ReportItem(entry=db.session.get(Entry, spec.entry_id))
        item.caption = (clean_text(spec.caption, _("Keterangan")) if spec.caption is not None
                        else (item.caption or default_caption(item.entry)))
        item.notes = clean_text(spec.notes, _("Catatan"))
        if spec.excerpt is not None:
            item.excerpt = clean_excerpt(spec.excerpt)
        items.append(item)
    section.items = items  # items no longer listed are deleted as orphans
    renumber(section.items)
    db.session.flush()
    return section.items


def clean_excerpt(text: str) -> str:
    """A paper's chosen passage: trimmed, at most ``ReportItem.EXCERPT_MAX`` characters."""
    text = (text or "").replace("\x00", "").strip()
    if len(text) > ReportItem.EXCERPT_MAX:
        raise Refused(_("Kutipan paling panjang %(max)d karakter.", max=ReportItem.EXCERPT_MAX),
                      field="excerpt")
    return text


def update_item(item: ReportItem, caption: str | None = None, notes: str | None = None,
                excerpt: str | None = None) -> None:
    if caption is not None:
        item.caption = clean_text(caption, _("Keterangan"))
    if excerpt is not None:
        item.excerpt = clean_excerpt(excerpt)
    if notes is not None:
        item.notes = clean_text(notes, _("Catatan"))
    db.session.flush()


def move_item(item: ReportItem, offset: int) -> None:
    move_within(item.section, "items", item, offset)


def reorder_items(section: ReportSection, item_ids: Sequence[int]) -> None:
    reorder_within(section, "items", item_ids, _("entri"))


def remove_item(item: ReportItem) -> None:
    remove_within(item.section, "items", item)


def draft_items(report: Report) -> list[ReportItem]:
    """Chosen entries still in draft: the builder warns the author about them."""
    return [i for s in report.sections for i in s.items if not i.entry.is_published]
