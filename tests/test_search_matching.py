"""The linear set operations, facet counts and partial sorts of a search give exactly
what the sorting ones give (they replace them for large match sets)."""
from __future__ import annotations

import numpy as np
import pytest

from archive.search.sets import Matches, intersect, union
from archive.search.searching import _order

SIZE = 5000


def _matches(rng, n: int) -> Matches:
    ids = np.sort(rng.choice(SIZE, size=n, replace=False)).astype(np.int64)
    return Matches(ids, rng.random(n))


def _reference_union(parts):
    ids = np.concatenate([p.ids for p in parts])
    scores = np.concatenate([p.scores for p in parts])
    uniq, inverse = np.unique(ids, return_inverse=True)
    return uniq, np.bincount(inverse, weights=scores, minlength=uniq.size)


@pytest.mark.parametrize("sizes", [(3, 7), (40, 4000), (2500, 2500), (0, 100), (4999, 1)])
def test_intersect_and_union_dense_or_sorted_agree(sizes):
    rng = np.random.default_rng(sum(sizes))
    a, b = (_matches(rng, n) for n in sizes)
    common, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    for size in (SIZE, 10 * SIZE):  # dense when the sets are a large share of the index
        got = intersect(a, b, size)
        assert np.array_equal(got.ids, common)
        assert np.allclose(got.scores, a.scores[ia] + b.scores[ib])
        c = _matches(rng, 300)
        ids, scores = _reference_union([a, b, c])
        got = union([a, b, c], size)
        assert np.array_equal(got.ids, ids) and np.allclose(got.scores, scores)


@pytest.mark.parametrize("limit", [1, 20, 40, 1000, None])
@pytest.mark.parametrize("sort", ["relevance", "taken", "score", "newest"])
def test_the_first_rows_of_a_partial_sort_are_the_full_sorts(limit, sort):
    """A page sorts only the rows whose first key can reach it; its rows are the
    full sort's, ties (many: rounded scores, few dates) broken the same way."""
    rng = np.random.default_rng(limit or 0)
    n = 20000
    values = {"entry_id": rng.permutation(n) + 1, "created": rng.integers(0, 50, n),
              # without a date (0): last when sorting by date taken; most of them
              # there, so that a page reaches past the dated ones (some before 1970)
              "taken": np.where(rng.random(n) < (0.95 if sort == "taken" else 0.3), 0,
                                rng.integers(-5, 40, n)),
              "score": rng.integers(0, 100, n)}
    docs = np.sort(rng.choice(n, 15000, replace=False))
    scores = np.round(rng.random(docs.size), 2)
    full = _order(values, docs, scores, sort)
    got = _order(values, docs, scores, sort, limit=limit)
    stop = limit or docs.size
    assert np.array_equal(got[:stop], full[:stop])
    assert full.size == docs.size and (limit is None or limit > 40 or got.size < docs.size)


def _unique_counts(column: np.ndarray) -> dict[int, int]:
    uniq, counts = np.unique(column, return_counts=True)
    return dict(zip(uniq.tolist(), counts.tolist()))


def test_facet_counts_agree_with_unique():
    from archive.search import combinations

    rng = np.random.default_rng(3)
    column = rng.integers(0, 40, 10000)
    columns = {name: np.zeros(10000, dtype=np.int8) for name in combinations.FACETS.values()}
    columns.update({"entry_id": np.arange(10000), "topic_id": column, "area": column - 20,
                    "year": rng.integers(2015, 2027, 10000)})
    docnums = np.sort(rng.choice(10000, 3000, replace=False))
    got = combinations.count_all(combinations.of_segment(columns), docnums)
    for name in ("topic", "place", "year"):  # the place's "area" has negative values
        assert got[name] == _unique_counts(columns[combinations.FACETS[name]][docnums])


