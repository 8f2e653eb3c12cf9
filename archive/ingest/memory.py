"""Give the memory of decoded pictures back to the system once they are freed,
without paying for fresh pages on every photo.

glibc's malloc raises its mmap threshold each time a large block is freed
(up to 32 MiB), so after the first photo the pictures of later ones (a few
MiB each) come from the heaps of the pipeline's threads, and a freed heap is
kept by the process: a worker stayed ~35 MiB bigger after every batch. A
fixed threshold keeps every picture in its own mapping, unmapped when freed
(benchmarks/batch_memory.py). Process-wide and harmless elsewhere; nothing
happens where mallopt is missing (not glibc).

A fresh mapping costs a page fault per 4 KiB the first time it is written:
~10,000 faults for one 12 MP photo's decode, resize and rotation, a third
of the image work (benchmarks/ingest.py: the Pillow floor 61 -> 85 ms per
photo). So while a batch runs (``reusing_pictures``), Pillow keeps the blocks
of freed pictures (of ``BLOCK_BYTES`` each) and hands them to the next
picture, already mapped. They are given back ``IDLE_SECONDS`` after the last
batch ends, so that a phone sending one photo per request, one after the
other, does not pay for fresh pages every time either.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PIL import Image

from ..core.malloc import rest_at

#: the mmap threshold set: a picture row block of Pillow is larger, a
#: Python object never is (searches raise it while they run: core.malloc)
THRESHOLD_BYTES = 256 * 1024
#: Pillow allocates a picture's rows in blocks of this size (16 MiB by
#: default): small blocks fit pictures of any size when they are reused
BLOCK_BYTES = 1024 * 1024
#: freed blocks Pillow keeps during a batch: one photo's pictures at a time
#: (a 2000x1500 draft decode is 12 MiB, its 1600 px copy and the turned copy
#: 7.5 MiB each)
CACHED_BLOCKS = 32
#: how long the blocks are kept after the last batch ended
IDLE_SECONDS = 10.0


def return_freed_pictures() -> bool:
    """Fix malloc's mmap threshold (glibc) outside searches (``core.malloc``);
    True if it was set."""
    Image.core.set_block_size(BLOCK_BYTES)
    return rest_at(THRESHOLD_BYTES)


_lock = threading.Lock()
_batches = 0
_release: threading.Timer | None = None


@contextmanager
def reusing_pictures() -> Iterator[None]:
    """Pillow reuses freed picture blocks while any batch in this process runs;
    ``IDLE_SECONDS`` after the last one its cached blocks are unmapped."""
    global _batches, _release
    with _lock:
        _batches += 1
        if _release is not None:
            _release.cancel()
            _release = None
        Image.core.set_blocks_max(CACHED_BLOCKS)
    try:
        yield
    finally:
        with _lock:
            _batches -= 1
            if _batches == 0:
                _release = threading.Timer(IDLE_SECONDS, release_pictures)
                _release.daemon = True
                _release.start()


def release_pictures() -> None:
    """Unmap Pillow's cached blocks now, unless a batch has started meanwhile."""
    global _release
    with _lock:
        if _batches == 0:
            Image.core.set_blocks_max(0)  # frees the cached blocks
            if _release is not None:
                _release.cancel()
                _release = None
