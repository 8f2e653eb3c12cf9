"""Write a reindex segment's postings from memory, a term at a time.

Whoosh's writer keeps every posting of a segment as a tuple (field, term,
document, weight, positions) in one list, sorts the list when the segment
is closed (1.4 million tuples for 5,000 generated documents,
compared field by field) and hands each posting to the postings writer
with a handful of method calls and checks. That was most of the time an
indexing process spends writing a segment, itself nearly half of a
reindex's CPU (profile of 5,000 generated documents).

``TermPool`` instead groups the postings by term as the documents are
added: in a reindex a term's postings arrive in document order, so only the
terms need sorting (a twelfth as many). ``write_postings`` then lays each
term out as Whoosh 3's postings writer does, a block of up to 128 postings
at a time: ids delta-encoded, weights as 32-bit floats, the block's
statistics and the term's. Short blocks are stored uncompressed, as the
planned merges store them (``blockmerge.COMPRESS_FROM``). Tested equal,
term by term, to what Whoosh's own writer gives
(``tests/test_search_reindex_bounded.py``).
"""
from __future__ import annotations

import struct
from array import array

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3TermInfo, _lenfield
from whoosh.system import pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte

from .blockmerge import encode_block

_INT = struct.Struct("!i")  # a block's length, as StructFile.write_int writes it


