"""A bulk index writer whose memory is bounded, for ``rebuild``.

Whoosh's multiprocess writer gives each indexing process one posting pool
for its whole share of the documents. A pool held in memory is fast but
grows with the archive (~60 KB resident per document: 3 GB per process at
100,000 entries); a capped pool spills sorted runs that are pickled, read
back and heap-merged, which cost a third to a half of the indexing CPU.

Here each indexing process instead closes its segment when its pool
reaches the cap and starts a new one, so postings are always written
straight from memory. The segments are then merged in a planned way: when
there are more than ``max_segments``, consecutive ones are merged in groups
of about equal size, each group by one process streaming the segments'
already sorted postings into one new segment (no pool, no pickling).
"""
from __future__ import annotations

import heapq
import queue
from multiprocessing import Process, Queue

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

from .blockmerge import can_copy_blocks, copy_postings
from .flush import TermPool, write_postings


class FlushingWriter(SegmentWriter):
    """A SegmentWriter that groups its postings by term and writes them from memory
    (``flush``), reading each field's lengths once.

    Whoosh's flush sorted every posting tuple, then looked every posting's
    document length up in the lengths column it had just written, through
    the file: together most of writing a segment (profile of 5,000 generated
    documents). For a schema without separate spelling fields or term
    vectors, as the archive's.
    """

    def __init__(self, ix, limitmb: int = 128, **kwargs):
        if any(f.vector or f.separate_spelling() for _, f in ix.schema.items()):
            raise ValueError("FlushingWriter writes no term vectors or spelling fields")
        super().__init__(ix, limitmb=limitmb, **kwargs)
        self.pool = TermPool(limitmb)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = _FieldLengths(self.per_document_reader()) if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, lengths, self.pool.terms)
            self.fieldwriter.close()
        finally:
            if lengths:
                lengths.pdr.close()


class RollingTask(SubWriterTask):
    """An indexing process that starts a new segment whenever its pool is nearly full."""

    def run(self):
        ix = self.storage.open_index(self.indexname)
        self.writer = FlushingWriter(ix, _lk=False, **self.kwargs)
        segments = []
        last_size = 0
        while self.running:
            job = self.jobqueue.get()
            if job is None:
                break
            before = self.writer.pool.currentsize
            self._process_file(*job)
            pool = self.writer.pool
            last_size = max(last_size, pool.currentsize - before)
            # Close the segment before the next batch could make the pool spill.
            if pool.currentsize + 2 * last_size >= pool.limit:
                segments.append(self.writer._finalize_segment())
                self.writer = FlushingWriter(ix, _lk=False, **self.kwargs)
        if not self.running:
            self.writer.cancel()
            return
        if self.writer._added:
            segments.append(self.writer._finalize_segment())
        else:
            self.writer._close_segment()
        self.resultqueue.put(segments, timeout=5)


class BoundedWriter(MpWriter):
    """MpWriter whose processes write as many segments as their pool cap asks for."""

    def __init__(self, ix, max_segments: int, **kwargs):
        super().__init__(ix, multisegment=True, **kwargs)
        self.max_segments = max_segments

    def _new_task(self):
        task = RollingTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                           self.subargs, True)
        self.tasks.append(task)
        task.start()
        return task

    def cancel(self):
        # Whoosh's cancel flags its own copies of the tasks, which the
        # processes never see: they would wait for work for ever.
        for task in self.tasks:
            task.terminate()
            task.join()
        SegmentWriter.cancel(self)

    def _collect(self) -> list:
        """Every process's segments; fails rather than waits if a process died."""
        written = []
        for _ in self.tasks:
            written.extend(_next_result(self.resultqueue, self.tasks))
        return written

    def _commit(self, mergetype, optimize, merge):
        if self.docbuffer:
            self._enqueue()
        for _ in self.tasks:
            self.jobqueue.put(None)
        finalsegments = self._merge_segments(mergetype, optimize, merge)
        # Collect before joining: a process with unread queue data does not exit.
        written = self._collect()
        for task in self.tasks:
            task.join()
        self._close_segment()
        finalsegments += merge_planned(self.storage, self.indexname, written, self.max_segments, len(self.tasks) or 1)
        self._commit_toc(finalsegments)
        self._finish()


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


