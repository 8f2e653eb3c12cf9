"""Benchmark: 12-megapixel photos into a real server on two cores, against Pillow alone on two cores.

    .venv/bin/python benchmarks/ingest_server.py [--count 40]

It generates N photo-like 12 MP JPEGs with EXIF (``benchmarks/ingest.py``) and
measures, on this machine's cores:

1. Pillow alone on two cores: two processes of bare Pillow, each making the
   1600 px and 400 px thumbnails of half of the photos (the floor: the least
   any archive must do with them);
2. two phones: a fresh archive served by ``gunicorn --workers 2`` (as
   ``run.sh``), and two clients (``--phones``) that each send their share of
   the photos through ``POST /api/v1/entries``, one photo per request, as the
   phone's upload page does. Timed until the last answer, and until the server is done (every
   photo's thumbnails on disk and the search index in sync: the work each
   worker does after its answers);
3. a folder on a card: ``flask import`` of N more photos, the batch command
   (two analysis threads), timed as a whole and without its start-up.

It prints photos per second beside the floor's, the answer latencies and each
worker's peak memory (VmHWM over the worker's life). Targets: a batch at 20
photos/s or more on two cores; a worker's peak below 120 MiB.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import Phase, make_photo, pillow_alone_in_child, variant  # noqa: E402
from load import ROOT, VENV, Site  # noqa: E402

TARGET_RATE = 20.0
TARGET_MIB = 120


def floor_on_two_cores(halves: list[list[Path]], warm: Path) -> float:
    """Seconds for bare Pillow to do every photo in two processes at once."""
    phases = [Phase("floor", 0.0, 0.0) for _ in halves]
    threads = [threading.Thread(target=pillow_alone_in_child, args=(half, warm, phase))
               for half, phase in zip(halves, phases)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # each child timed itself after its warm-up: the slower one is the wall time
    return max(phase.seconds for phase in phases)


def phones(site: Site, token: str, halves: list[list[Path]]) -> tuple[float, list[float], list]:
    """One client per list, each sending its photos one per request, waiting for each
    answer before the next; (seconds, latencies, failures)."""
    latencies: list[float] = []
    failures: list = []
    lock = threading.Lock()

    def phone(paths: list[Path]) -> None:
        for path in paths:
            started = time.perf_counter()
            status, body = site.upload(token, path.read_bytes(), f"bench {path.stem}")
            with lock:
                latencies.append(time.perf_counter() - started)
                if status != 201:
                    failures.append((path.name, status, body))

    started = time.perf_counter()
    threads = [threading.Thread(target=phone, args=(half,)) for half in halves]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, latencies, failures


def large_thumbnails(folder: Path) -> int:
    return sum(1 for _ in (folder / "uploads" / "thumbs").rglob("*-large.jpg"))


def wait_until_done(folder: Path, thumbnails: int, timeout: float = 300) -> float:
    """Seconds until ``thumbnails`` large thumbnails are on disk and the index outbox is empty."""
    started = time.perf_counter()
    database = folder / "archive.sqlite3"
    while time.perf_counter() - started < timeout:
        with sqlite3.connect(database, timeout=30) as conn:
            waiting = conn.execute("SELECT count(*) FROM index_outbox").fetchone()[0]
        if large_thumbnails(folder) >= thumbnails and waiting == 0:
            return time.perf_counter() - started
        time.sleep(0.005)
    raise RuntimeError("the server did not finish its work after the answers")


def peak_mib(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def flask_import(site: Site, folder: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([str(VENV / "flask"), "--app", "archive", "import", str(folder),
                           "--camat", "batununggal", "--status", "published"],
                          env=site.env, cwd=ROOT, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:
        raise RuntimeError(f"flask import: {done.stdout}{done.stderr}")
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=40, help="photos per phase (default 40)")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--phones", type=int, default=2,
                        help="clients sending at once (default 2; the server has 2 workers)")
    args = parser.parse_args()
    count = args.count - args.count % 2
    n = max(1, args.phones)

    with tempfile.TemporaryDirectory(prefix="ingest-server-") as tmp:
        folder = Path(tmp)
        photos = folder / "photos"
        photos.mkdir()
        started = time.perf_counter()
        paths = []
        for i in range(count + 4):  # four more, to warm up both workers
            path = photos / f"IMG_{i:04d}.jpg"
            path.write_bytes(make_photo(i, args.seed))
            paths.append(path)
        warm, timed = paths[:4], paths[4:]
        halves = [timed[0::2], timed[1::2]]
        card = folder / "card"
        card.mkdir()
        for path in timed:
            variant(path, card / path.name, year=2017)
        empty = folder / "empty"
        empty.mkdir()
        (empty / "catatan.jpg").write_bytes(paths[0].read_bytes())  # a duplicate by then
        print(f"{count} JPEGs of 4000x3000 ({sum(p.stat().st_size for p in timed) / count / 1e6:.1f}"
              f" MB each) generated in {time.perf_counter() - started:.1f} s; "
              f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")

        floor = floor_on_two_cores(halves, warm[0])
        floor_rate = count / floor

        site = Site(folder / "site", worker_count=2)
        site.folder.mkdir()
        token = site.prepare()
        site.start()
        try:
            before = large_thumbnails(site.folder)
            _, _, warm_failures = phones(site, token, [warm[0::2], warm[1::2]])
            if warm_failures:
                raise RuntimeError(f"warming up failed: {warm_failures[:3]}")
            wait_until_done(site.folder, before + len(warm))
            before += len(warm)
            answered, latencies, failures = phones(site, token, [timed[i::n] for i in range(n)])
            settled = answered + wait_until_done(site.folder, before + count)
            peaks = [peak_mib(pid) for pid in site.workers()]
            startup = flask_import(site, empty)
            imported = flask_import(site, card)
        finally:
            site.stop()
        shutil.rmtree(photos, ignore_errors=True)
        if failures:
            print(f"FAILED: {failures[:3]}", file=sys.stderr)
            return 1

    rows = [
        ("Pillow alone, two processes (the floor)", floor, None),
        (f"{n} phones, API, one photo per request: answered", answered, None),
        (f"{n} phones: until the server is done (thumbnails, index)", settled, settled / floor),
        ("flask import of a folder (two analysis threads)", imported, imported / floor),
        ("flask import, without its start-up", imported - startup, (imported - startup) / floor),
    ]
    for label, secs, ratio in rows:
        extra = f"  {ratio:.2f}x the floor's time" if ratio else ""
        print(f"{label:58} {secs:6.2f} s {count / secs:6.1f} photos/s{extra}")
    print(f"answer latency p50 / p95: {statistics.median(latencies) * 1000:.0f} / "
          f"{statistics.quantiles(latencies, n=20)[-1] * 1000:.0f} ms "
          f"(the floor per photo on one core: {floor / count * 2 * 1000:.0f} ms)")
    best = max(count / settled, count / (imported - startup))
    print(f"batch on two cores: {best:.1f} photos/s, {best / floor_rate:.2f}x the floor's rate of "
          f"{floor_rate:.1f} (target >= {TARGET_RATE:.0f} photos/s: "
          f"{'met' if best >= TARGET_RATE else 'NOT met'})")
    for pid_peak in peaks:
        if pid_peak is not None:
            print(f"worker peak RSS {pid_peak:.0f} MiB (target < {TARGET_MIB}: "
                  f"{'met' if pid_peak < TARGET_MIB else 'NOT met'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
