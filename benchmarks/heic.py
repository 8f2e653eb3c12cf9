"""Benchmark: HEIC photos through the ingest pipeline against pillow-heif alone.

    .venv/bin/python benchmarks/heic.py [--count 8]

It encodes one photo-like 4032x3024 HEIC (the picture of ``benchmarks/ingest.py``,
with the EXIF of an iPhone: camera, time, GPS) with pillow-heif (x265 takes a
minute or more for it), makes N copies that differ only in the EXIF year
(another hash, the same pixels to decode), then in one process, in turns
(the order swaps each round, so that load from other processes falls on both):

1. pillow-heif alone: open, decode, make the 1600 px and 400 px JPEG
   thumbnails the archive makes (the least any archive must do with a HEIC);
2. the archive: ``ingest_batch`` with the same files (stream to disk while
   hashing, sniff, decode, walk the HEIF boxes, EXIF, thumbnails, rows,
   commit, search index), one photo per batch so that each is timed alone.

It prints each path's time per photo and their ratio. Target: the archive
within 1.3x of pillow-heif alone.
"""
from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import THUMBS, _fit, make_app, make_photo  # noqa: E402

TARGET = 1.3
SIZE = (4032, 3024)


def make_heic(index: int, seed: int) -> bytes:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener()
    with Image.open(io.BytesIO(make_photo(index, seed))) as jpeg:
        picture = jpeg.resize(SIZE)
        exif = jpeg.getexif()
        exif[0x010F], exif[0x0110] = "Apple", "iPhone 11 Pro Max"
        out = io.BytesIO()
        picture.save(out, "HEIF", quality=80, exif=exif.tobytes())
    return out.getvalue()


def pillow_heif_alone(path: Path) -> None:
    import pillow_heif
    from PIL import Image

    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    with Image.open(path) as image:
        image.load()
        large = image.resize(_fit(image.size, THUMBS[0]), Image.Resampling.BILINEAR)
        large.save(io.BytesIO(), "JPEG", quality=85)
        small = large.resize(_fit(large.size, THUMBS[1]), Image.Resampling.BICUBIC,
                             reducing_gap=2.0)
        small.save(io.BytesIO(), "JPEG", quality=85)


def archive_ingest(app, path: Path) -> str:
    from archive.extensions import db
    from archive.ingest.pipeline import EntryFields, Upload, ingest_batch
    from archive.models import Camat, Trip

    with app.test_request_context("/entri/unggah", method="POST"):
        camat, trip = db.session.get(Camat, 1), db.session.get(Trip, 1)
        with open(path, "rb") as fh:
            [result] = ingest_batch([Upload(path.name, fh)], EntryFields(status="published"),
                                    camat=camat, trip=trip)
        db.session.remove()
    return result.status


def copies(heic: bytes, workdir: Path, count: int) -> list[Path]:
    """``count`` files of ``heic`` that differ only in the EXIF year (another hash)."""
    year = heic.find(b"2018:07:")
    paths = []
    for i in range(count):
        path = workdir / f"IMG_{i:04d}.HEIC"
        path.write_bytes(heic[:year] + b"%04d" % (1990 + i) + heic[year + 4:])
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=8, help="photos (default 8)")
    parser.add_argument("--seed", type=int, default=2021)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heic-bench-") as tmp:
        workdir, started = Path(tmp), time.perf_counter()
        paths = copies(make_heic(0, args.seed), workdir, args.count + 1)  # +1 to warm up
        warm, timed = paths[0], paths[1:]
        size_mb = statistics.mean(p.stat().st_size for p in timed) / 1e6
        print(f"{args.count} HEICs of {SIZE[0]}x{SIZE[1]} ({size_mb:.1f} MB each) made in "
              f"{time.perf_counter() - started:.1f} s")
        app = make_app(workdir)
        pillow_heif_alone(warm)
        assert archive_ingest(app, warm) == "added"

        alone: list[float] = []
        archive: list[float] = []
        statuses = []
        load_before = os.getloadavg()[0]
        for turn, path in enumerate(timed):
            runs = [(alone, lambda: pillow_heif_alone(path)),
                    (archive, lambda: statuses.append(archive_ingest(app, path)))]
            for times, work in (runs if turn % 2 == 0 else runs[::-1]):
                t0 = time.perf_counter()
                work()
                times.append(time.perf_counter() - t0)
        print(f"load average (1 min) before/after: {load_before:.1f} / {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")
        if set(statuses) != {"added"}:
            print(f"FAILED: {statuses}", file=sys.stderr)
            return 1
        a, b = statistics.mean(alone) * 1000, statistics.mean(archive) * 1000
        print(f"{'pillow-heif alone (decode + 1600/400 px JPEGs)':52} {a:7.0f} ms/photo "
              f"(median {statistics.median(alone) * 1000:.0f})")
        print(f"{'archive ingest_batch (store, EXIF, rows, index)':52} {b:7.0f} ms/photo "
              f"(median {statistics.median(archive) * 1000:.0f})")
        ratio = b / a
        print(f"HEIC ingest: {ratio:.2f}x pillow-heif alone (target <= {TARGET:.2f}): "
              f"{'met' if ratio <= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