PHRASE_TEXTS = [
    "jalur pejalan kaki yang lebar", "pejalan kaki dan jalur sepeda", "kaki pejalan",
    "jalur pejalan kaki, jalur pejalan kaki lagi", "pejalan di jalur kaki", "taman bermain anak",
    "Jalur Pejalan Kaki di Cheonggyecheon", "pejalan kaki", "jalur sepeda saja",
]


def _phrase_reference(evaluator, q):
    """The phrase as And of its words, kept where Whoosh's own phrase matcher matches."""
    from whoosh import query as wq

    words = evaluator.evaluate(wq.And([wq.Term(q.fieldname, w, boost=q.boost) for w in q.words]))
    whoosh_ids = np.fromiter(q.docs(evaluator.searcher), dtype=np.int64)
    keep = np.isin(words.ids, whoosh_ids)
    return words.ids[keep], words.scores[keep] * 1.5


def test_phrases_score_their_documents_as_and_of_their_words(search_ctx):
    """A phrase's documents are found once per index layout (Whoosh checks the
    positions); its scores are then each word's, looked up: the same documents
    and scores as intersecting the words, first time, cached, and after a delete."""
    from whoosh import query as wq

    from archive.extensions import db
    from archive.search import index_dir
    from archive.search.analysis import stems
    from archive.search.facets import doc_values
    from archive.search.index import with_searcher
    from archive.search.matching import Evaluator

    from support.rows import make_entry

    entries = []
    for i, text in enumerate(PHRASE_TEXTS):  # committed one by one: several segments
        entries.append(make_entry(f"Catatan {i}", text))
    phrases = [wq.Phrase(field, stems(text), boost=boost) for field, text, boost in (
        ("body", "jalur pejalan kaki", 1.0), ("body", "pejalan kaki", 1.0),
        ("title", "catatan 3", 3.0), ("body", "kaki taman", 1.0), ("body", "tidak ada", 1.0))]

    def check() -> list[int]:
        def run(searcher):
            assert len(searcher.reader().leaf_readers()) > 1
            sizes = []
            for q in phrases:
                for _ in range(2):  # found, then from the layout's cache
                    evaluator = Evaluator(searcher, doc_values(searcher))
                    got = evaluator.evaluate(q)
                    ids, scores = _phrase_reference(evaluator, q)
                    assert got.ids.tolist() == ids.tolist(), q
                    assert np.array_equal(got.scores, scores), q
                sizes.append(int(got.ids.size))
            return sizes
        return with_searcher(index_dir(), run)

    sizes = check()
    assert sizes[0] == 3 and sizes[1] == 5 and sizes[2] == 1 and sizes[4] == 0
    db.session.delete(entries[0])
    db.session.commit()
    assert check()[0] == 2


def test_a_phrase_is_matched_and_scored_once_per_layout(search_ctx, monkeypatch):
    """The second evaluation of a phrase (another query, the same index) asks
    Whoosh for nothing and looks no score up: it is the first one's Matches,
    read-only; another boost of it is scored apart; a new layout starts over."""
    from whoosh import query as wq

    from archive.search import index_dir
    from archive.search.analysis import stems
    from archive.search.facets import doc_values
    from archive.search.index import with_searcher
    from archive.search.matching import Evaluator

    from support.rows import make_entry

    for i, text in enumerate(PHRASE_TEXTS):
        make_entry(f"Catatan {i}", text)
    asked = []
    docs = wq.Phrase.docs
    monkeypatch.setattr(wq.Phrase, "docs", lambda q, s, **kw: asked.append(q) or docs(q, s, **kw))
    phrase = wq.Phrase("body", stems("pejalan kaki"))

    def run(searcher):
        first = Evaluator(searcher, doc_values(searcher)).evaluate(phrase)
        again = Evaluator(searcher, doc_values(searcher)).evaluate(phrase)
        boosted = Evaluator(searcher, doc_values(searcher)).evaluate(
            wq.Phrase("body", stems("pejalan kaki"), boost=2.0))
        return first, again, boosted

    first, again, boosted = with_searcher(index_dir(), run)
    assert first.ids.size == 5 and len(asked) == 2  # the boosted one is its own
    assert again is first and not first.ids.flags.writeable
    with pytest.raises(ValueError):
        first.scores[0] = 0.0  # a caller cannot spoil what the next one gets
    assert np.allclose(boosted.scores, 2 * first.scores)
    make_entry("Catatan baru", "pejalan kaki lagi")
    assert with_searcher(index_dir(), run)[0].ids.size == 6 and len(asked) == 4


