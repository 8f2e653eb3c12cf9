"""Facet and sort columns in memory: narrow types, one copy per layout, deletions."""
from __future__ import annotations

import numpy as np

from archive.entries.visibility import Viewer
from archive.extensions import db
from archive.search import facets
from archive.search.index import current_searcher
from archive.search.schema import COLUMNS

from support.rows import make_entry
from support.search import titles


def test_narrow_keeps_values_and_their_negatives():
    cases = [([0, 1], np.int8), ([0, 127], np.int8), ([-128, 0], np.int16),
             ([0, 9356], np.int16), ([0, 1_530_000_000], np.int32),
             ([0, 2**31], np.int64), ([], np.int8)]
    for values, dtype in cases:
        wide = np.array(values, dtype=np.int64)
        narrowed = facets.narrow(wide)
        assert narrowed.dtype == dtype, values
        assert (narrowed.astype(np.int64) == wide).all()
        assert (-narrowed.astype(np.int64) == -wide).all()


def whoosh_columns(searcher) -> dict[str, list[int]]:
    """Every column as Whoosh itself reads it, in docnum order."""
    out = {name: [] for name in COLUMNS}
    for reader, _offset in searcher.reader().leaf_readers():
        for name in COLUMNS:
            column = reader.column_reader(name)
            out[name].extend(column[i] for i in range(reader.doc_count_all()))
    return out


def test_columns_equal_whoosh_and_are_held_once(search_ctx):
    for i in range(3):
        make_entry(f"Taman {i}", topic="parks", taken_at=None)
    make_entry("Sungai", topic="rivers")  # a second segment
    searcher = current_searcher(search_ctx.config["INDEX_DIR"])
    values = facets.doc_values(searcher)
    expected = whoosh_columns(searcher)
    for name in COLUMNS:
        assert values[name].tolist() == expected[name], name
    # read straight from the column files, not value by value
    for reader, _offset in searcher.reader().leaf_readers():
        for name in COLUMNS:
            assert facets._stored_column(reader, name, reader.doc_count_all()) is not None
    assert values["kind"].dtype == np.int8 and values["created"].dtype == np.int32
    # each segment's cached arrays are views into the layout's, not copies
    for key in values.segment_keys:
        for name in COLUMNS:
            assert np.shares_memory(facets._segment_cache[key][name], values[name])


def test_only_the_last_layouts_are_kept(search_ctx):
    directory = search_ctx.config["INDEX_DIR"]
    layouts = []
    for i in range(facets.LAYOUTS_KEPT + 2):
        make_entry(f"Halte {i}")
        layouts.append(facets.doc_values(current_searcher(directory)))
    assert len(facets._layout_cache) <= facets.LAYOUTS_KEPT
    assert layouts[-1] in facets._layout_cache.values()
    kept = {k for layout in facets._layout_cache for k, *_ in layout}
    assert set(facets._segment_cache) <= kept


def test_deleted_documents_are_not_alive(search_ctx):
    made = [make_entry(f"Lampu {i}", commit=False) for i in range(5)]
    db.session.commit()
    db.session.delete(made[1])
    made[2].title = "Lampu diganti"  # an update deletes the old document too
    db.session.commit()
    searcher = current_searcher(search_ctx.config["INDEX_DIR"])
    values = facets.doc_values(searcher)
    alive_ids = sorted(int(values["entry_id"][d]) for d in values.alive)
    assert alive_ids == sorted(e.id for e in made if e is not made[1])
    assert values.alive.size == searcher.doc_count()


def test_a_filter_beyond_a_narrow_column_finds_nothing(search_ctx):
    make_entry("Trotoar lebar")
    assert titles("trotoar", camat=10**12, viewer=Viewer(is_admin=True)) == []
    assert titles("trotoar", year=-5) == []
    assert titles("trotoar") == ["Trotoar lebar"]