def merge_planned(storage, indexname: str, segments: list, max_segments: int, procs: int) -> list:
    """The segments after merging groups of them, ``procs`` merges at a time."""
    groups = plan_groups([s.doc_count_all() for s in segments], max_segments)
    result: list = [None] * len(groups)
    todo = []
    for g, members in enumerate(groups):
        if len(members) == 1:
            result[g] = segments[members[0]]
        else:
            todo.append((g, [segments[i] for i in members]))
    done: Queue = Queue()
    for start in range(0, len(todo), procs):
        running = []
        for g, group in todo[start:start + procs]:
            p = Process(target=_merge_process, args=(storage, indexname, group, g, done))
            p.start()
            running.append(p)
        for _ in running:
            g, segment = _next_result(done, running)
            if segment is None:
                raise RuntimeError("a segment merge failed")
            result[g] = segment
        for p in running:
            p.join()
    return result


def _next_result(results: Queue, processes: list):
    """The next result a process sends; fails rather than waits if one died."""
    while True:
        try:
            return results.get(timeout=5)
        except queue.Empty:
            if any(p.exitcode not in (None, 0) for p in processes):
                raise RuntimeError("an indexing process failed") from None


def _merge_process(storage, indexname: str, group: list, g: int, done: Queue) -> None:
    try:
        segment = merge_segments(storage, indexname, group)
    except BaseException:
        done.put((g, None))
        raise
    done.put((g, segment))


def merge_segments(storage, indexname: str, group: list, copy_blocks: bool = True):
    """One new segment holding the documents of ``group``, in order: posting blocks
    copied (``blockmerge``), or with ``copy_blocks=False`` postings streamed one by one."""
    ix = storage.open_index(indexname)
    writer = SegmentWriter(ix, _lk=False, limitmb=1, compound=False)
    schema = writer.schema
    readers = [SegmentReader(writer.storage, schema, s) for s in group]
    try:
        bases = []
        for reader in readers:
            names = set(schema.names()) | {n for n in reader.indexed_field_names() if n in schema}
            bases.append(writer.docnum)
            writer.write_per_doc(names, reader)
        writer.perdocwriter.close()
        if copy_blocks and can_copy_blocks(schema, readers):
            copy_postings(writer.fieldwriter, schema, readers, bases)
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


def _merge_postings(writer, readers, bases: list[int]) -> None:
    """Every posting of ``readers`` read and written again, in one sorted stream."""
    sources = [writer._process_posts(reader.iter_postings(), base, None)
               for reader, base in zip(readers, bases)]
    lengths = _FieldLengths(writer.per_document_reader())
    try:
        # Each source is sorted by (field, term, docnum) and the document
        # numbers of the sources do not overlap, so the merge is sorted.
        writer.fieldwriter.add_postings(writer.schema, lengths, heapq.merge(*sources))
    finally:
        lengths.pdr.close()


class _FieldLengths:
    """``doc_field_length`` for ``add_postings``, one field's lengths decoded at a time.

    Postings arrive field by field; looking each one's length up in the
    column (as Whoosh's reader does) was a quarter of a merge's time.
    """

    def __init__(self, pdr):
        self.pdr = pdr
        self.field = None
        self.values = None

    def column(self, fieldname: str) -> list | None:
        """Each document's length of ``fieldname`` (None: zero), or None for a field
        without lengths."""
        if fieldname != self.field:
            self.field = fieldname
            lenfield = _lenfield(fieldname)
            self.values = None
            if self.pdr.has_column(lenfield):
                column = self.pdr.column_reader(lenfield, LENGTHS_COLUMN)
                # as W3PerDocReader.doc_field_length: a zero byte gives None
                self.values = [byte_to_length(b) if b else None for b in column]
        return self.values

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        values = self.column(fieldname)
        if values is None:
            return default
        return values[docnum]
