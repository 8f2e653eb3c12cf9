"""``flask import PATH --camat USER``: a folder (recursively) or a zip through the upload
pipeline, a summary with every failure's message, dedup on a second run, clear refusals."""
from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive.extensions import db
from archive.models import Entry
from support.files import camera_jpeg, heic_bytes, pdf_bytes, png_bytes


@pytest.fixture
def card(tmp_path) -> Path:
    """A camat's SD card: photos in nested folders, a paper, a text file, hidden files."""
    root = tmp_path / "kartu"
    (root / "DCIM" / "100APPLE").mkdir(parents=True)
    (root / "DCIM" / "100APPLE" / "IMG_0001.HEIC").write_bytes(heic_bytes(7))
    (root / "DCIM" / "DSCN0002.jpg").write_bytes(camera_jpeg(8))
    (root / "DCIM" / "layar.png").write_bytes(png_bytes(9))
    (root / "makalah.pdf").write_bytes(pdf_bytes("Trotoar di Seoul"))
    (root / "catatan.txt").write_text("bukan foto")
    (root / ".DS_Store").write_bytes(b"\x00" * 10)
    (root / "__MACOSX").mkdir()
    (root / "__MACOSX" / "._IMG_0001.HEIC").write_bytes(b"\x00" * 10)
    return root


def entries(app) -> list[tuple]:
    """(original name, status, sample source, sample licence) of every entry."""
    with app.app_context():
        return [(e.file.original_name, e.status, e.sample_source, e.sample_licence)
                for e in db.session.scalars(select(Entry).order_by(Entry.id))]


def test_folder_import_summary_failures_and_second_run(app, runner, card):
    result = runner.invoke(args=["import", str(card), "--camat", "cinambo", "--topic", "sidewalks",
                                 "--status", "published", "--tags", "Trotoar, SD card"])
    assert result.exit_code == 1, result.output  # one file failed
    assert "Ditambahkan: 4, duplikat (sudah ada): 0, gagal: 1." in result.output
    assert "Gagal: catatan.txt: Jenis berkas catatan.txt tidak didukung" in result.output
    rows = entries(app)
    assert len(rows) == 4
    with app.app_context():
        assert db.session.scalar(select(func.count(Entry.id)).where(
            Entry.status == "published", Entry.topic_id.is_not(None))) == 4
    assert {name for name, *_ in rows} == {
        "IMG_0001.HEIC", "DSCN0002.jpg", "layar.png", "makalah.pdf"}
    again = runner.invoke(args=["import", str(card), "--camat", "cinambo"])
    assert "Ditambahkan: 0, duplikat (sudah ada): 4, gagal: 1." in again.output
    assert len(entries(app)) == 4


def test_zip_import_and_samples(app, runner, card, tmp_path):
    (card / "catatan.txt").unlink()
    archive = tmp_path / "kartu.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in card.rglob("*"):
            if path.is_file():
                zf.write(path, str(path.relative_to(card)))
    result = runner.invoke(args=["import", str(archive), "--camat", "batununggal",
                                 "--sample-source", "Contoh Commons", "--sample-licence", "CC0"])
    assert result.exit_code == 0, result.output
    assert "Ditambahkan: 4, duplikat (sudah ada): 0, gagal: 0." in result.output
    rows = entries(app)
    assert len(rows) == 4
    assert all(row[1:] == ("draft", "Contoh Commons", "CC0") for row in rows)


@pytest.mark.parametrize("args, message", [
    (["/tidak/ada", "--camat", "cinambo"], "/tidak/ada tidak ditemukan"),
    (["{card}", "--camat", "siapa"], "Pengguna 'siapa' tidak ditemukan"),
    (["{card}", "--camat", "admin"], "bukan camat"),
    (["{card}", "--camat", "cinambo", "--topic", "pasar"], "Topik 'pasar' tidak dikenal"),
    (["{card}", "--camat", "cinambo", "--trip", "tokyo"], "tidak ikut kunjungan 'tokyo'"),
])
def test_bad_path_or_user_is_a_message_without_traceback(app, runner, card, args, message):
    args = [a.replace("{card}", str(card)) for a in args]
    result = runner.invoke(args=["import", *args])
    assert result.exit_code != 0 and message in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert entries(app) == []


