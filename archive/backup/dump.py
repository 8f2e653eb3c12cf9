"""``write_backup``: the database snapshot, the originals and the manifest in one tar file.

Why a logical dump (JSON lines of every table) rather than SQLite's online
backup API or ``pg_dump``: one format for both engines, so a backup of the
SQLite archive restores into PostgreSQL and back; it needs no client tools of
the server's exact version; and a restore can check it row by row. The rows
are read in one snapshot transaction (``snapshot``), which on SQLite (WAL)
and PostgreSQL never blocks an upload.

The originals are copied after the snapshot. An upload writes its file
before its row commits, so every row of the snapshot finds its file then. The
one exception is an entry deleted after the snapshot, whose file goes after
its commit: if a file vanished and its row is gone too, the snapshot is taken
again (only the files it adds are copied). Originals are named by their
content, so a file copied once never needs copying again.

The file is written under a temporary name beside FILE and renamed into place
when complete and fsynced: a half-written backup never has the final name.
"""
from __future__ import annotations

import io
import json
import os
import tarfile
import tempfile
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from ..core.time import utcnow
from ..ingest import storage
from . import layout, snapshot
from .layout import Advance, ProgressBar

#: snapshots taken at most when entries are deleted during the copy
MAX_SNAPSHOTS = 3



@dataclass
class BackupReport:
    path: Path
    revision: str | None
    counts: dict[str, int]
    files: int = 0
    bytes: int = 0
    snapshots: int = 1
    #: originals that rows point to but that are not on disk (lost before the backup)
    missing: list[str] = field(default_factory=list)
    #: originals whose content no longer matches their name (damaged on disk); left out
    damaged: list[str] = field(default_factory=list)


def write_backup(target: Path, progress: ProgressBar | None = None) -> BackupReport:
    """Write the backup to ``target``; it appears there only once complete."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    try:
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as work, \
                tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            report, snap, copied = _snapshot_and_copy(tar, Path(work), progress)
            database = _add_file(tar, snap.path, layout.DATABASE)
            manifest = _manifest(snap, copied, database, report)
            _add_bytes(tar, layout.MANIFEST, json.dumps(manifest, indent=1).encode())
        layout.fsync(Path(partial))
        os.replace(partial, target)
        layout.fsync(target.parent)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    report.path = target
    report.files = len(manifest["files"])
    report.bytes = sum(f["size"] for f in manifest["files"].values())
    return report


def _snapshot_and_copy(tar: tarfile.TarFile, work: Path, progress: ProgressBar | None):
    root = storage.upload_dir()
    copied: dict[str, dict] = {}
    damaged: set[str] = set()
    for attempt in range(1, MAX_SNAPSHOTS + 1):
        snap = snapshot.take(work / f"snapshot-{attempt}.jsonl.gz")
        wanted = [p for p in dict.fromkeys(snap.files) if p not in copied and p not in damaged]
        sizes = {p: _size(root / p) for p in wanted if layout.is_original_path(p)}
        present = [p for p, size in sizes.items() if size is not None]
        bar = progress(sum(sizes[p] for p in present)) if progress else nullcontext(None)
        with bar as advance:
            for relpath in present:
                entry = _add_original(tar, root, relpath, advance)
                if entry is None:
                    continue
                if entry["sha256"] == layout.ORIGINAL_PATH.fullmatch(relpath).group(3):
                    copied[relpath] = entry
                else:
                    damaged.add(relpath)
        vanished = [p for p in wanted if p not in copied and p not in damaged]
        if not vanished or attempt == MAX_SNAPSHOTS:
            break
        if set(vanished) <= snapshot.current_paths(vanished):
            break  # their rows are still there: lost files, not a deletion during the copy
    report = BackupReport(path=Path(), revision=snap.revision, counts=snap.counts, snapshots=attempt,
                          missing=sorted(vanished), damaged=sorted(damaged & set(snap.files)))
    return report, snap, copied


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return None


def _add_original(tar: tarfile.TarFile, root: Path, relpath: str,
                  advance: Advance | None) -> dict | None:
    """Copy one original into the tar; None if it is gone meanwhile."""
    try:
        source = open(root / relpath, "rb")
    except FileNotFoundError:
        return None
    with source:
        info = _info(relpath, os.fstat(source.fileno()).st_size)
        reader = layout.HashingReader(source, advance)
        tar.addfile(info, reader)
    return {"sha256": reader.hexdigest(), "size": info.size}


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    with open(path, "rb") as source:
        info = _info(name, os.fstat(source.fileno()).st_size)
        reader = layout.HashingReader(source)
        tar.addfile(info, reader)
    return {"member": name, "sha256": reader.hexdigest(), "size": info.size}


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    tar.addfile(_info(name, len(data)), io.BytesIO(data))


def _info(name: str, size: int) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o644
    info.mtime = int(time.time())
    return info


def _manifest(snap: snapshot.Snapshot, copied: dict[str, dict], database: dict,
              report: BackupReport) -> dict:
    listed = {p: copied[p] for p in dict.fromkeys(snap.files) if p in copied}
    return {
        "format": layout.FORMAT,
        "version": layout.VERSION,
        "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "engine": snap.engine,
        "revision": snap.revision,
        "tables": snap.counts,
        "database": database,
        "files": listed,
        "missing": report.missing,
        "damaged": report.damaged,
    }

