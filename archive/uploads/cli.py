"""``flask --app archive sweep-uploads``: expired partial uploads removed, rows and files."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from .sweeping import sweep_all


@click.command("sweep-uploads")
@with_appcontext
def sweep_uploads() -> None:
    """Remove expired resumable uploads (rows and partial files) and partial files without a row."""
    rows, files = sweep_all()
    click.echo(f"Unggahan kedaluwarsa dihapus: {rows}; berkas sementara dihapus: {files}.")
