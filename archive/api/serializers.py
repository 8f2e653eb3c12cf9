"""Plain-dict forms of the archive's rows, as the API (and other JSON producers) return them.

Times: ``created_at``/``updated_at`` are UTC with an explicit offset;
``taken_at`` is the camera's clock as EXIF gives it (local time, no zone), so
it is written without an offset rather than pretending to be UTC. Every
``url`` is absolute, so a script can follow it as it is.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import cache
from typing import Any, Callable

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import bindparam, select, tuple_
from sqlalchemy.orm import joinedload

from ..core.urls import external_url
from ..extensions import db
from ..ingest.previews import can_preview
from ..models import Camat, Entry, ScorePeriod, ScoreRecord, Topic, Trip

#: (kecamatan_id, period) -> ScoreRecord, to serialise a page of entries
#: without one query per entry.
ScoreLookup = Callable[[int, str], "ScoreRecord | None"]


def score_lookup_for(entries: list[Entry]) -> ScoreLookup:
    """The score records a list of entries needs, fetched in one query with their
    kecamatan, sub-scores and period's criteria (joined: three queries before
    cost ~2 ms a page of twenty, one ~1.5), for entry_to_json."""
    keys = {(e.camat.kecamatan_id, e.trip.score_period) for e in entries}
    records: dict[tuple[int, str], ScoreRecord] = {}
    if keys:
        rows = db.session.scalars(_records_statement(), {"keys": list(keys)}).unique()
        records = {(r.kecamatan_id, r.period): r for r in rows}
    return lambda kecamatan_id, period: records.get((kecamatan_id, period))


@cache
def _records_statement():
    """Built once (with its loader options, a third of the lookup's time)."""
    return select(ScoreRecord).options(
        joinedload(ScoreRecord.kecamatan), joinedload(ScoreRecord.sub_scores),
        joinedload(ScoreRecord.scoring_period).joinedload(ScorePeriod.criteria),
    ).where(tuple_(ScoreRecord.kecamatan_id, ScoreRecord.period)
            .in_(bindparam("keys", expanding=True)))


def utc_iso(value: datetime | None) -> str | None:
    """A naive UTC time from the database as ISO 8601 with ``+00:00``."""
    if value is None:
        return None
    return value.replace(tzinfo=timezone.utc).isoformat()


def local_iso(value: datetime | None) -> str | None:
    """A camera's local time as ISO 8601 without an offset (the zone is unknown)."""
    return value.isoformat() if value is not None else None


def topic_to_json(topic: Topic | None, *, entry_count: int | None = None) -> dict | None:
    if topic is None:
        return None
    data: dict[str, Any] = {
        "id": topic.id,
        "slug": topic.slug,
        "name_id": topic.name_id,
        "name_en": topic.name_en,
        "description": topic.description,
        "description_en": topic.description_en,
        "url": external_url("main.topic", slug=topic.slug),
    }
    if entry_count is not None:
        data["entry_count"] = entry_count
    return data


def score_record_to_json(record: ScoreRecord | None) -> dict | None:
    if record is None:
        return None
    return {
        "id": record.id,
        "period": record.period,
        "score": record.total,
        "rank": record.rank,
        "zone": record.zone,
        "zone_label": record.zone_label,
        "kecamatan": record.kecamatan.name,
        "total_computed": not record.total_entered,
        "zone_computed": not record.zone_entered,
        "criteria": record.values(),
        "source": record.source,
        "url": external_url("main.score_record", record_id=record.id),
    }


def trip_to_json(trip: Trip) -> dict:
    return {
        "id": trip.id,
        "slug": trip.slug,
        "title": trip.title,
        "title_en": trip.title_en,
        "program": trip.program,
        "origin_city": trip.origin_city,
        "host_city": trip.host_city,
        "host_country": trip.host_country,
        "year": trip.year,
        "start_date": trip.start_date.isoformat() if trip.start_date else None,
        "end_date": trip.end_date.isoformat() if trip.end_date else None,
        "score_period": trip.score_period,
        "description": trip.description,
        "description_en": trip.description_en,
        "url": external_url("main.trip", slug=trip.slug),
    }


def camat_to_json(camat: Camat) -> dict:
    """A camat with their kecamatan and every score record of it, newest period first."""
    return {
        "id": camat.id,
        "name": camat.name,
        "kecamatan": {"id": camat.kecamatan.id, "name": camat.kecamatan.name,
                      "city": camat.kecamatan.city},
        "bio": camat.bio,
        "url": external_url("main.camat", camat_id=camat.id),
        "score_records": [score_record_to_json(r) for r in camat.kecamatan.score_records],
    }


def author_to_json(entry: Entry, score_lookup: ScoreLookup | None = None) -> dict:
    """The entry's camat and the score record of the period that earned the trip."""
    camat = entry.camat
    if score_lookup is not None:
        record = score_lookup(camat.kecamatan_id, entry.trip.score_period)
    else:
        record = entry.score_record()
    return {
        "id": camat.id,
        "name": camat.name,
        "kecamatan": camat.kecamatan.name,
        "url": external_url("main.camat", camat_id=camat.id),
        "score_record": score_record_to_json(record),
    }


def gps_place_to_json(entry: Entry) -> dict | None:
    """The place read from the entry's GPS (archive/places), apart from the typed one."""
    from ..places.operations import place_disagreement
    from ..places.stored import stored_place

    place = stored_place(entry)
    if place is None:
        return None
    disagree = place_disagreement(entry)
    return {**place.as_dict(), "label": place.label, "label_local": place.label_local,
            "disagrees_with_place_name": disagree is not None,
            "distance_km": disagree.distance_km if disagree else None}


def entry_to_json(entry: Entry, score_lookup: ScoreLookup | None = None) -> dict:
    """An entry as the API gives it; pass ``score_lookup_for(page)`` when serialising many."""
    stored = entry.file
    is_photo = entry.kind == "photo"
    pictured = is_photo or can_preview(stored)
    data: dict[str, Any] = {
        "id": entry.id,
        "kind": entry.kind,
        "title": entry.title,
        "description": entry.description,
        "topic": topic_to_json(entry.topic),
        "tags": entry.tag_names,
        "status": entry.status,
        "taken_at": local_iso(entry.taken_at),
        "latitude": entry.latitude,
        "longitude": entry.longitude,
        "place_name": entry.place_name,
        "gps_place": gps_place_to_json(entry),
        # an openly licensed sample (the demo's), not a camat's own: its source and licence
        "sample": ({"source": entry.sample_source, "licence": entry.sample_licence}
                   if entry.is_sample else None),
        "created_at": utc_iso(entry.created_at),
        "updated_at": utc_iso(entry.updated_at),
        "trip": {"id": entry.trip.id, "slug": entry.trip.slug, "title": entry.trip.title,
                 "title_en": entry.trip.title_en},
        "url": external_url("entries.detail", entry_id=entry.id),
        "original_url": external_url("entries.original", entry_id=entry.id),
        # A photo's thumbnails, or a paper's first page (none for a locked paper).
        "thumbnail_url": (external_url("entries.thumbnail", entry_id=entry.id, size="small")
                          if pictured else None),
        "thumbnail_large_url": (external_url("entries.thumbnail", entry_id=entry.id, size="large")
                                if pictured else None),
        "paper_url": (None if is_photo else
                      external_url("entries.paper", entry_id=entry.id)),
        "page_count": None if is_photo else stored.page_count,
        "text_available": None if is_photo else stored.text_available,
        "file": {
            "original_name": stored.original_name,
            "mime_type": stored.mime_type,
            "size_bytes": stored.size_bytes,
            "sha256": stored.sha256,
            "width": stored.width,
            "height": stored.height,
            "camera_make": stored.camera_make,
            "camera_model": stored.camera_model,
            "altitude": stored.altitude,
        },
        "author": author_to_json(entry, score_lookup),
        "api_url": external_url("api.entry_detail", entry_id=entry.id),
    }
    return data


def pagination_to_json(page: Pagination, endpoint: str, **args: Any) -> dict:
    """Counts and absolute links (first/prev/next/last) that keep the request's filters."""

    def link(number: int) -> str:
        return external_url(endpoint, page=number, per_page=page.per_page, **args)

    return {
        "page": page.page,
        "per_page": page.per_page,
        "total": page.total,
        "pages": page.pages,
        "links": {
            "self": link(page.page),
            "first": link(1),
            "last": link(max(page.pages, 1)),
            "prev": link(page.prev_num) if page.has_prev else None,
            "next": link(page.next_num) if page.has_next else None,
        },
    }
