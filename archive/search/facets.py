"""Per-document facet and sort values kept in memory as numpy arrays, keyed by Whoosh docnum.

Counting facets with Whoosh's ``groupedby`` walks every matching document's
column on every request (ten times the cost of the query itself at 100,000
documents). Here each segment's columns are read once into arrays (segments
never change once written; deletions are handled by the matcher), and a
searcher's arrays are the concatenation in docnum order. Counting goes
through each document's combination of facet values (``combinations``, made
once per segment too): one column of codes counted over the matching docnums.

Memory (a serving worker holds these for the whole index): each column is
kept in the smallest signed integer type that holds its values and their
negatives (ids in 16 or 32 bits, codes in 8: about 30 bytes a document
instead of 104 as int64), and once a layout is built its segments' cached
arrays become views into it, so the columns are held once, not once per
segment cache plus once per layout.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from whoosh.columns import NumericColumn
from whoosh.searching import Searcher

from . import combinations as facet_combinations
from .schema import COLUMNS

_lock = threading.Lock()
#: segment id -> {column: array}; a segment's stored values never change
_segment_cache: dict[str, dict[str, np.ndarray]] = {}
#: searcher layout key -> DocValues
_layout_cache: dict[tuple, "DocValues"] = {}


@dataclass(eq=False)  # compared and hashed by identity: callers cache per layout
class DocValues:
    """Column arrays for every docnum of one searcher (deleted docs included)."""

    columns: dict[str, np.ndarray]
    #: docnums of live documents, for browsing without a query
    alive: np.ndarray
    #: the segment key of each leaf reader, in order (for postings caches)
    segment_keys: list[str]
    #: each document's combination of facet values, for counting (``combinations``)
    combinations: facet_combinations.Combinations

    def __getitem__(self, name: str) -> np.ndarray:
        return self.columns[name]

    @property
    def alive_mask(self) -> np.ndarray:
        """alive as a boolean array indexed by docnum (made once per searcher layout)."""
        mask = self.__dict__.get("_alive_mask")
        if mask is None:
            size = self.columns["entry_id"].size
            mask = np.zeros(size, dtype=bool)
            mask[self.alive] = True
            self.__dict__["_alive_mask"] = mask
        return mask


def _segment_key(reader) -> str:
    segment = reader.segment() if hasattr(reader, "segment") else None
    if segment is None:
        return f"mem-{id(reader)}"
    return f"{segment.segment_id()}"


_NARROW_TYPES = (np.int8, np.int16, np.int32)


def narrow(values: np.ndarray) -> np.ndarray:
    """``values`` in the smallest signed integer type that holds them and their
    negatives (sort keys negate columns)."""
    if values.size == 0:
        return values.astype(np.int8)
    low, high = int(values.min()), int(values.max())
    for dtype in _NARROW_TYPES:
        info = np.iinfo(dtype)
        if low > info.min and high <= info.max:
            return values.astype(dtype)
    return values


def _read_segment(reader) -> dict[str, np.ndarray]:
    count = reader.doc_count_all()
    out = {}
    for name in COLUMNS:
        if reader.has_column(name):
            values = _stored_column(reader, name, count)
            if values is None:  # another column layout: value by value, in Python
                col = reader.column_reader(name)
                values = np.fromiter((col[i] for i in range(count)), dtype=np.int64, count=count)
            out[name] = narrow(values)
        else:
            out[name] = np.zeros(count, dtype=np.int8)
    out[_COMBINATIONS] = facet_combinations.of_segment(out)
    return out


#: where a segment's cached values keep its ``Combinations``
_COMBINATIONS = "_combinations"


#: a signed 64-bit NUMERIC column holds each value + 2**63 as a big-endian uint64
_SIGN = np.uint64(1 << 63)


def _stored_column(reader, name: str, count: int) -> np.ndarray | None:
    """A signed 64-bit numeric column read straight from its file in one piece
    (value by value in Python took 16 s for a million documents' 13 columns,
    the first search of every worker)."""
    field = reader.schema[name]
    raw = reader.column_reader(name, translate=False)
    if not (isinstance(raw, NumericColumn.Reader) and raw._typecode == "Q"
            and getattr(field, "signed", False) and getattr(field, "bits", None) == 64):
        return None
    stored = min(raw._count, count)
    data = np.frombuffer(raw._dbfile.get(raw._basepos, stored * 8), dtype=">u8", count=stored)
    values = np.empty(count, dtype=np.int64)
    values[:stored] = (data.astype(np.uint64) ^ _SIGN).view(np.int64)
    # documents after the last stored value have the column's default
    values[stored:] = field.from_column_value(raw._default)
    return values


def _alive(reader, offset: int, count_all: int, count: int) -> np.ndarray:
    docnums = np.arange(offset, offset + count_all, dtype=np.int64)
    if count == count_all:
        return docnums
    # a segment reader's set of deleted docnums (a cached property), else ask each
    deleted = getattr(reader, "deleted_docs_set", None)
    if deleted is None:
        deleted = [d for d in range(count_all) if reader.is_deleted(d)]
    return np.delete(docnums, np.fromiter(deleted, dtype=np.int64))


#: layouts kept: the current one and the one before (requests still using it)
LAYOUTS_KEPT = 2


def doc_values(searcher: Searcher) -> DocValues:
    leaves = searcher.reader().leaf_readers()
    layout = tuple(
        (_segment_key(r), offset, r.doc_count_all(), r.doc_count()) for r, offset in leaves
    )
    with _lock:
        cached = _layout_cache.get(layout)
        if cached is not None:
            return cached
    parts: list[dict[str, np.ndarray]] = []
    alive_parts = []
    for (key, offset, count_all, count), (reader, _) in zip(layout, leaves):
        with _lock:
            values = _segment_cache.get(key)
        if values is None:
            values = _read_segment(reader)
        parts.append(values)
        alive_parts.append(_alive(reader, offset, count_all, count))
    columns = {
        name: (np.concatenate([p[name] for p in parts]) if parts else np.zeros(0, dtype=np.int8))
        for name in COLUMNS
    }
    alive = np.concatenate(alive_parts) if alive_parts else np.zeros(0, dtype=np.int64)
    combos = facet_combinations.of_layout([p[_COMBINATIONS] for p in parts])
    values = DocValues(columns, alive, [key for key, *_ in layout], combos)
    with _lock:
        while len(_layout_cache) >= LAYOUTS_KEPT:
            _layout_cache.pop(next(iter(_layout_cache)))
        _layout_cache[layout] = values
        # Each segment's arrays now live in this layout's: keep views into
        # them, and drop segments no kept layout has.
        for (key, offset, count_all, _count), part in zip(layout, parts):
            _segment_cache[key] = {name: columns[name][offset:offset + count_all]
                                   for name in COLUMNS}
            _segment_cache[key][_COMBINATIONS] = part[_COMBINATIONS]
        live_keys = {k for lay in _layout_cache for k, *_ in lay}
        for key in [k for k in _segment_cache if k not in live_keys]:
            del _segment_cache[key]
    return values
