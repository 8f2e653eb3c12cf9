"""Run a search: query, visibility, filters, facets, sorting, paging, snippets, suggestions.

The index finds and ranks; the database stays the source of truth: the hits
of the requested page are loaded from it in one query and re-ordered to rank.
"""
from __future__ import annotations

import math
import weakref
import time
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from whoosh import query as wq
from whoosh.searching import Searcher

from ..entries.visibility import Viewer
from ..extensions import db
from ..models import Camat, Entry, Kecamatan, StoredFile, Topic, Trip
from . import facets as facet_values
from whoosh.support.charset import accent_map

from .analysis import WORD_PATTERN, stem_word, words
from .index import with_searcher
from .matching import Evaluator
from .query import ParsedQuery, build, parse
from .schema import KIND_CODES, TEXT_FIELDS
from .synonyms import load_groups

SORTS = ("relevance", "newest", "taken", "score")
PER_PAGE = 20
MAX_PAGE = 500
KIND_NAMES = {v: k for k, v in KIND_CODES.items()}


@dataclass
class SearchParams:
    q: str = ""
    topic: str = ""             # topic slug
    camat: int | None = None
    kecamatan: int | None = None
    trip: str = ""              # trip slug (or id)
    year: int | None = None
    kind: str = ""              # "photo" | "paper"
    gps: str = ""               # "1" with a position, "0" without
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    #: who is looking: visitors see published entries; a camat also their drafts
    viewer: Viewer = field(default_factory=Viewer)
    with_facets: bool = True

    @classmethod
    def from_args(cls, args, viewer: Viewer | None = None) -> "SearchParams":
        """Read request query args; bad values are ignored rather than failing."""
        def to_int(name: str) -> int | None:
            value = (args.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) < 10 else None

        sort = args.get("sort") or "relevance"
        kind = args.get("kind") or ""
        gps = args.get("gps") or ""
        return cls(
            q=args.get("q") or "",
            topic=(args.get("topic") or "")[:64],
            camat=to_int("camat"),
            kecamatan=to_int("kecamatan"),
            trip=(args.get("trip") or "")[:120],
            year=to_int("year"),
            kind=kind if kind in KIND_CODES else "",
            gps=gps if gps in ("0", "1") else "",
            sort=sort if sort in SORTS else "relevance",
            page=min(max(to_int("page") or 1, 1), MAX_PAGE),
            viewer=viewer or Viewer(),
        )

    def filters(self) -> dict[str, str]:
        """The active filters as URL args (for links that keep them)."""
        out = {"topic": self.topic, "camat": self.camat, "kecamatan": self.kecamatan,
               "trip": self.trip, "year": self.year, "kind": self.kind, "gps": self.gps}
        return {k: str(v) for k, v in out.items() if v not in (None, "")}


@dataclass
class Hit:
    entry: Entry
    score: float
    snippet: Markup
    #: for papers: the page where the words stand, and its link
    page_number: int | None = None
    page_url: str | None = None


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    active: bool = False


@dataclass
class SearchResults:
    params: SearchParams
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    notices: list[str] = field(default_factory=list)
    #: True when no entry had every word, and entries with some of them are shown
    relaxed: bool = False
    took_ms: float = 0.0

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def index_dir() -> str:
    return current_app.config["INDEX_DIR"]


# --------------------------------------------------------------------------- core


@dataclass
class _Matches:
    docnums: np.ndarray
    scores: np.ndarray


def _collect(searcher: Searcher, q: wq.Query | None, values) -> _Matches:
    """Every matching docnum with its score (numpy set operations, see matching.py)."""
    found = Evaluator(searcher, values).evaluate(q)
    return _Matches(found.ids, found.scores)


def _resolve(params: SearchParams) -> dict[str, int | None]:
    """Filter values as ids (slugs looked up); -1 when a filter names nothing."""
    ids: dict[str, int | None] = {"topic_id": None, "trip_id": None}
    if params.topic:
        ids["topic_id"] = db.session.scalar(select(Topic.id).where(Topic.slug == params.topic)) or -1
    if params.trip:
        cond = Trip.id == int(params.trip) if params.trip.isdigit() else Trip.slug == params.trip
        ids["trip_id"] = db.session.scalar(select(Trip.id).where(cond)) or -1
    return ids


def _mask(values, docs: np.ndarray, params: SearchParams, ids: dict, skip: str = "") -> np.ndarray:
    visible = params.viewer.index_mask(values["published"][docs], values["camat_id"][docs])
    keep = np.ones(docs.size, dtype=bool) if visible is None else visible.copy()
    checks = {
        "topic": ("topic_id", ids["topic_id"]),
        "camat": ("camat_id", params.camat),
        "kecamatan": ("kecamatan_id", params.kecamatan),
        "trip": ("trip_id", ids["trip_id"]),
        "year": ("year", params.year),
        "kind": ("kind", KIND_CODES.get(params.kind)),
        "gps": ("gps", int(params.gps) if params.gps else None),
    }
    for name, (column, wanted) in checks.items():
        if wanted is not None and name != skip:
            keep &= values[column][docs] == wanted
    return keep


