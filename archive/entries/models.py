"""Entries (a photo or a paper by one camat for one trip), their files, topics and tags."""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from flask_babel import gettext as _
from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.refusal import Refused
from ..core.time import utcnow
from ..extensions import db
from ..districts.models import Camat
from ..trips.models import Trip

KINDS = ("photo", "paper")
STATUSES = ("draft", "published")


class Topic(db.Model):
    """An assignment topic (trotoar, sungai, ...), named in Indonesian and English."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(default="")
    #: the description in English (core/bilingual.py)
    description_en: Mapped[str] = mapped_column(Text, default="", server_default="")
    position: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<Topic {self.slug}>"


entry_tags = Table(
    "entry_tag",
    db.Model.metadata,
    Column("entry_id", Integer, ForeignKey("entry.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", Integer, ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Tag(db.Model):
    """A free keyword on entries. Every way in (the forms, the upload pipeline,
    the API) normalises and limits tags here, with one set of limits."""

    #: characters in one tag, and tags on one entry
    MAX_NAME = 80
    MAX_PER_ENTRY = 30

    id: Mapped[int] = mapped_column(primary_key=True)
    #: normalised: lower case, single spaces, no leading '#'
    name: Mapped[str] = mapped_column(String(MAX_NAME), unique=True)

    @classmethod
    def normalise(cls, raw: str | list[str] | None) -> list[str]:
        """Tag names from "Sungai, #taman" or a list: lower case, single spaces, no
        leading '#', no repeats. Too long a tag or too many are refused (field "tags")."""
        if raw is None or raw == "":
            return []
        if isinstance(raw, str):
            parts = raw.split(",")
        elif isinstance(raw, (list, tuple)) and all(isinstance(p, str) for p in raw):
            parts = list(raw)
        else:
            raise Refused(_("Kolom 'tags' harus teks dipisah koma atau daftar teks."),
                          field="tags")
        names: list[str] = []
        for part in parts:
            name = " ".join(part.replace("\x00", "").split()).lstrip("#").strip().lower()
            if not name or name in names:
                continue
            if len(name) > cls.MAX_NAME:
                raise Refused(_("Tag '%(tag)s...' lebih dari %(max)d karakter.",
                                tag=name[:30], max=cls.MAX_NAME), field="tags")
            names.append(name)
        if len(names) > cls.MAX_PER_ENTRY:
            raise Refused(_("Paling banyak %(max)d tag per entri.", max=cls.MAX_PER_ENTRY),
                          field="tags")
        return names

    @classmethod
    def get_or_create(cls, names: list[str]) -> list["Tag"]:
        """The rows for these normalised names; new ones added to the session (not flushed)."""
        if not names:
            return []
        found = {t.name: t for t in db.session.scalars(select(cls).where(cls.name.in_(names)))}
        tags = []
        for name in names:
            tag = found.get(name)
            if tag is None:
                tag = found[name] = cls(name=name)
                db.session.add(tag)
            tags.append(tag)
        return tags


class StoredFile(db.Model):
    """One uploaded file, stored once under a generated name and known by its hash."""

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    #: "photo" or "paper", decided from the content
    kind: Mapped[str] = mapped_column(String(16))
    mime_type: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int]
    #: path relative to UPLOAD_DIR, generated from the hash
    storage_path: Mapped[str] = mapped_column(String(300))
    #: the name the uploader's file had; shown escaped, never used on disk
    original_name: Mapped[str] = mapped_column(String(300), default="")
    width: Mapped[Optional[int]]
    height: Mapped[Optional[int]]
    camera_make: Mapped[Optional[str]] = mapped_column(String(120))
    camera_model: Mapped[Optional[str]] = mapped_column(String(120))
    orientation: Mapped[Optional[int]]
    altitude: Mapped[Optional[float]]
    #: EXIF DateTimeOriginal as written by the camera (local time, no zone)
    exif_taken_at: Mapped[Optional[datetime]]
    #: the EXIF tags read, as plain strings, for the EXIF panel
    exif: Mapped[Optional[dict]] = mapped_column(JSON)
    page_count: Mapped[Optional[int]]
    #: False for an encrypted or damaged PDF whose text could not be read
    text_available: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    pages: Mapped[list["PaperPage"]] = relationship(
        back_populates="file", cascade="all, delete-orphan", order_by="PaperPage.number"
    )

    @property
    def full_text(self) -> str:
        return "\n\n".join(p.text for p in self.pages)


class PaperPage(db.Model):
    """The extracted text of one page of a paper, so search can say on which page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_file.id", ondelete="CASCADE"), index=True
    )
    #: 1-based page number
    number: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")

    file: Mapped[StoredFile] = relationship(back_populates="pages")


class Entry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    trip_id: Mapped[int] = mapped_column(ForeignKey("trip.id"), index=True)
    camat_id: Mapped[int] = mapped_column(ForeignKey("camat.id"), index=True)
    topic_id: Mapped[Optional[int]] = mapped_column(ForeignKey("topic.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("stored_file.id"), unique=True)
    #: "photo" or "paper" (copied from the file for filtering)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    place_name: Mapped[str] = mapped_column(String(300), default="")
    taken_at: Mapped[Optional[datetime]]
    latitude: Mapped[Optional[float]]
    longitude: Mapped[Optional[float]]
    # The place read from latitude/longitude (archive/places), apart from the
    # typed place_name; "" where unknown. Local (Hangul) names where the
    # gazetteer has them.
    gps_country_code: Mapped[str] = mapped_column(String(2), default="")
    gps_country: Mapped[str] = mapped_column(String(100), default="")
    gps_region: Mapped[str] = mapped_column(String(200), default="")
    gps_city: Mapped[str] = mapped_column(String(200), default="")
    gps_city_local: Mapped[str] = mapped_column(String(200), default="")
    gps_district: Mapped[str] = mapped_column(String(200), default="")
    gps_district_local: Mapped[str] = mapped_column(String(200), default="")
    gps_landmark: Mapped[str] = mapped_column(String(200), default="")
    gps_landmark_local: Mapped[str] = mapped_column(String(200), default="")
    #: "draft" or "published"; visitors only ever see published entries
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    #: set for an openly licensed sample (the demo's), not a camat's own:
    #: where the file comes from (author, collection, address) and its licence
    sample_source: Mapped[Optional[str]] = mapped_column(String(500))
    sample_licence: Mapped[Optional[str]] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    trip: Mapped[Trip] = relationship()
    camat: Mapped[Camat] = relationship()
    topic: Mapped[Optional[Topic]] = relationship()
    file: Mapped[StoredFile] = relationship()
    tags: Mapped[list[Tag]] = relationship(secondary=entry_tags, order_by=Tag.name)

    @property
    def is_published(self) -> bool:
        return self.status == "published"

    @property
    def is_sample(self) -> bool:
        return self.sample_source is not None

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def tag_names(self) -> list[str]:
        return [t.name for t in self.tags]

    def score_record(self):
        """The author's score record for the period that earned this trip."""
        return self.camat.score_record(self.trip.score_period)

    def __repr__(self) -> str:
        return f"<Entry {self.id} {self.kind} {self.title!r}>"
