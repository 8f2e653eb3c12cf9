"""The compiled loops of a search give what numpy's array operations give."""
from __future__ import annotations

import numpy as np

from archive.search import kernels


def test_scatter_add_and_collect_are_numpys_scatter_and_flatnonzero():
    rng = np.random.default_rng(3)
    size = 10_000
    present, summed = np.zeros(size, dtype=bool), np.zeros(size)
    want = np.zeros(size)
    for offset in (0, 2_500, 7_000):  # segments' docnums, shifted by their offsets
        ids = np.sort(rng.choice(3_000, 1_200, replace=False)).astype(np.int32)
        weights = rng.random(ids.size).astype(np.float32)
        kernels.scatter_add(present, summed, offset, ids, weights, 2.5)
        want[offset + ids] += np.multiply(weights, 2.5, dtype=np.float64)
    ids, scores = kernels.collect(present, summed, 1)
    marked = np.flatnonzero(want)
    assert ids.tolist() == marked.tolist() and ids.dtype == np.int64
    assert np.array_equal(scores, want[marked])  # the same sums, to the last bit
    # both arrays are left clean for the next union, and an empty one collects nothing
    assert not present.any() and not summed.any()
    ids, scores = kernels.collect(present, summed, 1)
    assert ids.size == 0 and scores.size == 0


def test_rounds_keep_the_documents_every_round_marked():
    """An intersection in rounds: round n adds only where rounds 1..n-1 all
    marked; collecting round n gives those documents, and clears every mark."""
    rng = np.random.default_rng(8)
    size = 5_000
    present, summed = np.zeros(size, dtype=np.uint8), np.zeros(size)
    sets_, want = [], np.zeros(size)
    for number in (1, 2, 3):
        ids = np.sort(rng.choice(size, 3_000, replace=False))
        weights = rng.random(ids.size)
        if number == 1:
            kernels.scatter_add(present, summed, 0, ids, weights, 2.0)
        else:
            kernels.scatter_round(present, summed, 0, ids, weights, 2.0, number)
        sets_.append(set(ids.tolist()))
        want[ids] += weights * 2.0
    ids, scores = kernels.collect(present, summed, 3)
    assert ids.tolist() == sorted(sets_[0] & sets_[1] & sets_[2])
    assert np.allclose(scores, want[ids], rtol=1e-12, atol=0)
    assert not present.any() and not summed.any()


def test_a_union_marks_a_document_even_when_its_score_is_zero():
    present, summed = np.zeros(8, dtype=bool), np.zeros(8)
    kernels.scatter_add(present, summed, 1, np.array([0, 4]), np.array([0.0, 1.0]), 1.0)
    ids, scores = kernels.collect(present, summed, 1)
    assert ids.tolist() == [1, 5] and scores.tolist() == [0.0, 1.0]


def test_values_at_finds_each_docnum_as_a_binary_search_does():
    rng = np.random.default_rng(4)
    for size, wanted in ((50_000, 20_000), (50_000, 7), (300, 300), (1, 1)):
        ids = np.sort(rng.choice(3 * size, size, replace=False)).astype(np.int32)
        weights = rng.random(size).astype(np.float32)
        docnums = np.sort(rng.choice(ids, wanted, replace=False)).astype(np.int64) + 11
        got = kernels.values_at(ids, weights, docnums, 11)
        assert np.array_equal(got, weights[np.searchsorted(ids, docnums - 11)])


def test_kth_smallest_is_numpys_partition():
    rng = np.random.default_rng(6)
    rising = np.arange(5_000, dtype=np.int64)
    for values in (rng.random(5_000), rng.integers(-3, 3, 5_000), -rng.random(30), rising,
                   -rising, rng.integers(-3, 3, 5_000).astype(np.int8)):
        for k in {1, 2, 3, min(20, values.size), values.size // 2, values.size}:
            assert kernels.kth_smallest(values, k) == np.partition(values, k - 1)[k - 1]


def test_count_codes_counts_the_kept_docnums_codes():
    rng = np.random.default_rng(8)
    codes = rng.integers(0, 40, 9_000).astype(np.int32)
    docnums = np.sort(rng.choice(9_000, 4_000, replace=False))
    keep = rng.random(docnums.size) < 0.7
    got = kernels.count_codes(codes, docnums, keep, 45)
    assert got.tolist() == np.bincount(codes[docnums[keep]], minlength=45).tolist()


def test_a_kernel_compiles_without_a_place_for_its_cache(monkeypatch):
    """Where numba finds no writable place for the compiled code (a read-only
    install without a home), the loops are compiled in each process instead."""
    from numba.core import caching

    monkeypatch.setattr(caching.CacheImpl, "_locator_classes", [])

    def double(values):
        return values * 2

    compiled = kernels._compiled(double)
    assert compiled(np.arange(3)).tolist() == [0, 2, 4]
    assert compiled._cache.__class__.__name__ == "NullCache"


def test_a_union_that_fails_halfway_leaves_no_marks_for_the_next():
    """The thread's arrays are dropped when an error may have left them
    marked, so the next union and intersection start clean."""
    import pytest

    from archive.search.sets import Matches, dense_sum, intersect, union

    def fails(present, summed):
        kernels.scatter_add(present, summed, 0, np.arange(50), np.ones(50), 1.0)
        raise ValueError("half done")

    with pytest.raises(ValueError):
        dense_sum(1_000, fails)
    a = Matches(np.arange(0, 600, 2), np.ones(300))
    b = Matches(np.arange(0, 600, 3), np.ones(200))
    got = union([a, b], 1_000)
    assert got.ids.tolist() == sorted(set(range(0, 600, 2)) | set(range(0, 600, 3)))
    assert intersect(a, b, 1_000).ids.tolist() == list(range(0, 600, 6))
