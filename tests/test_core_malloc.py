"""Searches keep their large freed blocks while they run; outside them the
threshold uploads rest at holds (core.malloc)."""
from __future__ import annotations

import threading

import pytest

from archive.core import malloc

MB = 1024 * 1024


@pytest.fixture
def calls(monkeypatch):
    """The mallopt calls made, instead of making them."""
    made = []
    monkeypatch.setattr(malloc, "mallopt", lambda param, value: made.append((param, value)) or True)
    monkeypatch.setattr(malloc, "_resting", None)
    monkeypatch.setattr(malloc, "_searches", 0)
    return made


SEARCHING = [(malloc.M_MMAP_THRESHOLD, 32 * MB), (malloc.M_TRIM_THRESHOLD, 256 * MB)]


def test_glibc_takes_the_thresholds():
    assert malloc.mallopt(malloc.M_MMAP_THRESHOLD, malloc.SEARCH_MMAP_THRESHOLD) is True
    assert malloc.mallopt(malloc.M_TRIM_THRESHOLD, malloc.SEARCH_TRIM_THRESHOLD) is True
    from archive.ingest import memory

    assert memory.return_freed_pictures() is True  # back to the uploads' resting threshold


def test_searches_raise_the_threshold_and_the_last_one_sets_the_resting_one_again(calls):
    assert malloc.rest_at(256 * 1024)
    assert calls == [(malloc.M_MMAP_THRESHOLD, 256 * 1024)]
    calls.clear()
    with malloc.large_blocks_kept():
        assert calls == SEARCHING
        with malloc.large_blocks_kept():  # another thread's search
            malloc.rest_at(512 * 1024)  # an upload module set up meanwhile: later
        assert calls == SEARCHING
    assert calls == [*SEARCHING, (malloc.M_MMAP_THRESHOLD, 512 * 1024)]


def test_without_a_resting_threshold_the_search_one_stays(calls):
    with malloc.large_blocks_kept():
        pass
    assert calls == SEARCHING


def test_concurrent_searches_leave_one_restore(calls):
    malloc.rest_at(256 * 1024)
    calls.clear()
    inside = threading.Barrier(3)

    def search():
        with malloc.large_blocks_kept():
            inside.wait()

    threads = [threading.Thread(target=search) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [*SEARCHING, (malloc.M_MMAP_THRESHOLD, 256 * 1024)]


def test_a_search_runs_with_the_large_blocks_kept(search_ctx, calls):
    from archive.search import SearchParams, search_entries

    from support.rows import make_entry

    malloc.rest_at(256 * 1024)
    make_entry("Trotoar lebar", "trotoar yang lebar dan bersih")
    calls.clear()
    seen = []
    from archive.search import searching

    real = searching._collect

    def collect(*args):
        seen.append(malloc._searches)
        return real(*args)

    searching._collect = collect
    try:
        assert search_entries(SearchParams(q="trotoar")).total == 1
    finally:
        searching._collect = real
    assert seen == [1] and calls == [*SEARCHING, (malloc.M_MMAP_THRESHOLD, 256 * 1024)]
