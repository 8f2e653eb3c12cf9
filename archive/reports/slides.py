"""The slide deck of a report or of a trip compilation, as plain data.

The browser slides, the PDF and the offline bundle all render the same
:class:`Deck`, so what a camat presents, prints and hands out never differs.
Who may see what is decided here once: a visitor's deck holds published
entries only; the author and admins see their drafts too.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Optional

from flask_babel import format_datetime, format_decimal
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import AnonymousUserMixin

from ..entries.visibility import as_viewer
from ..main.helpers import criterion_label
from ..ingest.previews import can_preview
from ..models import Entry
from .markdown import markdown_to_text
from .models import RECOMMENDATION_STATUSES, Recommendation, Report
from ..core.bilingual import text_in_language
from ..core.labels import status_label

if TYPE_CHECKING:
    from .compilation import Compilation, Coverage

#: how much of a paper's opening text a slide shows when the camat chose no passage
EXCERPT_CHARS = 280


@dataclass
class Slide:
    """One slide; which fields are filled depends on ``kind``.

    kinds: cover, section, photo, paper, map, recommendation, closing (a report);
    topic, findings, coverage (a trip compilation also uses cover,
    recommendation and closing).
    """

    kind: str
    title: str
    subtitle: str = ""
    #: Markdown source (narrative, opening, closing), rendered safely where shown
    markdown: str = ""
    entry: Optional[Entry] = None
    caption: str = ""
    place: str = ""
    taken_at: str = ""
    excerpt: str = ""
    page_count: Optional[int] = None
    #: a paper whose first page can be shown as a picture (not locked)
    preview: bool = False
    #: (label, value) lines: the score record on a cover, a card's fields
    facts: list[tuple[str, str]] = field(default_factory=list)
    #: small pictures on the slide (a card's linked photos, a camat's findings)
    photos: list[Entry] = field(default_factory=list)
    notes: str = ""
    #: a status keyword for styling (a card's status, a cover's zone)
    badge: str = ""
    badge_label: str = ""
    coverage: Optional["Coverage"] = None
    #: a map slide's pins: {"lat", "lon", "title", "place"}
    points: list[dict] = field(default_factory=list)


@dataclass
class Deck:
    title: str
    subtitle: str
    slides: list[Slide]

    @property
    def has_map(self) -> bool:
        return any(slide.kind == "map" for slide in self.slides)

    @property
    def picture_entries(self) -> list[Entry]:
        """Every picture the deck shows (photos, papers' first pages), once each, in order of first use."""
        seen: dict[int, Entry] = {}
        for slide in self.slides:
            pictures = slide.photos + ([slide.entry] if slide.entry and (
                slide.entry.kind == "photo" or slide.preview) else [])
            for entry in pictures:
                seen.setdefault(entry.id, entry)
        return list(seen.values())


# --- formatting --------------------------------------------------------------

def score_facts(record) -> list[tuple[str, str]]:
    if record is None:
        return []
    facts = [(_("Nilai"), format_decimal(record.total, format="#,##0.00"))]
    if record.rank:
        facts.append((_("Peringkat"), str(record.rank)))
    if record.zone:
        facts.append((_("Zona"), record.zone_label))
    facts.append((_("Periode penilaian"), record.period))
    # The criteria the city published for this record; unknown ones are left out.
    facts += [(criterion_label(criterion), format_decimal(value, format="#,##0.00"))
              for criterion, value in record.criteria_values() if value is not None]
    return facts


def format_taken_at(value: Optional[datetime]) -> str:
    return format_datetime(value, "d MMMM yyyy, HH:mm") if value else ""


def paper_excerpt(entry: Entry, limit: int = EXCERPT_CHARS) -> str:
    if not entry.file.text_available:
        return ""
    text = " ".join(entry.file.full_text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"


# --- slides ------------------------------------------------------------------

def entry_slide(entry: Entry, caption: str = "", notes: str = "", excerpt: str = "") -> Slide:
    """A photo slide (large image) or a paper slide (first page, title, the passage
    the camat chose or else the paper's opening lines)."""
    if entry.kind == "paper":
        return Slide(
            kind="paper", title=entry.title, caption=caption or entry.description,
            excerpt=excerpt.strip() or paper_excerpt(entry), page_count=entry.file.page_count,
            place=entry.place_name, entry=entry, notes=notes, preview=can_preview(entry.file),
        )
    return Slide(
        kind="photo", title=entry.title, caption=caption or entry.description,
        place=entry.place_name, entry=entry, notes=notes,
        taken_at=format_taken_at(entry.taken_at or entry.file.exif_taken_at),
    )


def map_slide(entries: list[Entry]) -> Slide:
    """Where the report's photos were taken: a pin each with its place name (from the
    GPS where known, else the typed place); the list of places doubles as the PDF page."""
    from ..places.stored import stored_place

    points = []
    for entry in dict.fromkeys(entries):
        derived = stored_place(entry)
        place = derived.label if derived is not None else (entry.place_name or "")
        points.append({"lat": entry.latitude, "lon": entry.longitude, "title": entry.title,
                       "place": place or entry.title})
    listing = "\n".join(f"- {p['title']}" + (f" · {p['place']}" if p["place"] != p["title"] else "")
                         for p in points)
    return Slide(kind="map", title=_("Peta temuan"), markdown=listing, points=points,
                 caption=ngettext("%(num)s tempat", "%(num)s tempat", len(points)))


def recommendation_slide(card: Recommendation, user=None, with_author: bool = False) -> Slide:
    facts = [
        (_("Praktik di Seoul"), markdown_to_text(card.practice)),
        (_("Masalah di Bandung"), markdown_to_text(card.problem)),
        (_("Lokasi penerapan"), card.kecamatan.name if card.kecamatan else _("Seluruh kota")),
        (_("Pelaksana"), card.executor),
        (_("Biaya atau upaya"), card.cost_effort),
        (_("Status"), status_label(card.status)),
    ]
    if card.status_note:
        facts.append((_("Catatan status"), card.status_note))
    if with_author:
        facts.insert(0, (_("Diusulkan oleh"), card.report.camat.name))
    return Slide(
        kind="recommendation", title=card.title,
        subtitle=card.topic.name_id if card.topic else "",
        facts=[(label, value) for label, value in facts if value],
        photos=[e for e in card.entries if e.kind == "photo" and as_viewer(user).can_see(e)][:3],
        badge=card.status if card.status in RECOMMENDATION_STATUSES else "",
        badge_label=status_label(card.status),
    )


def report_deck(report: Report, user=None) -> Deck:
    """Cover, opening, one slide per section and per chosen entry, cards, closing."""
    camat = report.camat
    trip = report.trip
    record = report.score_record()
    subtitle = _("%(camat)s, Kecamatan %(kecamatan)s", camat=camat.name,
                 kecamatan=camat.kecamatan.name)
    slides = [Slide(
        kind="cover", title=text_in_language(report, "title"), subtitle=subtitle,
        markdown=report.opening,
        facts=[(_("Kunjungan"),
                f"{text_in_language(trip, 'title')} ({trip.host_city}, {trip.year})"),
               *score_facts(record)],
        badge=(record.zone or "") if record else "",
    )]
    for section in report.sections:
        items = [item for item in section.items if as_viewer(user).can_see(item.entry)]
        if not items and not section.narrative.strip():
            continue  # an untouched default section is not worth a slide or a PDF page
        topic_name = section.topic.name_id if section.topic else ""
        slides.append(Slide(
            kind="section", title=section.title,
            subtitle=topic_name if topic_name != section.title else "",
            markdown=section.narrative, notes=section.notes,
        ))
        slides.extend(entry_slide(item.entry, item.caption, item.notes, item.excerpt)
                      for item in items)
    shown = [s.entry for s in slides if s.entry is not None and s.entry.has_position]
    if shown:
        slides.append(map_slide(shown))
    for card in report.recommendations:
        slides.append(recommendation_slide(card, user))
    slides.append(Slide(kind="closing", title=_("Kesimpulan"), subtitle=subtitle,
                        markdown=report.closing))
    return Deck(title=text_in_language(report, "title"), subtitle=subtitle, slides=slides)


def compilation_deck(compilation: "Compilation") -> Deck:
    """The trip compilation: per topic, each camat's findings; the coverage; all cards."""
    trip = compilation.trip
    title = _("Laporan gabungan: %(trip)s", trip=text_in_language(trip, "title"))
    subtitle = f"{trip.program} · {trip.host_city}, {trip.year}".strip(" ·")
    slides = [Slide(kind="cover", title=title, subtitle=subtitle, markdown=text_in_language(trip, "description"),
                    facts=[(_("Camat peserta"), str(len(compilation.camats)))])]
    slides.append(Slide(kind="coverage", title=_("Cakupan dokumentasi"),
                        subtitle=_("Foto dan paper yang sudah diterbitkan, per camat dan topik"),
                        coverage=compilation.coverage))
    for block in compilation.topics:
        with_material = [f for f in block.findings if f.has_material]
        slides.append(Slide(
            kind="topic", title=block.topic.name_id, subtitle=block.topic.name_en,
            markdown=text_in_language(block.topic, "description"),
            caption=_("%(count)s camat sudah menerbitkan temuan untuk topik ini.",
                      count=len(with_material)) if with_material
            else _("Belum ada temuan yang diterbitkan untuk topik ini."),
        ))
        for finding in with_material:
            slides.append(Slide(
                kind="findings", title=finding.camat.name,
                subtitle=_("Kecamatan %(name)s", name=finding.camat.kecamatan.name),
                markdown="\n\n".join(s.narrative for s in finding.sections if s.narrative),
                photos=[e for e in finding.entries if e.kind == "photo"][:4],
                facts=[(_("Foto"), str(finding.photo_count)),
                       (_("Paper"), str(finding.paper_count))],
            ))
    for card in compilation.recommendations:
        # The compilation is public material: linked photos as a visitor sees them.
        slides.append(recommendation_slide(card, AnonymousUserMixin(), with_author=True))
    slides.append(Slide(kind="closing", title=_("Terima kasih"), subtitle=subtitle))
    return Deck(title=title, subtitle=subtitle, slides=slides)