def test_the_phrase_cache_starts_over_past_its_bytes():
    from archive.search.matching import PhraseCache
    from archive.search.sets import EMPTY_IDS, EMPTY_SCORES, Matches

    cache = PhraseCache(max_bytes=1_000)
    for n in range(3):  # 320 bytes each: the fourth does not fit beside three
        cache.put(("body", n), Matches(np.arange(20), np.ones(20)))
    assert cache.nbytes == 960 and len(cache.found) == 3
    cache.put(("body", 3), Matches(np.arange(20), np.ones(20)))
    assert cache.nbytes == 320 and list(cache.found) == [("body", 3)]
    assert cache.get(("body", 0)) is None
    few = PhraseCache(max_entries=2)  # phrases that match nothing take no bytes
    for n in range(3):
        few.put(("body", n), Matches(EMPTY_IDS, EMPTY_SCORES))
    assert list(few.found) == [("body", 2)]
    assert EMPTY_IDS.flags.writeable  # the shared empty arrays are left as they are


def test_facet_counts_through_combinations_are_each_columns_counts():
    """Counting every facet through the documents' combinations of values (per
    segment, joined per layout) gives each column's own counts."""
    from archive.search import combinations

    rng = np.random.default_rng(7)

    def segment(n: int) -> dict[str, np.ndarray]:
        # few values spread wide (ids of a national archive): the combined key
        # passes 2**40 and is made dense again on the way
        cols = {"entry_id": np.arange(n), "topic_id": rng.integers(0, 7, n),
                "camat_id": rng.choice([1, 2, 30_000, 60_000], n),
                "trip_id": rng.choice([1, 50_000], n),
                "year": rng.choice([2018, 2019, 62_000], n), "kind": rng.integers(1, 3, n),
                "gps": rng.integers(0, 2, n),
                # wide and negative values: keyed by sorting, not by value
                "area": rng.choice([0, -3, 3_201_000_000, 1_100_000], n)}
        cols["kecamatan_id"] = cols["camat_id"] + 7  # a camat's kecamatan
        return cols

    parts = [segment(n) for n in (3000, 1, 700, 0)]
    each = [combinations.of_segment(p) for p in parts]
    layout = combinations.of_layout(each)
    columns = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
    assert layout.codes.size == 3701 and layout.table.shape[0] < 3701
    # each combination once, however many segments hold it
    assert len({tuple(row) for row in layout.table}) == layout.table.shape[0]
    assert layout.table.shape[0] < sum(c.table.shape[0] for c in each)
    for docnums in (np.sort(rng.choice(3701, 1200, replace=False)), np.array([3000]),
                    np.arange(3701), np.zeros(0, dtype=np.int64)):
        got = combinations.count_all(layout, docnums)
        for name, column in combinations.FACETS.items():
            assert got[name] == _unique_counts(columns[column][docnums]), name
    assert sum(combinations.count_all(layout, np.arange(3701))["kind"].values()) == 3701


