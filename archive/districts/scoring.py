"""The arithmetic of the evaluation, without the database: a total from weighted
sub-scores, ranks with ties shared, a zone from the thresholds."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Optional

from .models import SCORE_MAX


@dataclass(frozen=True)
class CriterionRule:
    """What computing needs of a criterion: its weight (None: not known) and maximum."""

    key: str
    weight: Optional[float]
    maximum: Optional[float]


def weighted_total(values: Mapping[str, Optional[float]],
                   criteria: Sequence[CriterionRule]) -> Optional[float]:
    """Σ weight × (value / maximum × 100) / Σ weight, rounded to two decimals.

    None unless every criterion has a value and a weight (and the weights add up to
    more than 0): then the total is whatever the city entered.
    """
    if not criteria or any(c.weight is None or values.get(c.key) is None for c in criteria):
        return None
    weights = sum(c.weight for c in criteria)
    if weights <= 0:
        return None
    points = sum(c.weight * values[c.key] / (c.maximum or SCORE_MAX) * SCORE_MAX
                 for c in criteria)
    return round(points / weights + 1e-9, 2)


def shared_ranks(totals: Mapping[int, Optional[float]]) -> dict[int, int]:
    """{id: rank} by total, best first; equal totals share a rank and the next rank
    skips (1, 2, 2, 4). Ids without a total get no rank."""
    known = sorted(((round(t, 2), key) for key, t in totals.items() if t is not None),
                   key=lambda pair: -pair[0])
    ranks: dict[int, int] = {}
    previous: Optional[float] = None
    rank = 0
    for position, (total, key) in enumerate(known, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[key] = rank
    return ranks


def zone_for(total: Optional[float], green_min: Optional[float],
             yellow_min: Optional[float]) -> Optional[str]:
    """green at or above ``green_min``, yellow at or above ``yellow_min``, red below;
    None when the total or a threshold is not known."""
    if total is None or green_min is None or yellow_min is None:
        return None
    if total >= green_min:
        return "green"
    return "yellow" if total >= yellow_min else "red"


def top(ranks: Mapping[int, int], n: int) -> list[int]:
    """The ids whose rank is n or better: a tie at place n brings everyone tied in."""
    return sorted((key for key, rank in ranks.items() if rank <= n), key=lambda k: ranks[k])
