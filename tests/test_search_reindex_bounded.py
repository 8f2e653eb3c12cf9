"""Reindex with a tiny posting-pool cap (many segments, planned merges) finds what a large pool finds."""
from __future__ import annotations

import pytest

from archive.extensions import db
from archive.search import SearchParams, rebuild, search_entries
from archive.search.merges import plan_groups
from archive.search.index import current_searcher

from support.rows import make_entry

QUERIES = ["trotoar", "sungai bersih", '"pejalan kaki"', "reklame", "taman"]
WORDS = ["trotoar lebar", "sungai bersih", "pejalan kaki", "reklame digital", "taman bermain"]


def _snapshot(app) -> tuple:
    searcher = current_searcher(app.config["INDEX_DIR"])
    segments = len(searcher.reader().leaf_readers()) if not searcher.is_atomic() else 1
    found = {}
    for q in QUERIES:
        result = search_entries(SearchParams(q=q, per_page=100))
        found[q] = (result.total, sorted(h.entry.id for h in result.hits))
    return searcher.doc_count(), found, segments


def _blocks(readers) -> tuple[int, int]:
    """(posting blocks, long blocks stored uncompressed) of the segment readers."""
    import io
    import pickle

    from archive.search.blockmerge import COMPRESS_FROM, _raw_blocks, _raw_postings

    blocks = raw = 0
    for reader in readers:
        for _term, info in reader._terms.items():
            if info.is_inlined():
                continue
            for block, _last in _raw_blocks(_raw_postings(reader, info)):
                stream = io.BytesIO(block)
                compression = pickle.load(stream)[3]
                blocks += 1
                raw += not compression and len(stream.read()) >= COMPRESS_FROM
    return blocks, raw


def _index_blocks(app) -> tuple[int, int]:
    searcher = current_searcher(app.config["INDEX_DIR"])
    reader = searcher.reader()
    return _blocks([reader] if searcher.is_atomic() else
                   [leaf for leaf, _ in reader.leaf_readers()])


def test_tiny_pool_gives_same_index_as_large_pool(search_ctx, monkeypatch):
    app = search_ctx
    for i in range(40):
        make_entry(f"Catatan {i} {WORDS[i % 5]}", f"{WORDS[(i * 3) % 5]} di Seoul nomor {i}",
                   kind="paper" if i % 7 == 0 else "photo",
                   pages=[f"{WORDS[i % 5]} halaman"] if i % 7 == 0 else None, commit=False)
    db.session.commit()

    app.config.update(SEARCH_REINDEX_POOL_MB=1024, SEARCH_REINDEX_BATCH=200)
    assert rebuild(procs=2) == 40
    large = _snapshot(app)

    # ~10 KB per pool: every batch of 4 documents becomes a segment of its own
    app.config.update(SEARCH_REINDEX_POOL_MB=0.01, SEARCH_REINDEX_BATCH=4,
                      SEARCH_REINDEX_MAX_SEGMENTS=100)
    assert rebuild(procs=2) == 40
    unmerged = _snapshot(app)
    assert unmerged[2] >= 8

    # Ten segments kept to three: the processes foresee the merges after their
    # first segment and leave the later ones' blocks uncompressed; the merges
    # compress them.
    from archive.search import bulk

    planned = []

    def merge_planned(*args):
        planned.append(args[-1])
        return real_merge_planned(*args)

    real_merge_planned = bulk.merge_planned
    monkeypatch.setattr(bulk, "merge_planned", merge_planned)
    app.config.update(SEARCH_REINDEX_MAX_SEGMENTS=3)
    assert rebuild(procs=2) == 40
    merged = _snapshot(app)
    assert merged[2] == 3
    assert planned[0].count(False) == 2 and planned[0].count(True) >= 6  # each first one
    blocks, uncompressed = _index_blocks(app)
    assert blocks > 100 and uncompressed == 0

    assert large[0] == unmerged[0] == merged[0] == 40
    assert large[1] == unmerged[1] == merged[1]
    assert all(total for total, _ in large[1].values())


