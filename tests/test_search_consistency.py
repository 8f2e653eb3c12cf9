"""The index never drifts: outbox after commit, injected faults, rollbacks, check/repair, reindex, processes."""
from __future__ import annotations

import multiprocessing
import os

import pytest
from sqlalchemy import func, select

from archive.extensions import db, migrations
from archive.models import Entry, Tag, Topic
from archive.search import check, rebuild, sync_pending
from archive.search import index as search_index
from archive.search.index import apply_documents, current_searcher
from archive.search.models import IndexOutbox

from support.rows import camat_of, make_entry
from support.search import titles


def outbox_count() -> int:
    """Counted on a connection of its own: the test's session may hold an old snapshot."""
    with db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(IndexOutbox))


def index_ids(app) -> set[int]:
    searcher = current_searcher(app.config["INDEX_DIR"])
    return {int(f["id"]) for f in searcher.all_stored_fields()}


def test_helper_entry_is_indexed_after_commit(search_ctx):
    make_entry("Trotoar lebar di Myeongdong")
    assert titles("trotoar") == ["Trotoar lebar di Myeongdong"]


def test_index_failure_keeps_outbox_and_sync_applies_it(search_ctx, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(search_index, "apply_documents", broken)
    entry = make_entry("Reklame digital")  # the commit itself succeeds
    assert db.session.get(Entry, entry.id) is not None
    assert outbox_count() == 1
    assert titles("reklame") == []
    monkeypatch.undo()
    assert sync_pending() == 1
    assert outbox_count() == 0
    assert titles("reklame") == ["Reklame digital"]


def test_search_request_applies_leftover_outbox(search_ctx, client, monkeypatch):
    monkeypatch.setattr(search_index, "apply_documents",
                        lambda *a, **k: (_ for _ in ()).throw(OSError("locked")))
    make_entry("Halte pintar")
    monkeypatch.undo()
    assert outbox_count() == 1
    assert "Halte pintar" in client.get("/cari?q=halte").get_data(as_text=True)
    assert outbox_count() == 0


def test_rollback_changes_nothing(search_ctx):
    entry = make_entry("Trotoar lama")
    entry.title = "Trotoar baru"
    db.session.flush()  # the outbox row exists inside the transaction only
    assert db.session.scalar(select(func.count()).select_from(IndexOutbox)) == 1
    db.session.rollback()
    assert outbox_count() == 0
    assert titles("lama") == ["Trotoar lama"]
    assert titles("baru") == []


def test_related_changes_reach_the_index(search_ctx):
    entry = make_entry("Foto satu", topic="rivers", tags=("lampu",))
    # a tag added
    entry.tags.append(Tag(name="malam"))
    db.session.commit()
    assert titles("malam") == ["Foto satu"]
    # the topic renamed
    topic = db.session.scalar(select(Topic).where(Topic.slug == "rivers"))
    topic.name_id = "Sungai dan kanal"
    db.session.commit()
    assert titles("kanal") == ["Foto satu"]
    # the author renamed
    camat = camat_of("Cinambo")
    camat.name = "Ibu Siti Nurhaliza"
    db.session.commit()
    assert titles("nurhaliza") == ["Foto satu"]
    # a tag renamed
    tag = db.session.scalar(select(Tag).where(Tag.name == "lampu"))
    tag.name = "penerangan"
    db.session.commit()
    assert titles("penerangan") == ["Foto satu"]
    assert outbox_count() == 0


def test_check_reports_and_repairs(search_ctx, runner):
    app = search_ctx
    a = make_entry("Satu")
    b = make_entry("Dua")
    c = make_entry("Tiga")
    assert check().ok
    # Make the index drift behind the database's back.
    directory = app.config["INDEX_DIR"]
    apply_documents(directory, [], [str(a.id)])                      # missing
    apply_documents(directory, [{"id": "99999", "entry_id": 99999, "title": "hantu",
                                 "digest": "x"}], [])                 # orphan
    db.session.execute(Entry.__table__.update().where(Entry.id == b.id).values(title="Dua diubah"))
    db.session.execute(IndexOutbox.__table__.delete())
    db.session.commit()                                               # stale (outbox lost)
    report = check()
    assert report.missing == [a.id] and report.orphans == [99999] and report.stale == [b.id]
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "Entri belum terindeks: 1" in result.output
    result = runner.invoke(args=["check", "--repair"])
    assert result.exit_code == 0, result.output
    assert check().ok
    assert index_ids(app) == {a.id, b.id, c.id}
    assert titles("diubah") == ["Dua diubah"]


def test_reindex_rebuilds_from_database(search_ctx, runner):
    app = search_ctx
    for i in range(5):
        make_entry(f"Pohon {i}", commit=False)
    db.session.commit()
    apply_documents(app.config["INDEX_DIR"], [], [str(i) for i in index_ids(app)])
    assert titles("pohon") == []
    result = runner.invoke(args=["reindex", "--procs", "1"])
    assert result.exit_code == 0, result.output
    assert "5 entri" in result.output
    assert len(titles("pohon")) == 5
    assert rebuild(procs=2) == 5
    assert len(titles("pohon")) == 5
    assert check().ok


def test_a_reindex_reading_the_database_never_holds_it(search_ctx):
    """The document stream of a reindex (a million entries take the best part of
    an hour) must not hold SQLite's write lock: an upload writes at once while
    the stream is paused between documents, and the stream reads on while a
    writer holds the lock."""
    from sqlalchemy import update
    from sqlalchemy.orm import Session

    from archive.core.commands import command_context
    from archive.extensions import reading_engine
    from archive.search.documents import iter_documents

    made = [make_entry(f"Bangku {i}", commit=False) for i in range(5)]
    db.session.commit()
    ids = [e.id for e in made]
    db.session.rollback()  # the test's own session holds nothing either
    sqlite = db.engine.dialect.name == "sqlite"
    with command_context(), Session(reading_engine()) as s:  # as `flask reindex`
        stream = iter_documents(s, batch=2)
        first = next(stream)  # the indexing processes are slow to take the next
        with db.engine.connect() as conn:
            if sqlite:  # on the driver's connection: no transaction begins here
                conn.connection.dbapi_connection.execute("PRAGMA busy_timeout=100")
            try:
                with conn.begin():  # BEGIN IMMEDIATE: fails at once if the stream held it
                    conn.execute(update(Entry).where(Entry.id == ids[4])
                                 .values(title="Bangku diganti"))
                    rest = list(stream)  # and reading goes on beside a writer
            finally:
                if sqlite:
                    conn.connection.dbapi_connection.execute("PRAGMA busy_timeout=30000")
    assert [first["entry_id"]] + [d["entry_id"] for d in rest] == ids


# ------------------------------------------------------------------ processes


def _worker(config: dict, role: str, worker: int, rounds: int, queue) -> None:
    """One process, like a gunicorn worker: either writes entries or searches."""
    from archive import create_app
    from archive.search import SearchParams, search_entries

    try:
        app = create_app(config)
        # Writers act as POST requests do (SQLite: BEGIN IMMEDIATE), readers as GET.
        with app.test_request_context(method="POST" if role == "writer" else "GET"):
            for i in range(rounds):
                if role == "writer":
                    entry = make_entry(f"Bangku proses {worker} nomor {i}")
                    if i % 3 == 0:
                        entry.description = "bangku taman diperbarui"
                        db.session.commit()
                else:
                    search_entries(SearchParams(q="bangku"))
        queue.put((role, worker, None))
    except Exception as err:  # reported to the parent, which fails the test
        queue.put((role, worker, repr(err)))


def test_concurrent_writers_and_readers_across_processes(app, tmp_path):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") is False and not os.environ.get(
            "ARCHIVE_TEST_DATABASE_URL"):
        pytest.fail("unexpected database")
    config = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "INDEX_DIR", "UPLOAD_DIR",
                                         "SECRET_KEY")}
    config["TESTING"] = True
    mp = multiprocessing.get_context("fork")
    queue = mp.Queue()
    rounds = 8
    procs = [mp.Process(target=_worker, args=(config, "writer", w, rounds, queue)) for w in range(3)]
    procs += [mp.Process(target=_worker, args=(config, "reader", w, 15, queue)) for w in range(2)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert [r for r in results if r[2] is not None] == []
    with app.test_request_context():
        assert outbox_count() == 0
        ids = set(db.session.scalars(select(Entry.id)))
        assert len(ids) == 3 * rounds
        assert index_ids(app) == ids
        assert check().ok
        assert len(titles("bangku")) == 3 * rounds
        assert len(titles("diperbarui")) == 3 * 3


def test_migration_down_and_up(app, runner):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

    with app.app_context():
        migrations()  # Flask-Migrate is bound on first use
        downgrade(revision="0001_initial")
        assert "index_outbox" not in inspect(db.engine).get_table_names()
        upgrade()
        names = inspect(db.engine).get_table_names()
        assert {"index_outbox", "search_synonym"} <= set(names)
        from archive.search.models import SearchSynonym
        assert db.session.scalar(select(func.count()).select_from(SearchSynonym)) == 6
        db.session.remove()


def test_index_of_an_older_schema_is_rebuilt_from_the_outbox(search_ctx):
    from whoosh import index as whoosh_index
    from whoosh.fields import ID, Schema

    make_entry("Lampu taman")
    directory = search_ctx.config["INDEX_DIR"]
    search_index.forget(directory)
    whoosh_index.create_in(directory, Schema(id=ID(stored=True, unique=True)),
                           indexname=search_index.INDEX_NAME)
    search_index.forget(directory)
    assert sync_pending() == 1
    assert titles("lampu") == ["Lampu taman"]


def test_deferred_sync_waits_for_the_batch(search_ctx):
    from archive.search.outbox import DEFER_KEY

    db.session.info[DEFER_KEY] = True
    try:
        make_entry("Foto satu dari batch")
        make_entry("Foto dua dari batch")
        assert outbox_count() == 2 and titles("batch") == []
    finally:
        db.session.info.pop(DEFER_KEY)
    assert sync_pending() == 2
    assert len(titles("batch")) == 2
