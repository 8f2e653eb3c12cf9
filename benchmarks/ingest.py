"""Benchmark: N 12-megapixel JPEGs with EXIF uploaded through the app, against Pillow alone.

    .venv/bin/python benchmarks/ingest.py [--count 30] [--batch 10]

It generates N different photo-like 4000x3000 JPEGs with EXIF (camera, time,
GPS, orientation) into a temporary folder, then in the same process:

1. Pillow alone: open, draft-decode, turn upright and make the 1600 px and
   400 px JPEG thumbnails of every file (the least any archive must do), in a
   child process of bare Pillow: the app sets malloc up for a small worker
   (``archive.ingest.memory``), which would slow Pillow alone down in this
   process and flatter every ratio;
2. the app: log in as a demo camat and POST the files to the real upload
   route (``entries.upload``, batches of ``--batch``), which streams, hashes,
   stores, reads EXIF, thumbnails, writes the rows and indexes them (its
   image work runs in ``archive.ingest.pipeline.analysis_threads()`` threads, one in a
   web request by default, while Pillow alone runs in one: hence the CPU ratio
   printed beside the time ratio, which threads cannot improve);
3. the same with the search index written once per request instead of after
   each entry's commit (``SEARCH_SYNC_ON_COMMIT=False`` + ``sync_pending()``).

The phases take turns batch by batch, in an order that rotates. It prints photos per second, the peak memory of each phase (VmHWM, the kernel's resident-set
high-water mark, reset between phases) and each upload's ratio to Pillow
alone. Target: the upload within 1.3x of Pillow alone, and at least
10 photos per second.
"""
from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import ExifTags, Image, ImageDraw, ImageOps  # noqa: E402
from PIL.TiffImagePlugin import IFDRational  # noqa: E402

SIZE = (4000, 3000)
THUMBS = (1600, 400)


@dataclass
class Phase:
    name: str
    seconds: float
    peak_mib: float | None
    #: CPU time of the process (all threads): less swayed by other processes' load
    cpu_seconds: float = 0.0
    #: for one-photo requests: until the answer was there (without the work the
    #: worker does after it, the index sync), which is what the uploader waits for
    answer_seconds: float = 0.0

    def rate(self, count: int) -> float:
        return count / self.seconds


_GRAIN: list[Image.Image] = []


def make_photo(index: int, seed: int) -> bytes:
    """A photo-like 12 MP JPEG: smooth colour fields, shapes and grain, plus EXIF."""
    rnd = random.Random(seed * 1000 + index)
    if not _GRAIN:  # sensor-like noise, made once: it is the slow part
        _GRAIN.append(Image.effect_noise(SIZE, 12).convert("RGB"))
    channels = [
        Image.effect_noise((160, 120), 60).resize(SIZE, Image.Resampling.BICUBIC)
        for _ in range(3)
    ]
    image = Image.merge("RGB", channels)
    draw = ImageDraw.Draw(image)
    for _ in range(40):
        x, y = rnd.randrange(SIZE[0]), rnd.randrange(SIZE[1])
        w, h = rnd.randrange(50, 900), rnd.randrange(50, 900)
        colour = tuple(rnd.randrange(256) for _ in range(3))
        (draw.ellipse if rnd.random() < 0.5 else draw.rectangle)((x, y, x + w, y + h), fill=colour)
    image = Image.blend(image, _GRAIN[0], 0.15)
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "samsung", "SM-G960F"
    exif[0x0112] = rnd.choice([1, 1, 1, 6, 8, 3])
    exif.get_ifd(ExifTags.IFD.Exif)[0x9003] = f"2018:07:{10 + index % 5:02d} 10:{index % 60:02d}:00"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update({
        1: "N", 2: (IFDRational(37), IFDRational(33), IFDRational(rnd.randrange(6000), 100)),
        3: "E", 4: (IFDRational(126), IFDRational(58), IFDRational(rnd.randrange(6000), 100)),
        5: b"\x00", 6: IFDRational(3850, 100),
    })
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif.tobytes())
    return out.getvalue()


def reset_peak() -> None:
    # Linux: writing 5 to clear_refs resets VmHWM, so each phase gets its own peak.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_mib() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def pillow_alone(paths: list[Path]) -> None:
    """The same image work as the archive's, in bare Pillow: the floor for an upload."""
    for path in paths:
        with Image.open(path) as image:
            image.draft("RGB", _fit(image.size, THUMBS[0]))
            image.load()
            large = image.resize(_fit(image.size, THUMBS[0]), Image.Resampling.BILINEAR)
            large = ImageOps.exif_transpose(large)
            large.save(io.BytesIO(), "JPEG", quality=85)
            small = large.resize(_fit(large.size, THUMBS[1]), Image.Resampling.BICUBIC,
                                 reducing_gap=2.0)
            small.save(io.BytesIO(), "JPEG", quality=85)


