"""Presenting reports: slides, PDF and offline bundle, and the trip compilation.

Routes (blueprint ``presentation``):

- ``/laporan/<id>/slide`` slides of a report; ``/reports/<id>.pdf`` and
  ``/reports/<id>.zip`` its PDF and offline bundle;
- ``/kunjungan/<trip_id>/laporan`` the city-wide compilation,
  ``/kunjungan/<trip_id>/cakupan`` the coverage board,
  ``/kunjungan/<trip_id>/slide``, ``/trips/<id>/report.pdf`` and
  ``/trips/<id>/report.zip`` the compilation as slides, PDF and zip.

A draft report answers 404 to anyone but its author and admins, in every
form; the compilation holds published material only.
"""
from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path

from flask import Blueprint, current_app, render_template, send_file, url_for
from flask_login import current_user

from ..extensions import db
from ..ingest.previews import preview_file
from ..ingest.thumbnails import NoThumbnail, thumbnail_file
from ..models import Entry, Trip
from .bundle import write_bundle
from .compilation import build_compilation
from .markdown import render_markdown
from .models import Report
from ..core.labels import status_label
from .operations import get_visible_report
from .slides import Deck, compilation_deck, report_deck

bp = Blueprint("presentation", __name__)


@bp.context_processor
def _markdown():
    return {"render_markdown": render_markdown}


def image_path(entry: Entry, size: str) -> Path | None:
    """The JPEG thumbnail on disk (re-made from the original if it went missing),
    or None when even the original is gone: the export then shows a placeholder
    instead of failing as a whole."""
    try:
        if entry.kind == "paper":  # its first page, or None (locked): the export shows a placeholder
            return preview_file(entry.file, size)
        return thumbnail_file(entry.file, size)
    except (FileNotFoundError, NoThumbnail):
        current_app.logger.warning("No thumbnail for entry %s: its file is missing", entry.id)
        return None


def image_url(entry: Entry, size: str) -> str:
    return url_for("entries.thumbnail", entry_id=entry.id, size=size)


def static_asset_url(name: str) -> str:
    return url_for("static", filename=name)


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "laporan"


def _pdf_response(deck: Deck, name: str):
    # Imported here: fpdf2 takes 17 MiB in every worker, and only PDF requests use it.
    from .pdf import render_deck_pdf

    data = render_deck_pdf(deck, image_path)
    response = send_file(io.BytesIO(data), mimetype="application/pdf",
                         download_name=f"{name}.pdf", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _zip_response(deck: Deck, name: str):
    response = send_file(write_bundle(deck, image_path, name), mimetype="application/zip",
                         as_attachment=True, download_name=f"{name}.zip", max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _report_name(report: Report) -> str:
    return f"laporan-{report.id}-{_slug(report.camat.kecamatan.name)}"


def _render_slides(deck: Deck, back_url: str | None):
    return render_template("presentation/slides.html", deck=deck, image_url=image_url,
                           asset_url=static_asset_url, offline=False, back_url=back_url,
                           mark_url=url_for("identity.mark"))


# --- a camat's report ------------------------------------------------------------

@bp.route("/laporan/<int:report_id>/slide")
def slides(report_id: int):
    report = get_visible_report(report_id)
    return _render_slides(report_deck(report),
                          url_for("reports.detail", report_id=report.id))


@bp.route("/reports/<int:report_id>.pdf")
def report_pdf(report_id: int):
    report = get_visible_report(report_id)
    return _pdf_response(report_deck(report), _report_name(report))


@bp.route("/reports/<int:report_id>.zip")
def report_zip(report_id: int):
    report = get_visible_report(report_id)
    return _zip_response(report_deck(report), _report_name(report))


# --- the trip compilation ---------------------------------------------------------

def _trip_name(trip: Trip) -> str:
    return f"laporan-gabungan-{_slug(trip.slug)}"


@bp.route("/kunjungan/<int:trip_id>/laporan")
def trip_report(trip_id: int):
    trip = db.get_or_404(Trip, trip_id)
    compilation = build_compilation(trip)
    return render_template("presentation/trip_report.html", trip=trip, compilation=compilation,
                           coverage=compilation.coverage, image_url=image_url,
                           status_label=status_label)


@bp.route("/kunjungan/<int:trip_id>/cakupan")
def coverage(trip_id: int):
    trip = db.get_or_404(Trip, trip_id)
    is_admin = bool(current_user.is_authenticated and current_user.is_admin)
    compilation = build_compilation(trip, with_drafts=is_admin)
    return render_template("presentation/coverage.html", trip=trip,
                           coverage=compilation.coverage)


@bp.route("/kunjungan/<int:trip_id>/slide")
def trip_slides(trip_id: int):
    trip = db.get_or_404(Trip, trip_id)
    return _render_slides(compilation_deck(build_compilation(trip)),
                          url_for("presentation.trip_report", trip_id=trip.id))


@bp.route("/trips/<int:trip_id>/report.pdf")
def trip_pdf(trip_id: int):
    trip = db.get_or_404(Trip, trip_id)
    return _pdf_response(compilation_deck(build_compilation(trip)), _trip_name(trip))


@bp.route("/trips/<int:trip_id>/report.zip")
def trip_zip(trip_id: int):
    trip = db.get_or_404(Trip, trip_id)
    return _zip_response(compilation_deck(build_compilation(trip)), _trip_name(trip))
