"""glibc's malloc thresholds, which uploads and searches want set apart.

glibc hands a freed block above its mmap threshold back to the system, and
trims the top of its heap once enough of it is free there. Uploads want
that (``ingest.memory``: each decoded picture in a mapping of its own, given
back when freed, so a worker does not stay bigger after a batch: a low
*resting* threshold). A search at a million entries wants the opposite: its
temporary arrays of the matches' size (a common word's 400,000 docnums are
3 MB, their scores 3 more) come back on every search, and fresh pages fault
on their first write (a common word's union and its collection: 10 ms with
the faults, 3 without). So while any search runs (``large_blocks_kept``),
blocks up to ``SEARCH_MMAP_THRESHOLD`` come from the heap, and freed space
stays there until more than ``SEARCH_TRIM_THRESHOLD`` is free at its top;
when the last search ends the resting threshold is set again. A worker
then keeps its largest search's temporaries (~25 MB at a million entries)
and the next search finds them mapped.

Elsewhere than glibc (musl, macOS) there is no ``mallopt`` and nothing changes.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache

#: mallopt's parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

#: the ceiling glibc's own moving threshold stops at
SEARCH_MMAP_THRESHOLD = 32 * 1024 * 1024
SEARCH_TRIM_THRESHOLD = 256 * 1024 * 1024

_lock = threading.Lock()
_resting: int | None = None  # None: glibc's own, which moves with the blocks freed
_searches = 0


@lru_cache(maxsize=1)
def _mallopt():
    name = ctypes.util.find_library("c")
    try:
        func = ctypes.CDLL(name).mallopt if name else None
    except (OSError, AttributeError):  # not glibc
        return None
    if func is not None:
        func.argtypes = (ctypes.c_int, ctypes.c_int)
        func.restype = ctypes.c_int
    return func


def mallopt(param: int, value: int) -> bool:
    """glibc's ``mallopt``; True when it took the value, False without glibc."""
    func = _mallopt()
    return bool(func and func(param, value))


def rest_at(threshold: int) -> bool:
    """The mmap threshold outside searches (set now unless a search runs)."""
    global _resting
    with _lock:
        _resting = threshold
        return _searches > 0 or mallopt(M_MMAP_THRESHOLD, threshold)


@contextmanager
def large_blocks_kept() -> Iterator[None]:
    """While this runs (in any thread), freed large blocks stay mapped for the next."""
    global _searches
    with _lock:
        _searches += 1
        if _searches == 1:
            mallopt(M_MMAP_THRESHOLD, SEARCH_MMAP_THRESHOLD)
            mallopt(M_TRIM_THRESHOLD, SEARCH_TRIM_THRESHOLD)
    try:
        yield
    finally:
        with _lock:
            _searches -= 1
            if _searches == 0 and _resting is not None:
                mallopt(M_MMAP_THRESHOLD, _resting)