def pillow_alone_in_child(paths: list[Path], warm: Path, phase: "Phase") -> None:
    """``pillow_alone`` in a fresh process without the app (warmed up with ``warm``
    first); its time, CPU time and peak memory go to ``phase``."""
    import json
    import subprocess

    run = subprocess.run([sys.executable, __file__, "--floor", str(warm), *map(str, paths)],
                         capture_output=True, text=True, check=True)
    figures = json.loads(run.stdout)
    phase.seconds += figures["seconds"]
    phase.cpu_seconds += figures["cpu_seconds"]
    phase.peak_mib = max(phase.peak_mib or 0.0, figures["peak_mib"] or 0.0) or None


def _floor_child(warm: str, paths: list[str]) -> None:
    import json

    pillow_alone([Path(warm)])
    reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    pillow_alone([Path(p) for p in paths])
    print(json.dumps({"seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0,
                      "peak_mib": peak_mib()}))


def _fit(size: tuple[int, int], longest: int) -> tuple[int, int]:
    scale = min(1.0, longest / max(size))
    return max(1, round(size[0] * scale)), max(1, round(size[1] * scale))


def variant(path: Path, out: Path, year: int = 2019) -> Path:
    """The same photo with another EXIF year: new content (hash), same pixels to decode."""
    data = path.read_bytes()
    out.write_bytes(data.replace(b"2018:07:", f"{year}:07:".encode(), 1))
    return out


def make_app(workdir: Path, *, prepare: bool = True):
    """The app on a database under ``workdir``; ``prepare``: migrate it and load the demo
    (without: as a web worker starts, on a database prepared before)."""
    from archive import create_app
    from archive.cli import upgrade_schema
    from archive.extensions import db
    from archive.seed import seed_demo

    app = create_app({
        "TESTING": False,
        "SECRET_KEY": "benchmark",
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "ARCHIVE_BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"),
        "UPLOAD_DIR": str(workdir / "uploads"),
        "INDEX_DIR": str(workdir / "index"),
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # Each request's index sync right after its answer, in the phase that
        # caused it (a worker's timer would run it during the next phase);
        # benchmarks/ingest_server.py measures uploads sharing index commits.
        "SEARCH_SYNC_INTERVAL": 0,
    })
    if prepare:
        with app.app_context():
            upgrade_schema()
            seed_demo()
            db.session.commit()
    return app


def camat_client(app):
    """A test client logged in as a demo camat, and the trip it uploads to."""
    from sqlalchemy import select

    from archive.extensions import db
    from archive.models import Trip

    client = app.test_client()
    login = client.post("/masuk", data={"username": "cinambo", "password": "cinambo-demo"})
    assert login.status_code == 302, login.status_code
    with app.app_context():
        trip_id = db.session.scalar(select(Trip.id))
    return client, trip_id


def upload_all(client, paths: list[Path], trip_id: int, batch: int) -> list[int]:
    statuses = []
    for start in range(0, len(paths), batch):
        handles = [open(p, "rb") for p in paths[start:start + batch]]
        try:
            response = client.post("/entri/unggah", data={
                "files": [(fh, Path(fh.name).name) for fh in handles],
                "trip": str(trip_id), "topic": "", "tags": "benchmark, seoul",
                "place_name": "Seoul", "description": "", "status": "published",
            }, content_type="multipart/form-data")
        finally:
            for fh in handles:
                fh.close()
        statuses.append(response.status_code)
        # As the server does after the answer's last byte: the batch's index
        # sync runs here, so the worker's whole work is in the phase's time.
        response.close()
    return statuses


def api_token(app) -> str:
    """A bearer token of the demo camat the uploads log in as."""
    from sqlalchemy import select

    from archive.extensions import db
    from archive.models import ApiToken, User

    with app.app_context():
        row, token = ApiToken.issue(db.session.scalar(select(User).where(User.username == "cinambo")))
        db.session.add(row)
        db.session.commit()
    return token


def api_upload_one(client, path: Path, token: str, timing: "Phase") -> int:
    """One photo through POST /api/v1/entries; ``timing`` gets the time to the answer
    and, apart, the worker's time until it closed the response (the index sync)."""
    t0, c0 = time.perf_counter(), time.process_time()
    with open(path, "rb") as fh:
        response = client.post("/api/v1/entries", headers={"Authorization": f"Bearer {token}"},
                               data={"file": (fh, path.name), "trip": "", "tags": "benchmark"},
                               content_type="multipart/form-data")
    timing.answer_seconds += time.perf_counter() - t0
    response.close()
    timing.seconds += time.perf_counter() - t0
    timing.cpu_seconds += time.process_time() - c0
    return response.status_code


