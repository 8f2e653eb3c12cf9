"""Report tables: a camat's report for a trip, its sections, the entries chosen
for each section, and recommendation cards for Bandung."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..core.time import utcnow
from ..districts.models import Camat, Kecamatan
from ..entries.models import Entry, Topic
from ..trips.models import Trip

REPORT_STATUSES = ("draft", "published")
RECOMMENDATION_STATUSES = ("proposed", "piloting", "adopted", "rejected")


class Report(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(ForeignKey("trip.id"), index=True)
    camat_id: Mapped[int] = mapped_column(ForeignKey("camat.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the title in English (core/bilingual.py)
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Markdown, rendered safely
    opening: Mapped[str] = mapped_column(Text, default="")
    #: Markdown: conclusions
    closing: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("trip_id", "camat_id"),)

    trip: Mapped[Trip] = relationship()
    camat: Mapped[Camat] = relationship()
    sections: Mapped[list["ReportSection"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReportSection.position"
    )
    recommendations: Mapped[list["Recommendation"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="Recommendation.position"
    )

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    def score_record(self):
        return self.camat.score_record(self.trip.score_period)


class ReportSection(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(300))
    #: the assignment topic the section covers, if any
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"))
    #: Markdown
    narrative: Mapped[str] = mapped_column(Text, default="")
    #: speaker notes for the section's opening slide
    notes: Mapped[str] = mapped_column(Text, default="")

    report: Mapped[Report] = relationship(back_populates="sections")
    topic: Mapped[Optional[Topic]] = relationship()
    items: Mapped[list["ReportItem"]] = relationship(
        back_populates="section", cascade="all, delete-orphan", order_by="ReportItem.position"
    )


class ReportItem(db.Model):
    """An entry chosen for a section, in the order the camat sets, with its caption."""

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("report_section.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    #: characters in a chosen passage: a quotation on a slide, not the paper
    EXCERPT_MAX = 1500

    #: for a paper: the passage the camat chose for its slide (else a short opening is shown)
    excerpt: Mapped[str] = mapped_column(Text, default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    section: Mapped[ReportSection] = relationship(back_populates="items")
    entry: Mapped[Entry] = relationship()


recommendation_entries = Table(
    "recommendation_entry",
    db.Model.metadata,
    Column("recommendation_id", Integer, ForeignKey("recommendation.id", ondelete="CASCADE"),
           primary_key=True),
    Column("entry_id", Integer, ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True),
)


class Recommendation(db.Model):
    """A recommendation card: a Seoul practice and what it would do for Bandung."""

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the practice seen in Seoul
    practice: Mapped[str] = mapped_column(Text, default="")
    #: the problem it would solve in Bandung
    problem: Mapped[str] = mapped_column(Text, default="")
    #: where it could be applied: one kecamatan, or city-wide when empty
    kecamatan_id: Mapped[Optional[int]] = mapped_column(ForeignKey("kecamatan.id"))
    #: who would carry it out (dinas or office)
    executor: Mapped[str] = mapped_column(String(300), default="")
    #: rough cost or effort, free text ("rendah", "Rp 500 juta", ...)
    cost_effort: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default="proposed", index=True)
    status_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    report: Mapped[Report] = relationship(back_populates="recommendations")
    topic: Mapped[Optional[Topic]] = relationship()
    kecamatan: Mapped[Optional[Kecamatan]] = relationship()
    entries: Mapped[list[Entry]] = relationship(secondary=recommendation_entries)

    @property
    def is_city_wide(self) -> bool:
        return self.kecamatan_id is None