def test_merge_plan_keeps_order_and_balances():
    assert plan_groups([5, 5, 5], 4) == [[0], [1], [2]]
    groups = plan_groups([10] * 10, 3)
    assert len(groups) == 3
    assert [i for g in groups for i in g] == list(range(10))
    assert max(len(g) for g in groups) - min(len(g) for g in groups) <= 1
    assert plan_groups([100, 1, 1, 1, 1], 2) == [[0], [1, 2, 3, 4]]


def test_failed_reindex_keeps_old_index_and_stops_its_processes(search_ctx, monkeypatch):
    import multiprocessing

    import pytest

    from archive.search import maintenance

    app = search_ctx
    for i in range(12):
        make_entry(f"Halte {i}", commit=False)
    db.session.commit()
    app.config.update(SEARCH_REINDEX_BATCH=4)
    assert rebuild(procs=2) == 12
    real = maintenance.iter_documents

    def failing(session):
        for n, doc in enumerate(real(session)):
            if n == 9:  # after two batches went to the indexing processes
                raise OSError("database went away")
            yield doc

    monkeypatch.setattr(maintenance, "iter_documents", failing)
    with pytest.raises(OSError):
        rebuild(procs=2)
    assert multiprocessing.active_children() == []
    assert _snapshot(app)[0] == 12


def test_postings_cache_is_bounded_by_bytes(search_ctx, monkeypatch):
    from archive.search import postings

    for i in range(30):
        make_entry(f"Pohon {i} {WORDS[i % 5]}", commit=False)
    db.session.commit()
    monkeypatch.setattr(postings, "_CACHE_BYTES", 600)
    for q in QUERIES + ["pohon", "catatan"]:
        search_entries(SearchParams(q=q))
    held = sum(i.nbytes + t.nbytes for i, t in postings._postings_cache.values())
    assert held == postings._cache_bytes <= 600
    assert postings._postings_cache  # still caches what fits


def test_everyday_updates_write_separate_files_too(search_ctx):
    """Segments written between reindexes (the outbox) and Whoosh's merges of them
    are separate files, read through the page cache, never copied per worker."""
    from whoosh.index import open_dir

    from archive.search import sync_pending
    from archive.search.index import INDEX_NAME

    app = search_ctx
    for i in range(12):  # a commit each: Whoosh merges the small segments as they come
        make_entry(f"Catatan {i} {WORDS[i % 5]}", "di Seoul")
        sync_pending()
    segments = open_dir(app.config["INDEX_DIR"], indexname=INDEX_NAME)._segments()
    assert segments and not any(s.is_compound() for s in segments)
    assert search_entries(SearchParams(q="trotoar", per_page=100)).total == 3


def test_a_threads_searcher_is_closed_when_the_thread_ends(search_ctx):
    """A threaded server's request threads come and go: each one's cached
    searcher is closed with it, not left to hold its segment files open."""
    import gc
    import threading

    app = search_ctx
    make_entry("Catatan trotoar", "di Seoul")
    seen = []

    def search_in_a_thread():
        with app.app_context():
            seen.append(current_searcher(app.config["INDEX_DIR"]))

    thread = threading.Thread(target=search_in_a_thread)
    thread.start()
    thread.join()
    del thread
    gc.collect()
    assert seen and seen[0].is_closed


def _segment_contents(ix) -> dict:
    """Every term's postings and statistics, per field, of a one-segment index."""
    with ix.searcher() as searcher:
        return _reader_contents(searcher.reader())


def _reader_contents(reader) -> dict:
    out = {}
    for fieldname, text in reader.all_terms():
        info = reader.term_info(fieldname, text)
        out[(fieldname, text)] = (
            info.doc_frequency(), info.weight(), info.min_length(), info.max_length(),
            info.max_weight(), info.min_id(), info.max_id(),
            list(reader.postings(fieldname, text).items_as("weight")),
            list(reader.postings(fieldname, text).all_items()),  # ids and encoded positions
        )
    for (fieldname, text), stats in list(out.items()):
        matcher = reader.postings(fieldname, text)
        if stats[0] > 128:  # several blocks: skipping reads each block's last id
            out[(fieldname, text, "skips")] = _skips(matcher, reader.doc_count_all())
        else:  # one block: its own statistics (for Whoosh's block skipping)
            out[(fieldname, text, "block")] = (
                matcher.block_max_weight(), matcher.block_min_length(),
                matcher.block_max_length(), matcher.block_max_id())
    lengths = {name: [reader.doc_field_length(n, name) for n in range(reader.doc_count_all())]
               for name in reader.indexed_field_names()}
    stored = [reader.stored_fields(n) for n in range(reader.doc_count_all())]
    columns = {name: list(reader.column_reader(name)) for name in reader.schema.names()
               if reader.has_column(name)}
    return {"terms": out, "lengths": lengths, "stored": stored, "columns": columns}


