"""Parse what a visitor typed into a safe Whoosh query.

Supported: words (all must match), ``"quoted phrases"``, ``-word`` and
``-"phrase"`` to exclude, ``field:value`` (``topik:sungai``, ``tag:halte``,
``judul:``, ``tempat:``, ``camat:``, ``kecamatan:``, ``isi:``), a trailing
``*`` for a prefix (at least three letters, expanded to at most
``MAX_PREFIX_TERMS`` words). Anything else is read as plain words: unbalanced
quotes close at the end, lone operators are dropped, control characters are
removed, the query is cut at ``MAX_QUERY_CHARS``. Leading wildcards are
refused with a notice. Nothing here raises on user input.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from flask_babel import gettext as _
from whoosh import query as wq
from whoosh.searching import Searcher

from .analysis import stem_word, stems, words
from .schema import SEARCH_FIELDS, TEXT_FIELDS
from .synonyms import SynonymGroup, expand

MAX_QUERY_CHARS = 300
MAX_CLAUSES = 24
MAX_PREFIX_TERMS = 64
MIN_PREFIX_CHARS = 3

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "judul": ("title",), "title": ("title",),
    "topik": ("topic",), "topic": ("topic",),
    "tag": ("tags",), "tags": ("tags",), "label": ("tags",),
    "tempat": ("place",), "lokasi": ("place",), "place": ("place",),
    "camat": ("author",), "penulis": ("author",), "author": ("author",),
    "kecamatan": ("kecamatan",),
    "isi": ("content",), "teks": ("content",), "content": ("content",), "text": ("content",),
    "deskripsi": ("body",), "keterangan": ("body",), "description": ("body",),
}

#: very common Indonesian/English words, dropped from plain-word queries when
#: other words remain (kept inside phrases)
STOPWORDS = frozenset(
    "dan di ke dari yang untuk dengan pada ini itu atau juga dalam oleh the of and to in a an "
    "for on with at by is are how does do".split()
)

_TOKEN = re.compile(
    r'(?P<neg>-)?(?:(?P<field>[^\W\d_]\w*):)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))'
)


@dataclass
class Clause:
    """One part of the query: a word, a phrase or a prefix, maybe limited to fields."""

    kind: str                       # "word" | "phrase" | "prefix"
    terms: list[str]                # stems (word/phrase) or the folded prefix
    fields: tuple[str, ...] | None  # None: every text field
    negated: bool = False
    raw: str = ""                   # the folded word as typed, for spelling


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    text: str = ""                  # the cleaned query text

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    def highlight_terms(self) -> set[str]:
        return {t for c in self.positive if c.kind != "prefix" for t in c.terms}


def clean(text: str | None) -> tuple[str, list[str]]:
    """Drop control characters and cap the length; say so when something was cut."""
    notices: list[str] = []
    text = text or ""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(_("Kata kunci terlalu panjang; hanya %(n)s karakter pertama yang dipakai.",
                         n=MAX_QUERY_CHARS))
    return text, notices


def parse(text: str | None) -> ParsedQuery:
    cleaned, notices = clean(text)
    parsed = ParsedQuery(notices=notices, text=cleaned)
    refused_wildcard = False
    for m in _TOKEN.finditer(cleaned):
        negated = bool(m.group("neg"))
        fname = (m.group("field") or "").lower()
        fields = FIELD_ALIASES.get(fname)
        if m.group("field") and fields is None:
            # Not a field we know: read "foo:bar" as the words foo and bar.
            fields = None
            value = f"{m.group('field')} {m.group('phrase') or m.group('word') or ''}"
            is_phrase = m.group("phrase") is not None
        else:
            is_phrase = m.group("phrase") is not None
            value = m.group("phrase") if is_phrase else (m.group("word") or "")
        if is_phrase:
            terms = stems(value)
            if terms:
                parsed.clauses.append(Clause("phrase" if len(terms) > 1 else "word", terms,
                                             fields, negated, " ".join(words(value))))
            continue
        if value.upper() in ("AND", "OR", "NOT") or not value.strip("+-|&!()[]{}^~:*?"):
            continue  # lone operators and punctuation mean nothing here
        if value[0] in "*?":
            refused_wildcard = True
            value = value.lstrip("*?")
        prefix = value.endswith("*")
        core = value.rstrip("*").replace("*", " ").replace("?", " ")
        folded = words(core)
        if prefix and len(folded) == 1 and len(folded[0]) >= MIN_PREFIX_CHARS:
            parsed.clauses.append(Clause("prefix", [folded[0]], fields, negated, folded[0]))
            continue
        for w in folded:
            parsed.clauses.append(Clause("word", [stem_word(w)], fields, negated, w))
    if refused_wildcard:
        parsed.notices.append(_("Tanda * atau ? di awal kata tidak didukung dan diabaikan."))
    plain = [c for c in parsed.clauses if c.kind == "word" and not c.negated and c.fields is None]
    if len(plain) < len(parsed.positive) or any(c.raw not in STOPWORDS for c in plain):
        parsed.clauses = [c for c in parsed.clauses
                          if not (c.kind == "word" and c.fields is None and not c.negated
                                  and c.raw in STOPWORDS)]
    if len(parsed.clauses) > MAX_CLAUSES:
        parsed.clauses = parsed.clauses[:MAX_CLAUSES]
        parsed.notices.append(_("Terlalu banyak kata; hanya %(n)s kata pertama yang dipakai.",
                                n=MAX_CLAUSES))
    return parsed


def _fields(clause: Clause) -> tuple[str, ...]:
    return clause.fields or tuple(SEARCH_FIELDS)


def _term_query(stem: str, fields: tuple[str, ...]) -> wq.Query:
    if len(fields) == 1:
        return wq.Term(fields[0], stem, boost=TEXT_FIELDS[fields[0]])
    return wq.Or([wq.Term(f, stem, boost=TEXT_FIELDS[f]) for f in fields])


def _phrase_query(terms: list[str], fields: tuple[str, ...]) -> wq.Query:
    if len(terms) == 1:
        return _term_query(terms[0], fields)
    return wq.Or([wq.Phrase(f, terms, boost=TEXT_FIELDS[f]) for f in fields])


def _clause_query(clause: Clause, searcher: Searcher, parsed: ParsedQuery) -> wq.Query | None:
    if clause.kind == "prefix":
        expansions = []
        for term in searcher.reader().expand_prefix("words", clause.terms[0]):
            expansions.append(term.decode() if isinstance(term, bytes) else term)
            if len(expansions) >= MAX_PREFIX_TERMS:
                parsed.notices.append(_("Awalan \u201c%(prefix)s\u201d cocok dengan terlalu banyak kata; "
                                        "hanya %(n)s kata pertama yang dicari.",
                                        prefix=clause.terms[0], n=MAX_PREFIX_TERMS))
                break
        if not expansions:
            return wq.NullQuery
        stemmed = sorted({stem_word(w) for w in expansions})
        return wq.Or([_term_query(s, _fields(clause)) for s in stemmed])
    if clause.kind == "phrase":
        return _phrase_query(clause.terms, _fields(clause))
    return _term_query(clause.terms[0], _fields(clause))


def build(parsed: ParsedQuery, searcher: Searcher, groups: list[SynonymGroup]) -> tuple[wq.Query | None, set[str]]:
    """The Whoosh query (None: match everything) and the stems to highlight."""
    highlight = parsed.highlight_terms()
    musts: list[wq.Query] = []
    run: list[Clause] = []

    def flush_run() -> None:
        # Consecutive plain words may form a synonym ("street furniture").
        seq = [c.terms[0] for c in run]
        matches = expand(seq, groups)
        i = 0
        for start, end, group in matches:
            for c in run[i:start]:
                musts.append(_term_query(c.terms[0], _fields(c)))
            musts.append(wq.Or([_phrase_query(list(v), tuple(SEARCH_FIELDS)) for v in group.variants]))
            highlight.update(t for v in group.variants for t in v)
            i = end
        for c in run[i:]:
            musts.append(_term_query(c.terms[0], _fields(c)))
        run.clear()

    nots: list[wq.Query] = []
    for clause in parsed.clauses:
        if clause.negated:
            q = _clause_query(clause, searcher, parsed)
            if q is not None:
                nots.append(q)
            continue
        if clause.kind == "word" and clause.fields is None:
            run.append(clause)
            continue
        flush_run()
        q = _clause_query(clause, searcher, parsed)
        if q is not None:
            musts.append(q)
    flush_run()
    if not musts and not nots:
        return None, highlight
    positive: wq.Query = wq.And(musts) if len(musts) > 1 else (musts[0] if musts else wq.Every())
    if nots:
        positive = wq.AndNot(positive, wq.Or(nots))
    return positive, highlight
