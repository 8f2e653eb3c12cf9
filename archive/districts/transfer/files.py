"""Reading a score file (CSV or XLSX) into a header and rows, and writing one.

CSV is UTF-8 (a byte-order mark is allowed) with commas or semicolons; XLSX is
read from its first sheet with openpyxl in read-only mode.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from ...core.refusal import Refused

MAX_ROWS = 2000
XLSX_MAGIC = b"PK\x03\x04"


@dataclass
class Table:
    header: list[object]
    #: (line number in the file, cells)
    rows: list[tuple[int, list[object]]]


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's first row as the header, the other non-empty rows as data."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        lines = _xlsx_lines(data)
    else:
        lines = _csv_lines(data)
    numbered = [(n, row) for n, row in enumerate(lines, start=1)
                if any(c not in (None, "") and str(c).strip() for c in row)]
    if not numbered:
        raise Refused(_l("Berkas ini kosong."), field="file")
    if len(numbered) > MAX_ROWS + 1:
        raise Refused(_l("Berkas ini lebih dari %(n)d baris.", n=MAX_ROWS), field="file")
    (_, header), *rows = numbered
    return Table(header=list(header), rows=[(n, list(r)) for n, r in rows])


def _csv_lines(data: bytes) -> list[list[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(_l("Berkas CSV harus berupa teks UTF-8."), field="file") from None
    if "\x00" in text:
        raise Refused(_l("Berkas ini bukan CSV atau XLSX."), field="file")
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    return [list(row) for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_lines(data: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged file
        raise Refused(_l("Berkas XLSX ini tidak dapat dibaca."), field="file") from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for _n, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True))]
    finally:
        book.close()


def write_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if c is None else c for c in row] for row in rows)
    return out.getvalue().encode("utf-8")


def write_xlsx(title: str, header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "nilai")
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
