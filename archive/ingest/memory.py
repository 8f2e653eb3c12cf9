"""Give the memory of decoded pictures back to the system once they are freed.

glibc's malloc raises its mmap threshold each time a large block is freed
(up to 32 MiB), so after the first photo the pictures of later ones (a few
MiB each) come from the heaps of the pipeline's threads, and a freed heap is
kept by the process: a worker stayed ~35 MiB bigger after every batch. A
fixed threshold keeps every picture in its own mapping, unmapped when freed
(benchmarks/batch_memory.py). Process-wide and harmless elsewhere; nothing
happens where mallopt is missing (not glibc).
"""
from __future__ import annotations

import ctypes
import sys

#: glibc's mallopt parameter number, and the threshold set: a picture row
#: block of Pillow is larger, a Python object never is
M_MMAP_THRESHOLD = -3
THRESHOLD_BYTES = 256 * 1024


def return_freed_pictures() -> bool:
    """Fix malloc's mmap threshold (glibc); True if it was set."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))
