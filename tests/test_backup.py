"""Backup and restore: back up, restore into a fresh instance, compare rows, files and searches.

Runs on SQLite and, with ARCHIVE_TEST_DATABASE_URL, on PostgreSQL (the
restore target is then a second database this module creates and drops).
"""
from __future__ import annotations

import hashlib
import io
import os
import tarfile
import threading
import uuid
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import make_url

from archive import create_app
from archive.backup import layout
from archive.entries.visibility import Viewer
from archive.extensions import db
from archive.ingest.pipeline import EntryFields, Upload, ingest_batch
from archive.models import Camat, Entry, Kecamatan, StoredFile, Topic, Trip
from archive.search import SearchParams, search_entries
from archive.search.index import forget

PG_URL = os.environ.get("ARCHIVE_TEST_DATABASE_URL")
SEARCHES = [
    SearchParams(q="sungai"), SearchParams(q="trotoar"), SearchParams(q="reklame"),
    SearchParams(q="Seoul", sort="newest"), SearchParams(kind="photo"),
    SearchParams(topic="sungai"), SearchParams(q="halaman"),
    SearchParams(q="taman", viewer=Viewer(is_admin=True)),
]


# ---------------------------------------------------------------- helpers


def jpeg_bytes(seed: int) -> bytes:
    """A small photo whose content depends on ``seed``."""
    out = io.BytesIO()
    Image.new("RGB", (48, 36), ((seed * 47) % 256, (seed * 91) % 256, seed // 256)).save(out, "JPEG")
    return out.getvalue()


def pdf_bytes(text: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in (1, 2):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{text}. Halaman {number}.")
    return bytes(pdf.output())


@pytest.fixture
def fresh(app, tmp_path):
    """Makes empty instances: a new database (no tables) and an empty upload folder."""
    made: list[tuple] = []

    def make(name: str = "target", sqlite: bool = False):
        folder = tmp_path / name
        url = f"sqlite:///{folder / 'archive.sqlite3'}"
        if PG_URL and not sqlite:
            base = make_url(PG_URL)
            database = f"archive_restore_{uuid.uuid4().hex[:10]}"
            _admin(lambda conn: conn.execute(text(f'CREATE DATABASE "{database}"')))
            url = base.set(database=database).render_as_string(hide_password=False)
            made.append((database,))
        folder.mkdir()
        config = {k: app.config[k] for k in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED",
                                              "PASSWORD_HASH_METHOD")}
        config.update(SQLALCHEMY_DATABASE_URI=url, UPLOAD_DIR=str(folder / "uploads"),
                      INDEX_DIR=str(folder / "index"))
        target = create_app(config)
        made.append((target,))
        return target

    yield make
    for (item,) in reversed(made):
        if isinstance(item, str):
            drop = text(f'DROP DATABASE IF EXISTS "{item}" WITH (FORCE)')
            _admin(lambda conn, drop=drop: conn.execute(drop))
        else:
            with item.app_context():
                db.session.remove()
                db.engine.dispose()
            forget(item.config["INDEX_DIR"])


def _admin(action) -> None:
    engine = create_engine(make_url(PG_URL), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        action(conn)
    engine.dispose()


def add_entries(app, photos: range, papers: int = 0, status: str = "published") -> None:
    """Upload photos (and papers) through the pipeline as the camat of Cinambo."""
    with app.test_request_context("/entri/unggah", method="POST"):
        camat = db.session.scalar(select(Camat).join(Kecamatan).where(Kecamatan.name == "Cinambo"))
        trip = db.session.scalar(select(Trip))
        topic = db.session.scalar(select(Topic).where(Topic.slug == "sungai"))
        uploads = [Upload(f"foto-{n}.jpg", io.BytesIO(jpeg_bytes(seed=n))) for n in photos]
        uploads += [Upload(f"laporan-{n}.pdf", io.BytesIO(pdf_bytes(f"Penataan reklame {n}")))
                    for n in range(papers)]
        fields = EntryFields(description="Sungai dan trotoar di Seoul, taman kota",
                             topic_id=topic.id if topic else None, tags=["sungai", "taman"],
                             status=status)
        results = ingest_batch(uploads, fields, camat=camat, trip=trip)
        assert all(r.status == "added" for r in results), [r.message for r in results]
        # As the server does after the answer's last byte: the batch is indexed then.
        app.process_response(app.response_class("ok")).close()


def table_rows(app) -> dict[str, list[tuple]]:
    with app.app_context():
        out = {}
        for table in db.metadata.sorted_tables:
            keys = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in db.session.execute(select(table).order_by(*keys))]
        db.session.rollback()
        return out


def originals(app) -> dict[str, bytes]:
    root = Path(app.config["UPLOAD_DIR"])
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted((root / "originals").rglob("*")) if p.is_file()}


def search_results(app) -> list[tuple[int, list[int]]]:
    with app.test_request_context("/cari"):
        results = [search_entries(params) for params in SEARCHES]
        return [(r.total, [hit.entry.id for hit in r.hits]) for r in results]


def backup(app, path: Path) -> None:
    result = app.test_cli_runner().invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.exists()


def restore(app, path: Path, *options: str):
    return app.test_cli_runner().invoke(args=["restore", str(path), *options])


def files_on_disk(app) -> list[str]:
    root = Path(app.config["UPLOAD_DIR"])
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


# ---------------------------------------------------------------- tests


def test_backup_wipe_restore_gives_the_same_archive(app, fresh, tmp_path):
    add_entries(app, range(6), papers=2)
    add_entries(app, range(6, 9), status="draft")
    path = tmp_path / "nightly.tar"
    backup(app, path)
    with tarfile.open(path) as tar:
        names = tar.getnames()
    assert names[-1] == layout.MANIFEST and layout.DATABASE in names
    assert not any(n.startswith(("thumbs/", "tmp/")) for n in names)

    target = fresh()
    result = restore(target, path)
    assert result.exit_code == 0, result.output
    assert "entry" in result.output and "diindeks: 11" in result.output

    assert table_rows(target) == table_rows(app)
    assert originals(target) == originals(app) and len(originals(app)) == 11
    assert search_results(target) == search_results(app)
    assert search_results(app)[0][0] > 0  # the searches find something
    with target.app_context():
        photos = db.session.scalars(select(StoredFile).where(StoredFile.kind == "photo")).all()
        thumbs = Path(target.config["UPLOAD_DIR"]) / "thumbs"
        assert len(photos) == 9 and all(
            any(thumbs.rglob(f"{p.sha256}-*.jpg")) for p in photos)


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL (ARCHIVE_TEST_DATABASE_URL)")
def test_postgresql_backup_restores_into_sqlite(app, fresh, tmp_path):
    add_entries(app, range(4), papers=1)
    path = tmp_path / "b.tar"
    backup(app, path)
    target = fresh(sqlite=True)
    assert restore(target, path).exit_code == 0
    assert table_rows(target) == table_rows(app)
    assert search_results(target) == search_results(app)


def test_restored_archive_takes_new_uploads(app, fresh, tmp_path):
    """Ids keep counting after the restored ones (PostgreSQL sequences are moved)."""
    add_entries(app, range(3))
    path = tmp_path / "b.tar"
    backup(app, path)
    target = fresh()
    assert restore(target, path).exit_code == 0
    add_entries(target, range(10, 12))
    with target.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Entry)) == 5


