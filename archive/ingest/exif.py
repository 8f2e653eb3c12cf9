"""Camera metadata from EXIF, read with exifread and guarded against bad data.

exifread only ever sees the EXIF block (the TIFF structure of the APP1
segment, at most 64 KiB, which Pillow has already cut out of the file while
opening it) through a reader with a time and read budget. So a truncated or
pathological block can at worst cost that budget, and any error just means
"no EXIF": malformed EXIF never rejects a good photo.
"""
from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

import exifread

from .text import clean_text

log = logging.getLogger(__name__)

#: seconds exifread may spend on one photo's EXIF
TIME_BUDGET = 0.5
#: read/seek calls exifread may make on one photo's EXIF
CALL_BUDGET = 200_000
#: longest string kept from one EXIF tag
MAX_VALUE_CHARS = 300
#: longest ImageDescription kept (the title proposed from it is shorter, cut at a word)
MAX_DESCRIPTION_CHARS = 2000
#: most tags kept for the EXIF panel
MAX_TAGS = 150

# Binary or bulky tags that mean nothing in a panel.
_SKIPPED = ("JPEGThumbnail", "TIFFThumbnail", "EXIF MakerNote", "Image PrintIM",
            "EXIF UserComment", "Image StripOffsets", "Image StripByteCounts",
            "Thumbnail JPEGInterchangeFormat", "Thumbnail JPEGInterchangeFormatLength",
            "Image ExifOffset", "Image GPSInfo", "EXIF InteroperabilityOffset",
            "Image XMLPacket", "Image ApplicationNotes")


@dataclass
class PhotoMetadata:
    taken_at: datetime | None = None
    make: str | None = None
    model: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    altitude: float | None = None
    orientation: int | None = None
    description: str = ""
    #: every tag read, as plain strings, for the EXIF panel
    tags: dict[str, str] = field(default_factory=dict)


class _BudgetExceeded(Exception):
    pass


class _GuardedReader(io.BytesIO):
    """A BytesIO that gives up once a deadline or a number of calls is passed."""

    def __init__(self, data: bytes, seconds: float, calls: int) -> None:
        super().__init__(data)
        self._deadline = time.monotonic() + seconds
        self._calls_left = calls

    def _spend(self) -> None:
        self._calls_left -= 1
        if self._calls_left < 0 or time.monotonic() > self._deadline:
            raise _BudgetExceeded()

    def read(self, size: int | None = -1) -> bytes:
        self._spend()
        return super().read(size)

    def seek(self, pos: int, whence: int = 0) -> int:
        self._spend()
        return super().seek(pos, whence)


def read_exif_block(app1: bytes | None) -> PhotoMetadata:
    """Metadata from an EXIF block (``b"Exif\\0\\0"`` + TIFF, or bare TIFF); never raises."""
    if not app1:
        return PhotoMetadata()
    tiff = app1[6:] if app1.startswith(b"Exif\x00\x00") else app1
    if tiff[:4] not in (b"II*\x00", b"MM\x00*"):
        return PhotoMetadata()
    try:
        tags = exifread.process_file(
            _GuardedReader(tiff, TIME_BUDGET, CALL_BUDGET),
            details=False, extract_thumbnail=False,
        )
    except _BudgetExceeded:
        log.warning("EXIF reading gave up: over its time budget")
        return PhotoMetadata()
    except Exception:  # exifread raises many kinds on damaged data
        log.info("EXIF unreadable", exc_info=True)
        return PhotoMetadata()
    try:
        return _interpret(tags)
    except Exception:  # a tag whose values are not what the standard says
        log.info("EXIF values not understood", exc_info=True)
        return PhotoMetadata(tags=_plain_tags(tags))


def _interpret(tags: dict) -> PhotoMetadata:
    meta = PhotoMetadata(tags=_plain_tags(tags))
    for key in ("EXIF DateTimeOriginal", "EXIF DateTimeDigitized", "Image DateTime"):
        meta.taken_at = _parse_datetime(tags.get(key))
        if meta.taken_at:
            break
    meta.make = clean_text(tags.get("Image Make", ""), 120) or None
    meta.model = clean_text(tags.get("Image Model", ""), 120) or None
    meta.description = clean_text(tags.get("Image ImageDescription", ""), MAX_DESCRIPTION_CHARS)
    meta.orientation = _orientation(tags.get("Image Orientation"))
    lat = _degrees(tags.get("GPS GPSLatitude"), tags.get("GPS GPSLatitudeRef"), "S", 90)
    lon = _degrees(tags.get("GPS GPSLongitude"), tags.get("GPS GPSLongitudeRef"), "W", 180)
    if lat is not None and lon is not None and not (lat == 0 and lon == 0):
        meta.latitude, meta.longitude = lat, lon
    meta.altitude = _altitude(tags.get("GPS GPSAltitude"), tags.get("GPS GPSAltitudeRef"))
    return meta


def _plain_tags(tags: dict) -> dict[str, str]:
    plain: dict[str, str] = {}
    for key, tag in tags.items():
        if key in _SKIPPED or key.startswith(("MakerNote", "Thumbnail ")):
            continue
        try:
            text = clean_text(getattr(tag, "printable", tag))
        except Exception:
            continue
        if text:
            plain[clean_text(key, 80)] = text
        if len(plain) >= MAX_TAGS:
            break
    return plain


def _parse_datetime(tag) -> datetime | None:
    if tag is None:
        return None
    text = clean_text(getattr(tag, "printable", tag), 40)
    for fmt in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M"):
        try:
            value = datetime.strptime(text[: len("2018:07:10 10:00:00")].strip(), fmt)
        except ValueError:
            continue
        if 1900 <= value.year <= 2100:
            return value
    return None


def _orientation(tag) -> int | None:
    if tag is None or not getattr(tag, "values", None):
        return None
    try:
        value = int(tag.values[0])
    except (TypeError, ValueError):
        return None
    return value if 1 <= value <= 8 else None


def _ratio(value) -> float:
    num = getattr(value, "num", None)
    den = getattr(value, "den", None)
    if num is not None and den is not None:
        if den == 0:
            raise ZeroDivisionError
        return num / den
    return float(value)


def _degrees(tag, ref, negative_ref: str, limit: float) -> float | None:
    if tag is None or not getattr(tag, "values", None):
        return None
    try:
        parts = [_ratio(v) for v in list(tag.values)[:3]]
    except (ZeroDivisionError, TypeError, ValueError):
        return None
    while len(parts) < 3:
        parts.append(0.0)
    value = parts[0] + parts[1] / 60 + parts[2] / 3600
    if clean_text(getattr(ref, "printable", ref or ""), 4).upper().startswith(negative_ref):
        value = -value
    if not -limit <= value <= limit:
        return None
    return round(value, 7)


def _altitude(tag, ref) -> float | None:
    if tag is None or not getattr(tag, "values", None):
        return None
    try:
        value = _ratio(tag.values[0])
    except (ZeroDivisionError, TypeError, ValueError, IndexError):
        return None
    ref_values = getattr(ref, "values", None)
    # GPSAltitudeRef 1 means below sea level.
    if ref_values and ref_values[0] in (1, b"\x01", "1"):
        value = -value
    if not -12_000 <= value <= 100_000:
        return None
    return round(value, 2)
