"""Study visits: who went where, when, and on which score period."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..core.time import utcnow
from ..districts.models import Camat


class Trip(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    #: the title in English (empty: not yet translated; pages fall back to ``title``)
    title_en: Mapped[str] = mapped_column(String(300), default="", server_default="")
    program: Mapped[str] = mapped_column(String(300), default="")
    origin_city: Mapped[str] = mapped_column(String(120), default="Bandung")
    host_city: Mapped[str] = mapped_column(String(120))
    host_country: Mapped[str] = mapped_column(String(120), default="")
    year: Mapped[int]
    #: exact dates when known; the 2018 article gives only "July, five working days"
    start_date: Mapped[Optional[date]]
    end_date: Mapped[Optional[date]]
    #: the score period whose results earned the trip, e.g. "2018"
    score_period: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(default="")
    #: the description in English (core/bilingual.py)
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    participants: Mapped[list["TripParticipant"]] = relationship(
        back_populates="trip", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Trip {self.slug}>"


class TripParticipant(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(ForeignKey("trip.id", ondelete="CASCADE"), index=True)
    camat_id: Mapped[int] = mapped_column(ForeignKey("camat.id"), index=True)
    #: the score period and rank that earned the place (the award); empty when added by hand
    award_period: Mapped[Optional[str]] = mapped_column(String(32))
    award_rank: Mapped[Optional[int]]

    __table_args__ = (UniqueConstraint("trip_id", "camat_id"),)

    trip: Mapped[Trip] = relationship(back_populates="participants")
    camat: Mapped[Camat] = relationship()