def test_damaged_backup_is_refused_and_nothing_is_written(app, fresh, tmp_path):
    add_entries(app, range(3))
    path = tmp_path / "b.tar"
    backup(app, path)
    with tarfile.open(path) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("originals/"))
    with open(path, "r+b") as f:
        f.seek(member.offset_data + member.size // 2)
        byte = f.read(1)
        f.seek(-1, io.SEEK_CUR)
        f.write(bytes([byte[0] ^ 0xFF]))

    target = fresh()
    result = restore(target, path)
    assert result.exit_code != 0
    assert "rusak" in result.output and member.name in result.output
    assert files_on_disk(target) == []
    with target.app_context():
        assert inspect(db.engine).get_table_names() == []


def test_truncated_backup_is_refused(app, fresh, tmp_path):
    add_entries(app, range(2))
    path = tmp_path / "b.tar"
    backup(app, path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    target = fresh()
    result = restore(target, path)
    assert result.exit_code != 0 and "Tidak ada yang diubah" in result.output
    assert files_on_disk(target) == []


def test_non_empty_archive_is_refused_without_force(app, tmp_path):
    add_entries(app, range(2))
    path = tmp_path / "b.tar"
    backup(app, path)
    add_entries(app, range(2, 4))
    before = table_rows(app)
    result = restore(app, path)
    assert result.exit_code != 0 and "--force" in result.output
    assert table_rows(app) == before

    result = restore(app, path, "--force")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Entry)) == 2


