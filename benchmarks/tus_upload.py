"""Benchmark: a 12-megapixel photo through tus in 5 MiB pieces against today's single POST.

    .venv/bin/python benchmarks/tus_upload.py [--count 6] [--chunk-mib 5]

It makes the photo-like 4000x3000 JPEGs of ``benchmarks/ingest.py`` (EXIF,
GPS, orientation), saved at a phone's quality (5-8 MB), then in one process, photo by photo and in turns (the
order swaps each time, so that load from other processes falls on both):

1. the upload form: one ``POST /entri/unggah`` with the file (multipart);
2. tus on the site: ``POST /entri/unggah/tus/`` (Upload-Length, metadata),
   then ``PATCH`` after ``PATCH`` of ``--chunk-mib`` MiB until the last one,
   whose answer carries the pipeline's result.

Both go through the same ingest pipeline (hash, EXIF, thumbnails, rows,
index), each with its own copy of the photo (another EXIF year: another
hash). It prints each path's time per photo and their ratio. Target: tus at
most 1.15x the single POST.
"""
from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import SIZE, camat_client, make_app, make_photo  # noqa: E402

TARGET = 1.15


def as_a_phone_saves_it(data: bytes) -> bytes:
    """Re-encoded as phones do (quality 100, no chroma subsampling), EXIF kept: 5-8 MB,
    so that a photo takes more than one 5 MiB piece."""
    import io

    from PIL import Image

    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.save(out, "JPEG", quality=100, subsampling=0, exif=image.getexif().tobytes())
    return out.getvalue()


def with_year(data: bytes, year: int) -> bytes:
    """The same photo with another EXIF year: new content (hash), same pixels to decode."""
    return data.replace(b"2018:07:", f"{year}:07:".encode(), 1)


def post_form(client, name: str, data: bytes, trip_id: int) -> int:
    import io

    response = client.post("/entri/unggah", data={
        "files": [(io.BytesIO(data), name)], "trip": str(trip_id), "topic": "",
        "tags": "benchmark", "place_name": "Seoul", "description": "", "status": "published",
    }, content_type="multipart/form-data")
    return response.status_code


def via_tus(client, name: str, data: bytes, trip_id: int, chunk: int) -> str:
    meta = ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in {
        "filename": name, "trip": str(trip_id), "tags": "benchmark", "place": "Seoul",
        "status": "published"}.items())
    tus = {"Tus-Resumable": "1.0.0"}
    created = client.post("/entri/unggah/tus/", headers={
        **tus, "Upload-Length": str(len(data)), "Upload-Metadata": meta})
    assert created.status_code == 201, created.get_data(as_text=True)
    location = created.headers["Location"]
    result = ""
    for offset in range(0, len(data), chunk):
        response = client.patch(location, data=data[offset:offset + chunk], headers={
            **tus, "Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
        assert response.status_code == 204, response.get_data(as_text=True)
        result = response.headers.get("Upload-Result", "")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=6, help="photos per path (default 6)")
    parser.add_argument("--chunk-mib", type=float, default=5.0, help="tus piece size (default 5)")
    parser.add_argument("--seed", type=int, default=2018)
    args = parser.parse_args()
    chunk = int(args.chunk_mib * 1024 * 1024)

    with tempfile.TemporaryDirectory(prefix="tus-bench-") as tmp:
        workdir = Path(tmp)
        started = time.perf_counter()
        photos = [as_a_phone_saves_it(make_photo(i, args.seed))
                  for i in range(args.count + 1)]  # one to warm up
        size_mb = statistics.mean(len(p) for p in photos) / 1e6
        print(f"{args.count} JPEGs of {SIZE[0]}x{SIZE[1]} ({size_mb:.1f} MB each, "
              f"{-(-len(photos[0]) // chunk)} tus pieces of {args.chunk_mib:g} MiB) "
              f"made in {time.perf_counter() - started:.1f} s")

        client, trip_id = camat_client(make_app(workdir))

        assert post_form(client, "warm.jpg", with_year(photos[0], 2019), trip_id) == 201
        assert via_tus(client, "warm-tus.jpg", with_year(photos[0], 2020), trip_id, chunk) == "added"

        times: dict[str, list[float]] = {"post": [], "tus": []}
        load_before = os.getloadavg()[0]
        for index, photo in enumerate(photos[1:], start=1):
            runs = [
                ("post", lambda: post_form(client, f"IMG_{index}.jpg", with_year(photo, 2019),
                                           trip_id) == 201),
                ("tus", lambda: via_tus(client, f"IMG_{index}-tus.jpg", with_year(photo, 2020),
                                        trip_id, chunk) == "added"),
            ]
            for name, run in (runs if index % 2 else runs[::-1]):
                t0 = time.perf_counter()
                ok = run()
                times[name].append(time.perf_counter() - t0)
                if not ok:
                    print(f"FAILED: {name} upload of photo {index}", file=sys.stderr)
                    return 1
        print(f"load average (1 min) before/after: {load_before:.1f} / "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    post, tus = statistics.median(times["post"]), statistics.median(times["tus"])
    print(f"{'single POST /entri/unggah':<40} {post * 1000:8.0f} ms per photo (median of {args.count})")
    print(f"{'tus, ' + format(args.chunk_mib, 'g') + ' MiB pieces':<40} {tus * 1000:8.0f} ms per photo "
          f"(median of {args.count})")
    ratio = tus / post
    verdict = "OK" if ratio <= TARGET else "OVER TARGET"
    print(f"ratio tus / POST: {ratio:.2f}x (target <= {TARGET}x): {verdict}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