def _skips(matcher, count: int) -> list[int]:
    found = []
    for target in range(0, count, 37):
        if matcher.is_active():
            matcher.skip_to(target)
        found.append(matcher.id() if matcher.is_active() else -1)
    return found


def _documents(count: int, start: int = 0) -> list[dict]:
    docs = []
    for i in range(start, start + count):
        words = " ".join(WORDS[(i * k) % 5] for k in range(1, 2 + i % 6))
        # rare words and values, a few documents in each segment
        rare = " ".join(w for w, n in (("jarang", 47), ("langka", 61)) if i % n == 0)
        docs.append({"id": str(i), "title": f"Catatan {i} {WORDS[i % 5]} {rare}",
                     # weighing more in the first segment than in the last
                     "body": f"{words} " + f"{rare} " * (3 if i < 150 else 1),
                     # some documents without content: their length is missing, not zero
                     "content": (words + " halaman ") * (i % 4) if i % 3 else "",
                     "words": f"{words} {rare}", "entry_id": i,
                     "year": 2030 if i % 53 == 0 else 2018 + i % 3})
    return docs


def test_the_indexing_processes_writer_writes_what_whoosh_writes(tmp_path):
    """``FlushingWriter`` groups postings by term and writes each term's blocks
    itself (``flush.write_postings``); its segment must be Whoosh's own, term by
    term, with the same statistics, skips across blocks and lengths."""
    from whoosh.index import create_in
    from whoosh.writing import SegmentWriter

    from archive.search.bulk import FlushingWriter
    from archive.search.schema import build_schema

    docs = _documents(300)
    contents = []
    for name, writer_class in (("whoosh", SegmentWriter), ("ours", FlushingWriter)):
        (tmp_path / name).mkdir()
        ix = create_in(str(tmp_path / name), build_schema(), indexname="t")
        writer = writer_class(ix, limitmb=64)
        for doc in docs:
            writer.add_document(**doc)
        writer.commit()
        contents.append(_segment_contents(ix))
    assert contents[0] == contents[1]
    assert len(contents[0]["terms"]) > 50
    df = [stats[0] for term, stats in contents[0]["terms"].items() if len(term) == 2]
    assert max(df) > 2 * 128 and 1 in df  # terms of three blocks and of one posting
    lengths = contents[0]["lengths"]["content"]
    assert None in lengths and max(n for n in lengths if n) > 10


def test_merging_by_copying_blocks_gives_whoosh_s_merge(tmp_path, monkeypatch):
    """The planned merge copies posting blocks (``blockmerge``), shifting the ids of
    every segment after the first, and writes a rare word's few postings as one
    block: the merged segment must hold what merging posting by posting gives,
    term by term, with the same statistics."""
    from whoosh.index import create_in
    from whoosh.reading import SegmentReader

    from archive.search.merges import merge_segments
    from archive.search.schema import build_schema

    ix = create_in(str(tmp_path), build_schema(), indexname="t")
    # four segments; the common words have more than one block (128 postings)
    # in each, and only the third segment has papers' content
    for part in range(4):
        writer = ix.writer(compound=False)
        for doc in _documents(150, start=part * 150):
            if part != 2:
                doc["content"] = ""
            writer.add_document(**doc)
        writer.commit(merge=False)
    segments = ix.refresh()._segments()
    assert len(segments) == 4

    from archive.search import blockmerge

    repacked = []
    real_repacked = blockmerge._write_repacked

    def counting(postfile, sources, format_, postings):
        repacked.append(len(sources))
        return real_repacked(postfile, sources, format_, postings)

    monkeypatch.setattr(blockmerge, "_write_repacked", counting)
    merged_segments = [merge_segments(ix.storage, "t", segments, copy_blocks=copy_blocks)
                       for copy_blocks in (True, False)]
    # rare words from every segment went into one block each
    assert len(repacked) > 5 and max(repacked) == 4
    contents = []
    for merged in merged_segments:
        reader = SegmentReader(ix.storage, ix.schema, merged)
        try:
            contents.append(_reader_contents(reader))
        finally:
            reader.close()
    copied, streamed = contents
    assert copied == streamed
    assert len(copied["stored"]) == 600
    assert len(copied["columns"]["year"]) == 600 and 2030 in copied["columns"]["year"]
    df = {term: stats[0] for term, stats in copied["terms"].items()}
    assert max(df.values()) >= 4 * 129  # terms with several blocks in every segment
    assert any(term[0] == "content" for term in df)


