"""Backup and restore of the whole archive: ``flask backup FILE`` and ``flask restore FILE``.

``snapshot`` reads every table in one snapshot transaction, ``dump`` writes the
backup file (the rows, the originals, a manifest), ``restore`` checks a backup
and loads it into an empty instance with ``rows``; ``cli`` holds the commands.
Thumbnails and the search index are not backed up: they are rebuilt from the
database and the originals.
"""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Add the ``backup`` and ``restore`` commands."""
    from .cli import backup, restore

    app.cli.add_command(backup)
    app.cli.add_command(restore)
