"""Generated test files (JPEG with EXIF, PNG, PDF) and helpers that upload them
through the camat's upload form, for the pages and entries tests."""
from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image

SEOUL = (37.5704, 126.9910)  # Cheonggyecheon


def _gps_rational(value: float) -> tuple[float, float, float]:
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def jpeg_bytes(seed: int = 0, size: tuple[int, int] = (80, 60), gps: tuple[float, float] | None = None,
               make: str = "NIKON", model: str = "COOLPIX P6000") -> bytes:
    """A small JPEG whose pixels depend on ``seed`` (so each seed is new content), with EXIF."""
    image = Image.new("RGB", size, ((seed * 47) % 256, (seed * 91) % 256, (seed * 13 + 80) % 256))
    image.putpixel((0, 0), (seed % 256, (seed // 256) % 256, 7))
    exif = Image.Exif()
    exif[0x010F] = make
    exif[0x0110] = model
    exif[0x0112] = 1
    exif[0x0132] = "2018:07:10 10:15:00"
    exif.get_ifd(0x8769)[0x9003] = "2018:07:10 10:15:00"  # DateTimeOriginal
    if gps is not None:
        lat, lon = gps
        exif[0x8825] = {
            1: "N" if lat >= 0 else "S", 2: _gps_rational(lat),
            3: "E" if lon >= 0 else "W", 4: _gps_rational(lon),
            5: b"\x00", 6: 35.0,
        }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=80)
    return out.getvalue()


def png_bytes(seed: int = 0) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (seed % 256, 120, 200)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes(text: str = "Penataan reklame di Seoul", pages: int = 2) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text}. Halaman {n}.")
    return bytes(pdf.output())


@dataclass
class Uploaded:
    status_code: int
    html: str


def upload(client, files: list[tuple[bytes, str]], **fields) -> Uploaded:
    """POST the upload form with several files at once; the client must be logged in."""
    data = {"trip": fields.pop("trip", "1"), "topic": fields.pop("topic", ""),
            "tags": "", "place_name": "", "description": "", "status": "draft"}
    data.update({k: str(v) for k, v in fields.items()})
    data["files"] = [(io.BytesIO(content), name) for content, name in files]
    response = client.post("/entri/unggah", data=data, content_type="multipart/form-data")
    return Uploaded(response.status_code, response.get_data(as_text=True))


def latest_entry_id(app) -> int:
    from sqlalchemy import func, select

    from archive.extensions import db
    from archive.models import Entry

    with app.app_context():
        return db.session.scalar(select(func.max(Entry.id)))


def topic_id(app, slug: str) -> int:
    from sqlalchemy import select

    from archive.extensions import db
    from archive.models import Topic

    with app.app_context():
        return db.session.scalar(select(Topic.id).where(Topic.slug == slug))
