"""Benchmark: importing a period's scores for all 30 kecamatan with four criteria.

    .venv/bin/python benchmarks/score_import.py [--repeat 5]

Issue 10's target: such a CSV imports in under a second. The archive is a fresh
SQLite one under a temporary folder with the demo data, plus a period "2019"
with the 2018 period's four criteria, weights and thresholds (the next year's
evaluation: weights and thresholds are invented for this run only), so the
totals are computed from the sub-scores and the zones from the thresholds,
the heaviest path. The file has all 30 kecamatan.

It runs ``flask import-scores FILE --period 2019`` in this process (the
command's own code, through Click's runner) and prints, for each step, the
best and median wall time of ``--repeat`` runs, each on a copy of the same
starting database:

- the preview only (``--dry-run``),
- the first import (30 new records, ranked),
- the same file again (nothing changes),

and the first import's time as a ratio of the one-second target.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_SECONDS = 1.0


def score_file(names: list[str], criteria: list[str]) -> str:
    lines = ["kecamatan," + ",".join(criteria)]
    for i, name in enumerate(names):
        lines.append(name + "," + ",".join(str(60 + (i * 7 + k * 3) % 40)
                                           for k in range(len(criteria))))
    return "\n".join(lines) + "\n"


def prepare(folder: Path) -> tuple[Path, str]:
    """A demo database with weights and thresholds set; the file to import."""
    from sqlalchemy import select

    from archive import create_app
    from archive.cli import upgrade_schema
    from archive.extensions import db
    from archive.models import ScoreCriterion, ScorePeriod
    from archive.seed import BANDUNG_KECAMATAN, seed_demo

    os.environ.update(ARCHIVE_DATABASE_URL=f"sqlite:///{folder / 'archive.sqlite3'}",
                      ARCHIVE_UPLOAD_DIR=str(folder / "uploads"),
                      ARCHIVE_INDEX_DIR=str(folder / "index"))
    app = create_app()
    with app.app_context():
        upgrade_schema()
        seed_demo()
        known = db.session.scalar(select(ScorePeriod).where(ScorePeriod.code == "2018"))
        period = ScorePeriod(code="2019", name="Benchmark", status="published",
                             green_min=85, yellow_min=70)
        period.criteria = [
            ScoreCriterion(key=c.key, name_id=c.name_id, name_en=c.name_en, weight=weight,
                           position=c.position)
            for c, weight in zip(known.criteria, (40, 30, 20, 10))]
        db.session.add(period)
        keys = [c.key for c in known.criteria]
        db.session.commit()
        db.engine.dispose()
    return folder / "archive.sqlite3", score_file(list(BANDUNG_KECAMATAN), keys)


def timed(folder: Path, start_db: Path, path: Path, steps: list[list[str]]) -> list[float]:
    """Run the commands in order on a fresh copy of the database; the wall time of each."""
    from archive import create_app
    from archive.extensions import db

    shutil.copy(start_db, folder / "run.sqlite3")
    os.environ["ARCHIVE_DATABASE_URL"] = f"sqlite:///{folder / 'run.sqlite3'}"
    app = create_app()
    runner = app.test_cli_runner()
    times = []
    for extra in steps:
        started = time.perf_counter()
        result = runner.invoke(args=["import-scores", str(path), "--period", "2019", *extra])
        times.append(time.perf_counter() - started)
        if result.exit_code != 0:
            raise SystemExit(f"import-scores failed:\n{result.output}")
    with app.app_context():
        db.engine.dispose()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="score-import-bench-"))
    try:
        start_db, text = prepare(folder)
        path = folder / "nilai.csv"
        path.write_text(text, encoding="utf-8")
        rows = text.count("\n") - 1
        runs = [timed(folder, start_db, path, [["--dry-run"], [], []]) for _ in range(args.repeat)]
        print(f"file: {rows} kecamatan x 4 criteria ({len(text)} bytes), {args.repeat} runs")
        for i, label in enumerate(("preview (--dry-run)", "first import", "same file again")):
            column = [run[i] for run in runs]
            print(f"{label:<22} best {min(column) * 1000:7.1f} ms   "
                  f"median {statistics.median(column) * 1000:7.1f} ms")
        first = statistics.median(run[1] for run in runs)
        print(f"first import / target ({TARGET_SECONDS:.0f} s): {first / TARGET_SECONDS:.2f}x")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
