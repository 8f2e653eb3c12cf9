"""``flask import-scores FILE --period CODE`` and ``flask export-scores``: the score
files on the command line. Never asks anything; exits 1 when the file was refused."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask.cli import with_appcontext

from ..core.refusal import Refused
from ..extensions import db
from .operations.periods import period_by_code
from .operations.plan import Plan, plan_rows
from .operations.records import apply_plan
from .preview import change_lines
from .transfer.exchange import export_file, rows_from_file

STATUS_WORDS = {"new": "baru", "updated": "berubah", "unchanged": "tetap", "error": "SALAH"}


def print_plan(plan: Plan) -> None:
    for problem in plan.problems:
        click.echo(f"berkas: {problem}")
    shown = change_lines(plan)
    for row in plan.rows:
        changes = "; ".join(f"{what}: {a} -> {b}" for what, a, b in shown[row.line])
        errors = " ".join(message for _f, message in row.errors)
        click.echo(f"baris {row.line:>4}  {STATUS_WORDS[row.status]:<8} {row.kecamatan_name}"
                   + (f"  {changes}" if changes else "") + (f"  {errors}" if errors else ""))
    click.echo(f"baru {plan.count('new')}, berubah {plan.count('updated')}, "
               f"tetap {plan.count('unchanged')}, salah {plan.count('error')}")


@click.command("import-scores")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--period", "code", required=True, help="Kode periode, misalnya 2018.")
@click.option("--dry-run", is_flag=True, help="Hanya tampilkan pratinjau, jangan simpan.")
@click.option("--skip-bad", is_flag=True, help="Simpan baris yang benar, lewati yang salah.")
@with_appcontext
def import_scores(file: Path, code: str, dry_run: bool, skip_bad: bool) -> None:
    """Import a period's score records from CSV or XLSX: preview, then apply."""
    started = time.perf_counter()
    period = period_by_code(code)
    if period is None:
        raise click.UsageError(f"Periode '{code}' tidak dikenal.")
    try:
        rows, problems = rows_from_file(period, file.read_bytes(), file.name)
        plan = plan_rows(period, rows, problems)
        print_plan(plan)
        if dry_run:
            click.echo("Pratinjau saja (--dry-run): tidak ada yang disimpan.")
            db.session.rollback()
            return
        done = apply_plan(plan, skip_bad=skip_bad)
    except Refused as refused:
        db.session.rollback()
        click.echo(f"Ditolak: {refused.message}", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Disimpan: baru {done.new}, berubah {done.updated}, tetap {done.unchanged}, "
               f"dilewati {done.skipped} ({time.perf_counter() - started:.2f} detik).")


@click.command("export-scores")
@click.option("--period", "code", required=True, help="Kode periode, misalnya 2018.")
@click.option("--format", "fmt", type=click.Choice(["csv", "xlsx"]), default="csv")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
@with_appcontext
def export_scores(code: str, fmt: str, output: Path) -> None:
    """Export a period's score records in the columns import-scores reads."""
    period = period_by_code(code)
    if period is None:
        raise click.UsageError(f"Periode '{code}' tidak dikenal.")
    output.write_bytes(export_file(period, fmt))
    click.echo(f"Ditulis: {output}")
