"""Pure functions: a place from coordinates, coordinates from a typed place, and
whether the two disagree. No database, no app, no network."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields

from . import gazetteer
from .world import world

#: no populated place within this distance: the point gets no place at all
#: (at sea, in a desert); the nearest town would only mislead
MAX_CITY_KM = 50.0
#: a typed place farther than this from the photo's GPS "disagrees"
DISAGREE_KM = 50.0

SEOUL = {"city": "Seoul", "city_local": "서울", "region": "Seoul"}


@dataclass(frozen=True)
class DerivedPlace:
    """A place read from coordinates; Hangul names where the gazetteer has them."""

    country_code: str = ""
    country: str = ""
    region: str = ""
    city: str = ""
    city_local: str = ""
    district: str = ""
    district_local: str = ""
    landmark: str = ""
    landmark_local: str = ""

    @property
    def label(self) -> str:
        """"Cheonggyecheon, Jongno-gu, Seoul, South Korea"."""
        return ", ".join(p for p in (self.landmark, self.district, self.city, self.country) if p)

    @property
    def label_local(self) -> str:
        """The local names alone ("청계천, 종로구, 서울"), "" when there are none."""
        return ", ".join(p for p in (self.landmark_local, self.district_local, self.city_local) if p)

    @property
    def short_label(self) -> str:
        """For a title: "Cheonggyecheon, Seoul", "Jongno-gu, Seoul", "Arezzo"."""
        return ", ".join(p for p in (self.landmark or self.district, self.city) if p)

    @property
    def area_label(self) -> str:
        """The facet's value: district and city ("Jongno-gu, Seoul"), else city and country."""
        if self.district:
            return f"{self.district}, {self.city}"
        return ", ".join(p for p in (self.city, self.country) if p)

    @property
    def names(self) -> list[str]:
        """Every name, Latin and local, for the search index."""
        return [getattr(self, f.name) for f in fields(self)
                if f.name != "country_code" and getattr(self, f.name)]

    def as_dict(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def place_of(latitude: float | None, longitude: float | None) -> DerivedPlace | None:
    """The place at these coordinates, or None (no or impossible coordinates, or
    nowhere near a populated place)."""
    if latitude is None or longitude is None:
        return None
    if not (math.isfinite(latitude) and math.isfinite(longitude)
            and -90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    nearest = world().nearest(latitude, longitude)
    if nearest.distance_km > MAX_CITY_KM:
        return None
    landmark = gazetteer.landmark_at(latitude, longitude)
    gu = gazetteer.gu_at(latitude, longitude) if nearest.country_code == "KR" else None
    if landmark is not None and landmark.gu_code:
        gu = gazetteer.seoul_gu()[landmark.gu_code]
    parts = dict(country_code=nearest.country_code, country=nearest.country,
                 region=nearest.state, city=nearest.city)
    if gu is not None:
        parts.update(SEOUL, district=gu.name, district_local=gu.name_ko)
    if landmark is not None:
        parts.update(landmark=landmark.name, landmark_local=landmark.name_ko)
    return DerivedPlace(**parts)


def _key(text: str) -> str:
    return re.sub(r"[\s\-_.']+", "", text.casefold())


def _gazetteer_points() -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for landmark in gazetteer.landmarks():
        lat = sum(p[0] for p in landmark.points) / len(landmark.points)
        lon = sum(p[1] for p in landmark.points) / len(landmark.points)
        for name in (landmark.name, landmark.name_ko, landmark.key):
            points[_key(name)] = (lat, lon)
    for gu in gazetteer.seoul_gu().values():
        for name in (gu.name, gu.name_ko, gu.name.removesuffix("-gu")):
            points.setdefault(_key(name), (gu.latitude, gu.longitude))
    points.setdefault(_key("서울"), (37.5665, 126.9780))
    return points


def locate(typed: str) -> tuple[float, float] | None:
    """Coordinates of a typed place ("Cheonggyecheon, Seoul"): its first part that
    the gazetteer or GeoNames knows, or None."""
    gazetteer_points = _gazetteer_points()
    for part in re.split(r"[,;/|()]+", typed or ""):
        part = part.strip()
        if len(part) < 2:
            continue
        found = gazetteer_points.get(_key(part))
        if found is None:
            named = world().named(part)
            found = (named.latitude, named.longitude) if named else None
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Disagreement:
    """The typed place is far from where the photo was taken."""

    #: km between the typed place and the GPS, or None when the typed place
    #: could not be located and its names simply do not match
    distance_km: float | None


def disagreement(typed: str, derived: DerivedPlace | None, latitude: float | None,
                 longitude: float | None) -> Disagreement | None:
    """Whether the typed place contradicts the GPS one (None: agrees, or nothing to compare)."""
    if not (typed or "").strip() or derived is None or latitude is None or longitude is None:
        return None
    located = locate(typed)
    if located is not None:
        km = gazetteer.distance_m(latitude, longitude, *located) / 1000
        return Disagreement(round(km)) if km > DISAGREE_KM else None
    typed_key = _key(typed)
    names = [_key(n) for n in derived.names] + [_key(derived.district.removesuffix("-gu"))]
    if any(n and n in typed_key for n in names):
        return None
    return Disagreement(None)