def main() -> int:
    if sys.argv[1:2] == ["--floor"]:  # the child of pillow_alone_in_child
        _floor_child(sys.argv[2], sys.argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=30, help="photos to upload (default 30)")
    parser.add_argument("--batch", type=int, default=10, help="photos per request (default 10)")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        photo_dir = workdir / "photos"
        photo_dir.mkdir()
        paths = []
        for i in range(args.count + 1):  # one more, for warming up
            path = photo_dir / f"IMG_{i:04d}.jpg"
            path.write_bytes(make_photo(i, args.seed))
            paths.append(path)
        warm, timed = paths[0], paths[1:]
        total_mb = sum(p.stat().st_size for p in timed) / 1e6
        print(f"{args.count} JPEGs of {SIZE[0]}x{SIZE[1]} ({total_mb / args.count:.1f} MB each) "
              f"generated in {time.perf_counter() - started:.1f} s")

        app = make_app(workdir)
        from sqlalchemy import func, select

        from archive.extensions import db
        from archive.models import Entry

        client, trip_id = camat_client(app)

        # Warm up the app once (imports, first connection, caches).
        assert upload_all(client, [warm], trip_id, 1) == [201]

        # The phases take turns batch by batch, so that load from other
        # processes falls on all of them alike rather than on whichever ran last.
        from archive import search

        again = [variant(p, p.with_name(p.stem + "-b.jpg")) for p in timed]
        third = [variant(p, p.with_name(p.stem + "-c.jpg"), year=2016) for p in timed]
        token = api_token(app)
        pillow = Phase("Pillow alone (same image work as the archive)", 0.0, 0.0)
        upload = Phase(f"upload via /entri/unggah, index per commit (x{args.batch})", 0.0, 0.0)
        deferred = Phase(f"upload via /entri/unggah, index per request (x{args.batch})", 0.0, 0.0)
        single = Phase("one photo per POST /api/v1/entries", 0.0, 0.0)
        statuses: list[int] = []

        def upload_then_sync(chunk: list[Path]) -> None:
            # The search index written once per request instead of after every
            # entry's commit (the outbox keeps it correct either way).
            app.config["SEARCH_SYNC_ON_COMMIT"] = False
            try:
                statuses.extend(upload_all(client, chunk, trip_id, args.batch))
                with app.app_context():
                    search.sync_pending()
            finally:
                app.config["SEARCH_SYNC_ON_COMMIT"] = True

        load_before = os.getloadavg()[0]
        for turn, start in enumerate(range(0, len(timed), args.batch)):
            chunk, chunk_again = timed[start:start + args.batch], again[start:start + args.batch]
            chunk_third = third[start:start + args.batch]
            phases = [
                (pillow, lambda: pillow_alone_in_child(chunk, warm, pillow)),
                (upload, lambda: statuses.extend(upload_all(client, chunk, trip_id, args.batch))),
                (deferred, lambda: upload_then_sync(chunk_again)),
                (single, lambda: statuses.extend(api_upload_one(client, p, token, single)
                                                 for p in chunk_third)),
            ]
            # The order turns too: whichever phase ran second was measurably
            # slower (swapping the two uploads swapped their figures), so each
            # phase takes each place equally often (exactly, for 4 batches).
            shift = turn % len(phases)
            for phase, work in phases[shift:] + phases[:shift]:
                reset_peak()
                t0, c0 = time.perf_counter(), time.process_time()
                work()
                if phase not in (single, pillow):  # they time themselves
                    phase.seconds += time.perf_counter() - t0
                    phase.cpu_seconds += time.process_time() - c0
                if phase is not pillow:
                    phase.peak_mib = max(phase.peak_mib or 0.0, peak_mib() or 0.0) or None
        from archive.ingest.pipeline import analysis_threads

        with app.test_request_context("/entri/unggah", method="POST"):
            threads = analysis_threads()
        print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs; upload analysis threads: {threads}")

        with app.app_context():
            added = db.session.scalar(select(func.count(Entry.id))) - 1
        if set(statuses) != {201} or added != 3 * args.count:
            print(f"FAILED: statuses {statuses}, {added} entries added", file=sys.stderr)
            return 1

        for phase in (pillow, upload, deferred, single):
            peak = f"{phase.peak_mib:.0f} MiB" if phase.peak_mib is not None else "n/a"
            print(f"{phase.name:58} {phase.seconds:6.2f} s {phase.rate(args.count):6.1f} photos/s"
                  f"  CPU {phase.cpu_seconds / args.count * 1000:4.0f} ms/photo  peak RSS {peak}")
        for phase in (upload, deferred):
            ratio = phase.seconds / pillow.seconds
            ok = ratio <= 1.3 and phase.rate(args.count) >= 10
            cpu_ratio = phase.cpu_seconds / pillow.cpu_seconds
            print(f"{phase.name}: {ratio:.2f}x Pillow alone in time (target <= 1.30), "
                  f"{cpu_ratio:.2f}x in CPU, "
                  f"{phase.rate(args.count):.1f} photos/s (target >= 10): "
                  f"{'met' if ok else 'NOT met'}")
        floor = pillow.seconds / args.count
        print(f"{single.name}: answer after {single.answer_seconds / args.count * 1000:.0f} ms "
              f"per photo, {single.answer_seconds / pillow.seconds:.2f}x the Pillow floor of "
              f"{floor * 1000:.0f} ms (target <= 1.10: "
              f"{'met' if single.answer_seconds <= 1.1 * pillow.seconds else 'NOT met'}); "
              f"the worker free after {single.seconds / args.count * 1000:.0f} ms "
              f"({single.seconds / pillow.seconds:.2f}x), CPU "
              f"{single.cpu_seconds / pillow.cpu_seconds:.2f}x Pillow's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
