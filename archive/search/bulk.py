"""A bulk index writer whose memory is bounded, for ``rebuild``.

Whoosh's multiprocess writer gives each indexing process one posting pool
for its whole share of the documents. A pool held in memory is fast but
grows with the archive (~60 KB resident per document: 3 GB per process at
100,000 entries); a capped pool spills sorted runs that are pickled, read
back and heap-merged, which cost a third to a half of the indexing CPU.

Here each indexing process instead closes its segment when its pool
reaches the cap and starts a new one, so postings are always written
straight from memory. The segments are then merged in a planned way
(``merges``).
"""
from __future__ import annotations

from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import SegmentWriter

from .flush import FieldLengths, TermPool, write_postings
from .merges import merge_planned, next_result
from .schema import BilingualText


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
        #: False: blocks left uncompressed, for a segment a planned merge rewrites
        self.compress = True

    def add_document(self, **fields):
        """As ``SegmentWriter.add_document``, with a text field's postings handed to
        the pool in one call (``TermPool.add_field``): the generator, tuple and
        call per posting were a third of adding a generated document.
        A text field takes a string (the pool keeps its terms apart from
        other fields'), and Whoosh's ``_``-keys (boosts, custom stored values)
        are refused: the index documents use neither."""
        if any(name.startswith("_") for name in fields):
            raise ValueError("the reindex writer takes no '_' fields (boosts, stored values)")
        self._check_state()
        schema, pool, perdoc, docnum = self.schema, self.pool, self.perdocwriter, self.docnum
        fieldnames = sorted(fields)
        self._check_fields(schema, fieldnames)
        perdoc.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields[fieldname]
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if isinstance(field, BilingualText):
                    if not isinstance(value, str):
                        raise ValueError(f"{fieldname}: a text field takes a string")
                    length = pool.add_field(fieldname, field.positions(value), docnum,
                                            field.format.field_boost, field.value_encoder())
                elif field.indexed:
                    for tbytes, freq, weight, vbytes in field.index(value):
                        length += freq if field.scorable else 0
                        pool.add((fieldname, tbytes, docnum, weight, vbytes))
                perdoc.add_field(fieldname, field, value if field.stored else None, length)
                if field.column_type:
                    perdoc.add_column_value(fieldname, field.column_type,
                                            field.to_column_value(value))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = FieldLengths(self.per_document_reader()) if self.codec.length_stats else None
        try:
            write_postings(self.fieldwriter, self.schema, lengths, self.pool, self.compress)
            self.fieldwriter.close()
        finally:
            if lengths:
                lengths.pdr.close()


class RollingTask(SubWriterTask):
    """An indexing process that starts a new segment whenever its pool is nearly full.

    Once its first full segment shows how many documents a segment holds, it
    foresees the number of segments (``plan``: the documents to come, the
    segments to keep); when that is well above what is kept, its later
    segments are all going to be merged, and their blocks are written
    uncompressed: a merge decodes and compresses each block again anyway
    (compressing was a third of writing a segment).
    """

    #: (documents of the whole reindex, segments kept after merging), or None
    plan: tuple[int, int] | None = None

    def run(self):
        ix = self.storage.open_index(self.indexname)
        self.writer = FlushingWriter(ix, _lk=False, **self.kwargs)
        segments = []  # (segment, its blocks are compressed)
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
                compress = self.writer.compress
                segment = self.writer._finalize_segment()
                segments.append((segment, compress))
                self.writer = FlushingWriter(ix, _lk=False, **self.kwargs)
                self.writer.compress = compress and not self._merged(segment.doc_count_all())
        if not self.running:
            self.writer.cancel()
            return
        if self.writer._added:
            segments.append((self.writer._finalize_segment(), self.writer.compress))
        else:
            self.writer._close_segment()
        self.resultqueue.put(segments, timeout=5)

    def _merged(self, per_segment: int) -> bool:
        """True when segments of ``per_segment`` documents will surely be merged."""
        if not self.plan or not per_segment:
            return False
        documents, kept = self.plan
        return documents / per_segment > 1.5 * kept


class BoundedWriter(MpWriter):
    """MpWriter whose processes write as many segments as their pool cap asks for."""

    def __init__(self, ix, max_segments: int, documents: int | None = None, **kwargs):
        """``documents``: how many the reindex will add, if known (see ``RollingTask``)."""
        super().__init__(ix, multisegment=True, **kwargs)
        self.max_segments = max_segments
        self.documents = documents

    def _new_task(self):
        task = RollingTask(self.storage, self.indexname, self.jobqueue, self.resultqueue,
                           self.subargs, True)
        if self.documents:
            task.plan = (self.documents, self.max_segments)
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
        """Every process's (segment, compressed); fails rather than waits if a process
        died."""
        written = []
        for _ in self.tasks:
            written.extend(next_result(self.resultqueue, self.tasks))
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
        finalsegments += merge_planned(self.storage, self.indexname,
                                       [segment for segment, _ in written],
                                       self.max_segments, len(self.tasks) or 1,
                                       [not compressed for _, compressed in written])
        self._commit_toc(finalsegments)
        self._finish()
