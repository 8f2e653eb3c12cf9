"""Kecamatan, their camat, and the city's evaluation (SIP): scoring periods with
their criteria and zone thresholds, and each kecamatan's score record per period."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Optional

from sqlalchemy import ForeignKey, Numeric, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.labels import zone_label
from ..core.time import utcnow
from ..extensions import db

if TYPE_CHECKING:
    from ..auth.models import User

ZONES = ("green", "yellow", "red")
PERIOD_STATUSES = ("draft", "published")
#: scores are on 0-100 unless a criterion's maximum says otherwise
SCORE_MAX = 100.0
Score = Numeric(5, 2, asdecimal=False)


class Kecamatan(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    #: the city the kecamatan belongs to, so other cities' districts can come later
    city: Mapped[str] = mapped_column(String(120), default="Bandung")

    __table_args__ = (UniqueConstraint("city", "name"),)

    camat: Mapped[list["Camat"]] = relationship(back_populates="kecamatan")
    #: newest period first
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
        """The score record of this camat's kecamatan for the period coded ``period``."""
        return db.session.scalar(
            select(ScoreRecord).where(
                ScoreRecord.kecamatan_id == self.kecamatan_id, ScoreRecord.period == period
            )
        )

    def __repr__(self) -> str:
        return f"<Camat {self.name}>"


class ScorePeriod(db.Model):
    """One round of the city's evaluation, with its own criteria and zone thresholds.

    Every figure the city has not published stays empty (None): the pages say so.
    """

    __tablename__ = "score_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: the short name used in addresses, files and trips, e.g. "2018"
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[Optional[date]]
    end_date: Mapped[Optional[date]]
    #: "draft" (admins only) or "published" (everyone)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    #: a total at or above green_min is green, at or above yellow_min yellow, below it red
    green_min: Mapped[Optional[float]] = mapped_column(Score)
    yellow_min: Mapped[Optional[float]] = mapped_column(Score)
    #: the zone counts the city published for the whole period (2018: 27 green, 3 yellow)
    published_green: Mapped[Optional[int]]
    published_yellow: Mapped[Optional[int]]
    published_red: Mapped[Optional[int]]
    source: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    criteria: Mapped[list["ScoreCriterion"]] = relationship(
        back_populates="period", order_by="ScoreCriterion.position",
        cascade="all, delete-orphan")

    @property
    def published(self) -> bool:
        return self.status == "published"

    @property
    def has_thresholds(self) -> bool:
        return self.green_min is not None and self.yellow_min is not None

    @property
    def weights_known(self) -> bool:
        """A total can be computed only when every criterion has a weight."""
        return bool(self.criteria) and all(c.weight is not None for c in self.criteria) \
            and sum(c.weight for c in self.criteria) > 0

    @property
    def published_distribution(self) -> Optional[dict[str, int]]:
        counts = {"green": self.published_green, "yellow": self.published_yellow,
                  "red": self.published_red}
        if all(v is None for v in counts.values()):
            return None
        return {zone: n or 0 for zone, n in counts.items()}

    def __repr__(self) -> str:
        return f"<ScorePeriod {self.code}>"


class ScoreCriterion(db.Model):
    """A criterion of a period: its names, and a weight and maximum once the city gives them."""

    __tablename__ = "score_criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(
        ForeignKey("score_period.id", ondelete="CASCADE"), index=True)
    #: the column name in import and export files, e.g. "public_service"
    key: Mapped[str] = mapped_column(String(64))
    name_id: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    weight: Mapped[Optional[float]] = mapped_column(Numeric(6, 3, asdecimal=False))
    maximum: Mapped[Optional[float]] = mapped_column(Score)
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (UniqueConstraint("period_id", "key"),)

    period: Mapped[ScorePeriod] = relationship(back_populates="criteria")

    @property
    def upper(self) -> float:
        """The highest value a sub-score may have."""
        return self.maximum if self.maximum is not None else SCORE_MAX


class ScoreRecord(db.Model):
    """A kecamatan's result for one period (Sistem Informasi Penilaian)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kecamatan_id: Mapped[int] = mapped_column(ForeignKey("kecamatan.id"), index=True)
    #: the period's code ("2018"); trips name their period by the same code
    period: Mapped[str] = mapped_column(
        ForeignKey("score_period.code", onupdate="CASCADE"), index=True)
    #: computed from the weighted sub-scores when all are there, else as entered
    total: Mapped[Optional[float]] = mapped_column(Score)
    total_entered: Mapped[bool] = mapped_column(default=True)
    #: computed within the period from the totals, ties shared (1, 2, 2, 4);
    #: as entered only where the total is not known
    rank: Mapped[Optional[int]]
    #: "green", "yellow" or "red": from the thresholds, or as the city published it
    zone: Mapped[Optional[str]] = mapped_column(String(16))
    zone_entered: Mapped[bool] = mapped_column(default=True)
    source: Mapped[str] = mapped_column(default="")
    #: how the report was verified (online, in the field), in the city's words
    verification_note: Mapped[str] = mapped_column(default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __table_args__ = (UniqueConstraint("kecamatan_id", "period"),)

    kecamatan: Mapped[Kecamatan] = relationship(back_populates="score_records")
    scoring_period: Mapped[ScorePeriod] = relationship(
        primaryjoin="ScoreRecord.period == ScorePeriod.code", foreign_keys=[period],
        viewonly=True)
    sub_scores: Mapped[list["SubScore"]] = relationship(
        back_populates="record", cascade="all, delete-orphan")

    @property
    def zone_label(self) -> str:
        """The zone in the page's language (hijau / green ...)."""
        return zone_label(self.zone)

    def values(self) -> dict[str, Optional[float]]:
        """{criterion key: sub-score or None}, for every criterion of the period, in order."""
        by_id = {s.criterion_id: s.value for s in self.sub_scores}
        return {c.key: by_id.get(c.id) for c in self.scoring_period.criteria}

    def criteria_values(self) -> list[tuple["ScoreCriterion", Optional[float]]]:
        by_id = {s.criterion_id: s.value for s in self.sub_scores}
        return [(c, by_id.get(c.id)) for c in self.scoring_period.criteria]

    def __repr__(self) -> str:
        return f"<ScoreRecord {self.kecamatan_id} {self.period} {self.total}>"


class SubScore(db.Model):
    """A record's value on one criterion of its period."""

    __tablename__ = "sub_score"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(
        ForeignKey("score_record.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("score_criterion.id", ondelete="CASCADE"), index=True)
    value: Mapped[float] = mapped_column(Score)

    __table_args__ = (UniqueConstraint("record_id", "criterion_id"),)

    record: Mapped[ScoreRecord] = relationship(back_populates="sub_scores")
    criterion: Mapped[ScoreCriterion] = relationship()