def test_merging_uncompressed_segments_compresses_them(tmp_path):
    """Segments a merge will rewrite are written with their blocks uncompressed;
    the merge must give what merging posting by posting gives, compressed, and
    a group of one such segment is written again, not kept."""
    from whoosh.index import create_in
    from whoosh.reading import SegmentReader

    from archive.search.bulk import FlushingWriter
    from archive.search.merges import merge_planned, merge_segments
    from archive.search.schema import build_schema

    ix = create_in(str(tmp_path), build_schema(), indexname="t")
    flags = [False, True, True, False]  # uncompressed: the second and third
    for part, uncompressed in enumerate(flags):
        writer = FlushingWriter(ix, compound=False)
        writer.compress = not uncompressed
        for doc in _documents(150, start=part * 150):
            writer.add_document(**doc)
        writer.commit(merge=False)
    segments = ix.refresh()._segments()

    def contents_and_blocks(segment):
        reader = SegmentReader(ix.storage, ix.schema, segment)
        try:
            return _reader_contents(reader), _blocks([reader])
        finally:
            reader.close()

    assert [contents_and_blocks(s)[1][1] > 0 for s in segments] == flags
    copied, (blocks, uncompressed) = contents_and_blocks(
        merge_segments(ix.storage, "t", segments, uncompressed=flags))
    streamed, _ = contents_and_blocks(merge_segments(ix.storage, "t", segments,
                                                     copy_blocks=False))
    assert copied == streamed
    assert blocks > 100 and uncompressed == 0

    kept = merge_planned(ix.storage, "t", segments[:2], 2, 1, flags[:2])
    assert kept[0] is segments[0] and kept[1] is not segments[1]
    assert contents_and_blocks(kept[1])[0] == contents_and_blocks(segments[1])[0]
    assert contents_and_blocks(kept[1])[1][1] == 0


def test_a_failed_merge_fails_the_plan_and_leaves_no_process(tmp_path, monkeypatch):
    import multiprocessing

    from whoosh.index import create_in

    from archive.search import merges
    from archive.search.schema import build_schema

    ix = create_in(str(tmp_path), build_schema(), indexname="t")
    for part in range(6):
        writer = ix.writer(compound=False)
        for doc in _documents(20, start=part * 20):
            writer.add_document(**doc)
        writer.commit(merge=False)
    segments = ix.refresh()._segments()
    real = merges.merge_segments

    def failing(storage, indexname, group, **kwargs):
        if group[0] is not segments[0]:  # (in the merge process, forked with this patch)
            raise OSError("disk full")
        return real(storage, indexname, group, **kwargs)

    monkeypatch.setattr(merges, "merge_segments", failing)
    with pytest.raises(RuntimeError):
        merges.merge_planned(ix.storage, "t", segments, 3, 2)
    assert multiprocessing.active_children() == []


def test_a_process_foresees_merges_from_its_first_segment():
    from archive.search.bulk import RollingTask

    task = RollingTask.__new__(RollingTask)
    assert not task._merged(1000)  # no plan: never
    task.plan = (100_000, 4)
    assert not task._merged(25_000)  # four segments: kept as they are
    assert not task._merged(20_000)  # five or so: a close call, compressed
    assert task._merged(2_500)
    assert not task._merged(0)


