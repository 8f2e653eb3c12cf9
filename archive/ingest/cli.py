"""``flask --app archive rebuild-thumbnails``: make every photo's thumbnails and every paper's
first-page preview again from its original.

It also clears temporary files that uploads killed mid-way left behind.
"""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from ..extensions import db
from ..models import StoredFile
from . import previews, storage, thumbnails
from ..core.refusal import Refused


@click.command("rebuild-thumbnails")
@click.option("--missing-only", is_flag=True, help="Hanya buat thumbnail yang belum ada.")
@with_appcontext
def rebuild_thumbnails(missing_only: bool) -> None:
    """Regenerate the thumbnails of every photo and paper from its original, and report the counts."""
    # The messages come through gettext, whose locale selector reads the
    # request; a command has none, so it runs in a blank one (Indonesian).
    with current_app.test_request_context():
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
    rebuilt = skipped = missing = failed = 0
    files = db.session.scalars(select(StoredFile).order_by(StoredFile.id))
    for stored in files:
        if stored.kind == "paper" and not previews.can_preview(stored):
            continue  # locked: no preview can be made, the generic box is shown
        if missing_only and all(
            (storage.upload_dir() / storage.thumbnail_relpath(stored.sha256, size)).exists()
            for size in thumbnails.THUMBNAIL_SIZES
        ):
            skipped += 1
            continue
        try:
            if stored.kind == "photo":
                thumbnails.rebuild(stored)
            elif not previews.rebuild(stored):
                # PDFium cannot render it although pypdf read it: it keeps the box
                click.echo(f"Tanpa pratinjau: #{stored.id} {stored.storage_path}", err=True)
                continue
            rebuilt += 1
        except FileNotFoundError:
            missing += 1
            click.echo(f"Berkas asli hilang: #{stored.id} {stored.storage_path}", err=True)
        except (Refused, OSError, ValueError) as err:
            failed += 1
            message = err.message if isinstance(err, Refused) else str(err)
            click.echo(f"Gagal: #{stored.id} {stored.storage_path}: {message}", err=True)
    return rebuilt, skipped, missing, failed
