"""Merge a reindex's segments by copying their posting blocks instead of re-encoding each posting.

A planned merge (``merges.merge_segments``) used to read every posting of its
segments through Whoosh's matchers (one term lookup per term and segment)
and write each one again through the postings writer: 3 ms of CPU a
document (profile of 3,000 generated documents in three segments), more
than indexing them, and about 25 of the 54 minutes of a million-entry
reindex.

The segments a reindex writes hold consecutive documents and no deletions,
so a merged term's postings are each segment's postings in turn, their
document numbers shifted by the segment's start. Whoosh 3 stores a
postings list as blocks of up to 128 postings: a pickled info tuple (count,
last id, max weight, compression, min and max length) and the compressed,
pickled data (the ids delta-encoded, so only the first is absolute; the
weights; the values). Here each segment's terms are read in order, and
each block is copied as it is; only a block of a segment after the first
is rewritten, with its first id and last id shifted. A rare word (at most
a block of postings in all) is written as one block instead: copied, its
small block per segment made the merged index a quarter larger. A segment
written uncompressed because it was to be merged (``bulk.RollingTask``) has
each of its blocks encoded again, compressed. The term's
statistics are combined from the segments' term infos. Tested equal, term
by term, to Whoosh's own merge (``tests/test_search_reindex_bounded.py``).

Measured on six segments of 500 generated documents merged into one: 3.6 ms
of CPU a document posting by posting (17.5 MB of postings), 1.4 copying every
block (33 MB), 1.75-1.9 with rare words in one block (17.7 MB).
"""
from __future__ import annotations

import heapq
import io
import pickle
import struct
import zlib

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter, W3TermInfo
from whoosh.system import pack_ushort


_INT = struct.Struct("!i")  # a block's length, as StructFile.write_int writes it


class CannotCopy(Exception):
    """A segment holds postings this copy does not expect (inlined, or no header):
    the merge fails, and with it the reindex, which keeps the old index."""


def can_copy_blocks(schema, readers) -> bool:
    """True when every segment is a fresh Whoosh 3 segment (no deletions) and no
    field writes term vectors or a separate spelling field."""
    fields = [schema[name] for name in schema.names()]
    return (all(not r.has_deletions() and hasattr(r, "_terms") and hasattr(r._terms, "_postfile")
                for r in readers)
            and not any(f.vector or f.separate_spelling() for f in fields))


def copy_postings(fieldwriter: W3FieldWriter, schema, readers, bases: list[int],
                  uncompressed: list[bool] | None = None) -> None:
    """Write the merged postings of ``readers`` (documents from ``bases[i]`` on) into
    ``fieldwriter``. ``uncompressed[i]``: segment ``i`` was written with its blocks
    uncompressed (``flush.write_postings``), so each is written again, compressed,
    rather than copied as it is."""
    recode = uncompressed or [False] * len(readers)
    # Each segment's terms come sorted by field number, then text; the field
    # numbers follow the field names' order, so this is (field name, text).
    streams = [_terms_of(reader, i) for i, reader in enumerate(readers)]
    current, parts = None, []
    for term, i, info in heapq.merge(*streams, key=lambda item: (item[0], item[1])):
        if term != current:
            if parts:
                _write_term(fieldwriter, schema, current, parts, readers, bases, recode)
            current, parts = term, []
        parts.append((i, info))
    if parts:
        _write_term(fieldwriter, schema, current, parts, readers, bases, recode)


def _terms_of(reader, i: int):
    for term, info in reader._terms.items():
        yield term, i, info


def _write_term(fieldwriter: W3FieldWriter, schema, term, parts, readers, bases,
                recode: list[bool]) -> None:
    fieldname, btext = term
    fieldid = fieldwriter._fieldmap.setdefault(fieldname, len(fieldwriter._fieldmap))
    if any(info.is_inlined() for _, info in parts):
        raise CannotCopy(f"inlined postings for {term!r}")
    sources = [(_raw_postings(readers[i], info), bases[i], recode[i]) for i, info in parts]
    postfile = fieldwriter._postfile
    start = postfile.tell()
    postfile.write(WHOOSH3_HEADER_MAGIC)
    postings = fieldwriter._codec.postings_writer(postfile)
    if len(parts) > 1 and sum(info._df for _, info in parts) <= postings._blocklimit:
        # A rare word: its few postings in one block, not a small block per
        # segment (copied, they made the index a quarter larger).
        _write_repacked(postfile, sources, schema[fieldname].format, postings)
    else:
        for n, (raw, base, again) in enumerate(sources):
            _copy_blocks(raw, base, postfile, n == len(sources) - 1, again,
                         postings._compression)
    merged = W3TermInfo()
    for n, (i, info) in enumerate(parts):
        _add_stats(merged, info, bases[i], first=n == 0)
    merged.set_extent(start, postfile.tell() - start)
    fieldwriter._tindex.add(pack_ushort(fieldid) + btext, merged.to_bytes())


