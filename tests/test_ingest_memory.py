"""Pillow keeps freed picture blocks while batches run and a little after the
last, then gives them back."""
from __future__ import annotations

import threading
import time

import pytest
from PIL import Image

from archive.ingest import memory


@pytest.fixture(autouse=True)
def _released():
    memory.release_pictures()  # an upload of an earlier test may have left its blocks
    yield
    memory.release_pictures()


def test_blocks_are_reused_during_batches_and_given_back_after_the_last():
    memory.return_freed_pictures()
    assert Image.core.get_block_size() == memory.BLOCK_BYTES
    assert Image.core.get_blocks_max() == 0
    with memory.reusing_pictures():
        assert Image.core.get_blocks_max() == memory.CACHED_BLOCKS
        picture = Image.new("RGB", (1000, 1000))
        picture.close()
        with memory.reusing_pictures():  # a second batch in another thread of the worker
            assert Image.core.get_blocks_max() == memory.CACHED_BLOCKS
        memory.release_pictures()  # the idle timer of the inner batch, early
        assert Image.core.get_blocks_max() == memory.CACHED_BLOCKS  # the first still runs
        assert Image.core.get_stats()["blocks_cached"] > 0
    # kept for the next photo of a phone that sends one per request
    assert Image.core.get_stats()["blocks_cached"] > 0
    memory.release_pictures()
    assert Image.core.get_blocks_max() == 0
    assert Image.core.get_stats()["blocks_cached"] == 0  # unmapped, not kept


def test_blocks_are_given_back_once_the_worker_is_idle(monkeypatch):
    monkeypatch.setattr(memory, "IDLE_SECONDS", 0.05)
    with memory.reusing_pictures():
        Image.new("RGB", (1000, 1000)).close()
    with memory.reusing_pictures():  # the next request comes soon: the blocks are there
        assert Image.core.get_stats()["blocks_cached"] > 0
    deadline = time.monotonic() + 5
    while Image.core.get_blocks_max() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert Image.core.get_blocks_max() == 0
    assert Image.core.get_stats()["blocks_cached"] == 0


def test_batches_in_threads_share_the_blocks_and_leave_one_release():
    start = threading.Barrier(4)

    def batch():
        with memory.reusing_pictures():
            start.wait()
            for _ in range(5):
                Image.new("RGB", (800, 600)).close()

    threads = [threading.Thread(target=batch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert memory._batches == 0
    assert Image.core.get_blocks_max() == memory.CACHED_BLOCKS
    memory.release_pictures()
    assert Image.core.get_stats()["blocks_cached"] == 0
