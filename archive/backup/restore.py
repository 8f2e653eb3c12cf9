"""``restore_backup``: a checked backup into an empty instance, then thumbnails and search rebuilt.

The order keeps a refused restore from changing anything: the target is
checked for content (entries or users) first, then every member of the
backup is extracted to a staging folder and checked against the manifest,
then the schema revision is checked against the migrations this code has.
Only then is the database wiped, migrated to the backup's revision, loaded
and migrated to the newest revision, and the originals are renamed into
place. Thumbnails (the ``rebuild-thumbnails`` code) and the search index
(``search.rebuild``) are made again from them.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.commands import command_context
from ..extensions import db, migrations
from ..ingest import storage
from . import layout, rows
from .layout import ProgressBar
from .reading import BackupRefused, stage


class RestoreFailed(Exception):
    """The restore broke off after it had begun changing the target (the message says what to do)."""


@dataclass
class RestoreReport:
    revision: str | None
    counts: dict[str, int] = field(default_factory=dict)
    files: int = 0
    bytes: int = 0
    #: thumbnails rebuilt, photos whose original is missing, photos that failed
    thumbnails: tuple[int, int, int] = (0, 0, 0)
    indexed: int = 0
    #: what the backup itself listed as lost when it was made
    missing: list[str] = field(default_factory=list)


def restore_backup(source: Path, force: bool = False,
                   progress: ProgressBar | None = None) -> RestoreReport:
    """Restore ``source`` into this instance; ``BackupRefused`` if it must not or cannot."""
    db.session.remove()
    if not force:
        _refuse_unless_empty()
    temp = storage.upload_dir() / "tmp"
    temp.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="restore-", dir=temp) as staging_dir:
        staging = Path(staging_dir)
        manifest = stage(Path(source), staging, progress)
        revision = manifest["revision"]
        _refuse_unknown_revision(revision)
        try:
            counts = _replace_database(staging / layout.DATABASE, revision, manifest["tables"])
            _place_originals(staging, manifest["files"])
        except Exception as err:
            raise RestoreFailed(
                f"Pemulihan gagal setelah basis data tujuan mulai diubah: {err}. Perbaiki "
                "penyebabnya, lalu jalankan lagi dengan --force.") from err
    report = RestoreReport(revision=revision, counts=counts, files=len(manifest["files"]),
                           bytes=sum(int(f["size"]) for f in manifest["files"].values()),
                           missing=list(manifest.get("missing", [])))
    report.thumbnails = _rebuild_thumbnails()
    from .. import search

    report.indexed = search.rebuild()
    return report


def _replace_database(dump: Path, revision: str | None, expected: dict[str, int]) -> dict[str, int]:
    """Wipe, migrate to the backup's revision, load the rows, migrate to the newest; rows per table."""
    from flask_migrate import upgrade

    migrations()
    db.engine.dispose()  # nothing of the old schema may stay cached in a pooled connection
    rows.wipe()
    upgrade(revision=revision or "head")
    counts = rows.load(dump)
    upgrade()
    db.engine.dispose()
    _check_counts(expected, counts)
    return counts


def _refuse_unless_empty() -> None:
    counts = rows.content_counts()
    if any(counts.values()):
        found = ", ".join(f"{name}: {n}" for name, n in counts.items())
        raise BackupRefused(
            f"Basis data tujuan tidak kosong ({found}). Pulihkan ke instans kosong, "
            "atau tambahkan --force untuk menghapus isinya lebih dulu.")


def _refuse_unknown_revision(revision: str | None) -> None:
    if revision is None:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(migrations().migrate.get_config())
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise BackupRefused(
            f"Cadangan dibuat dengan skema revisi '{revision}' yang tidak dikenal versi aplikasi "
            "ini (lebih baru?). Pulihkan dengan versi aplikasi yang sama atau lebih baru.")


def _check_counts(expected: dict[str, int], loaded: dict[str, int]) -> None:
    wrong = {t: (n, loaded.get(t, 0)) for t, n in expected.items() if loaded.get(t, 0) != n}
    if wrong:
        raise RuntimeError(f"rows loaded differ from the manifest: {wrong}")


def _place_originals(staging: Path, files: dict[str, dict]) -> None:
    root = storage.upload_dir()
    for relpath in files:
        target = root / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / relpath, target)
    for folder in {(root / relpath).parent for relpath in files}:
        layout.fsync(folder)


def _rebuild_thumbnails() -> tuple[int, int, int]:
    # The loop of ``flask rebuild-thumbnails``; gettext needs a request context.
    from ..ingest.cli import _rebuild_all

    with command_context():
        rebuilt, _skipped, missing, failed = _rebuild_all(missing_only=False)
    return rebuilt, missing, failed
