"""``flask --app archive reindex`` and ``flask --app archive check [--repair]``."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, select

from ..extensions import db
from ..models import Entry


def init_app(app: Flask) -> None:
    app.cli.add_command(reindex_command)
    app.cli.add_command(check_command)


@click.command("reindex")
@click.option("--procs", type=int, default=None, help="Proses pengindeks (bawaan: jumlah inti, maks. 2).")
@with_appcontext
def reindex_command(procs: int | None) -> None:
    """Rebuild the search index from the database (the source of truth)."""
    from . import rebuild

    total = db.session.scalar(select(func.count()).select_from(Entry)) or 0
    db.session.rollback()
    with click.progressbar(length=total, label="Mengindeks entri") as bar:
        count = rebuild(progress=bar.update, procs=procs)
    click.echo(f"Indeks dibangun ulang: {count} entri.")


@click.command("check")
@click.option("--repair", is_flag=True, help="Perbaiki indeks sesuai basis data.")
@with_appcontext
def check_command(repair: bool) -> None:
    """Report entries missing from the index, documents without an entry, and stale documents."""
    from . import check

    report = check(repair=repair)

    def ids(values: list[int]) -> str:
        shown = ", ".join(str(i) for i in values[:20])
        return shown + (" ..." if len(values) > 20 else "")

    click.echo(f"Entri belum terindeks: {len(report.missing)} {ids(report.missing)}".rstrip())
    click.echo(f"Dokumen indeks tanpa entri: {len(report.orphans)} {ids(report.orphans)}".rstrip())
    click.echo(f"Dokumen indeks usang: {len(report.stale)} {ids(report.stale)}".rstrip())
    if report.ok:
        click.echo("Indeks sesuai dengan basis data.")
    elif repair:
        click.echo("Indeks sudah diperbaiki.")
    else:
        click.echo("Jalankan 'flask --app archive check --repair' untuk memperbaiki.")
        raise SystemExit(1)
