"""Run a search: query, visibility, filters, facets, sorting, paging; and related entries.

The index finds and ranks; the database stays the source of truth: the hits
of the requested page are loaded from it in one query and re-ordered to rank.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from functools import cache

import numpy as np
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from whoosh import query as wq
from whoosh.searching import Searcher

from ..core.malloc import large_blocks_kept
from ..entries.visibility import Viewer
from ..extensions import db
from ..models import Camat, Entry, PaperPage, Topic, Trip
from . import facets as facet_values
from .analysis import stem_word, words
from .combinations import count_all
from .kernels import SMALL_K, kth_smallest
from . import index_dir
from .index import with_searcher
from .labels import facet_labels, label_facets
from .matching import Evaluator
from .params import SearchParams, SearchResults
from .query import build, parse
from .schema import KIND_CODES, TEXT_FIELDS
from .snippets import hit, marked_terms
from .suggest import suggest
from .synonyms import load_groups


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
        "place": ("area", params.place),
    }
    for name, (column, wanted) in checks.items():
        if wanted is not None and name != skip:
            keep &= values[column][docs] == wanted
    return keep


def _order(values, docs: np.ndarray, scores: np.ndarray, sort: str,
           limit: int | None = None) -> np.ndarray:
    """Positions into ``docs`` in display order (stable, newest first on ties); with
    ``limit``, only the first ``limit`` of them are sure to be in order.

    Only the rows whose first sort key is within the ``limit`` smallest (ties
    included) are sorted, and the other keys are read for those rows only: a
    page of a common word's 400,000 matches at a million entries sorts a few
    dozen rows."""
    rows = first_rows(_primary(values, docs, scores, sort), limit)
    if rows is not None:
        docs, scores = docs[rows], scores[rows]
    newest = (-values["entry_id"][docs], -values["created"][docs])  # ties by id: same-second uploads
    if sort == "relevance":
        keys = (*newest, -scores)
    elif sort == "taken":
        taken = values["taken"][docs]
        keys = (*newest, -taken, taken == 0)  # entries without a date go last
    elif sort == "score":
        keys = (*newest, -values["score"][docs])
    else:
        keys = newest
    order = np.lexsort(keys)
    return order if rows is None else rows[order]


def _primary(values, docs: np.ndarray, scores: np.ndarray, sort: str) -> np.ndarray:
    """A key that orders the rows as the first of their sort keys do (ties kept)."""
    if sort == "relevance":
        return -scores
    if sort == "taken":
        taken = values["taken"][docs].astype(np.int64)
        return np.where(taken == 0, np.iinfo(np.int64).max, -taken)  # no date: last
    if sort == "score":
        return -values["score"][docs]
    return -values["created"][docs]


def first_rows(primary: np.ndarray, limit: int | None) -> np.ndarray | None:
    """The rows (sorted) whose ``primary`` is within the ``limit`` smallest, ties
    included; None when sorting every row costs as little."""
    if limit is None or primary.size <= max(4 * limit, 1024):
        return None
    limit = max(limit, 1)
    if limit <= SMALL_K:  # a first page: one pass, no copy
        kth = kth_smallest(primary, limit)
    else:
        kth = np.partition(primary, limit - 1)[limit - 1]
    return np.flatnonzero(primary <= kth)


def _facet_counts(values, docs: np.ndarray, keep: np.ndarray) -> dict[str, dict[int, int]]:
    """Counts per facet over the filtered matches (the counts follow every filter)."""
    return count_all(values.combinations, docs, keep)


@large_blocks_kept()
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
        start = (params.page - 1) * params.per_page
        # without words there is nothing to rank by: newest first
        sort = "newest" if parsed.is_empty and params.sort == "relevance" else params.sort
        order = _order(values, docs, scores, sort, limit=start + params.per_page)
        page_pos = order[start:start + params.per_page]
        page_ids = [int(values["entry_id"][docs[i]]) for i in page_pos]
        page_scores = [float(scores[i]) for i in page_pos]
        counts = _facet_counts(values, matches.docnums, keep) if params.with_facets else {}
        suggestion = suggest(searcher, parsed, int(docs.size), values)
        labels = facet_labels(values) if counts else None
        return int(docs.size), page_ids, page_scores, counts, suggestion, highlight, relaxed, labels

    total, page_ids, page_scores, counts, suggestion, highlight, relaxed, labels = with_searcher(
        index_dir(), run)
    entries = load_entries(page_ids)
    pages = paper_pages(entries.values())
    terms = marked_terms(highlight)
    hits = [hit(entries[i], s, terms, pages.get(entries[i].file_id))
            for i, s in zip(page_ids, page_scores) if i in entries]
    notices = list(parsed.notices)
    if relaxed:
        notices.append(_("Tidak ada entri yang memuat semua kata; ditampilkan entri yang memuat sebagian kata."))
    return SearchResults(
        params=params, hits=hits, total=total, page=params.page, per_page=params.per_page,
        facets=label_facets(counts, params, ids, labels) if counts else {},
        suggestion=suggestion, notices=notices, relaxed=relaxed,
        took_ms=(time.perf_counter() - started) * 1000,
    )


def load_entries(entry_ids: list[int]) -> dict[int, Entry]:
    """The entries in one query, with what cards need (papers' pages: ``paper_pages``)."""
    if not entry_ids:
        return {}
    return {e.id: e for e in db.session.scalars(_entries_statement(), {"ids": entry_ids})}


@cache
def _entries_statement():
    """Built once: building the statement and its loader options was a sixth
    of loading a page of twenty entries."""
    return select(Entry).where(Entry.id.in_(bindparam("ids", expanding=True))).options(
        joinedload(Entry.topic), joinedload(Entry.trip),
        joinedload(Entry.camat).joinedload(Camat.kecamatan),
        joinedload(Entry.file), selectinload(Entry.tags),
    )


def paper_pages(entries) -> dict[int, list[tuple[int, str]]]:
    """file id -> its (number, text) pages in order, for the papers among ``entries``:
    plain rows, not objects (a results page of papers has ~100 pages)."""
    file_ids = [e.file_id for e in entries if e.kind == "paper" and e.file_id]
    pages: dict[int, list[tuple[int, str]]] = {}
    if file_ids:
        rows = db.session.execute(
            select(PaperPage.file_id, PaperPage.number, PaperPage.text)
            .where(PaperPage.file_id.in_(file_ids))
            .order_by(PaperPage.file_id, PaperPage.number))
        for file_id, number, text in rows:
            pages.setdefault(file_id, []).append((number, text))
    return pages


# --------------------------------------------------------------- related entries


@large_blocks_kept()
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
