"""The linear set operations, facet counts and partial sorts of a search give exactly
what the sorting ones give (they replace them for large match sets)."""
from __future__ import annotations

import numpy as np
import pytest

from archive.search import facets
from archive.search.matching import Matches, intersect, union
from archive.search.searching import first_sorted

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
def test_the_first_rows_of_a_partial_sort_are_the_full_sorts(limit):
    rng = np.random.default_rng(limit or 0)
    n = 20000
    scores = -np.round(rng.random(n), 2)  # many ties on the primary key
    created = -rng.integers(0, 50, n)
    entry = -rng.permutation(n)
    keys = (entry, created, scores)
    full = np.lexsort(keys)
    got = first_sorted(keys, limit)
    stop = limit or n
    assert np.array_equal(got[:stop], full[:stop])


def test_facet_counts_by_bincount_and_by_unique_agree():
    rng = np.random.default_rng(3)
    column = rng.integers(0, 40, 10000)
    values = facets.DocValues({"topic_id": column, "area": column - 20,
                               "year": rng.integers(2015, 2027, 10000)},
                              np.arange(10000), [])
    docnums = np.sort(rng.choice(10000, 3000, replace=False))
    for name in ("topic_id", "area", "year"):  # "area" has negative values: by unique
        uniq, counts = np.unique(values[name][docnums], return_counts=True)
        assert facets.count(values, docnums, name) == dict(zip(uniq.tolist(), counts.tolist()))
