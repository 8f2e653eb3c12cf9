"""Warnings silenced while the image and PDF libraries work, safely from several threads.

Pillow and pypdf warn (DecompressionBombWarning, a malformed MPO, small PDF
defects) where the archive decides for itself, so those warnings must not
turn a good file into an error. ``warnings.catch_warnings`` swaps the
process-wide filter list on entry and puts back what it saved on exit; two
threads overlapping would put back each other's lists, and the "ignore"
could stay for good. So the pipeline's workers share one silence here: the
first to enter installs it, the last to leave restores the filters.
"""
from __future__ import annotations

import threading
import warnings
from contextlib import contextmanager
from typing import Iterator

_lock = threading.Lock()
_depth = 0
_saved: warnings.catch_warnings | None = None


@contextmanager
def quiet_warnings() -> Iterator[None]:
    """Ignore every warning while at least one caller is inside."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            saved = warnings.catch_warnings()
            saved.__enter__()
            warnings.simplefilter("ignore")
            _saved = saved
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                saved, _saved = _saved, None
                saved.__exit__(None, None, None)
