"""What the pipeline takes and gives: the uploads, the batch's fields, what the
steps learnt about a file, and each file's result (added / duplicate / failed)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from flask_babel import gettext as _

from ..models import Entry
from ..places.lookup import DerivedPlace
from .exif import PhotoMetadata
from .pdf import PaperInfo
from .sniff import FileType
from .thumbnails import Picture


@dataclass
class Upload:
    """One file as received."""

    #: the client's name, for display only (never used on disk)
    filename: str
    #: readable binary stream (werkzeug FileStorage.stream works)
    stream: BinaryIO | None = None
    #: or a complete file already under UPLOAD_DIR, taken without a copy (``storage.adopt``)
    path: Path | None = None


@dataclass
class EntryFields:
    """Metadata chosen for a batch, editable per entry later."""

    #: empty: derived from the EXIF description, the PDF title or the file name
    title: str = ""
    description: str = ""
    topic_id: int | None = None
    tags: list[str] = field(default_factory=list)
    place_name: str = ""
    status: str = "draft"  # "draft" | "published"
    #: an openly licensed sample, not the camat's own: its source and licence
    sample_source: str | None = None
    sample_licence: str | None = None


@dataclass
class IngestResult:
    status: str  # "added" | "duplicate" | "failed"
    filename: str
    #: user-facing, Indonesian via gettext, names the problem
    message: str
    #: 201 added, 200 duplicate, 4xx failed (400/413/415/422)
    http_status: int
    #: the new entry, or the existing one for a duplicate
    entry: Entry | None = None


@dataclass
class Analysis:
    """What the steps found out about one file, before any row exists."""

    file_type: FileType
    photo: PhotoMetadata | None = None
    paper: PaperInfo | None = None
    width: int | None = None
    height: int | None = None
    rendered_thumbnails: dict[str, bytes] = field(default_factory=dict)
    #: or the decoded photo, for thumbnails made after the answer (``thumbnails.Picture``)
    picture: Picture | None = None
    #: the place read from the photo's GPS (archive/places), None without one
    place: DerivedPlace | None = None


def duplicate(name: str, entry: Entry) -> IngestResult:
    return IngestResult(
        "duplicate", name,
        _("%(name)s sudah ada di arsip sebagai entri \"%(title)s\"; berkas yang sama tidak "
          "disimpan dua kali.", name=name, title=entry.title),
        200, entry,
    )


def added(name: str, entry: Entry, analysis: Analysis) -> IngestResult:
    if analysis.paper is not None and not analysis.paper.text_available:
        if analysis.paper.encrypted:
            message = _("%(name)s berhasil diunggah, tetapi teksnya tidak dapat dibaca karena "
                        "PDF ini terkunci dengan kata sandi.", name=name)
        else:
            message = _("%(name)s berhasil diunggah, tetapi PDF ini tidak memuat teks yang "
                        "dapat dibaca (mungkin hasil pindaian).", name=name)
    else:
        message = _("%(name)s berhasil diunggah.", name=name)
    return IngestResult("added", name, message, 201, entry)