def test_a_union_of_terms_added_from_the_segments_is_the_union_of_their_matches(search_ctx,
                                                                             monkeypatch):
    """Or adds a term's postings to the union straight from each segment; the
    result is the union of the terms' own matches, to the last bit, dense or
    not, nested or flat, after a delete too."""
    from whoosh import query as wq

    from archive.extensions import db
    from archive.search import index_dir, sets
    from archive.search.facets import doc_values
    from archive.search.index import with_searcher
    from archive.search.matching import Evaluator

    from support.rows import make_entry

    entries = [make_entry(f"Catatan {i}", text) for i, text in enumerate(PHRASE_TEXTS * 3)]
    terms = [wq.Term(field, word, boost=boost) for word in ("pejal", "jalur", "taman", "kaki")
             for field, boost in (("title", 3.0), ("body", 1.0), ("content", 1.0))]
    query = wq.Or([wq.Or(terms[:6]), wq.Or(terms[6:]), wq.Phrase("body", ["pejal", "kaki"])])

    def check(dense_from: float) -> int:
        monkeypatch.setattr(sets, "DENSE_FROM", dense_from)

        def run(searcher):
            assert len(searcher.reader().leaf_readers()) > 1
            evaluator = Evaluator(searcher, doc_values(searcher))
            got = evaluator.evaluate(query)
            parts = [evaluator.evaluate(t) for t in terms]
            parts.append(evaluator.evaluate(query.subqueries[2]))
            want = sets.union(parts, evaluator.alive_mask.size)
            assert got.ids.tolist() == want.ids.tolist()
            assert np.array_equal(got.scores, want.scores)
            return int(got.ids.size)
        return with_searcher(index_dir(), run)

    for dense_from in (0.0, 1e9):  # always dense, never dense
        assert check(dense_from) == 27
    db.session.delete(entries[0])
    db.session.commit()
    assert check(0.0) == 26


def test_an_and_of_ors_in_rounds_is_the_intersection_of_their_unions(search_ctx, monkeypatch):
    """A dense And adds each Or only to the documents every earlier one marked
    and collects once: the same documents as intersecting each Or's union, and
    the same scores (summed in another order: equal but for the last bits),
    with three parts, a phrase among them, a word no entry has, a delete."""
    from whoosh import query as wq

    from archive.extensions import db
    from archive.search import index_dir, sets
    from archive.search.facets import doc_values
    from archive.search.index import with_searcher
    from archive.search.matching import Evaluator

    from support.rows import make_entry

    entries = [make_entry(f"Catatan {i}", text) for i, text in enumerate(PHRASE_TEXTS * 3)]

    def word(text: str) -> wq.Or:
        return wq.Or([wq.Term(field, text, boost=boost)
                      for field, boost in (("title", 3.0), ("body", 1.0), ("content", 1.0))])

    queries = {
        "two words": (wq.And([word("jalur"), word("kaki")]), 15),
        "three parts": (wq.And([word("pejal"), word("jalur"),
                                wq.Phrase("body", ["pejal", "kaki"])]), 12),
        "a word no entry has": (wq.And([word("kaki"), word("zzz")]), 0),
        "a word and a term": (wq.And([word("jalur"), wq.Term("body", "sepeda")]), 6),
    }

    def check(dense_from: float) -> dict[str, int]:
        monkeypatch.setattr(sets, "DENSE_FROM", dense_from)

        def run(searcher):
            evaluator = Evaluator(searcher, doc_values(searcher))
            counts = {}
            for name, (query, _count) in queries.items():
                got = evaluator.evaluate(query)
                monkeypatch.setattr(sets, "DENSE_FROM", 1e9)  # the reference: sorted sets
                want = evaluator.evaluate(query.subqueries[0])
                for sub in query.subqueries[1:]:
                    want = sets.intersect(want, evaluator.evaluate(sub), 1)
                monkeypatch.setattr(sets, "DENSE_FROM", dense_from)
                assert got.ids.tolist() == want.ids.tolist(), name
                assert np.allclose(got.scores, want.scores, rtol=1e-12, atol=0), name
                counts[name] = int(got.ids.size)
            return counts
        return with_searcher(index_dir(), run)

    expected = {name: count for name, (_query, count) in queries.items()}
    for dense_from in (0.0, 1e9):  # always dense, never dense
        assert check(dense_from) == expected
    db.session.delete(entries[0])  # "jalur pejalan kaki yang lebar"
    db.session.commit()
    assert check(0.0) == {name: count - (name in ("two words", "three parts"))
                          for name, count in expected.items()}
