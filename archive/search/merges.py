"""The reindex's planned merges: its segments merged down to ``max_segments``.

Each indexing process writes a segment whenever its pool is full
(``bulk.RollingTask``). When there are more segments than
``max_segments``, consecutive ones are merged in groups of about equal
size, ``procs`` merges at a time, each group by one process copying the
segments' posting blocks into one new segment (``blockmerge``).
"""
from __future__ import annotations

import heapq
import queue
from multiprocessing import Process, Queue

from whoosh.columns import TranslatingColumnReader
from whoosh.reading import SegmentReader
from whoosh.writing import SegmentWriter

from .blockmerge import can_copy_blocks, copy_postings
from .flush import FieldLengths


def plan_groups(sizes: list[int], max_segments: int) -> list[list[int]]:
    """Indexes of consecutive segments to merge together, at most ``max_segments`` groups."""
    if len(sizes) <= max_segments:
        return [[i] for i in range(len(sizes))]
    target = sum(sizes) / max_segments
    groups: list[list[int]] = [[]]
    filled = 0
    for i, size in enumerate(sizes):
        left = len(sizes) - i
        if groups[-1] and (filled + size / 2 > target or left <= max_segments - len(groups)) \
                and len(groups) < max_segments:
            groups.append([])
            filled = 0
        groups[-1].append(i)
        filled += size
    return groups


def merge_planned(storage, indexname: str, segments: list, max_segments: int, procs: int,
                  uncompressed: list[bool] | None = None) -> list:
    """The segments after merging groups of them, ``procs`` merges at a time.
    ``uncompressed[i]``: segment ``i``'s blocks were written uncompressed; it is
    written again even where its group has no other segment."""
    uncompressed = uncompressed or [False] * len(segments)
    groups = plan_groups([s.doc_count_all() for s in segments], max_segments)
    result: list = [None] * len(groups)
    todo = []
    for g, members in enumerate(groups):
        if len(members) == 1 and not uncompressed[members[0]]:
            result[g] = segments[members[0]]
        else:
            todo.append((g, [segments[i] for i in members], [uncompressed[i] for i in members]))
    # The largest groups first, and a new merge as soon as one ends (in rounds,
    # a process sat idle while its partner finished: ~15 s a round at a million).
    todo.sort(key=lambda job: -sum(s.doc_count_all() for s in job[1]))
    done: Queue = Queue()
    running: dict[int, Process] = {}
    try:
        while todo or running:
            while todo and len(running) < procs:
                g, group, raw = todo.pop(0)
                running[g] = Process(target=_merge_process,
                                     args=(storage, indexname, group, raw, g, done))
                running[g].start()
            g, segment = next_result(done, list(running.values()))
            if segment is None:
                raise RuntimeError("a segment merge failed")
            result[g] = segment
            running.pop(g).join()
    finally:
        for p in running.values():
            p.terminate()
            p.join()
    return result


def next_result(results: Queue, processes: list):
    """The next result a process sends; fails rather than waits if one died."""
    while True:
        try:
            return results.get(timeout=5)
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                raise RuntimeError("an indexing process failed") from None


def _merge_process(storage, indexname: str, group: list, raw: list[bool], g: int,
                   done: Queue) -> None:
    try:
        segment = merge_segments(storage, indexname, group, uncompressed=raw)
    except BaseException:
        done.put((g, None))
        raise
    done.put((g, segment))


def merge_segments(storage, indexname: str, group: list, copy_blocks: bool = True,
                   uncompressed: list[bool] | None = None):
    """One new segment holding the documents of ``group``, in order: posting blocks
    copied (``blockmerge``; ``uncompressed[i]``: segment ``i``'s blocks are to be
    compressed now), or with ``copy_blocks=False`` postings streamed one by one."""
    ix = storage.open_index(indexname)
    writer = SegmentWriter(ix, _lk=False, limitmb=1, compound=False)
    schema = writer.schema
    readers = [SegmentReader(writer.storage, schema, s) for s in group]
    try:
        copy_blocks = copy_blocks and can_copy_blocks(schema, readers)
        bases = []
        for reader in readers:
            names = set(schema.names()) | {n for n in reader.indexed_field_names() if n in schema}
            bases.append(writer.docnum)
            if copy_blocks:
                copy_per_doc(writer, sorted(names), reader)
            else:
                writer.write_per_doc(names, reader)
        writer.perdocwriter.close()
        if copy_blocks:
            copy_postings(writer.fieldwriter, schema, readers, bases, uncompressed)
        else:
            _merge_postings(writer, readers, bases)
        writer._added = True
        writer._close_segment()
        writer._assemble_segment()
        return writer.get_segment()
    finally:
        # Only the readers: the temporary folder ("<index>.tmp") is shared by
        # the merges that run side by side and the parent writer removes it
        # when all are done. Destroying it here deleted a sibling's column
        # file mid-write (a failed CI run).
        for reader in readers:
            reader.close()


def copy_per_doc(writer, names: list[str], reader) -> None:
    """``writer.write_per_doc`` for a segment without deletions or term vectors:
    its stored fields, field lengths and column values, each field's lengths and
    values read once instead of looked up per document (Whoosh looks for the
    length column's file of every field of every document: a quarter of a
    merge's time)."""
    schema, perdoc = writer.schema, writer.perdocwriter
    lengths = FieldLengths(reader._perdoc)
    fields = []
    for name in names:
        field = schema[name]
        values = None
        if field.column_type and reader.has_column(name):
            column = reader.column_reader(name, field.column_type)
            if isinstance(column, TranslatingColumnReader):
                column = column.raw_column()
            values = list(column)
        fields.append((name, field, lengths.column(name), values))
    for docnum, stored in reader.iter_docs():
        perdoc.start_doc(writer.docnum)
        for name, field, field_lengths, values in fields:
            perdoc.add_field(name, field, stored.get(name),
                             field_lengths[docnum] if field_lengths else 0)
            if values is not None:
                perdoc.add_column_value(name, field.column_type, values[docnum])
        perdoc.finish_doc()
        writer.docnum += 1


def _merge_postings(writer, readers, bases: list[int]) -> None:
    """Every posting of ``readers`` read and written again, in one sorted stream."""
    sources = [writer._process_posts(reader.iter_postings(), base, None)
               for reader, base in zip(readers, bases)]
    lengths = FieldLengths(writer.per_document_reader())
    try:
        # Each source is sorted by (field, term, docnum) and the document
        # numbers of the sources do not overlap, so the merge is sorted.
        writer.fieldwriter.add_postings(writer.schema, lengths, heapq.merge(*sources))
    finally:
        lengths.pdr.close()
