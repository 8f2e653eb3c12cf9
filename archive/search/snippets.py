"""Snippets with the matched words highlighted, and for papers the page where they stand."""
from __future__ import annotations

from array import array
from bisect import bisect_right
from functools import lru_cache

from flask import url_for
from markupsafe import Markup, escape

from ..models import Entry
from .analysis import WORD_PATTERN, fold, stem_word
from .params import Hit

# ------------------------------------------------------------ snippets, pages


SNIPPET_CHARS = 240


#: ~100 texts per results page (descriptions, paper pages); a 400-word paper
#: page takes ~75 KB when cached (tracemalloc), so at most ~150 MB per worker
@lru_cache(maxsize=2048)
def _text_words(text: str) -> tuple[dict[str, array], frozenset[str]]:
    """Where each folded word and each stem of ``text`` stands, and the set of stems.

    ``spans["sungai"]`` holds start, end, start, end... of every word of the text whose
    folded form or stem is ``sungai`` (Sungai, sungainya...). Cached by text:
    the same descriptions and paper pages come back in many searches, and
    folding and stemming every word of a page on each request was most of a
    search's time (papers rank high, each has several pages); finding the
    matched words is then a dict lookup per query term.
    """
    where: dict[str, array] = {}
    keys: dict[str, tuple[str, ...]] = {}
    stems: set[str] = set()
    for m in WORD_PATTERN.finditer(text):
        raw = m.group()
        found = keys.get(raw)
        if found is None:
            folded = fold(raw)
            stem = stem_word(folded)
            stems.add(stem)
            found = keys[raw] = (folded,) if stem == folded else (folded, stem)
        for key in found:
            spans = where.get(key)
            if spans is None:
                spans = where[key] = array("I")
            spans.extend(m.span())
    return where, frozenset(stems)


def _matched_spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    spans, _stems = _text_words(text)
    found = {span for t in terms if t in spans for span in zip(spans[t][::2], spans[t][1::2])}
    return sorted(found)


def best_window(spans: list[tuple[int, int]], width: int) -> int:
    """Where the first ``width`` characters holding the most of ``spans`` start
    (at a span's start; the first such window).

    The words are apart and in order, so their ends are in order too: a
    window's words are counted by bisection. Counting them one by one was
    most of a hit's time, a common word's paper page has a hundred of them."""
    ends = [end for _start, end in spans]
    best_start, best_count = spans[0][0], 0
    for i, (start, _end) in enumerate(spans):
        count = bisect_right(ends, start + width, i) - i
        if count > best_count:
            best_start, best_count = start, count
    return best_start


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
    lo = max(0, best_window(spans, width) - width // 4)
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


def page_with_terms(pages: list[tuple[int, str]], terms: set[str]) -> tuple[int, str] | None:
    """The paper page where most of the query's words stand: (number, text), of
    a paper's (number, text) pages."""
    best = None
    for number, text in pages:
        found = set()
        if text:
            found = _text_words(text)[1] & terms
        if found and (best is None or len(found) > best[0]):
            best = (len(found), number, text)
            if len(found) == len(terms):
                break
    return (best[1], best[2]) if best else None


def marked_terms(highlight: set[str]) -> set[str]:
    """The words a page of hits marks: the query's terms and their stems (folded
    words such as cafe for Café are what the stems were made from)."""
    return {stem_word(t) for t in highlight} | highlight


def hit(entry: Entry, score: float, terms: set[str],
        pages: list[tuple[int, str]] | None = None) -> Hit:
    """A search hit; ``terms``: ``marked_terms`` of the query; ``pages``: a paper's
    (number, text) pages, for the page of the match."""
    snippet = highlight_text(entry.description, terms) or highlight_text(entry.title, terms)
    page_number = page_url = None
    if entry.kind == "paper" and pages and terms:
        found = page_with_terms(pages, terms)
        if found:
            page_number, text = found
            page_snippet = highlight_text(text, terms)
            if page_snippet:
                snippet = page_snippet
            page_url = url_for("entries.paper", entry_id=entry.id) + f"#page={page_number}"
    return Hit(entry, score, snippet or _plain_snippet(entry.description), page_number, page_url)