def _raw_postings(reader, info: W3TermInfo) -> bytes:
    """One segment's postings of a term as stored, after their header."""
    offset, length = info.extent()
    # Whoosh reads the stored length back as a 1-tuple; it includes the header
    raw = reader._terms._postfile.get(offset, length[0] if isinstance(length, tuple) else length)
    if raw[:4] != WHOOSH3_HEADER_MAGIC:
        raise CannotCopy(f"no postings header at {offset}")
    return raw[4:]


def _raw_blocks(raw: bytes):
    """(block, is the last) for each block of a term's raw postings."""
    pos = 0
    while pos < len(raw):
        (size,) = _INT.unpack_from(raw, pos)
        yield raw[pos + 4:pos + 4 + abs(size)], size < 0
        if size < 0:
            return
        pos += 4 + abs(size)


def _decoded(block: bytes) -> tuple[tuple, tuple]:
    """A block's info (count, last id, max weight, compression, min and max length
    byte) and data (delta-encoded ids, weights, values)."""
    stream = io.BytesIO(block)
    info = pickle.load(stream)
    data = stream.read()
    return info, pickle.loads(zlib.decompress(data) if info[3] else data)


#: a written block's data shorter than this is stored uncompressed (the block
#: says so): zlib makes a few postings longer, not shorter (merging six small
#: segments: 19.3 MB of postings with 256 here, 17.7 with 64, 17.8 always
#: compressing)
COMPRESS_FROM = 64


def encode_block(count: int, maxid: int, maxweight: float, comp: int, minlength: int,
             maxlength: int, data: tuple) -> bytes:
    """A block as Whoosh's postings writer lays it out: the pickled info, then the
    pickled data, compressed at level ``comp`` unless it is short."""
    data = pickle.dumps(data, 2)
    if len(data) < COMPRESS_FROM:
        comp = 0
    if comp:
        data = zlib.compress(data, comp)
    return pickle.dumps((count, maxid, maxweight, comp, minlength, maxlength), 2) + data


def _copy_blocks(raw: bytes, base: int, postfile, final: bool, again: bool,
                 comp: int) -> None:
    """Copy one segment's blocks of a term, ids shifted by ``base``; only the very
    last block of the merged term keeps the last-block mark (a negative length).
    A shifted block, or any with ``again``, is encoded again (compressed at
    ``comp``); the others are copied as they are."""
    if final and not base and not again:
        postfile.write(raw)  # a term of the first segment only: as it is
        return
    out = []
    for block, last in _raw_blocks(raw):
        if base or again:
            (count, maxid, maxweight, _comp, *lengths), (ids, weights, values) = \
                _decoded(block)
            # delta-encoded: the first id is absolute, the rest are gaps
            block = encode_block(count, maxid + base, maxweight, comp, *lengths,
                                 ((ids[0] + base, *ids[1:]), weights, values))
        out.append(_INT.pack(-len(block) if last and final else len(block)))
        out.append(block)
    postfile.write(b"".join(out))


def _write_repacked(postfile, sources, format_, postings) -> None:
    """The sources' few postings as one block, encoded as Whoosh's writer does."""
    deltas: list[int] = []
    weights: list[float] = []
    values: list = []
    lengths, maxweight, last = [], 0.0, 0
    fixed = format_.fixed_value_size()
    for raw, base, _again in sources:
        for block, _last in _raw_blocks(raw):
            (count, maxid, block_weight, _comp, minlength, maxlength), data = _decoded(block)
            ids, block_weights, block_values = data
            # delta-encoded: only the first id changes, shifted and made relative
            deltas.append(ids[0] + base - last)
            deltas.extend(ids[1:])
            last = maxid + base
            weights.extend(_weights_of(block_weights, count))
            if fixed is None or fixed < 0:
                values.extend(block_values)
            elif fixed > 0:
                values.append(block_values)
            lengths.extend(n for n in (minlength, maxlength) if n)
            maxweight = max(maxweight, block_weight)
    postings._weights = weights
    mini_weights = postings._mini_weights()  # None, one value or each, as Whoosh stores them
    mini_values = (tuple(values) if fixed is None or fixed < 0
                   else None if fixed == 0 else b"".join(values))
    # min and max length as the blocks store them, bytes (0: none), which keep the order
    block = encode_block(len(deltas), last, maxweight, postings._compression,
                     min(lengths) if lengths else 0, max(lengths) if lengths else 0,
                     (tuple(deltas), mini_weights, mini_values))
    postfile.write(_INT.pack(-len(block)) + block)  # the one block is the last


def _weights_of(stored, count: int) -> list[float]:
    """A block's weights as ``_mini_weights`` stored them: None (all 1.0), one
    value for all, or each."""
    if stored is None:
        return [1.0] * count
    if isinstance(stored, float):
        return [stored] * count
    return list(stored)


def _add_stats(merged: W3TermInfo, info: W3TermInfo, base: int, first: bool) -> None:
    merged._weight += info._weight
    merged._df += info._df
    if info._minlength is not None:
        merged._minlength = (info._minlength if merged._minlength is None
                             else min(merged._minlength, info._minlength))
    merged._maxlength = max(merged._maxlength, info._maxlength)
    merged._maxweight = max(merged._maxweight, info._maxweight)
    if first:
        merged._minid = info._minid + base
    merged._maxid = info._maxid + base
