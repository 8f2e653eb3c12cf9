"""Evaluate a Whoosh query over the whole index at once, with numpy.

Facet counts need every matching document, not only the top twenty. Walking
Whoosh's matcher tree doc by doc in Python costs microseconds per posting and
per field, which at 100,000 entries is hundreds of milliseconds for a common
word. Here each term's postings are read block by block straight into numpy
arrays (docnums and term frequencies), and the query tree is combined with
set operations: union for Or, intersection for And, difference for AndNot.
Phrases still go through Whoosh's own matcher (they need positions), once per
phrase and index layout; their scores are their words', looked up.

Scores are BM25-style without length normalisation: field boost x idf x
saturated term frequency, summed over the matching terms.
The set operations themselves are in ``sets``, the postings' cache in ``postings``.
"""
from __future__ import annotations

import threading

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from .kernels import scatter_add, scatter_round, values_at
from .postings import segment_postings
from .sets import EMPTY_IDS, EMPTY_SCORES, Matches, dense_sum, intersect, is_dense, union


class PhraseCache:
    """Phrases' Matches for one index layout, up to ``max_bytes`` and
    ``max_entries`` (then it starts over: what people type in quotes is
    open-ended); their arrays are read-only, as every caller shares them."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024, max_entries: int = 4096):
        self.max_bytes, self.max_entries = max_bytes, max_entries
        self.found: dict[tuple, Matches] = {}
        self.nbytes = 0
        self.lock = threading.Lock()

    def get(self, key: tuple) -> Matches | None:
        return self.found.get(key)

    def put(self, key: tuple, matches: Matches) -> Matches:
        for array in (matches.ids, matches.scores):
            if array.size:  # not the shared empty arrays
                array.flags.writeable = False
        size = matches.ids.nbytes + matches.scores.nbytes
        with self.lock:
            if self.nbytes + size > self.max_bytes or len(self.found) >= self.max_entries:
                self.found.clear()
                self.nbytes = 0
            if key not in self.found:
                self.found[key] = matches
                self.nbytes += size
        return matches


class Evaluator:
    """Evaluates queries against one searcher, with its live-document mask."""

    def __init__(self, searcher: Searcher, values):
        self.searcher = searcher
        # Phrase positions are checked by Whoosh in Python, doc by doc: keep
        # what a phrase matched for as long as this index layout lives
        # (synonym groups such as "jalur pejalan kaki" turn up in many queries).
        self.phrase_cache: PhraseCache = values.__dict__.setdefault("_phrases", PhraseCache())
        self.leaves = searcher.reader().leaf_readers()
        self.segment_keys = values.segment_keys
        self.alive = values.alive
        self.alive_mask = values.alive_mask

    def evaluate(self, q: wq.Query | None) -> Matches:
        if q is None or isinstance(q, wq.Every):
            return Matches(self.alive, np.zeros(self.alive.size))
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return Matches(EMPTY_IDS, EMPTY_SCORES)
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, wq.AndNot):
            pos = self.evaluate(q.a)
            neg = self.evaluate(q.b)
            keep = ~np.isin(pos.ids, neg.ids, assume_unique=True)
            return Matches(pos.ids[keep], pos.scores[keep])
        if isinstance(q, wq.And):
            return self._and(q)
        if isinstance(q, wq.Or):
            return self._or(q)
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        # Anything else (not produced by our parser): Whoosh's matcher, unscored.
        ids = np.fromiter(q.docs(self.searcher), dtype=np.int64)
        return Matches(np.unique(ids), np.ones(ids.size))

    def _or(self, q: wq.Or) -> Matches:
        """Nested Ors (fields within synonyms) as one union, since a union of
        large sets scans arrays of the index's size; a term's postings are
        added to it straight from each segment's cache, without a Matches of
        their own (the same scores, added in the same order)."""
        return self._union(*self._parts(_or_parts(q)))

    def _and(self, q: wq.And) -> Matches:
        """An And of Ors (a query's words, each over its fields and synonyms)
        whose postings are a large share of the index goes into one pair of
        the thread's arrays: each Or adds only to the documents every earlier
        one marked, and one pass collects those the last one marked. A union
        of each Or, collected, then intersected, was three passes over arrays
        of the index's size and two copies of ~400,000 matches for two common
        words at a million entries. Smaller ones: sorted sets, smallest first."""
        rounds = [self._parts(_or_parts(sub) if type(sub) is wq.Or else [sub])
                  for sub in q.subqueries]
        size = self.alive_mask.size
        if 1 < len(rounds) < 255 and is_dense(sum(total for _, total in rounds), size):
            def add(present: np.ndarray, summed: np.ndarray) -> None:
                for number, (parts, _total) in enumerate(rounds, start=1):
                    self._add(present, summed, parts, number)

            return self._dense(add, len(rounds))  # rounds are counted in a byte
        out = None
        for found in sorted((self._union(*r) for r in rounds), key=lambda m: m.ids.size):
            out = found if out is None else intersect(out, found, size)
            if out.ids.size == 0:
                break
        return out if out is not None else Matches(EMPTY_IDS, EMPTY_SCORES)

    def _parts(self, subs) -> tuple[list[tuple[wq.Term | None, object]], int]:
        """Each of ``subs`` as (term, its postings per segment) or (None, its
        Matches), and how many postings or matches they hold in all."""
        parts: list[tuple[wq.Term | None, object]] = []
        total = 0
        for sub in subs:
            if isinstance(sub, wq.Term):
                found = self._postings(sub.fieldname, sub.text)
                total += sum(ids.size for _, ids, _ in found)
                parts.append((sub, found))
            else:
                matches = self.evaluate(sub)
                total += matches.ids.size
                parts.append((None, matches))
        return parts, total

    def _union(self, parts: list, total: int) -> Matches:
        """The union of ``parts`` (see ``_parts``) that hold ``total`` postings."""
        if not is_dense(total, self.alive_mask.size):
            return union([found if sub is None else self._term_from(sub, found)
                          for sub, found in parts], self.alive_mask.size)
        return self._dense(lambda present, summed: self._add(present, summed, parts, 1))

    def _add(self, present: np.ndarray, summed: np.ndarray, parts: list, number: int) -> None:
        """``parts`` (see ``_parts``) added into the thread's arrays as round ``number``."""
        for sub, found in parts:
            if sub is None:
                _scatter(present, summed, 0, found.ids, found.scores, 1.0, number)
                continue
            factor = sub.boost * self.searcher.idf(sub.fieldname, sub.text)
            for offset, ids, weights in found:
                _scatter(present, summed, offset, ids, weights, factor, number)

    def _dense(self, add, rounds: int = 1) -> Matches:
        ids, scores = dense_sum(self.alive_mask.size, add, rounds)
        if self.alive.size != self.alive_mask.size:  # some documents are deleted
            keep = self.alive_mask[ids]
            ids, scores = ids[keep], scores[keep]
        return Matches(ids, scores)

    def _term(self, q: wq.Term) -> Matches:
        return self._term_from(q, self._postings(q.fieldname, q.text))

    def _term_from(self, q: wq.Term, found: list) -> Matches:
        if not found:
            return Matches(EMPTY_IDS, EMPTY_SCORES)
        # One array each, filled segment by segment (no per-segment copies).
        total = sum(ids.size for _, ids, _ in found)
        ids = np.empty(total, dtype=np.int64)
        weights = np.empty(total, dtype=np.float64)
        start = 0
        for offset, seg_ids, seg_weights in found:
            end = start + seg_ids.size
            np.add(seg_ids, offset, out=ids[start:end])
            weights[start:end] = seg_weights
            start = end
        if self.alive.size != self.alive_mask.size:  # some documents are deleted
            keep = self.alive_mask[ids]
            ids, weights = ids[keep], weights[keep]
        weights *= q.boost * self.searcher.idf(q.fieldname, q.text)
        return Matches(ids, weights)

    def _phrase(self, q: wq.Phrase) -> Matches:
        """The phrase's documents and scores, found once per index layout:
        synonym groups put phrases into one-word queries ("halte" brings
        "bus stop" and "street furniture" in three fields), and looking their
        words' scores up again was ~7 ms of such a query's 23 at a million entries."""
        key = (q.fieldname, tuple(q.words), q.slop, q.boost)
        found = self.phrase_cache.get(key)
        if found is None:
            found = self.phrase_cache.put(key, self._phrase_matches(q))
        return found

    def _phrase_matches(self, q: wq.Phrase) -> Matches:
        # Whoosh's phrase matcher reads the positions, in Python, document by
        # document.
        ids = np.unique(np.fromiter(q.docs(self.searcher), dtype=np.int64))
        if ids.size == 0:
            return Matches(EMPTY_IDS, EMPTY_SCORES)
        # Each word's score at the phrase's documents, looked up in its postings
        # segment by segment, rather than intersecting the words' postings again
        # (a common word has hundreds of thousands at a million entries). Whoosh
        # matched these documents in this layout, so each has every word.
        # Summed smallest list first, as And does.
        terms = sorted(((self._postings(q.fieldname, w), w) for w in q.words),
                       key=lambda found: sum(ids.size for _, ids, _ in found[0]))
        scores = None
        for found, word in terms:
            at = self._scores_at(found, ids) * (q.boost * self.searcher.idf(q.fieldname, word))
            scores = at if scores is None else scores + at
        return Matches(ids, scores * 1.5)

    def _postings(self, fieldname: str, text: str) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """(offset, docnums, saturated frequencies) of each segment holding the term."""
        found = []
        for (reader, offset), seg_key in zip(self.leaves, self.segment_keys):
            ids, weights = segment_postings(reader, seg_key, fieldname, text)
            if ids.size:
                found.append((offset, ids, weights))
        return found

    @staticmethod
    def _scores_at(found, docnums: np.ndarray) -> np.ndarray:
        """The saturated frequencies at ``docnums`` (sorted, every one in the postings)."""
        out = np.empty(docnums.size, dtype=np.float64)
        for offset, ids, weights in found:
            lo, hi = np.searchsorted(docnums, (offset, offset + int(ids[-1]) + 1))
            if hi > lo:
                out[lo:hi] = values_at(ids, weights, docnums[lo:hi], offset)
        return out


def _scatter(present, summed, offset, ids, weights, factor, number: int) -> None:
    """A union's first (or only) round marks every docnum; later rounds only
    those every earlier round marked."""
    if number == 1:
        scatter_add(present, summed, offset, ids, weights, factor)
    else:
        scatter_round(present, summed, offset, ids, weights, factor, number)


def _or_parts(q: wq.Or):
    """The subqueries of ``q``, with those of nested plain Ors in their place."""
    for sub in q.subqueries:
        if type(sub) is wq.Or:
            yield from _or_parts(sub)
        else:
            yield sub
