"""Kecamatan, their camat, and the score records of the city's evaluation (SIP)."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.labels import zone_label
from ..extensions import db
from ..core.time import utcnow

if TYPE_CHECKING:
    from .user import User

ZONES = ("green", "yellow", "red")


class Kecamatan(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: the city the kecamatan belongs to, so other cities' districts can come later
    city: Mapped[str] = mapped_column(String(120), default="Bandung")

    __table_args__ = (UniqueConstraint("city", "name"),)

    camat: Mapped[list["Camat"]] = relationship(back_populates="kecamatan")
    score_records: Mapped[list["ScoreRecord"]] = relationship(
        back_populates="kecamatan", order_by="ScoreRecord.period.desc()"
    )

    def __repr__(self) -> str:
        return f"<Kecamatan {self.name}>"


class Camat(db.Model):
    """A person who leads a kecamatan; may have a login (``user``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    user_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), unique=True
    )
    bio: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="camat")
    user: Mapped[Optional["User"]] = relationship(back_populates="camat")

    def score_record(self, period: str) -> Optional["ScoreRecord"]:
        """The score record of this camat's kecamatan for ``period``."""
        return db.session.scalar(
            select(ScoreRecord).where(
                ScoreRecord.kecamatan_id == self.kecamatan_id, ScoreRecord.period == period
            )
        )

    def __repr__(self) -> str:
        return f"<Camat {self.name}>"


class ScoreRecord(db.Model):
    """A kecamatan's performance score for one period (Sistem Informasi Penilaian)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    #: the evaluation period, e.g. "2018"
    period: Mapped[str] = mapped_column(String(32))
    total: Mapped[float] = mapped_column(Numeric(5, 2, asdecimal=False))
    #: rank among the city's kecamatan in this period (1 = best)
    rank: Mapped[Optional[int]]
    #: "green", "yellow" or "red"
    zone: Mapped[Optional[str]] = mapped_column(String(16))
    # The four criteria named by the city's government section; optional
    # because the published figures give only the totals.
    public_service: Mapped[Optional[float]] = mapped_column(Numeric(5, 2, asdecimal=False))
    general_government: Mapped[Optional[float]] = mapped_column(Numeric(5, 2, asdecimal=False))
    environment: Mapped[Optional[float]] = mapped_column(Numeric(5, 2, asdecimal=False))
    innovation_happiness: Mapped[Optional[float]] = mapped_column(Numeric(5, 2, asdecimal=False))
    source: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("kecamatan_id", "period"),)

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="score_records")

    CRITERIA = (
        ("public_service", "Kualitas pelayanan publik", "Quality of public service"),
        ("general_government", "Kinerja penyelenggaraan tugas umum pemerintahan",
         "Performance of general government tasks"),
        ("environment", "Ketertiban, kebersihan dan keindahan lingkungan",
         "Order, cleanliness and beauty of the environment"),
        ("innovation_happiness", "Inovasi, kreativitas dan indeks kebahagiaan",
         "Innovation, creativity and the happiness index"),
    )

    @property
    def zone_label(self) -> str:
        """The zone in the page's language (hijau / green ...)."""
        return zone_label(self.zone)

    def __repr__(self) -> str:
        return f"<ScoreRecord {self.kecamatan_id} {self.period} {self.total}>"
