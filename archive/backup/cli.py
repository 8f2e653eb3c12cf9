"""``flask --app archive backup FILE`` and ``flask --app archive restore FILE``.

Both commit for themselves (the CLI is one of the two places that commit)
and exit non-zero with a plain message when they refuse.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import with_appcontext

from .dump import write_backup
from .layout import Advance, ProgressBar
from .reading import BackupRefused
from .restore import RestoreFailed, restore_backup
from .snapshot import SnapshotError


def _progress(label: str) -> ProgressBar:
    """A click progress bar over bytes (drawn only on a terminal)."""
    @contextmanager
    def bar(total: int) -> Iterator[Advance]:
        with click.progressbar(length=max(total, 1), label=label, show_eta=True) as shown:
            yield shown.update
    return bar


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup(file: Path) -> None:
    """Write a backup (database rows, originals, manifest) to FILE while the site runs."""
    try:
        report = write_backup(file, _progress("Menyalin berkas asli"))
    except SnapshotError as err:
        raise click.ClickException(str(err)) from None
    rows = sum(report.counts.values())
    click.echo(f"Cadangan ditulis: {report.path}")
    click.echo(f"  skema revisi {report.revision}, {rows} baris dari {len(report.counts)} tabel, "
               f"{report.files} berkas asli ({_megabytes(report.bytes)}).")
    if report.snapshots > 1:
        click.echo(f"  Entri dihapus selama pencadangan: snapshot diambil {report.snapshots} kali.")
    for relpath in report.missing:
        click.echo(f"Peringatan: berkas asli hilang dari disk, tidak dicadangkan: {relpath}", err=True)
    for relpath in report.damaged:
        click.echo(f"Peringatan: berkas asli rusak di disk (SHA-256 tidak cocok dengan namanya), "
                   f"tidak dicadangkan: {relpath}", err=True)


@click.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="Hapus isi basis data tujuan lebih dulu (bila sudah ada entri atau pengguna).")
@with_appcontext
def restore(file: Path, force: bool) -> None:
    """Restore the backup FILE into this (empty) instance, then rebuild thumbnails and search."""
    try:
        report = restore_backup(file, force=force, progress=_progress("Memeriksa cadangan"))
    except BackupRefused as refused:
        raise click.ClickException(refused.message) from None
    except RestoreFailed as failed:
        raise click.ClickException(str(failed)) from failed
    click.echo(f"Cadangan dipulihkan dari {file} (skema revisi {report.revision}):")
    for table, count in report.counts.items():
        click.echo(f"  {table:<24} {count:>8} baris")
    rebuilt, missing, failed = report.thumbnails
    click.echo(f"  berkas asli: {report.files} ({_megabytes(report.bytes)}); thumbnail dibuat: "
               f"{rebuilt}, asli hilang: {missing}, gagal: {failed}; entri diindeks: {report.indexed}.")
    if report.missing:
        click.echo(f"Peringatan: {len(report.missing)} berkas asli sudah hilang saat cadangan dibuat.",
                   err=True)
