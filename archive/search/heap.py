"""Keep freed memory for the next search instead of handing it back to the system.

A search at a million entries makes temporary arrays of its matches' size
(a common word's 400,000 docnums are 3 MB, their scores 3 more). glibc gives
blocks above its mmap threshold back to the system when they are freed, and
trims the top of the heap once it is free, so the next search's arrays are
fresh pages again: every 4 KB page faults on its first write. Those page
faults were a large share of a common word's time (a union and its collection
of 800,000 postings: 10 ms with them, 3 without, measured in isolation).

``keep_freed_memory`` raises both thresholds once, on the first search of a
process: arrays up to ``MMAP_THRESHOLD`` come from the heap, and freed space
stays mapped until more than ``TRIM_THRESHOLD`` of it is free at the top. A
serving process then holds on to its largest search's temporaries (tens of
MB at a million entries) instead of faulting them in again each time.
Elsewhere than glibc (musl, macOS) there is no ``mallopt`` and nothing changes.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading

#: glibc's mallopt parameters (malloc.h)
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's own ceiling for the dynamic threshold
TRIM_THRESHOLD = 256 * 1024 * 1024

_lock = threading.Lock()
_done: bool | None = None


def keep_freed_memory() -> bool:
    """Set the thresholds once per process; True when glibc took them."""
    global _done
    with _lock:
        if _done is None:
            _done = _set_thresholds()
        return _done


def _set_thresholds() -> bool:
    name = ctypes.util.find_library("c")
    if not name:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    # mallopt answers 1 when it took the value
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
