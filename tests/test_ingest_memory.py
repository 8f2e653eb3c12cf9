"""Pillow keeps freed picture blocks only while a batch runs, and gives them back after the last."""
from __future__ import annotations

import threading

from PIL import Image

from archive.ingest import memory


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
        assert Image.core.get_blocks_max() == memory.CACHED_BLOCKS  # the first still runs
        assert Image.core.get_stats()["blocks_cached"] > 0
    assert Image.core.get_blocks_max() == 0
    assert Image.core.get_stats()["blocks_cached"] == 0  # unmapped, not kept


def test_batches_in_threads_end_with_no_cached_blocks():
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
    assert Image.core.get_blocks_max() == 0
    assert Image.core.get_stats()["blocks_cached"] == 0
