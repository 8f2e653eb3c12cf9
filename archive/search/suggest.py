"""Did you mean: one-letter corrections of query words, from the words the index holds."""
from __future__ import annotations

from whoosh.searching import Searcher

from . import facets as facet_values
from .query import ParsedQuery
from .schema import TEXT_FIELDS

# ----------------------------------------------------------------- did you mean


_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def _edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(a + b[1:] for a, b in splits if b),
        *(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1),
        *(a + c + b[1:] for a, b in splits if b for c in _ALPHABET),
        *(a + c + b for a, b in splits for c in _ALPHABET),
    }


def _vocabulary(searcher: Searcher, values) -> frozenset[str]:
    """Every word of the spelling field, read once per index layout."""
    vocab = values.__dict__.get("_vocabulary")
    if vocab is None:
        vocab = frozenset(
            t.decode() if isinstance(t, bytes) else t
            for t in searcher.reader().lexicon("words")
        )
        values.__dict__["_vocabulary"] = vocab
    return vocab


def _correct(searcher: Searcher, values, word: str) -> str | None:
    """The most frequent known word one edit away, else Whoosh's two-edit search."""
    reader = searcher.reader()
    if word.isascii() and word.isalpha():
        vocab = _vocabulary(searcher, values)
        near = [w for w in _edits1(word) if w in vocab]
        if near:
            return max(near, key=lambda w: (reader.doc_frequency("words", w), w))
    if len(word) <= 4:
        return None
    try:
        # prefix=2 keeps the edit-distance walk over the vocabulary short
        options = searcher.suggest("words", word, limit=1, maxdist=2, prefix=2)
    except Exception:  # spelling is a nicety; never fail the search for it
        return None
    return options[0] if options else None


def suggest(searcher: Searcher, parsed: ParsedQuery, total: int, values=None) -> str | None:
    """'Apakah maksud Anda ...?': replace words the index does not know by close ones it does."""
    if parsed.is_empty or total > 5:
        return None
    reader = searcher.reader()
    changed = False
    out: list[str] = []
    for clause in parsed.clauses:
        if clause.kind != "word" or clause.negated or not clause.raw:
            continue
        word = clause.raw
        known = reader.doc_frequency("words", word) or any(
            reader.doc_frequency(f, clause.terms[0]) for f in TEXT_FIELDS
        )
        if not known and len(word) >= 3 and not word.isdigit():
            better = _correct(searcher, values or facet_values.doc_values(searcher), word)
            if better:
                out.append(better)
                changed = True
                continue
        out.append(word)
    return " ".join(out) if changed else None
