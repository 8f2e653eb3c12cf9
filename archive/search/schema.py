"""The Whoosh schema: searchable text fields plus sortable numeric columns.

The numeric columns (``*_id``, ``year``, ``kind``...) hold each document's
facet and sort values; ``facets.py`` reads them into arrays per segment.
"""
from __future__ import annotations

from functools import lru_cache

from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Positions
from whoosh.system import pack_uint

from .analysis import stems, text_analyzer, word_analyzer, words

#: what a plain query searches, with its weight in relevance. ``body`` holds
#: the description plus tags, topic names, place, author and kecamatan, so a
#: word costs three postings lists instead of eight.
SEARCH_FIELDS: dict[str, float] = {"title": 3.0, "body": 1.0, "content": 1.0}
#: fields of their own for ``field:value`` queries (topik:sungai, tag:halte...)
FIELDED: dict[str, float] = {"tags": 2.0, "topic": 2.0, "place": 1.5, "author": 1.5,
                             "kecamatan": 1.5}
TEXT_FIELDS: dict[str, float] = {**SEARCH_FIELDS, **FIELDED}

#: numeric facet/sort columns, all stored as signed 64-bit ints (0 = none)
COLUMNS = (
    "entry_id", "topic_id", "camat_id", "kecamatan_id", "trip_id", "year",
    "kind", "gps", "published", "taken", "created", "score",
    # the GPS place's area (places.stored.area_code), the "place" facet
    "area",
)

KIND_CODES = {"photo": 1, "paper": 2}


class BilingualText(TEXT):
    """A TEXT field whose indexing analyses a value in one pass.

    Whoosh runs each token through the analyzer's chain of generators and
    then the format's own loop: 0.9 of the 2.7 ms of CPU that indexing a
    generated document took (0.55 ms this way). ``index`` here gives the
    same postings (tested equal) from ``analysis.stems`` or
    ``analysis.words``; queries, highlighting and old indexes still use the
    analyzer, which yields the same terms.
    """

    def __init__(self, stemmed: bool = True, **kwargs):
        super().__init__(analyzer=text_analyzer() if stemmed else word_analyzer(), **kwargs)
        self.stemmed = stemmed

    def index(self, value, **kwargs):
        if not isinstance(value, str) or kwargs:
            yield from super().index(value, **kwargs)
            return
        boost = self.format.field_boost
        encode = self.value_encoder()
        for term, poslist in self.positions(value).items():
            freq = len(poslist)
            yield (term.encode("utf-8"), freq, freq * boost, encode(poslist))

    def positions(self, value: str) -> dict[str, list[int]]:
        """Each term of ``value`` with the positions it has there, in order of first use."""
        found: dict[str, list[int]] = {}
        get = found.get
        for pos, term in enumerate(stems(value) if self.stemmed else words(value)):
            poslist = get(term)
            if poslist is None:
                found[term] = [pos]
            else:
                poslist.append(pos)
        return found

    def value_encoder(self):
        """What a posting of this field holds, from the term's positions: the
        positions (Whoosh's ``Positions.encode``) or only their count."""
        if isinstance(self.format, Positions):
            return _encode_positions
        return _encode_frequency


def _encode_positions(poslist: list[int]) -> bytes:
    # Most terms occur once in a field: their value is one of a few encodings.
    return _one_position(poslist[0]) if len(poslist) == 1 else _POSITIONS.encode(poslist)


def _encode_frequency(poslist: list[int]) -> bytes:
    return _frequency(len(poslist))


_POSITIONS = Positions()


@lru_cache(maxsize=4096)
def _one_position(pos: int) -> bytes:
    return _POSITIONS.encode([pos])


@lru_cache(maxsize=1024)
def _frequency(freq: int) -> bytes:
    return pack_uint(freq)


def build_schema() -> Schema:
    fields = {
        "id": ID(stored=True, unique=True),
        # content hash of the document, so `check` can find stale documents
        "digest": STORED(),
        # unstemmed words of the short fields: spelling suggestions and prefixes
        "words": BilingualText(stemmed=False, phrase=False, spelling=True),
    }
    for name, boost in TEXT_FIELDS.items():
        fields[name] = BilingualText(field_boost=boost)
    for name in COLUMNS:
        # One term per value (shift_step=64): the default of 4 indexes sixteen
        # range tiers per value, 192 of a document's ~460 postings, only to
        # speed up range queries the search never runs (facets.py filters and
        # sorts on the columns). Exact-value Term queries work as before.
        fields[name] = NUMERIC(bits=64, signed=True, sortable=True, default=0, shift_step=64)
    return Schema(**fields)
