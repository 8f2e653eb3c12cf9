"""Bilingual synonym groups, kept as data (table ``search_synonym``) and applied at query time.

A group such as ``river, sungai, kali`` means: a query for any of these words
or phrases also finds the others. Groups are matched on analyzed stems, so
``rivers`` or ``sungainya`` in a query trigger the ``river`` group too.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import select

from ..extensions import db
from .analysis import stems
from .models import SearchSynonym

#: the six assignment topics' everyday words (also seeded by migration 0002)
DEFAULT_SYNONYMS = (
    "sidewalk, trotoar, jalur pejalan kaki, pedestrian path",
    "river, sungai, kali, stream",
    "billboard, signage, reklame, papan informasi, papan reklame, sign",
    "park, taman",
    "street furniture, aksesoris perkotaan, bangku, bench, halte, bus stop",
    "tree, pohon",
)


@dataclass(frozen=True)
class SynonymGroup:
    #: each variant as its sequence of stems, e.g. (("jalur", "pejal", "kaki"), ("trotoar",))
    variants: tuple[tuple[str, ...], ...]


def parse_terms(text: str) -> list[str]:
    """Clean a comma-separated list typed by an admin."""
    seen: list[str] = []
    for part in text.split(","):
        term = " ".join(part.split()).lower()
        if term and term not in seen:
            seen.append(term)
    return seen


def load_groups() -> list[SynonymGroup]:
    rows = db.session.scalars(select(SearchSynonym.terms)).all()
    return list(_groups_for(tuple(rows)))


@lru_cache(maxsize=16)
def _groups_for(texts: tuple[str, ...]) -> tuple[SynonymGroup, ...]:
    # Keyed by the admin's texts themselves, so an edit is seen at once; the
    # analysis of every variant is what a search saves.
    return tuple(groups_from_texts(texts))


def groups_from_texts(texts) -> list[SynonymGroup]:
    groups = []
    for text in texts:
        variants = tuple(dict.fromkeys(tuple(stems(t)) for t in parse_terms(text) if stems(t)))
        if len(variants) > 1:
            groups.append(SynonymGroup(variants))
    return groups


def seed_defaults() -> int:
    """Add the default groups when the table is empty (used by tests and fresh setups)."""
    if db.session.scalar(select(SearchSynonym.id).limit(1)) is not None:
        return 0
    for terms in DEFAULT_SYNONYMS:
        db.session.add(SearchSynonym(terms=terms))
    db.session.flush()
    return len(DEFAULT_SYNONYMS)


def expand(sequence: list[str], groups: list[SynonymGroup]) -> list[tuple[int, int, SynonymGroup]]:
    """Find synonym matches in a run of query stems: (start, end, group), longest first, no overlaps."""
    found: list[tuple[int, int, SynonymGroup]] = []
    i = 0
    while i < len(sequence):
        best = None
        for group in groups:
            for variant in group.variants:
                n = len(variant)
                if tuple(sequence[i:i + n]) == variant and (best is None or n > best[1] - best[0]):
                    best = (i, i + n, group)
        if best:
            found.append(best)
            i = best[1]
        else:
            i += 1
    return found
