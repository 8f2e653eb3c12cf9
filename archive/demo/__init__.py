"""The demo's openly licensed sample photos and papers (``samples/``, see its
README for sources and licences), imported by ``flask seed-demo`` through the
same import function as ``flask import``, so a fresh ``./run.sh`` shows search,
facets, the map and entries with their author's score card.

Each is published, marked as a sample with its source and licence (the entry
page says it is not from the visit), and described truthfully: the places
are where the photos' own GPS puts them (Arezzo in Italy, Missouri in the
USA), not invented Seoul ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from ..ingest.importing import ImportItem, ImportSummary, import_items, resolve_target
from ..ingest.results import EntryFields

SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
_EXIF_SAMPLES = ("exif-samples, https://github.com/ianare/exif-samples (foto dari Wikimedia "
                 "Commons dan kontributornya; penulis tiap foto ada di halaman Commons-nya)")
_PYPDF_SAMPLES = "pypdf sample-files, https://github.com/py-pdf/sample-files"
_LICENCE = "CC BY-SA 4.0"
_AREZZO = "Arezzo, Toskana, Italia"


@dataclass(frozen=True)
class Sample:
    file: str
    camat: str  # login of the demo camat it is filed under
    topic: str | None
    title: str
    description: str
    place: str
    tags: tuple[str, ...]
    source: str
    licence: str = _LICENCE


SAMPLES: tuple[Sample, ...] = (
    Sample("gps_DSCN0012.jpg", "cinambo", "trees", "Jalan setapak berpohon di taman kota Arezzo",
           "Jalan setapak lebar di bawah deretan pohon yang menggugurkan daun, di taman kota "
           "Arezzo, Italia, Oktober 2008. Contoh foto kamera Nikon dengan posisi GPS.",
           _AREZZO, ("pohon", "taman", "contoh"), _EXIF_SAMPLES),
    Sample("gps_DSCN0021.jpg", "lengkong", "parks", "Bangku dan lampu taman di Arezzo",
           "Bangku, lampu taman dan monumen di antara pepohonan sebuah taman kota di Arezzo, "
           "Italia, Oktober 2008.", _AREZZO, ("taman", "bangku", "contoh"), _EXIF_SAMPLES),
    Sample("gps_DSCN0025.jpg", "antapani", "sidewalks", "Jalan sempit dan trotoar di Arezzo",
           "Jalan kota tua yang sempit dengan trotoar, rambu dan pejalan kaki di Arezzo, "
           "Italia, Oktober 2008.", _AREZZO, ("trotoar", "rambu", "contoh"), _EXIF_SAMPLES),
    Sample("gps_DSCN0027.jpg", "batununggal", "street-furniture",
           "Alun-alun berbata dengan tiang pembatas di Arezzo",
           "Alun-alun berlantai bata di depan gereja, dengan tiang pembatas (bollard) besi, "
           "di Arezzo, Italia, Oktober 2008.", _AREZZO, ("alun-alun", "bollard", "contoh"),
           _EXIF_SAMPLES),
    Sample("heic_IMG_5195.HEIC", "cinambo", None, "Bunga liar ungu (foto HEIC iPhone)",
           "Bunga liar ungu di antara daun kering, foto HEIC dari iPhone 11 Pro Max, April 2021, "
           "sekitar Blue Springs, Missouri, Amerika Serikat (posisi dari GPS foto).",
           "Blue Springs, Missouri, Amerika Serikat", ("bunga", "heic", "contoh"), _EXIF_SAMPLES),
    Sample("google-doc-document.pdf", "cinambo", None, "Contoh makalah: ekspor Google Docs",
           "Contoh makalah PDF satu halaman (ekspor Google Docs) berisi teks The Zen of Python, "
           "untuk mencoba pencarian teks penuh, misalnya 'beautiful'.", "",
           ("makalah", "contoh"), _PYPDF_SAMPLES),
    Sample("pdflatex-4-pages.pdf", "lengkong", None, "Contoh makalah: empat halaman pdfTeX",
           "Contoh makalah PDF empat halaman dari pdfTeX dengan teks pengisi, untuk mencoba "
           "halaman PDF dan hasil pencarian per halaman.", "", ("makalah", "contoh"),
           _PYPDF_SAMPLES),
)


def seed_samples() -> ImportSummary:
    """Import every sample (published) that is not in the archive yet; a second
    run adds nothing. Needs an app and a request context (messages)."""
    total = ImportSummary()
    for sample in SAMPLES:
        target = resolve_target(sample.camat, None, sample.topic)
        fields = EntryFields(title=sample.title, description=sample.description,
                             topic_id=target.topic_id, tags=list(sample.tags),
                             place_name=sample.place, status="published",
                             sample_source=sample.source, sample_licence=sample.licence)
        item = ImportItem(sample.file, partial(open, SAMPLES_DIR / sample.file, "rb"))
        summary = import_items([item], fields, target)
        total.added += summary.added
        total.duplicate += summary.duplicate
        total.failed += summary.failed
    return total
