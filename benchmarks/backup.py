"""Benchmark: ``flask backup`` and ``flask restore`` of an archive of N photo entries.

    .venv/bin/python benchmarks/backup.py [--count 500] [--side 2000] [--keep]

It builds a SQLite archive under a temporary folder: the demo data, then N
photo entries whose originals are phone-sized JPEGs (one noisy
``--side`` x 3/4 ``--side`` picture encoded once, each copy made unique by a
JPEG comment, so the N files have N hashes), rows written directly rather
than through the upload pipeline. Then it runs, as the real commands in
their own processes:

1. ``flask backup FILE`` while a writer in this process commits a row every
   20 ms through its own connection (``BEGIN IMMEDIATE``, as uploads do), and
   reports the slowest of those commits during the backup and in the 5 s
   before it: the backup must not hold them up;
2. ``flask restore FILE`` into a fresh database and upload folder (it also
   rebuilds the thumbnails and the search index).

For each (and for ``flask --help``, the cost of loading the app) it prints
the wall time and the peak resident memory of the command's process (``wait4``'s ``ru_maxrss``; the search rebuild's worker
processes are counted in it as waited-for children).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def base_photo(side: int) -> bytes:
    """One noisy, photo-sized JPEG (noise keeps it from compressing to nothing)."""
    from PIL import Image

    width, height = side, side * 3 // 4
    rng = random.Random(3)
    small = Image.frombytes("RGB", (width // 8, height // 8), rng.randbytes(width * height * 3 // 64))
    image = small.resize((width, height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def unique(jpeg: bytes, n: int) -> bytes:
    """The same picture with a COM segment after SOI: other bytes, another hash."""
    comment = f"benchmark photo {n}".encode()
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(ARCHIVE_DATABASE_URL=f"sqlite:///{folder / 'archive.sqlite3'}",
               ARCHIVE_UPLOAD_DIR=str(folder / "uploads"), ARCHIVE_INDEX_DIR=str(folder / "index"),
               SECRET_KEY="benchmark", PYTHONPATH=str(ROOT))
    return env


def build(folder: Path, count: int, side: int) -> int:
    """The demo data plus ``count`` photo entries; the bytes of their originals."""
    import hashlib

    from sqlalchemy import select

    from archive import create_app
    from archive.cli import upgrade_schema
    from archive.extensions import db
    from archive.ingest import storage
    from archive.models import Camat, Entry, StoredFile, Trip
    from archive.seed import seed_demo

    os.environ.update(environment(folder))
    app = create_app()
    jpeg = base_photo(side)
    total = 0
    with app.app_context():
        upgrade_schema()
        seed_demo()
        trip = db.session.scalar(select(Trip))
        camats = db.session.scalars(select(Camat)).all()
        for n in range(count):
            data = unique(jpeg, n)
            sha = hashlib.sha256(data).hexdigest()
            relpath = storage.original_relpath(sha, "jpg")
            target = storage.upload_dir() / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            total += len(data)
            stored = StoredFile(sha256=sha, kind="photo", mime_type="image/jpeg", size_bytes=len(data),
                                storage_path=relpath, original_name=f"IMG_{n:04d}.jpg",
                                width=side, height=side * 3 // 4)
            db.session.add(Entry(trip=trip, camat=camats[n % len(camats)], file=stored, kind="photo",
                                 title=f"Foto sungai dan trotoar {n}", status="published",
                                 description="Penataan sungai, trotoar dan taman kota di Seoul."))
        db.session.commit()
        db.engine.dispose()
    return total


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run a flask command; its wall seconds and peak resident MiB."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "archive", *command],
                               env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = process.stdout.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{output.decode(errors='replace')}")
    return seconds, usage.ru_maxrss / 1024


class Writer(threading.Thread):
    """Commits one small row every 20 ms through its own connection, timing each commit."""

    def __init__(self, database: Path) -> None:
        super().__init__(daemon=True)
        self.database = database
        self.stop = threading.Event()
        self.latencies: list[float] = []

    def run(self) -> None:
        conn = sqlite3.connect(self.database, isolation_level=None, timeout=60)
        while not self.stop.is_set():
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO index_outbox (entry_id, created_at) VALUES (0, '2024-01-01')")
            conn.execute("DELETE FROM index_outbox WHERE entry_id = 0")
            conn.execute("COMMIT")
            self.latencies.append(time.perf_counter() - started)
            time.sleep(0.02)
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--side", type=int, default=2000, help="photo width in pixels")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="backup-bench-"))
    try:
        source, target, file = work / "source", work / "target", work / "archive-backup.tar"
        started = time.perf_counter()
        total = build(source, args.count, args.side)
        print(f"archive: {args.count} photo entries, originals {total / 2**20:.0f} MiB "
              f"(built in {time.perf_counter() - started:.1f} s)")

        seconds, peak = run(["--help"], environment(source))
        print(f"startup: {seconds:6.1f} s, peak {peak:5.0f} MiB (a flask command that only loads the app)")

        writer = Writer(source / "archive.sqlite3")
        writer.start()
        time.sleep(5)
        before = len(writer.latencies)
        seconds, peak = run(["backup", str(file)], environment(source))
        writer.stop.set()
        writer.join()
        alone, during = writer.latencies[:before], writer.latencies[before:]
        size = file.stat().st_size / 2**20
        print(f"backup:  {seconds:6.1f} s, peak {peak:5.0f} MiB, file {size:.0f} MiB "
              f"({size / seconds:.0f} MiB/s)")
        print(f"writes:  slowest commit {max(during) * 1000:.0f} ms of {len(during)} during the backup, "
              f"{max(alone) * 1000:.0f} ms of {len(alone)} in the 5 s before it")

        seconds, peak = run(["restore", str(file)], environment(target))
        print(f"restore: {seconds:6.1f} s, peak {peak:5.0f} MiB "
              f"(checks every hash, loads the rows, rebuilds {args.count} photos' thumbnails "
              f"and the search index)")
    finally:
        if args.keep:
            print(f"kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