def test_the_indexing_processes_writer_refuses_what_it_cannot_pool(tmp_path):
    """Text fields' terms are pooled as strings, apart from other fields' bytes:
    a text field given anything but a string, or Whoosh's boosts, is refused
    and leaves no half-added document."""
    from whoosh.index import create_in

    from archive.search.bulk import FlushingWriter
    from archive.search.schema import build_schema

    ix = create_in(str(tmp_path), build_schema(), indexname="t")
    writer = FlushingWriter(ix)
    with pytest.raises(ValueError):
        writer.add_document(id="1", title=["sungai", "bersih"])
    with pytest.raises(ValueError):
        writer.add_document(id="1", title="sungai", _title_boost=2.0)
    writer.add_document(id="2", title="sungai bersih", entry_id=2)
    writer.commit()
    with ix.searcher() as searcher:
        assert searcher.doc_count() == 1
        assert list(searcher.lexicon("title")) == [b"bersih", b"sungai"]


def test_the_term_pool_counts_what_it_holds():
    """The indexing processes close a segment when ``TermPool.currentsize`` reaches
    the cap, so the estimate must follow the memory the postings really take."""
    import tracemalloc

    from archive.search.flush import TermPool
    from archive.search.schema import build_schema

    schema = build_schema()
    docs = _documents(300)

    def fill(pool: TermPool) -> int:
        # as FlushingWriter.add_document hands them over
        for docnum, doc in enumerate(docs):
            for name in ("title", "body", "content", "words"):
                field = schema[name]
                pool.add_field(name, field.positions(doc[name]), docnum,
                               field.format.field_boost, field.value_encoder())
            for name in ("entry_id", "year"):
                for tbytes, _freq, weight, vbytes in schema[name].index(doc[name]):
                    pool.add((name, tbytes, docnum, weight, vbytes))
        return pool.postings_count()

    fill(TermPool(limitmb=64))  # the analyzer's caches, before measuring
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        pool = TermPool(limitmb=64)
        postings = fill(pool)
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert postings > 5000
    assert 0.8 < held / pool.currentsize < 1.25


def test_the_indexing_processes_writer_refuses_term_vectors(tmp_path):
    """``write_postings`` writes postings only: a schema with term vectors (or a
    separate spelling field) must not get a segment without them."""
    from whoosh.fields import ID, TEXT, Schema
    from whoosh.index import create_in

    from archive.search.bulk import FlushingWriter

    ix = create_in(str(tmp_path), Schema(id=ID(stored=True), body=TEXT(vector=True)))
    with pytest.raises(ValueError):
        FlushingWriter(ix)
    ix.writer().cancel()  # no lock was left behind


def test_everyday_commits_merge_small_segments_only(tmp_path, monkeypatch):
    """A reindex's segments are never merged by an upload's commit: Whoosh's
    own heuristic merges five segments of six documents (30 < fib(9)) when a
    sixth comes; the archive's policy merges only the small ones."""
    from whoosh import writing

    from archive.search import index as search_index

    directory = str(tmp_path / "ix")
    ix = search_index.open_index(directory)

    def add(ids, **commit):
        w = ix.writer()
        for i in ids:
            w.add_document(id=str(i), entry_id=i, title=f"catatan {i}")
        w.commit(**commit)

    for start in range(0, 36, 6):  # six "reindex" segments of six documents
        add(range(start, start + 6), merge=False)
    for i in (100, 101):  # two small ones, as the outbox leaves them
        add([i], merge=False)
    large = sorted(s.segment_id() for s in ix._segments() if s.doc_count_all() == 6)
    monkeypatch.setattr(search_index, "SMALL_SEGMENT", 5)
    search_index.apply_documents(directory, [{"id": "200", "entry_id": 200, "title": "baru"}], [])
    after = search_index.open_index(directory)._segments()
    assert sorted(s.segment_id() for s in after if s.doc_count_all() == 6) == large
    assert sum(s.doc_count_all() for s in after) == 39

    # what Whoosh alone would have done with the same segments
    segments = [s for s in ix._segments()]
    merged = []
    w = ix.writer()
    monkeypatch.setattr(w, "add_reader", lambda reader: merged.append(reader))
    kept = writing.MERGE_SMALL(w, segments)
    w.cancel()
    assert len(merged) >= 5 and len(kept) < len(segments)
