"""Turn an Entry (with its topic, tags, author, kecamatan, paper pages) into an index document."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..models import Camat, Entry, ScoreRecord, StoredFile, Trip
from ..places.stored import entry_area_code, stored_place
from .schema import KIND_CODES


def entry_query():
    """Entries with everything a document needs, loaded in a few queries."""
    return select(Entry).options(
        selectinload(Entry.tags),
        selectinload(Entry.topic),
        selectinload(Entry.trip),
        selectinload(Entry.camat).selectinload(Camat.kecamatan),
        selectinload(Entry.file).selectinload(StoredFile.pages),
    )


def _ts(value: datetime | None) -> int:
    return int(value.timestamp()) if value else 0


def score_lookup(session, entries: list[Entry]) -> dict[tuple[int, str], float]:
    """(kecamatan_id, period) -> total, for the authors' score records in one query."""
    keys = {(e.camat.kecamatan_id, e.trip.score_period) for e in entries}
    if not keys:
        return {}
    kec_ids = {k for k, _ in keys}
    rows = session.execute(
        select(ScoreRecord.kecamatan_id, ScoreRecord.period, ScoreRecord.total)
        .where(ScoreRecord.kecamatan_id.in_(kec_ids))
    )
    return {(k, p): float(t) for k, p, t in rows}


def build_document(entry: Entry, scores: dict[tuple[int, str], float]) -> dict:
    topic = entry.topic
    camat = entry.camat
    trip: Trip = entry.trip
    tags = " ".join(entry.tag_names)
    topic_text = f"{topic.name_id} {topic.name_en} {topic.slug.replace('-', ' ')}" if topic else ""
    content = ""
    if entry.kind == "paper" and entry.file is not None:
        content = "\n".join(p.text for p in entry.file.pages)
    score = scores.get((camat.kecamatan_id, trip.score_period))
    derived = stored_place(entry)
    # the typed place and every name of the GPS place, Latin and Hangul
    place = " ".join([entry.place_name or "", *(derived.names if derived else [])]).strip()
    doc = {
        "id": str(entry.id),
        "title": entry.title,
        "body": "\n".join([entry.description or "", tags, topic_text, place,
                           camat.name, camat.kecamatan.name]),
        "tags": tags,
        "topic": topic_text,
        "place": place,
        "author": camat.name,
        "kecamatan": camat.kecamatan.name,
        "content": content,
        "words": " ".join([entry.title, entry.description or "", tags, topic_text,
                           place, camat.name, camat.kecamatan.name]),
        "entry_id": entry.id,
        "topic_id": entry.topic_id or 0,
        "camat_id": entry.camat_id,
        "kecamatan_id": camat.kecamatan_id,
        "trip_id": entry.trip_id,
        # The trip's year, not the camera's: people look for "the 2018 visit",
        # and a camera clock left at 2008 must not make a year of its own.
        "year": trip.year or (entry.taken_at.year if entry.taken_at else 0),
        "kind": KIND_CODES.get(entry.kind, 0),
        "gps": 1 if entry.has_position else 0,
        "published": 1 if entry.is_published else 0,
        "taken": _ts(entry.taken_at),
        "created": _ts(entry.created_at),
        "score": int(round(score * 100)) if score is not None else 0,
        "area": entry_area_code(entry),
    }
    doc["digest"] = document_digest(doc)
    return doc


def document_digest(doc: dict) -> str:
    payload = {k: v for k, v in doc.items() if k != "digest"}
    return hashlib.sha1(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def load_documents(session, entry_ids: list[int]) -> dict[int, dict]:
    """Index documents for the given entries that still exist, keyed by entry id."""
    entries = list(session.scalars(entry_query().where(Entry.id.in_(entry_ids))))
    scores = score_lookup(session, entries)
    return {e.id: build_document(e, scores) for e in entries}


def iter_documents(session, batch: int = 500):
    """All documents, a batch of entries at a time by id (keyset), for reindex and check.

    Only one batch of entries and documents is held at a time, whatever the
    archive's size. Each batch's transaction ends before its documents are
    handed on, so a slow consumer (the indexing processes) never holds the
    database: give a session of ``extensions.reading_engine()`` and on SQLite
    not even the batch's read takes the write lock that uploads need.
    """
    last = 0
    while True:
        chunk = list(session.scalars(
            select(Entry.id).where(Entry.id > last).order_by(Entry.id).limit(batch)))
        if not chunk:
            return
        last = chunk[-1]
        docs = load_documents(session, chunk)
        session.rollback()
        session.expunge_all()
        for entry_id in chunk:
            if entry_id in docs:
                yield docs[entry_id]
