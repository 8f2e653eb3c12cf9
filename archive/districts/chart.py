"""A kecamatan's history as a small server-rendered SVG line chart: no script, and
readable on a phone (the SVG scales to its box)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .models import ScoreRecord

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 24, 20, 36


@dataclass
class Point:
    x: float
    y: Optional[float]
    label: str
    total: Optional[float]
    rank: Optional[int]
    zone: Optional[str]


@dataclass
class Chart:
    width: int
    height: int
    points: list[Point]
    #: (y, value) of the horizontal grid lines
    grid: list[tuple[float, float]]
    path: str


def history_chart(records: list[ScoreRecord]) -> Chart:
    totals = [r.total for r in records if r.total is not None]
    low = min(totals, default=0.0)
    high = max(totals, default=100.0)
    # a band of at least ten points around the values, so that 87 and 89 do not look far apart
    floor = max(0.0, min(low - 2, high - 10)) // 5 * 5
    ceiling = min(100.0, max(high + 2, floor + 10))
    span = (ceiling - floor) or 1.0
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = inner_w / max(len(records) - 1, 1)

    def y_of(value: float) -> float:
        return round(TOP + inner_h * (1 - (value - floor) / span), 1)

    points = []
    for i, record in enumerate(records):
        x = round(LEFT + (step * i if len(records) > 1 else inner_w / 2), 1)
        y = y_of(record.total) if record.total is not None else None
        points.append(Point(x, y, record.period, record.total, record.rank, record.zone))
    known = [p for p in points if p.y is not None]
    path = " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(known))
    grid = [(y_of(floor + span * k / 4), floor + span * k / 4) for k in range(5)]
    return Chart(WIDTH, HEIGHT, points, grid, path)
