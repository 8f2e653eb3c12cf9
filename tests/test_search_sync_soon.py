"""Index syncs after upload answers, at most one per SEARCH_SYNC_INTERVAL in a worker.

Uploads that come close together share one Whoosh commit; a search in the
meantime still finds every committed entry; a command syncs at once.
"""
from __future__ import annotations

import io
import threading

import pytest
from sqlalchemy import func, select

from archive.core.commands import command_context
from archive.extensions import db
from archive.search import index as search_index
from archive.search import outbox, sync_after_answer
from archive.search.models import IndexOutbox
from support.api import bearer, issue_token
from support.files import jpeg_bytes
from support.rows import make_entry



@pytest.fixture
def slow_app(app):
    """An interval no upload in a test outlasts, however loaded the machine:
    the tests fire the timer themselves (``flush``) unless they say otherwise."""
    app.config["SEARCH_SYNC_INTERVAL"] = 60
    yield app
    throttle = app.extensions.get("search_sync_soon")
    if throttle is not None:
        throttle.flush()  # no timer outlives its test


@pytest.fixture
def commits(monkeypatch):
    """The documents of each Whoosh commit the outbox makes, in order."""
    seen: list[list[str]] = []
    real = search_index.apply_documents

    def counting(directory, upserts, deletes, locked=False):
        seen.append(sorted(d["title"] for d in upserts))
        return real(directory, upserts, deletes, locked=locked)

    monkeypatch.setattr(search_index, "apply_documents", counting)
    return seen


def send(app, title: str, seed: int) -> None:
    """One photo through the API; closing the answer runs the work after it."""
    response = app.test_client().post(
        "/api/v1/entries", headers=bearer(issue_token(app, "cinambo")), content_type="multipart/form-data",
        data={"file": (io.BytesIO(jpeg_bytes(seed, (64, 48))), f"{seed}.jpg"),
              "title": title, "status": "published"})
    assert response.status_code == 201, response.get_data(as_text=True)
    response.close()


def waiting(app) -> int:
    with app.app_context(), db.engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(IndexOutbox))


def timer_of(app) -> threading.Timer | None:
    return app.extensions["search_sync_soon"].timer


def test_uploads_close_together_share_one_index_commit(slow_app, commits):
    send(slow_app, "Halte pertama", 1)
    # the first after a quiet spell is synced at once after its answer
    assert commits == [["Halte pertama"]] and waiting(slow_app) == 0
    send(slow_app, "Halte kedua", 2)
    send(slow_app, "Halte ketiga", 3)
    assert timer_of(slow_app) is not None and waiting(slow_app) == 2 and len(commits) == 1
    slow_app.extensions["search_sync_soon"].flush()
    assert commits[1:] == [["Halte kedua", "Halte ketiga"]]
    assert waiting(slow_app) == 0 and timer_of(slow_app) is None


def test_a_search_before_the_timer_finds_the_entry(slow_app, commits):
    send(slow_app, "Trotoar pertama", 4)
    send(slow_app, "Trotoar kedua", 5)
    assert timer_of(slow_app) is not None and waiting(slow_app) == 1
    page = slow_app.test_client().get("/cari?q=trotoar").get_data(as_text=True)
    assert "Trotoar kedua" in page and waiting(slow_app) == 0
    slow_app.extensions["search_sync_soon"].flush()
    # the timer found nothing left to write
    assert commits == [["Trotoar pertama"], ["Trotoar kedua"]]


def test_rows_committed_while_a_sync_runs_get_a_timer(slow_app, monkeypatch):
    """An answer that comes while the timer's sync runs leaves another timer:
    the running sync may have read the outbox before that entry's row."""
    slow_app.config["SEARCH_SYNC_INTERVAL"] = 0.2  # real timers, firing on their own
    throttle = outbox._sync_soon(slow_app)
    calls: list[str] = []

    def sync():
        calls.append(threading.current_thread().name)
        if len(calls) == 2:
            throttle.ask()  # an upload answered during the timer's sync

    monkeypatch.setattr(outbox, "_sync_logged", sync)
    throttle.ask()          # quiet: at once, in this thread
    throttle.ask()          # within the interval: a timer
    first = throttle.timer
    first.join(timeout=5)
    second = throttle.timer
    assert second is not None and second is not first
    second.join(timeout=5)
    assert len(calls) == 3 and calls[1:] == ["search-sync", "search-sync"]


def test_a_command_syncs_at_once(slow_app, commits):
    with slow_app.app_context():
        make_entry("Sungai bersih")  # a first sync, as a web answer would leave
        with command_context():
            make_entry("Sungai kedua")
            sync_after_answer()
            assert waiting(slow_app) == 0
    assert "search_sync_soon" not in slow_app.extensions


def test_no_interval_syncs_after_every_answer(app, commits):
    assert app.config["SEARCH_SYNC_INTERVAL"] == 0
    send(app, "Lampu satu", 6)
    send(app, "Lampu dua", 7)
    assert commits == [["Lampu satu"], ["Lampu dua"]] and waiting(app) == 0


CHILD = """
import io, json, sys
from archive import create_app
from support.api import bearer, issue_token
from support.files import jpeg_bytes

app = create_app(json.loads(sys.argv[1]))
client = app.test_client()
for seed in (1, 2):
    response = client.post(
        "/api/v1/entries", headers=bearer(issue_token(app, "cinambo")),
        content_type="multipart/form-data",
        data={"file": (io.BytesIO(jpeg_bytes(seed, (64, 48))), f"{seed}.jpg"),
              "title": f"Bangku taman {seed}", "status": "published"})
    assert response.status_code == 201, response.status_code
    response.close()
assert app.extensions["search_sync_soon"].timer is not None
"""


def test_a_worker_that_exits_syncs_first(slow_app):
    """The timer is not a daemon: a worker stopping gracefully (its interpreter
    exiting) applies the rows it left waiting."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    config = {k: slow_app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "INDEX_DIR",
                                              "UPLOAD_DIR", "SECRET_KEY")}
    config.update(TESTING=True, SEARCH_SYNC_INTERVAL=5.0)  # the exit waits for it
    tests = str(Path(__file__).parent)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests, os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", CHILD, json.dumps(config)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert waiting(slow_app) == 0
    with slow_app.app_context():
        from support.search import titles

        assert sorted(titles("bangku")) == ["Bangku taman 1", "Bangku taman 2"]