class TermPool:
    """The postings of the segment being written, grouped by field and term.

    Stands in for Whoosh's ``PostingPool`` in ``bulk.FlushingWriter``; it
    never spills to disk: the indexing process closes its segment before
    ``currentsize`` reaches ``limit``. ``currentsize`` estimates the pool's
    own memory: a posting's three list slots, its weight and its value
    bytes; a term's key, its list and its slot in the dict. Measured with
    ``benchmarks/search.py``'s documents: tracemalloc puts the postings at
    0.86 of the estimate (a text term's string is counted, though it is
    mostly shared with the analyzer's cache); Whoosh's pool estimated 1.7
    times this one for the same postings, and took more.
    """

    #: a posting: three list slots (with the list's spare room), a float, a bytes object
    POSTING = 3 * 9 + 24 + 33
    #: a posting whose value bytes are shared with others (``add_field``)
    SHARED_VALUE_POSTING = 3 * 9 + 24
    #: a new term: the key tuple and its bytes, an empty list, a dict slot
    TERM = 56 + 33 + 56 + 70
    #: a new term of a text field: the term string, an empty list, a dict slot
    TEXT_TERM = 49 + 56 + 70

    def __init__(self, limitmb: int):
        self.limit = limitmb * 1024 * 1024
        self.currentsize = 0
        #: (field, term bytes) -> [document, weight, value, document, ...]
        self.terms: dict[tuple[str, bytes], list] = {}
        #: a text field's terms (``add_field``): field -> term -> the same lists
        self.texts: dict[str, dict[str, list]] = {}

    def add(self, item: tuple) -> None:
        """``item``: (field, term bytes, document number, weight, value bytes), the
        documents in increasing order; not for a field ``add_field`` takes."""
        key = item[:2]
        postings = self.terms.get(key)
        if postings is None:
            self.terms[key] = postings = []
            self.currentsize += self.TERM + len(item[1])
        postings += item[2:]
        value = item[4]  # an empty value is Whoosh's one empty bytes object
        self.currentsize += self.POSTING + len(value) if value else self.SHARED_VALUE_POSTING

    def add_field(self, fieldname: str, positions: dict, docnum: int, boost: float,
                  encode) -> int:
        """A text field's postings in one call, as ``add`` would take them one by one
        from ``BilingualText.index``: ``positions`` maps each term to its
        positions, ``encode`` makes a posting's value of them. Returns the field's
        length (its number of words). Keyed by the term as a string, which
        hashes once (a key of new bytes hashed at every posting)."""
        terms = self.texts.get(fieldname)
        if terms is None:
            terms = self.texts[fieldname] = {}
        size = length = 0
        for term, poslist in positions.items():
            postings = terms.get(term)
            if postings is None:
                terms[term] = postings = []
                size += self.TEXT_TERM + len(term)
            freq = len(poslist)
            length += freq
            value = encode(poslist)
            postings += (docnum, freq * boost, value)
            # a term used once in a field has a value the encoder shares
            size += self.POSTING + len(value) if freq > 1 else self.SHARED_VALUE_POSTING
        self.currentsize += size
        return length

    def sorted_terms(self):
        """((field, term bytes), postings) for every term, in the order Whoosh
        writes them; each leaves the pool as it is given."""
        keys = [(field, term.encode("utf-8"), term)
                for field, terms in self.texts.items() for term in terms]
        keys += [(*key, None) for key in self.terms]
        keys.sort(key=_field_and_bytes)
        for field, btext, term in keys:
            if term is None:
                yield (field, btext), self.terms.pop((field, btext))
            else:
                yield (field, btext), self.texts[field].pop(term)

    def postings_count(self) -> int:
        lists = [*self.terms.values(), *(p for t in self.texts.values() for p in t.values())]
        return sum(len(postings) // 3 for postings in lists)

    def cleanup(self) -> None:
        self.terms = {}
        self.texts = {}


def _field_and_bytes(key: tuple) -> tuple:
    return key[:2]


def write_postings(fieldwriter, schema, lengths, pool: TermPool, compress: bool = True) -> None:
    """Every term of ``pool`` into ``fieldwriter``, a Whoosh 3 field writer;
    ``lengths.column(field)`` gives each document's field length.
    ``compress=False`` leaves the blocks uncompressed, for a segment that a
    merge will write again (``merges``): Whoosh reads them as well."""
    blocklimit = fieldwriter._codec._blocklimit
    postfile = fieldwriter._postfile
    add_term = fieldwriter._tindex.add
    field = None
    for (fieldname, btext), flat in pool.sorted_terms():
        if fieldname != field:
            if field is not None:
                fieldwriter.finish_field()
            field = fieldname
            fieldwriter.start_field(fieldname, schema[fieldname])
            fieldid = pack_ushort(fieldwriter._fieldid)
            postings = fieldwriter._postwriter
            postings._format = fieldwriter._format  # its _mini_values reads the values' size
            comp = postings._compression if compress else 0
            column = lengths.column(fieldname) if lengths else None
        info = W3TermInfo()
        start = postfile.tell()
        out = [WHOOSH3_HEADER_MAGIC]
        count = len(flat) // 3
        for first in range(0, count, blocklimit):
            end = min(count, first + blocklimit)
            block = _block(flat[3 * first:3 * end], column, postings, info, comp)
            out.append(_INT.pack(-len(block) if end == count else len(block)))
            out.append(block)
        postfile.write(b"".join(out))
        info.set_extent(start, postfile.tell() - start)
        add_term(fieldid + btext, info.to_bytes())
    if field is not None:
        fieldwriter.finish_field()


def _block(flat: list, column, postings, info: W3TermInfo, comp: int) -> bytes:
    """One block of postings (``flat``: document, weight, value, ...) as Whoosh's
    ``W3PostingsWriter._write_block`` lays it out; its statistics go into ``info``."""
    ids = flat[0::3]
    raw_weights = flat[1::3]
    weights = array("f", raw_weights)  # Whoosh keeps a block's weights as 32-bit floats
    values = [v for v in flat[2::3] if v]
    maxweight = max(0, max(raw_weights))
    if column is not None:
        known = [n for n in map(column.__getitem__, ids) if n]
        minlength = min(known) if known else None
        maxlength = max(known) if known else 0
    else:
        minlength, maxlength = None, 0

    info._weight += sum(weights)
    info._df += len(ids)
    if info._minlength is None:
        info._minlength = minlength
    elif minlength is not None:
        info._minlength = min(info._minlength, minlength)
    info._maxlength = max(info._maxlength, maxlength)
    info._maxweight = max(info._maxweight, maxweight)
    if info._minid is None:
        info._minid = ids[0]
    info._maxid = ids[-1]

    deltas = [ids[0]]
    deltas += [b - a for a, b in zip(ids, ids[1:])]
    postings._weights = weights
    postings._values = values
    data = (tuple(deltas), postings._mini_weights(), postings._mini_values())
    return encode_block(len(ids), ids[-1], maxweight, comp,
                        length_to_byte(minlength), length_to_byte(maxlength), data)


class FieldLengths:
    """``doc_field_length`` for ``add_postings``, one field's lengths decoded at a time.

    Postings arrive field by field; looking each one's length up in the
    column (as Whoosh's reader does) was a quarter of a merge's time.
    """

    def __init__(self, pdr):
        self.pdr = pdr
        self.field = None
        self.values = None

    def column(self, fieldname: str) -> list | None:
        """Each document's length of ``fieldname`` (None: zero), or None for a field
        without lengths."""
        if fieldname != self.field:
            self.field = fieldname
            lenfield = _lenfield(fieldname)
            self.values = None
            if self.pdr.has_column(lenfield):
                column = self.pdr.column_reader(lenfield, LENGTHS_COLUMN)
                # as W3PerDocReader.doc_field_length: a zero byte gives None
                self.values = [byte_to_length(b) if b else None for b in column]
        return self.values

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        values = self.column(fieldname)
        if values is None:
            return default
        return values[docnum]
