"""Scoring periods and their criteria: saved with the checks an admin can act on,
then the period's computed figures are brought up to date. Flush only."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...core.refusal import Refused
from ...extensions import db
from ..models import Kecamatan, ScoreCriterion, ScorePeriod, ScoreRecord, SubScore
from .records import recompute_period, zone_conflicts


@dataclass
class CriterionInput:
    """One criterion row of the period form: an empty name removes the criterion."""

    id: Optional[int]
    name_id: str
    name_en: str
    weight: Optional[float]
    maximum: Optional[float]


def criterion_key(name: str) -> str:
    """A column name for files, from the English (or Indonesian) name."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[:64] or "criterion"


def save_period(period: ScorePeriod, criteria: list[CriterionInput]) -> None:
    if db.session.scalar(select(ScorePeriod.id).where(
            ScorePeriod.code == period.code, ScorePeriod.id != (period.id or 0))):
        raise Refused(_("Periode %(code)s sudah ada.", code=period.code), field="code", status=409)
    if period.start_date and period.end_date and period.end_date < period.start_date:
        raise Refused(_("Tanggal selesai tidak boleh sebelum tanggal mulai."), field="end_date")
    if (period.green_min is None) != (period.yellow_min is None):
        raise Refused(_("Isi kedua batas zona (hijau dan kuning), atau biarkan keduanya kosong."),
                      field="yellow_min")
    if period.green_min is not None and period.yellow_min > period.green_min:
        raise Refused(_("Batas kuning tidak boleh di atas batas hijau."), field="yellow_min")
    if period.id is not None and period.green_min is not None:
        with db.session.no_autoflush:
            conflicts = zone_conflicts(period, period.green_min, period.yellow_min)
        if conflicts:
            raise Refused(_("Batas ini mengubah zona yang dipublikasikan kota untuk %(names)s. "
                            "Periksa kembali batasnya.", names=", ".join(conflicts)),
                          field="green_min", status=409)
    db.session.add(period)
    _save_criteria(period, criteria)
    db.session.flush()
    recompute_period(period)


def _save_criteria(period: ScorePeriod, inputs: list[CriterionInput]) -> None:
    current = {c.id: c for c in period.criteria}
    keys: set[str] = set()
    kept: list[ScoreCriterion] = []
    for given in inputs:
        row = current.get(given.id) if given.id else None
        if not given.name_id:
            if row is not None:
                _refuse_if_scored(row)
            continue
        if row is None:
            row = ScoreCriterion(key=criterion_key(given.name_en or given.name_id))
        row.name_id, row.name_en = given.name_id, given.name_en
        row.weight, row.maximum = given.weight, given.maximum
        while row.key in keys:
            row.key = f"{row.key}_{len(keys) + 1}"[:64]
        keys.add(row.key)
        kept.append(row)
    for position, row in enumerate(kept):
        row.position = position
    period.criteria = kept


def _refuse_if_scored(criterion: ScoreCriterion) -> None:
    used = db.session.scalar(select(func.count(SubScore.id))
                             .where(SubScore.criterion_id == criterion.id))
    if used:
        raise Refused(_("Kriteria %(name)s sudah berisi %(count)d nilai, jadi tidak dapat dihapus.",
                        name=criterion.name_id, count=used), field="criteria", status=409)


def delete_period(period: ScorePeriod) -> None:
    records = db.session.scalar(select(func.count(ScoreRecord.id))
                                .where(ScoreRecord.period == period.code))
    if records:
        raise Refused(_("Periode %(code)s masih berisi %(count)d catatan nilai, jadi tidak dapat "
                        "dihapus.", code=period.code, count=records), status=409)
    db.session.delete(period)
    db.session.flush()


def periods(published_only: bool = False) -> list[ScorePeriod]:
    """Newest first."""
    stmt = select(ScorePeriod).order_by(ScorePeriod.code.desc())
    if published_only:
        stmt = stmt.where(ScorePeriod.status == "published")
    return list(db.session.scalars(stmt))


def period_choices(keep: str | None = None) -> list[tuple[str, str]]:
    """(code, label) of every period, newest first, drafts marked; ``keep`` (a code a row
    already holds but no period has, from before periods were rows) stays choosable."""
    choices = [(p.code, (p.name if p.code in p.name else f"{p.code} {p.name}".strip())
                + ("" if p.published else " (" + _("draf") + ")")) for p in periods()]
    if keep and keep not in {code for code, _label in choices}:
        choices.append((keep, keep))
    return choices


def period_by_code(code: str) -> Optional[ScorePeriod]:
    return db.session.scalar(select(ScorePeriod).where(ScorePeriod.code == code))


def record_of(kecamatan: Kecamatan, period: ScorePeriod) -> Optional[ScoreRecord]:
    return db.session.scalar(select(ScoreRecord).where(
        ScoreRecord.kecamatan_id == kecamatan.id, ScoreRecord.period == period.code))
