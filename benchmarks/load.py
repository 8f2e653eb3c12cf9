"""Load and faults against a real server: gunicorn with 4 workers on loopback.

    .venv/bin/python benchmarks/load.py [--searchers 200] [--writers 2] [--seconds 60]
    .venv/bin/python benchmarks/load.py --faults      # the kill -9 scenarios instead

Load: a fresh SQLite archive with the demo data is served by ``gunicorn -w 4``
on 127.0.0.1; ``--searchers`` threads search (pages and API, varied words)
and ``--writers`` threads upload photos through the API with a camat's token,
for ``--seconds``. It prints requests, errors by status, p50/p95 latency per
kind, then checks that every accepted upload is found by a search for its
unique title and that ``flask check`` finds the index matching the database.
Goal: 0 errors.

Faults (``--faults``): (1) a worker is killed with SIGKILL in the middle of a
large upload (the body is sent slowly); (2) the whole server (master and
workers) is killed with SIGKILL during a burst of uploads. After each, the
server is started again and the script checks that no row lacks its file,
that no file lies outside the temporary area that the sweep removes, and that
``flask check`` is clean.

Traffic goes only to 127.0.0.1; every loop is bounded in count and time.
"""
from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import random
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv" / "bin"
WORDS = ["trotoar", "sungai", "taman", "reklame", "pohon", "seoul", "sidewalk", "river",
         "cheonggyecheon", "bangku", "halte", "jalan kaki", "\"ruang publik\"", "park"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """A fresh archive folder and the gunicorn serving it."""

    def __init__(self, folder: Path, worker_count: int = 4) -> None:
        self.folder = folder
        self.worker_count = worker_count
        self.port = free_port()
        self.env = dict(os.environ, ARCHIVE_DATABASE_URL=f"sqlite:///{folder / 'archive.sqlite3'}",
                        ARCHIVE_UPLOAD_DIR=str(folder / "uploads"),
                        ARCHIVE_INDEX_DIR=str(folder / "index"), SECRET_KEY="load-test")
        self.server: subprocess.Popen | None = None

    def flask(self, *args: str) -> str:
        done = subprocess.run([str(VENV / "flask"), "--app", "archive", *args], env=self.env,
                              cwd=ROOT, capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise RuntimeError(f"flask {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def prepare(self) -> str:
        self.flask("init-db")
        self.flask("seed-demo")
        self.flask("reindex")
        return self.flask("create-token", "cinambo").strip().splitlines()[-1]

    def start(self) -> None:
        self.server = subprocess.Popen(
            [str(VENV / "gunicorn"), "--workers", str(self.worker_count),
             "--bind", f"127.0.0.1:{self.port}",
             "--timeout", "120", "archive:create_app()"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.get("/api/v1/")[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.server is not None:
            os.killpg(self.server.pid, sig)
            self.server.wait(timeout=60)
            self.server = None

    def workers(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.server.pid)], capture_output=True, text=True)
        return [int(p) for p in out.stdout.split()]

    def get(self, path: str, headers: dict | None = None) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def upload(self, token: str, data: bytes, title: str) -> tuple[int, dict]:
        body, content_type = multipart({"title": title, "status": "published"}, data)
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            conn.request("POST", "/api/v1/entries", body=body, headers={
                "Authorization": f"Bearer {token}", "Content-Type": content_type})
            response = conn.getresponse()
            raw = response.read()
            return response.status, json.loads(raw or b"{}")
        finally:
            conn.close()


def multipart(fields: dict[str, str], data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n".encode()
             for k, v in fields.items()]
    parts.append(f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
                 f"filename=\"foto.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n".encode() + data
                 + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def photo(seed: int, side: int = 640) -> bytes:
    from PIL import Image

    rng = random.Random(seed)
    size = (side // 8, side * 3 // 32)
    small = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    out = io.BytesIO()
    small.resize((side, side * 3 // 4)).save(out, "JPEG", quality=85)
    return out.getvalue()


def percentile(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] if len(values) > 1 else (values or [0])[0]


def run_load(site: Site, token: str, searchers: int, writers: int, seconds: float) -> bool:
    stop_at = time.monotonic() + seconds
    latencies: dict[str, list[float]] = defaultdict(list)
    statuses: Counter = Counter()
    accepted: list[str] = []
    lock = threading.Lock()

    def searcher(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < stop_at:
            word = rng.choice(WORDS)
            kind, path = rng.choice([("page", "/cari?q="), ("api", "/api/v1/search?q=")])
            started = time.perf_counter()
            try:
                status, _ = site.get(path + word.replace(" ", "+").replace('"', "%22"))
            except OSError:
                status = "connection error"
            with lock:
                latencies[f"search ({kind})"].append(time.perf_counter() - started)
                statuses[status] += 1

    def writer(n: int) -> None:
        seed = 1000 * (n + 1)
        while time.monotonic() < stop_at:
            seed += 1
            title = f"muat{n}x{seed}"
            started = time.perf_counter()
            try:
                status, body = site.upload(token, photo(seed), title)
            except OSError:
                status, body = "connection error", {}
            with lock:
                latencies["upload"].append(time.perf_counter() - started)
                statuses[status] += 1
                if status == 201:
                    accepted.append(title)

    threads = [threading.Thread(target=searcher, args=(n,)) for n in range(searchers)]
    threads += [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(seconds + 180)
    total = sum(statuses.values())
    errors = {s: c for s, c in statuses.items() if s not in (200, 201)}
    print(f"requests: {total} in {seconds:.0f} s ({total / seconds:.0f}/s); by status: "
          f"{dict(sorted(statuses.items(), key=str))}")
    for kind, values in sorted(latencies.items()):
        print(f"  {kind:<15} n={len(values):>6}  p50 {percentile(values, 50) * 1000:7.1f} ms  "
              f"p95 {percentile(values, 95) * 1000:7.1f} ms")
    missing = [t for t in accepted
               if json.loads(site.get(f"/api/v1/search?q={t}")[1]).get("total", 0) < 1]
    print(f"accepted uploads: {len(accepted)}; not found by a search for their title: {len(missing)}")
    report = site.flask("check")
    print("flask check:", report.strip().splitlines()[-1])
    ok = not errors and not missing and "Indeks sesuai dengan basis data." in report
    print("RESULT:", "0 errors" if ok else f"errors {errors}, unsearchable {missing[:5]}")
    return ok


def consistency(site: Site) -> list[str]:
    """No row without its file, no file outside tmp/ without its row, check clean."""
    problems = []
    uploads = site.folder / "uploads"
    with sqlite3.connect(site.folder / "archive.sqlite3") as db:
        paths = {row[0] for row in db.execute("SELECT storage_path FROM stored_file")}
    for rel in paths:
        if not (uploads / rel).is_file():
            problems.append(f"row without its file: {rel}")
    originals = {str(p.relative_to(uploads)) for p in (uploads / "originals").rglob("*")
                 if p.is_file()} if (uploads / "originals").exists() else set()
    for rel in sorted(originals - paths):
        problems.append(f"file without its row: {rel}")
    check = site.flask("check")
    if "Indeks sesuai dengan basis data." not in check:
        problems.append(f"flask check: {check.strip()}")
    return problems


def run_faults(site: Site, token: str) -> bool:
    ok = True
    # 1. kill -9 of the worker that is receiving a large upload
    body, content_type = multipart({"title": "besar"}, photo(7, side=3000) * 1)
    conn = socket.create_connection(("127.0.0.1", site.port), timeout=60)
    conn.sendall((f"POST /api/v1/entries HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\n"
                  f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n\r\n").encode()
                 + body[: len(body) // 2])
    time.sleep(1.0)  # the worker is now reading the body (a script, not a test: a fixed wait is fine)
    for pid in site.workers():
        os.kill(pid, signal.SIGKILL)
    conn.close()
    time.sleep(2.0)
    problems = consistency(site)
    print("kill -9 of the workers during a large upload:", problems or "consistent")
    ok &= not problems
    # 2. kill -9 of the whole server during a burst of uploads
    results: Counter = Counter()

    def burst(n: int) -> None:
        for i in range(10):
            try:
                results[site.upload(token, photo(5000 + n * 100 + i), f"burst{n}x{i}")[0]] += 1
            except OSError:
                results["cut"] += 1

    threads = [threading.Thread(target=burst, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)
    site.stop(signal.SIGKILL)
    for t in threads:
        t.join(120)
    site.start()
    problems = consistency(site)
    print(f"kill -9 of the server during a burst ({dict(results)}):", problems or "consistent")
    ok &= not problems
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--searchers", type=int, default=200)
    parser.add_argument("--writers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--faults", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="arsip-load-") as tmp:
        site = Site(Path(tmp))
        token = site.prepare()
        site.start()
        try:
            ok = (run_faults(site, token) if args.faults
                  else run_load(site, token, args.searchers, args.writers, args.seconds))
        finally:
            site.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