def test_damaged_zip_member_fails_alone(app, runner, tmp_path):
    archive = tmp_path / "rusak.zip"
    good, bad = camera_jpeg(11), camera_jpeg(12)
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("a.jpg", good)
        zf.writestr("b.jpg", bad)
    data = bytearray(archive.read_bytes())
    at = data.find(bad) + len(bad) // 2
    data[at] ^= 0xFF  # the member's CRC no longer matches
    archive.write_bytes(bytes(data))
    result = runner.invoke(args=["import", str(archive), "--camat", "cinambo"])
    assert result.exit_code == 1, result.output
    assert "Ditambahkan: 1, duplikat (sudah ada): 0, gagal: 1." in result.output
    assert "Gagal: b.jpg: b.jpg tidak dapat dibaca" in result.output
    assert [name for name, *_ in entries(app)] == ["a.jpg"]
    assert [p for p in Path(app.config["UPLOAD_DIR"]).rglob("*.part")] == []


def test_import_leaves_the_index_in_sync_and_analyses_on_every_core(app, runner, card,
                                                                   monkeypatch):
    """A command has no answer to send: the index sync an upload leaves for after the
    answer runs before the command ends, and the pipeline uses a command's threads,
    although the command works in a (blank) request context."""
    from archive.ingest import pipeline
    from archive.search import index_dir
    from archive.search.models import IndexOutbox

    threads = []
    real = pipeline.analysis_threads
    monkeypatch.setattr(pipeline, "analysis_threads", lambda: threads.append(real()) or threads[-1])
    result = runner.invoke(args=["import", str(card), "--camat", "cinambo"])
    assert "Ditambahkan: 4" in result.output, result.output
    assert threads and set(threads) == {pipeline.COMMAND_THREADS}
    with app.app_context():
        assert db.session.scalar(select(func.count(IndexOutbox.id))) == 0
        from whoosh.index import open_dir

        from archive.search.index import INDEX_NAME

        with open_dir(index_dir(), indexname=INDEX_NAME).searcher() as searcher:  # no search
            assert searcher.doc_count() == 4


def test_a_command_context_is_not_a_served_request(app):
    from archive.core.after_answer import after_answer
    from archive.core.commands import command_context, serving_request

    done = []
    with app.app_context(), command_context():
        assert not serving_request()
        after_answer(lambda: done.append("now"))
        assert done == ["now"]  # at once: nobody waits for an answer
    with app.test_request_context("/"):
        assert serving_request()
        after_answer(lambda: done.append("later"))
        assert done == ["now"]  # once the answer is sent


def test_a_command_writes_in_immediate_transactions(app):
    """On SQLite a command's transactions take the write lock up front (BEGIN
    IMMEDIATE), waiting under the busy timeout, as a POST's do: a deferred one
    that reads and then writes fails at once when a web worker wrote in between.
    A long read asks for ``reading_engine()``, which begins deferred."""
    from sqlalchemy import event, select, text

    from archive.core.commands import command_context
    from archive.extensions import reading_engine

    begun: list[str] = []

    def seen(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            begun.append(statement)

    with app.app_context():
        sqlite = db.engine.dialect.name == "sqlite"
        event.listen(db.engine, "before_cursor_execute", seen)
        try:
            with command_context():
                db.session.execute(select(text("1")))
                db.session.rollback()
                with reading_engine().connect() as conn:
                    conn.execute(select(text("1")))
        finally:
            event.remove(db.engine, "before_cursor_execute", seen)
    # PostgreSQL's driver begins its transactions itself (writers wait for row locks)
    assert begun == (["BEGIN IMMEDIATE", "BEGIN"] if sqlite else [])
