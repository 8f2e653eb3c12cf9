"""The query's loops over postings and docnums, compiled with numba.

A common word at a million entries adds some 800,000 postings (its synonyms,
three fields, every segment) into a union of 400,000 documents. numpy does
``summed[ids] += weights * factor`` in passes of its own (the product, a
gather, the sum, a scatter), each over a temporary array, and collecting the
union makes more; these loops go over each posting and each docnum once.
They are compiled on a process's first search and cached on disk next to
this module (numba's ``cache=True``; elsewhere when that is not writable).
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(nogil=True, cache=True)
def scatter_add(present, summed, offset, ids, weights, factor):  # pragma: no cover - compiled
    """Mark ``offset + ids`` in ``present`` and add ``weights * factor`` to their ``summed``."""
    for i in range(ids.size):
        doc = offset + ids[i]
        present[doc] = True
        summed[doc] += weights[i] * factor


@njit(nogil=True, cache=True)
def collect(present, summed):  # pragma: no cover - compiled
    """The marked docnums in order and their sums; both arrays left clean.

    Every docnum is written and the position moves on only when it is marked,
    so the loop has no branch to mispredict on a union of half the index."""
    count = np.count_nonzero(present)
    ids = np.empty(count + 1, dtype=np.int64)
    scores = np.empty(count + 1, dtype=np.float64)
    at = 0
    for doc in range(present.size):
        marked = present[doc]
        ids[at] = doc
        scores[at] = summed[doc]
        present[doc] = False
        summed[doc] = 0.0
        at += marked
    return ids[:count], scores[:count]
