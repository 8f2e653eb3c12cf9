"""The gazetteer the project ships (``data/``): Seoul's landmarks of the visit's
topics, Seoul's 25 gu, and the points that decide a gu.

A gu is decided by the nearest of 467 dong (neighbourhood) centroids, each
labelled with its gu: no polygon data with a clear licence was found on PyPI
or npm. Measured against the gu boundary polygons on a 5,149-point grid over
Seoul, this gives the right gu for 91% of points (the 25 gu centroids alone:
79%); the misses lie near a gu border. A landmark that lies in one gu names it
and wins over the centroids.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .sphere import chord_to_km, unit_vector

#: a point farther than this from every dong centroid is not in Seoul
#: (inside Seoul the farthest point is 3.0 km from its nearest centroid)
SEOUL_REACH_KM = 3.1


@dataclass(frozen=True)
class Gu:
    code: str
    name: str
    name_ko: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Landmark:
    key: str
    name: str
    name_ko: str
    gu_code: str
    radius_m: float
    #: one point, or several along a line (a stream, a walkway)
    points: tuple[tuple[float, float], ...]
    source: str
    licence: str


def _rows(name: str) -> list[dict]:
    with resources.files(__package__).joinpath("data").joinpath(name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@lru_cache(maxsize=1)
def seoul_gu() -> dict[str, Gu]:
    return {r["code"]: Gu(r["code"], r["name"], r["name_ko"], float(r["latitude"]),
                          float(r["longitude"])) for r in _rows("seoul_gu.csv")}


@lru_cache(maxsize=1)
def landmarks() -> tuple[Landmark, ...]:
    out = []
    for r in _rows("landmarks.csv"):
        points = tuple(tuple(float(v) for v in p.split()) for p in r["points"].split(";"))
        out.append(Landmark(r["key"], r["name"], r["name_ko"], r["gu_code"],
                            float(r["radius_m"]), points, r["source"], r["licence"]))
    return tuple(out)


@lru_cache(maxsize=1)
def _dong_points() -> tuple[tuple[tuple[float, float, float], str], ...]:
    """Each dong centroid on the unit sphere, with its gu."""
    return tuple((unit_vector(float(r["latitude"]), float(r["longitude"])), r["gu_code"])
                 for r in _rows("seoul_dong.csv"))


def gu_at(lat: float, lon: float) -> Gu | None:
    """The Seoul gu of a point, or None outside Seoul."""
    point = unit_vector(lat, lon)
    chord, code = min((math.dist(vector, point), code) for vector, code in _dong_points())
    if chord_to_km(chord) > SEOUL_REACH_KM:
        return None
    return seoul_gu()[code]


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(a)))


def landmark_at(lat: float, lon: float) -> Landmark | None:
    """The landmark whose radius the point lies in; the nearest one if several."""
    best, best_distance = None, math.inf
    for landmark in landmarks():
        d = min(distance_m(lat, lon, plat, plon) for plat, plon in landmark.points)
        if d <= landmark.radius_m and d < best_distance:
            best, best_distance = landmark, d
    return best