def _order(values, docs: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
    """Positions into ``docs`` in display order (stable, newest first on ties)."""
    created = values["created"][docs]
    newest = (-values["entry_id"][docs], -created)  # ties by id: same-second uploads
    if sort == "relevance":
        return np.lexsort((*newest, -scores))
    if sort == "taken":
        taken = values["taken"][docs]
        # entries without a date go last
        return np.lexsort((*newest, -taken, taken == 0))
    if sort == "score":
        return np.lexsort((*newest, -values["score"][docs]))
    return np.lexsort(newest)


FACET_COLUMNS = {
    "topic": "topic_id", "camat": "camat_id", "kecamatan": "kecamatan_id",
    "trip": "trip_id", "year": "year", "kind": "kind", "gps": "gps",
}


def _facet_counts(values, docs: np.ndarray, keep: np.ndarray) -> dict[str, dict[int, int]]:
    """Counts per facet over the filtered matches (the counts follow every filter)."""
    chosen = docs[keep]
    return {name: facet_values.count(values, chosen, col) for name, col in FACET_COLUMNS.items()}


def search_entries(params: SearchParams) -> SearchResults:
    """Search the index and return one page of hits loaded from the database."""
    started = time.perf_counter()
    parsed = parse(params.q)
    groups = load_groups() if not parsed.is_empty else []
    ids = _resolve(params)

    def run(searcher: Searcher):
        values = facet_values.doc_values(searcher)
        q, highlight = build(parsed, searcher, groups)
        matches = _collect(searcher, q, values)
        keep = _mask(values, matches.docnums, params, ids)
        relaxed = False
        if not keep.any() and len(parsed.positive) > 1 and isinstance(q, wq.And):
            # Natural questions ("how does Seoul keep riverbanks clean?") rarely
            # have every word in one entry: fall back to any of the words.
            matches = _collect(searcher, wq.Or(q.subqueries), values)
            keep = _mask(values, matches.docnums, params, ids)
            relaxed = bool(keep.any())
        docs, scores = matches.docnums[keep], matches.scores[keep]
        order = _order(values, docs, scores, params.sort if not parsed.is_empty or params.sort != "relevance" else "newest")
        start = (params.page - 1) * params.per_page
        page_pos = order[start:start + params.per_page]
        page_ids = [int(values["entry_id"][docs[i]]) for i in page_pos]
        page_scores = [float(scores[i]) for i in page_pos]
        counts = _facet_counts(values, matches.docnums, keep) if params.with_facets else {}
        suggestion = _suggest(searcher, parsed, int(docs.size), values)
        labels = _facet_labels(values) if counts else None
        return int(docs.size), page_ids, page_scores, counts, suggestion, highlight, relaxed, labels

    total, page_ids, page_scores, counts, suggestion, highlight, relaxed, labels = with_searcher(
        index_dir(), run)
    entries = load_entries(page_ids)
    hits = [
        _hit(entries[i], s, highlight) for i, s in zip(page_ids, page_scores) if i in entries
    ]
    notices = list(parsed.notices)
    if relaxed:
        notices.append(_("Tidak ada entri yang memuat semua kata; ditampilkan entri yang memuat sebagian kata."))
    return SearchResults(
        params=params, hits=hits, total=total, page=params.page, per_page=params.per_page,
        facets=_label_facets(counts, params, ids, labels) if counts else {},
        suggestion=suggestion, notices=notices, relaxed=relaxed,
        took_ms=(time.perf_counter() - started) * 1000,
    )


def load_entries(entry_ids: list[int]) -> dict[int, Entry]:
    """The entries in one query, with what cards and snippets need."""
    if not entry_ids:
        return {}
    rows = db.session.scalars(
        select(Entry).where(Entry.id.in_(entry_ids)).options(
            joinedload(Entry.topic), joinedload(Entry.trip),
            joinedload(Entry.camat).joinedload(Camat.kecamatan),
            joinedload(Entry.file).selectinload(StoredFile.pages), selectinload(Entry.tags),
        )
    )
    return {e.id: e for e in rows}


# --------------------------------------------------------------------- facets


@dataclass
class _Labels:
    """Names of the facet values, read once per index layout."""

    topics: dict[int, tuple[str, str, int]]   # id -> (slug, name, position)
    camat: dict[int, str]
    kecamatan: dict[int, str]
    trips: dict[int, tuple[str, str]]         # id -> (slug, title)


#: facet labels per index layout; dropped with the layout's DocValues
_labels_by_layout: "weakref.WeakKeyDictionary[facet_values.DocValues, _Labels]" = (
    weakref.WeakKeyDictionary())


def _facet_labels(values) -> _Labels:
    """The small label tables, cached on the index layout's DocValues.

    Renaming a topic, camat, kecamatan or trip rewrites its entries' documents
    (outbox), which gives a new layout and so a fresh read; four queries per
    request were a fifth of a search's database time.
    """
    labels = _labels_by_layout.get(values)
    if labels is None:
        labels = _Labels(
            topics={i: (slug, (name_id, name_en), pos)
                    for i, slug, name_id, name_en, pos in db.session.execute(
                        select(Topic.id, Topic.slug, Topic.name_id, Topic.name_en,
                               Topic.position))},
            camat=dict(db.session.execute(select(Camat.id, Camat.name)).all()),
            kecamatan=dict(db.session.execute(select(Kecamatan.id, Kecamatan.name)).all()),
            trips={i: (slug, title) for i, slug, title in db.session.execute(
                select(Trip.id, Trip.slug, Trip.title))},
        )
        _labels_by_layout[values] = labels
    return labels


def _label_facets(counts: dict[str, dict[int, int]], params: SearchParams, ids: dict,
                  labels: _Labels) -> dict[str, list[FacetValue]]:
    out: dict[str, list[FacetValue]] = {}
    topics = labels.topics
    english = str(get_locale()) == "en"
    out["topic"] = [
        FacetValue(topics[i][0], topics[i][1][1 if english else 0], c, ids["topic_id"] == i)
        for i, c in sorted((i, c) for i, c in counts["topic"].items() if i in topics)
    ]
    out["topic"].sort(key=lambda f: (_topic_position(topics, f.value), f.label))
    camat = labels.camat
    out["camat"] = sorted((FacetValue(str(i), camat[i], c, params.camat == i)
                           for i, c in counts["camat"].items() if i in camat), key=lambda f: (-f.count, f.label))
    kec = labels.kecamatan
    out["kecamatan"] = sorted((FacetValue(str(i), kec[i], c, params.kecamatan == i)
                               for i, c in counts["kecamatan"].items() if i in kec), key=lambda f: (-f.count, f.label))
    trips = labels.trips
    out["trip"] = [FacetValue(trips[i][0], trips[i][1], c, ids["trip_id"] == i)
                   for i, c in counts["trip"].items() if i in trips]
    out["year"] = sorted((FacetValue(str(y), str(y), c, params.year == y)
                          for y, c in counts["year"].items() if y), key=lambda f: f.value, reverse=True)
    labels_kind = {"photo": _("Foto"), "paper": _("Paper")}
    out["kind"] = [FacetValue(KIND_NAMES[k], labels_kind[KIND_NAMES[k]], c, params.kind == KIND_NAMES[k])
                   for k, c in sorted(counts["kind"].items()) if k in KIND_NAMES]
    gps_labels = {1: _("Ada lokasi GPS"), 0: _("Tanpa lokasi GPS")}
    out["gps"] = [FacetValue(str(g), gps_labels[g], c, params.gps == str(g))
                  for g, c in sorted(counts["gps"].items(), reverse=True) if g in gps_labels]
    return out


def _topic_position(topics: dict[int, tuple[str, str, int]], slug: str) -> int:
    for topic_slug, _name, position in topics.values():
        if topic_slug == slug:
            return position
    return 0


# ------------------------------------------------------------ snippets, pages


SNIPPET_CHARS = 240


#: ~100 texts per results page (descriptions, paper pages); 20-50 KB each when
#: cached, so at most ~80 MB per worker
@lru_cache(maxsize=2048)
def _text_words(text: str) -> tuple[dict[str, tuple[str, str]], frozenset[str]]:
    """Each distinct word of ``text`` as written -> (folded, stem), and the set of stems.

    Cached by text: the same descriptions and paper pages come back in many
    searches, and folding and stemming every word of a page on each request
    was most of a search's time (papers rank high, each has several pages).
    """
    vocab: dict[str, tuple[str, str]] = {}
    for raw in set(WORD_PATTERN.findall(text)):
        folded = raw.lower().translate(accent_map)
        vocab[raw] = (folded, stem_word(folded))
    return vocab, frozenset(stem for _folded, stem in vocab.values())


def _matched_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    vocab, _stems = _text_words(text)
    matched = {raw for raw, (folded, stem) in vocab.items() if folded in terms or stem in terms}
    if not matched:
        return []
    return [(m.start(), m.end()) for m in WORD_PATTERN.finditer(text) if m.group() in matched]


def highlight_text(text: str, terms: set[str], width: int = SNIPPET_CHARS) -> Markup | None:
    """The window of ``text`` with the most matched words, each in <mark>, the rest escaped.

    Written here rather than with whoosh.highlight, which re-runs the whole
    analyzer with token objects per text: for twenty hits with paper pages
    that was most of a search's time; this scan uses the cached stems only.
    """
    if not text or not terms:
        return None
    spans = _matched_spans(text, terms)
    if not spans:
        return None
    best_start, best_count = spans[0][0], 0
    for i, (start, _end) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width)
        if count > best_count:
            best_start, best_count = start, count
    lo = max(0, best_start - width // 4)
    if lo > 0:
        space = text.rfind(" ", 0, lo)
        lo = space + 1 if space >= 0 and lo - space < 30 else lo
    hi = min(len(text), lo + width)
    if hi < len(text):
        space = text.find(" ", hi)
        hi = space if 0 <= space - hi < 30 else hi
    out = ["\u2026 " if lo > 0 else ""]
    pos = lo
    for s, e in spans:
        if s < lo or e > hi:
            continue
        out.append(str(escape(text[pos:s])))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        pos = e
    out.append(str(escape(text[pos:hi])))
    if hi < len(text):
        out.append(" \u2026")
    return Markup(" ".join("".join(out).split()))


def _plain_snippet(text: str) -> Markup:
    text = " ".join((text or "").split())
    if len(text) > SNIPPET_CHARS:
        text = text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "\u2026"
    return escape(text)


def page_with_terms(pages, terms: set[str]) -> tuple[int, str] | None:
    """The paper page where most of the query's words stand: (number, text)."""
    best = None
    for page in pages:
        found = set()
        if page.text:
            found = _text_words(page.text)[1] & terms
        if found and (best is None or len(found) > best[0]):
            best = (len(found), page.number, page.text)
            if len(found) == len(terms):
                break
    return (best[1], best[2]) if best else None


def _hit(entry: Entry, score: float, terms: set[str]) -> Hit:
    # Folded words (cafe for Café) are what the stems were made from.
    terms = {stem_word(t) for t in terms} | terms
    snippet = highlight_text(entry.description, terms) or highlight_text(entry.title, terms)
    page_number = page_url = None
    if entry.kind == "paper" and entry.file is not None and terms:
        found = page_with_terms(entry.file.pages, {t for t in terms})
        if found:
            page_number, text = found
            page_snippet = highlight_text(text, terms)
            if page_snippet:
                snippet = page_snippet
            page_url = url_for("entries.paper", entry_id=entry.id) + f"#page={page_number}"
    return Hit(entry, score, snippet or _plain_snippet(entry.description), page_number, page_url)


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


def _suggest(searcher: Searcher, parsed: ParsedQuery, total: int, values=None) -> str | None:
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


# --------------------------------------------------------------- related entries


def more_like_this(entry: Entry, limit: int = 6, viewer: Viewer | None = None) -> list[Entry]:
    """Entries that share the most distinctive words of ``entry`` (visible ones only)."""
    text = " ".join([entry.title, entry.description or "", " ".join(entry.tag_names),
                     entry.place_name or "", entry.topic.name_id if entry.topic else "",
                     entry.topic.name_en if entry.topic else ""])
    candidates = sorted(set(words(text)))
    params = SearchParams(viewer=viewer or Viewer())

    def run(searcher: Searcher):
        reader = searcher.reader()
        total = max(reader.doc_count(), 1)
        weighted = []
        for w in candidates:
            s = stem_word(w)
            df = sum(reader.doc_frequency(f, s) for f in ("title", "body"))
            # df 1 is the entry itself: such words cannot relate it to anything
            if 1 < df < total and len(s) > 2:
                weighted.append((math.log(total / df), s))
        weighted.sort(reverse=True)
        terms = [s for _, s in weighted[:12]]
        if not terms:
            return []
        q = wq.Or([wq.Term(f, s, boost=TEXT_FIELDS[f]) for s in terms
                   for f in ("title", "body")])
        values = facet_values.doc_values(searcher)
        matches = _collect(searcher, q, values)
        keep = _mask(values, matches.docnums, params, {"topic_id": None, "trip_id": None})
        keep &= values["entry_id"][matches.docnums] != entry.id
        docs, scores = matches.docnums[keep], matches.scores[keep]
        top = np.argsort(-scores, kind="stable")[:limit]
        return [int(values["entry_id"][docs[i]]) for i in top]

    try:
        ids = with_searcher(index_dir(), run)
    except Exception:  # related entries are a side block: never break the entry page
        current_app.logger.exception("related entries failed")
        return []
    entries = load_entries(ids)
    return [entries[i] for i in ids if i in entries]
