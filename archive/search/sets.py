"""Sets of matching documents and their scores, combined with numpy and ``kernels``.

Unions and intersections of large sets go through arrays indexed by docnum
(``DENSE_FROM``): linear in the matches and the index size, where sorting
(``np.unique``, ``np.intersect1d``) is n log n and was most of a common
word's time at 100,000 entries.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from .kernels import collect, scatter_add, scatter_round

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)
#: sets whose sizes add up to this share of the index are combined in arrays
#: indexed by docnum; smaller ones by sorting, which then costs less
DENSE_FROM = 1 / 64


@dataclass
class Matches:
    """Sorted unique docnums and their scores."""

    ids: np.ndarray
    scores: np.ndarray


def is_dense(sizes: int, size: int) -> bool:
    return size > 0 and sizes >= size * DENSE_FROM


def intersect(a: Matches, b: Matches, size: int) -> Matches:
    """The docnums in both (sorted), with the sum of their scores; ``size``: docnums < size."""
    if not is_dense(a.ids.size + b.ids.size, size):
        common, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
        return Matches(common, a.scores[ia] + b.scores[ib])
    # in this thread's clean arrays, as two rounds (two fresh arrays of the
    # index's size were most of an intersection's time at a million entries)
    def add(present: np.ndarray, summed: np.ndarray) -> None:
        scatter_add(present, summed, 0, a.ids, a.scores, 1.0)
        scatter_round(present, summed, 0, b.ids, b.scores, 1.0, 2)

    return Matches(*dense_sum(size, add, rounds=2))


def union(parts: list[Matches], size: int) -> Matches:
    """The docnums in any (sorted), with the sum of their scores; ``size``: docnums < size."""
    parts = [p for p in parts if p.ids.size]
    if not parts:
        return Matches(EMPTY_IDS, EMPTY_SCORES)
    if len(parts) == 1:
        return parts[0]
    if not is_dense(sum(p.ids.size for p in parts), size):
        ids = np.concatenate([p.ids for p in parts])
        scores = np.concatenate([p.scores for p in parts])
        uniq, inverse = np.unique(ids, return_inverse=True)
        return Matches(uniq, np.bincount(inverse, weights=scores, minlength=uniq.size))
    # Each part's ids are unique, so its scores add in place, part by part:
    # no concatenated copies (2.5x faster for a common word's nine postings
    # lists at a million entries).
    def add(present: np.ndarray, summed: np.ndarray) -> None:
        for part in parts:
            scatter_add(present, summed, 0, part.ids, part.scores, 1.0)

    return Matches(*dense_sum(size, add))


def dense_sum(size: int, add, rounds: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The docnums ``add(present, summed)`` marked, and their summed scores, in
    arrays this thread keeps (zeroing 9 MB for each union was most of a
    union's time at a million entries), left clean for the next one;
    ``add`` fills them with ``kernels.scatter_add``, and for an intersection
    of ``rounds`` parts with ``kernels.scatter_round``: the docnums marked
    ``rounds`` are those every part marked."""
    with _scratch(size) as (present, summed):
        add(present, summed)
        return collect(present, summed, rounds)


_local = threading.local()


@contextmanager
def _scratch(size: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """This thread's all-zero arrays of ``size`` (the index's docnums): marks
    (a byte, the round that marked a docnum) and sums, to be left so; dropped
    if an error may have left them dirty."""
    found = getattr(_local, "scratch", None)
    if found is None or found[0].size != size:
        found = _local.scratch = (np.zeros(size, dtype=np.uint8), np.zeros(size, dtype=np.float64))
    try:
        yield found
    except BaseException:
        _local.__dict__.pop("scratch", None)
        raise