def test_backup_during_uploads_restores_every_entry_with_its_file(app, fresh, tmp_path):
    first_batch_done = threading.Event()
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_uploading() -> None:
        try:
            seed = 100
            while not stop.is_set() and seed < 400:
                add_entries(app, range(seed, seed + 4))
                seed += 4
                first_batch_done.set()
        except Exception as err:  # reported by the main thread
            errors.append(err)
            first_batch_done.set()

    uploader = threading.Thread(target=keep_uploading)
    uploader.start()
    try:
        assert first_batch_done.wait(60)
        path = tmp_path / "busy.tar"
        backup(app, path)
    finally:
        stop.set()
        uploader.join(60)
    assert not errors, errors

    target = fresh()
    result = restore(target, path)
    assert result.exit_code == 0, result.output
    root = Path(target.config["UPLOAD_DIR"])
    with target.app_context():
        entries = db.session.scalars(select(Entry)).all()
        for entry in entries:
            data = (root / entry.file.storage_path).read_bytes()
            assert hashlib.sha256(data).hexdigest() == entry.file.sha256
    with app.app_context():
        uploaded = db.session.scalar(select(db.func.count()).select_from(Entry))
    assert 0 < len(entries) < uploaded  # the backup was taken while uploads went on

def test_entry_deleted_during_the_copy_is_left_out_by_a_second_snapshot(app, fresh, tmp_path,
                                                                        monkeypatch):
    from archive.backup import snapshot

    add_entries(app, range(4))
    take = snapshot.take
    calls = []

    def take_then_delete(path):
        taken = take(path)
        calls.append(path)
        if len(calls) == 1:  # as deleting an entry does: the rows, then its file after the commit
            with app.app_context():
                entry = db.session.scalars(select(Entry).order_by(Entry.id)).first()
                stored = entry.file
                db.session.delete(entry)
                db.session.delete(stored)
                db.session.commit()
                (Path(app.config["UPLOAD_DIR"]) / stored.storage_path).unlink()
        return taken

    monkeypatch.setattr(snapshot, "take", take_then_delete)
    path = tmp_path / "b.tar"
    backup(app, path)
    assert len(calls) == 2
    target = fresh()
    assert restore(target, path).exit_code == 0
    assert table_rows(target) == table_rows(app)
    assert originals(target) == originals(app)


def test_a_restore_that_breaks_off_says_to_run_again_with_force(app, fresh, tmp_path, monkeypatch):
    from archive.backup import rows

    add_entries(app, range(2))
    path = tmp_path / "b.tar"
    backup(app, path)

    def broken(dump):
        raise OSError("disk full")

    monkeypatch.setattr(rows, "load", broken)
    result = restore(fresh(), path)
    assert result.exit_code != 0
    assert "disk full" in result.output and "--force" in result.output
