"""The query's loops over postings and docnums, compiled with numba.

A common word at a million entries adds some 800,000 postings (its synonyms,
three fields, every segment) into a union of 400,000 documents. numpy does
``summed[ids] += weights * factor`` in passes of its own (the product, a
gather, the sum, a scatter), each over a temporary array, and collecting the
union makes more; these loops go over each posting and each docnum once.
They are compiled on a process's first search and cached on disk
(``_compiled``).
"""
from __future__ import annotations

import numpy as np
from numba import njit


def _compiled(func):
    """``func`` compiled, its machine code cached on disk where numba finds a
    writable place (next to this module, else the user's cache directory;
    ``NUMBA_CACHE_DIR`` chooses one), else compiled again in each process."""
    try:
        return njit(nogil=True, cache=True)(func)
    except RuntimeError:  # "no locator available": nowhere to write the cache
        return njit(nogil=True)(func)


@_compiled
def scatter_add(present, summed, offset, ids, weights, factor):  # pragma: no cover - compiled
    """Mark ``offset + ids`` in ``present`` (1) and add ``weights * factor`` to their ``summed``."""
    for i in range(ids.size):
        doc = offset + ids[i]
        present[doc] = 1
        summed[doc] += weights[i] * factor


@_compiled
def scatter_round(present, summed, offset, ids, weights, factor, round_):  # pragma: no cover
    """``scatter_add`` for the ``round_``-th part of an intersection (from 2):
    only documents that every earlier part marked (``present`` at least
    ``round_ - 1``) are marked ``round_`` and their sums added to."""
    for i in range(ids.size):
        doc = offset + ids[i]
        if present[doc] >= round_ - 1:
            present[doc] = round_
            summed[doc] += weights[i] * factor


@_compiled
def collect(present, summed, want):  # pragma: no cover - compiled
    """The docnums marked ``want`` in order and their sums; both arrays left
    clean (every mark, whatever its round, is cleared).

    Every docnum is written and the position moves on only when it is marked,
    so the loop has no branch to mispredict on a union of half the index."""
    count = 0
    for doc in range(present.size):
        count += present[doc] == want
    ids = np.empty(count + 1, dtype=np.int64)
    scores = np.empty(count + 1, dtype=np.float64)
    at = 0
    for doc in range(present.size):
        marked = present[doc] == want
        ids[at] = doc
        scores[at] = summed[doc]
        present[doc] = 0
        summed[doc] = 0.0
        at += marked
    return ids[:count], scores[:count]


@_compiled
def values_at(ids, weights, docnums, offset):  # pragma: no cover - compiled
    """``weights`` where ``ids`` (sorted) holds each of ``docnums - offset``
    (sorted, every one in ``ids``): a phrase's word frequencies at its documents.

    Each docnum is found by galloping from the last one found, so a phrase
    with few documents reads few postings and one with many reads them once
    (a binary search each from the start was most of a one-word query whose
    synonyms hold phrases: 17 ms at a million entries)."""
    out = np.empty(docnums.size, dtype=np.float64)
    at = 0
    last = ids.size - 1
    for i in range(docnums.size):
        want = docnums[i] - offset
        step = 1
        high = at
        while high < last and ids[high] < want:
            at = high + 1
            high = min(at + step, last)
            step *= 2
        low = at
        while low < high:  # the first of ids[low:high + 1] that is >= want
            mid = (low + high) // 2
            if ids[mid] < want:
                low = mid + 1
            else:
                high = mid
        at = low
        out[i] = weights[at]
    return out


@_compiled
def kth_smallest(values, k):  # pragma: no cover - compiled
    """The ``k``-th smallest of ``values`` (1 <= k <= values.size), in one pass
    keeping the ``k`` smallest in a max-heap.

    The pass goes from the end: sort keys that follow the docnums (newest
    first: -created falls as the docnums rise) then fill the heap at once and
    nothing else enters it. Its worst case, keys rising with the docnums,
    costs ``log2(k)`` steps a value: callers keep ``k`` small (``SMALL_K``)."""
    kept = np.empty(k, dtype=values.dtype)
    count = 0
    for i in range(values.size - 1, -1, -1):
        value = values[i]
        if count < k:  # sift up
            at = count
            count += 1
            while at > 0:
                parent = (at - 1) // 2
                if kept[parent] >= value:
                    break
                kept[at] = kept[parent]
                at = parent
            kept[at] = value
        elif value < kept[0]:  # replace the largest kept, sift down
            at = 0
            while True:
                child = 2 * at + 1
                if child >= k:
                    break
                if child + 1 < k and kept[child + 1] > kept[child]:
                    child += 1
                if kept[child] <= value:
                    break
                kept[at] = kept[child]
                at = child
            kept[at] = value
    return kept[0]


#: up to this ``k`` (a first page of twenty) the heap is as fast as
#: ``np.partition`` at worst (a million keys rising: 16.6 ms against 15.2)
#: and ten times faster otherwise (1.1-1.3 ms against 10.6-13.9); at 64,
#: three times slower at worst
SMALL_K = 20


@_compiled
def count_codes(codes, docnums, keep, size):  # pragma: no cover - compiled
    """How many of ``docnums`` (where ``keep``) have each of ``size`` codes."""
    counts = np.zeros(size, dtype=np.int64)
    for i in range(docnums.size):
        if keep[i]:
            counts[codes[docnums[i]]] += 1
    return counts
