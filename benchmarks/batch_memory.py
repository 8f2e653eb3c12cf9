"""Benchmark: peak memory of a worker process during one 50-photo upload batch.

    .venv/bin/python benchmarks/batch_memory.py [--count 50] [--phone | --heic]

It generates N photo-like 12-megapixel JPEGs with EXIF (``benchmarks/ingest.py``;
with ``--phone`` re-encoded at a phone's quality, 5-8 MB each; with ``--heic``
HEICs of an iPhone's 4032x3024, ``benchmarks/heic.py``), then starts a
fresh Python process that plays the web worker: it creates the app, uploads
one photo to warm up (imports, first connection, caches), and then POSTs all
N photos in one request to the upload form (``entries.upload`` ->
``ingest_batch``). It prints the worker's resident memory after warming up,
its peak during the batch (VmHWM, reset before the batch) and the peak's
growth over the warm worker. Target: the peak below 120 MiB.

It runs the worker three ways, each a fresh process on a fresh copy of the
database: with the default analysis threads (one in a web worker), with
``ARCHIVE_INGEST_THREADS=2``, and with the default after serving a search
page first (numpy and the facet columns loaded, as in a worker that serves
everything).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import camat_client, make_app, make_photo, peak_mib, reset_peak  # noqa: E402

TARGET_MIB = 120
#: (label, ARCHIVE_INGEST_THREADS, serve a search before the batch)
RUNS = [("analysis threads: default (one in a web worker)", 0, False),
        ("analysis threads: 2 (ARCHIVE_INGEST_THREADS=2)", 2, False),
        ("analysis threads: default, after serving a search", 0, True)]


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def worker(folder: Path, search_first: bool) -> dict:
    """The web worker's part: warm up, then one request with every photo."""
    from ingest import upload_all

    paths = sorted(folder.glob("IMG_*"))
    warm, timed = paths[0], paths[1:]
    app = make_app(folder, prepare=False)  # as gunicorn starts a worker
    started_rss = rss_mib()
    client, trip_id = camat_client(app)
    assert upload_all(client, [warm], trip_id, 1) == [201]
    if search_first:
        assert client.get("/cari?q=seoul").status_code == 200
    # As the worker is IDLE_SECONDS after that upload: the freed picture blocks it
    # kept for a next photo are unmapped.
    from archive.ingest.memory import release_pictures

    release_pictures()
    warm_rss = rss_mib()
    reset_peak()
    t0 = time.perf_counter()
    statuses = upload_all(client, timed, trip_id, len(timed))
    seconds = time.perf_counter() - t0
    return {"started": started_rss, "warm": warm_rss, "peak": peak_mib(), "after": rss_mib(), "seconds": seconds,
            "statuses": statuses, "count": len(timed)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50, help="photos in the batch (default 50)")
    parser.add_argument("--phone", action="store_true", help="phone-quality JPEGs (5-8 MB)")
    parser.add_argument("--heic", action="store_true", help="iPhone-sized HEICs instead")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--search-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.search_first)))
        return 0

    with tempfile.TemporaryDirectory(prefix="batch-mem-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        if args.heic:
            from heic import copies, make_heic
            copies(make_heic(0, args.seed), folder, args.count + 1)
        for i in range(0 if args.heic else args.count + 1):  # one more, for warming up
            data = make_photo(i, args.seed)
            if args.phone:
                from tus_upload import as_a_phone_saves_it
                data = as_a_phone_saves_it(data)
            (folder / f"IMG_{i:04d}.jpg").write_bytes(data)
        size = sum(p.stat().st_size for p in folder.glob("IMG_*")) / (args.count + 1) / 1e6
        kind = "HEICs of 4032x3024" if args.heic else "JPEGs of 4000x3000"
        print(f"{args.count} {kind} ({size:.1f} MB each) generated in "
              f"{time.perf_counter() - started:.1f} s")
        database = folder / "bench.sqlite3"
        prepared = make_app(folder)  # the database, migrated and seeded here, not in the worker
        with prepared.app_context():
            from archive.extensions import db

            db.engine.dispose()  # the last connection closed: SQLite's WAL is checkpointed
        shutil.copy(database, folder / "prepared.sqlite3")
        runs = []
        for label, threads, search_first in RUNS:
            shutil.copy(folder / "prepared.sqlite3", database)
            for leftover in folder.glob("bench.sqlite3-*"):  # the last run's -wal and -shm
                leftover.unlink()
            shutil.rmtree(folder / "uploads", ignore_errors=True)
            shutil.rmtree(folder / "index", ignore_errors=True)
            env = {**os.environ, "ARCHIVE_INGEST_THREADS": str(threads)}
            command = [sys.executable, __file__, "--worker", str(folder)]
            run = subprocess.run(command + (["--search-first"] if search_first else []),
                                 capture_output=True, text=True, check=False, env=env)
            if run.returncode != 0:
                print(run.stderr[-3000:], file=sys.stderr)
                return 1
            figures = json.loads(run.stdout.strip().splitlines()[-1])
            if set(figures["statuses"]) != {201}:
                print(f"FAILED: statuses {figures['statuses']}", file=sys.stderr)
                return 1
            runs.append((label, figures))
    for label, figures in runs:
        peak, warm = figures["peak"], figures["warm"]
        print(f"\n{label}")
        print(f"  worker started (create_app)                    {figures['started']:6.0f} MiB")
        print(f"  worker warm (login, one upload{', a search' if 'search' in label else ''})"
              f"{'' if 'search' in label else '          '}     {warm:6.0f} MiB")
        print(f"  worker peak during the {figures['count']}-photo batch          {peak:6.0f} MiB "
              f"(+{peak - warm:.0f} MiB over the warm worker; {figures['after']:.0f} MiB after)")
        print(f"  batch time {figures['seconds']:.1f} s, {figures['count'] / figures['seconds']:.1f} photos/s")
        print(f"  peak RSS {peak:.0f} MiB: {peak / TARGET_MIB:.2f}x the target of {TARGET_MIB} MiB: "
              f"{'met' if peak < TARGET_MIB else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
