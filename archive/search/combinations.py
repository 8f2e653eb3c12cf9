"""Facet counts through each document's combination of facet values.

Counting eight facets over a common word's matches gathered eight columns
at every match and counted each (about 9 ms at a million entries, where a
word matches 400,000 documents). Documents share few combinations of facet
values (720 at a million generated entries: topic, camat, kecamatan, trip,
year, kind, GPS, place), so each document gets the code of its combination,
computed once per segment (segments never change). A search then counts
one column of codes at the matches it keeps, in one compiled loop
(``kernels.count_codes``), and each facet's counts are summed over the
small table of combinations.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .kernels import count_codes

#: facet name -> its column
FACETS = {
    "topic": "topic_id", "camat": "camat_id", "kecamatan": "kecamatan_id",
    "trip": "trip_id", "year": "year", "kind": "kind", "gps": "gps", "place": "area",
}
#: columns whose values span at most this many are keyed by value - minimum,
#: without sorting them
_DIRECT_SPAN = 1 << 16
#: a combined key is made dense again before it could overflow 64 bits
_KEY_LIMIT = 1 << 40


@dataclass
class Combinations:
    """Per document a code; per code the facet values (one row, one column per facet)."""

    codes: np.ndarray
    table: np.ndarray
    #: per facet: (its distinct values in the table, each row's index into them)
    _index: dict = field(default_factory=dict, repr=False)

    def facet_index(self, j: int) -> tuple[np.ndarray, np.ndarray]:
        found = self._index.get(j)
        if found is None:
            found = self._index[j] = np.unique(self.table[:, j], return_inverse=True)
        return found


def of_segment(columns: dict[str, np.ndarray]) -> Combinations:
    """The combinations of one segment's documents."""
    count = columns["entry_id"].size
    if count == 0:
        return Combinations(np.zeros(0, dtype=np.int32), np.zeros((0, len(FACETS)), dtype=np.int64))
    key = np.zeros(count, dtype=np.int64)
    span = 1
    for column in FACETS.values():
        values = columns[column]
        low, high = int(values.min()), int(values.max())
        if high - low < _DIRECT_SPAN:
            dense, size = values.astype(np.int64) - low, high - low + 1
        else:
            uniq, dense = np.unique(values, return_inverse=True)
            size = uniq.size
        key = key * size + dense
        span *= size
        if span > _KEY_LIMIT:
            uniq, key = np.unique(key, return_inverse=True)
            span = uniq.size
    _, first, codes = np.unique(key, return_index=True, return_inverse=True)
    table = np.stack([columns[c][first].astype(np.int64) for c in FACETS.values()], axis=1)
    return Combinations(codes.astype(np.int32), table)


def of_layout(parts: list[Combinations]) -> Combinations:
    """One searcher's combinations: its segments' codes, each shifted past the
    rows before, then each combination kept once (segments share most of
    theirs: a reindex of a million entries leaves 34 segments of ~720, and a
    search counts and sums over every row of the table)."""
    if not parts:
        return of_segment({"entry_id": np.zeros(0)})
    bases = np.cumsum([0] + [p.table.shape[0] for p in parts[:-1]])
    codes = np.concatenate([p.codes + np.int32(base) for p, base in zip(parts, bases)])
    table, rows = np.unique(np.concatenate([p.table for p in parts]), axis=0,
                            return_inverse=True)
    return Combinations(rows.reshape(-1).astype(np.int32)[codes], table)


def count_all(combinations: Combinations, docnums: np.ndarray,
              keep: np.ndarray | None = None) -> dict[str, dict[int, int]]:
    """Per facet, how many of ``docnums`` (those where ``keep``) have each value."""
    if docnums.size == 0:
        return {name: {} for name in FACETS}
    if keep is None:
        keep = np.ones(docnums.size, dtype=bool)
    per_row = count_codes(combinations.codes, docnums, keep, combinations.table.shape[0])
    out = {}
    for j, name in enumerate(FACETS):
        values, rows = combinations.facet_index(j)
        counts = np.bincount(rows, weights=per_row, minlength=values.size)
        out[name] = {int(values[i]): int(counts[i]) for i in np.flatnonzero(counts)}
    return out
