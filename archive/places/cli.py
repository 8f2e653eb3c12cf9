"""``flask --app archive rebuild-places``: derive the place of every stored entry
from its GPS (entries stored before places existed, or after a gazetteer update)."""
from __future__ import annotations

import click
from flask.cli import with_appcontext

from ..extensions import db
from .operations import entries_to_place, rebuild_places


@click.command("rebuild-places")
@with_appcontext
def rebuild_places_command() -> None:
    """Fill each entry's place from its stored latitude/longitude, offline."""
    ids = entries_to_place()
    db.session.rollback()
    with click.progressbar(length=len(ids), label="Menentukan tempat dari GPS") as bar:
        changed = rebuild_places(ids, done=bar.update)
    click.echo(f"Tempat dari GPS: {len(ids)} entri diperiksa, {changed} berubah.")
