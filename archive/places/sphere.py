"""Points on the unit sphere: a straight-line nearest neighbour there is the
great-circle nearest neighbour (the gazetteer's dong centroids, the world's towns)."""
from __future__ import annotations

import math


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """The point on the unit sphere at ``lat``, ``lon`` (degrees)."""
    la, lo = math.radians(lat), math.radians(lon)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def chord_to_km(chord: float) -> float:
    return 2 * math.asin(min(1.0, chord / 2)) * 6371.0088
