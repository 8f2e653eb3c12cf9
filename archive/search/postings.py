"""A term's postings in one segment as numpy arrays (docnums, saturated term
frequencies), read block by block from Whoosh's files and cached: segments
never change, and the same words come back in many searches.
"""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import TermNotFound

from .sets import EMPTY_IDS, EMPTY_SCORES

K1 = 1.2

_cache_lock = threading.Lock()
#: (segment key, field, text) -> (ids, tf) per segment; segments never change
_postings_cache: OrderedDict[tuple, tuple[np.ndarray, np.ndarray]] = OrderedDict()
#: an entry per term and segment: a reindex of a million entries leaves 34
#: segments, and the benchmark's queries need ~5,000 entries there (at 2,048
#: they pushed each other out and every query read its postings again:
#: one-word p95 ~500 ms); ~100 bytes each besides the arrays
_CACHE_ENTRIES = 32768
#: bounded by bytes as well: a common word's postings grow with the archive
#: (8 bytes a posting: ~3 MB for a common word's postings in one field at a
#: million entries; the benchmark's 45 queries need 74 MB there)
_CACHE_BYTES = 128 * 1024 * 1024
_cache_bytes = 0


def segment_postings(reader, seg_key: str, fieldname: str,
                     text: str) -> tuple[np.ndarray, np.ndarray]:
    """A term's docnums in one segment and their saturated term frequencies
    (``tf * (K1 + 1) / (tf + K1)``), cached as 32-bit numbers: half the memory
    of 64-bit ones, so the cache holds twice as many words."""
    key = (seg_key, fieldname, text)
    with _cache_lock:
        hit = _postings_cache.get(key)
        if hit is not None:
            _postings_cache.move_to_end(key)
            return hit
    try:
        m = reader.postings(fieldname, text)
    except TermNotFound:
        ids, tfs = EMPTY_IDS, EMPTY_SCORES
    else:
        if isinstance(m, FilterMatcher):
            m = m.child  # deletions are masked by the caller, for the whole searcher at once
        id_parts, tf_parts = [], []
        if isinstance(m, W3LeafMatcher):
            while m.is_active():
                if m._ids is None:
                    m._read_ids()
                if m._weights is None:
                    m._read_weights()
                id_parts.append(np.asarray(m._ids, dtype=np.int64))
                tf_parts.append(np.asarray(m._weights, dtype=np.float64))
                m._next_block()
        else:  # inlined short lists and other matchers
            got_ids, got_tfs = [], []
            while m.is_active():
                got_ids.append(m.id())
                got_tfs.append(m.weight())
                m.next()
            id_parts.append(np.asarray(got_ids, dtype=np.int64))
            tf_parts.append(np.asarray(got_tfs, dtype=np.float64))
        ids = np.concatenate(id_parts) if id_parts else EMPTY_IDS
        tfs = np.concatenate(tf_parts) if tf_parts else EMPTY_SCORES
        tfs = tfs * (K1 + 1) / (tfs + K1)  # saturated once here, not in every query
        ids, tfs = ids.astype(np.int32), tfs.astype(np.float32)
    global _cache_bytes
    with _cache_lock:
        if key not in _postings_cache:
            _postings_cache[key] = (ids, tfs)
            _cache_bytes += ids.nbytes + tfs.nbytes
        while _postings_cache and (len(_postings_cache) > _CACHE_ENTRIES
                                   or _cache_bytes > _CACHE_BYTES):
            _, (old_ids, old_tfs) = _postings_cache.popitem(last=False)
            _cache_bytes -= old_ids.nbytes + old_tfs.nbytes
    return ids, tfs
