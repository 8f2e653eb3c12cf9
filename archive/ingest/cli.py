"""``flask --app archive rebuild-thumbnails``: make every photo's thumbnails and every paper's
first-page preview again from its original (it also clears temporary files that uploads
killed mid-way left behind); ``flask --app archive import PATH --camat USER``: a folder or
zip of photos and papers through the pipeline.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.commands import command_context
from ..core.refusal import Refused
from ..extensions import db, reading_engine
from ..models import STATUSES, StoredFile, Tag
from . import previews, storage, thumbnails
from .importing import import_items, open_source, resolve_target
from .results import EntryFields


@click.command("rebuild-thumbnails")
@click.option("--missing-only", is_flag=True, help="Hanya buat thumbnail yang belum ada.")
@with_appcontext
def rebuild_thumbnails(missing_only: bool) -> None:
    """Regenerate the thumbnails of every photo and paper from its original, and report the counts."""
    # The messages come through gettext, whose locale selector reads the
    # request; a command has none, so it runs in a blank one (Indonesian).
    with command_context():
        counts = _rebuild_all(missing_only)
    rebuilt, skipped, missing, failed = counts
    swept = storage.sweep_temporary()
    click.echo(f"Thumbnail dibuat ulang: {rebuilt}, sudah ada: {skipped}, "
               f"berkas asli hilang: {missing}, gagal: {failed}.")
    if swept:
        click.echo(f"Berkas sementara sisa unggahan yang terputus dihapus: {swept}.")
    if missing or failed:
        raise SystemExit(1)


def _rebuild_all(missing_only: bool) -> tuple[int, int, int, int]:
    # Only reads, on a deferred transaction that never holds SQLite's write
    # lock for the minutes (hours, at a million photos) this takes, streamed.
    with Session(reading_engine()) as session:
        files = session.scalars(select(StoredFile).order_by(StoredFile.id)
                                .execution_options(yield_per=500))
        counts = Counter(_rebuild_one(stored, missing_only) for stored in files)
    return counts["rebuilt"], counts["skipped"], counts["missing"], counts["failed"]


def _rebuild_one(stored: StoredFile, missing_only: bool) -> str | None:
    """What became of one file: rebuilt, skipped, missing, failed, or None (no preview)."""
    if stored.kind == "paper" and not previews.can_preview(stored):
        return None  # locked: no preview can be made, the generic box is shown
    if missing_only and all(
        (storage.upload_dir() / storage.thumbnail_relpath(stored.sha256, size)).exists()
        for size in thumbnails.THUMBNAIL_SIZES
    ):
        return "skipped"
    try:
        if stored.kind == "photo":
            thumbnails.rebuild(stored)
        elif not previews.rebuild(stored):
            # PDFium cannot render it although pypdf read it: it keeps the box
            click.echo(f"Tanpa pratinjau: #{stored.id} {stored.storage_path}", err=True)
            return None
        return "rebuilt"
    except FileNotFoundError:
        click.echo(f"Berkas asli hilang: #{stored.id} {stored.storage_path}", err=True)
        return "missing"
    except (Refused, OSError, ValueError) as err:
        message = err.message if isinstance(err, Refused) else str(err)
        click.echo(f"Gagal: #{stored.id} {stored.storage_path}: {message}", err=True)
        return "failed"


@click.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--camat", "username", required=True, metavar="USER",
              help="Login camat pemilik entri.")
@click.option("--trip", "trip_slug", metavar="SLUG", help="Kunjungan (bawaan: yang terbaru).")
@click.option("--topic", "topic_slug", metavar="SLUG", help="Topik tugas, mis. sidewalks.")
@click.option("--status", type=click.Choice(STATUSES), default="draft", show_default=True)
@click.option("--tags", default="", help="Tag dipisah koma.")
@click.option("--place", default="", help="Nama tempat semua berkas.")
@click.option("--description", default="", help="Keterangan semua berkas.")
@click.option("--sample-source", default=None,
              help="Menandai entri sebagai contoh berlisensi terbuka: asal berkasnya.")
@click.option("--sample-licence", default=None, help="Lisensi contoh itu, mis. CC BY-SA 4.0.")
@with_appcontext
def import_command(path: Path, username: str, trip_slug: str | None, topic_slug: str | None,
                   status: str, tags: str, place: str, description: str,
                   sample_source: str | None, sample_licence: str | None) -> None:
    """Import PATH (a folder, recursively; a .zip; or one file) of photos and papers for a
    camat through the upload pipeline. Exits 1 when any file failed."""
    with command_context():
        try:
            target = resolve_target(username, trip_slug, topic_slug)
            fields = EntryFields(description=description, topic_id=target.topic_id,
                                 tags=Tag.normalise(tags), place_name=place, status=status,
                                 sample_source=sample_source, sample_licence=sample_licence)
            with open_source(path) as items:
                with click.progressbar(length=len(items), label=f"Mengimpor {len(items)} berkas",
                                       show_pos=True) as bar:
                    summary = import_items(items, fields, target, on_progress=bar.update)
        except Refused as refusal:
            db.session.rollback()
            raise click.ClickException(str(refusal.message)) from None
    click.echo(f"Ditambahkan: {summary.added}, duplikat (sudah ada): {summary.duplicate}, "
               f"gagal: {len(summary.failed)}.")
    for label, message in summary.failed:
        click.echo(f"Gagal: {label}: {message}", err=True)
    if summary.failed:
        raise SystemExit(1)
