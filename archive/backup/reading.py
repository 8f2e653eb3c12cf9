"""Open a backup file, check it against its manifest and stage its members.

Every member the manifest lists is extracted to a staging folder (inside
UPLOAD_DIR, so placing an original later is a rename) while it is hashed;
one member missing, of another size or with another SHA-256 refuses the
whole backup before anything in the instance has been touched. Only the
names the manifest lists are extracted, and those are checked against the
storage layout first, so a crafted member name cannot write elsewhere.
"""
from __future__ import annotations

import json
import tarfile
from contextlib import nullcontext
from pathlib import Path

from . import layout
from .layout import Advance, ProgressBar


class BackupRefused(Exception):
    """The backup or the target cannot be used; ``message`` says why, nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def stage(source: Path, staging: Path, progress: ProgressBar | None = None) -> dict:
    """Extract and check every listed member of ``source`` into ``staging``; the manifest."""
    try:
        tar = tarfile.open(source, "r:")
    except (tarfile.TarError, OSError) as err:
        raise BackupRefused(f"'{source}' bukan berkas cadangan yang dapat dibaca ({err}).") from None
    with tar:
        manifest = _manifest(tar, source)
        expected = {layout.DATABASE: manifest["database"], **manifest["files"]}
        seen: set[str] = set()
        total = sum(int(item["size"]) for item in expected.values())
        bar = progress(total) if progress else nullcontext(None)
        try:
            with bar as advance:
                for member in tar:
                    if member.name not in expected or member.name in seen:
                        continue
                    _extract(tar, member, expected[member.name], staging, advance)
                    seen.add(member.name)
        except (tarfile.TarError, OSError, EOFError) as err:
            raise BackupRefused(f"Cadangan rusak: {err}. Tidak ada yang diubah.") from None
    absent = sorted(set(expected) - seen)
    if absent:
        raise BackupRefused(
            f"Cadangan tidak lengkap: {len(absent)} berkas dari manifest tidak ada "
            f"(mis. {absent[0]}). Tidak ada yang diubah.")
    return manifest


def _manifest(tar: tarfile.TarFile, source: Path) -> dict:
    try:
        member = tar.getmember(layout.MANIFEST)
        manifest = json.load(tar.extractfile(member))
    except KeyError:
        raise BackupRefused(f"'{source}' tidak memuat {layout.MANIFEST}: bukan cadangan arsip, "
                            "atau terpotong. Tidak ada yang diubah.") from None
    except (ValueError, tarfile.TarError, OSError) as err:
        raise BackupRefused(f"Manifest cadangan rusak ({err}). Tidak ada yang diubah.") from None
    try:
        _check_manifest(manifest)
    except (KeyError, TypeError, AttributeError, ValueError) as err:
        raise BackupRefused(f"Manifest cadangan tidak lengkap ({err!r}). Tidak ada yang diubah.") from None
    return manifest


def _check_manifest(manifest: dict) -> None:
    if manifest.get("format") != layout.FORMAT or manifest.get("version") != layout.VERSION:
        raise BackupRefused("Berkas ini bukan cadangan arsip versi yang dikenal "
                            f"(format {manifest.get('format')!r}, versi {manifest.get('version')!r}).")
    for relpath, item in manifest["files"].items():
        match = layout.ORIGINAL_PATH.fullmatch(relpath)
        if match is None or match.group(3) != item["sha256"] or int(item["size"]) < 0:
            raise BackupRefused(f"Manifest cadangan memuat nama berkas yang tidak sah: {relpath!r}.")
    if manifest["database"]["member"] != layout.DATABASE or not isinstance(manifest["tables"], dict):
        raise BackupRefused("Manifest cadangan tidak menyebut data basis data.")
    int(manifest["database"]["size"])
    str(manifest["database"]["sha256"])
    manifest.setdefault("revision", None)


def _extract(tar: tarfile.TarFile, member: tarfile.TarInfo, item: dict, staging: Path,
             advance: Advance | None) -> None:
    if not member.isfile() or member.size != int(item["size"]):
        raise BackupRefused(
            f"Cadangan rusak: {member.name} berukuran {member.size} bita, manifest menyebut "
            f"{item['size']}. Tidak ada yang diubah.")
    target = staging / member.name
    target.parent.mkdir(parents=True, exist_ok=True)
    with tar.extractfile(member) as source, open(target, "wb") as out:
        digest = layout.copy_hashing(source, out, advance)
    if digest != item["sha256"]:
        raise BackupRefused(
            f"Cadangan rusak: SHA-256 {member.name} tidak cocok dengan manifest. "
            "Tidak ada yang diubah.")
