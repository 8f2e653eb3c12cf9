"""Configuration: read from environment variables, with safe defaults.

Every path default lives under the Flask instance folder or the project's
``uploads/`` folder, so a fresh checkout runs without any setting at all.
"""
from __future__ import annotations

import os
import secrets
from pathlib import Path

from .identity.city import config_from_environment

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _secret_key(instance_path: Path) -> str:
    """Return SECRET_KEY from the environment, or one generated once and kept."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        # Several worker processes may start at once: os.link publishes the
        # complete file atomically and only once; the losers read the winner's.
        tmp = instance_path / f"secret_key.{os.getpid()}.tmp"
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, key_file)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return key_file.read_text().strip()


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _proxy_count(name: str) -> int:
    """How many reverse proxies stand in front: "1"/"true" is one, a number is that many."""
    value = os.environ.get(name, "").strip().lower()
    if value in {"true", "yes", "on"}:
        return 1
    return int(value) if value.isdigit() else 0


def load_config(instance_path: str) -> dict:
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    return {
        "SECRET_KEY": _secret_key(instance),
        "SQLALCHEMY_DATABASE_URI": os.environ.get(
            "ARCHIVE_DATABASE_URL", f"sqlite:///{instance / 'archive.sqlite3'}"
        ),
        "UPLOAD_DIR": os.environ.get("ARCHIVE_UPLOAD_DIR", str(PROJECT_ROOT / "uploads")),
        "INDEX_DIR": os.environ.get("ARCHIVE_INDEX_DIR", str(instance / "index")),
        # One request may carry a batch of phone photos; each file is also
        # checked on its own against MAX_FILE_BYTES.
        "MAX_CONTENT_LENGTH": int(os.environ.get("ARCHIVE_MAX_REQUEST_BYTES", 512 * 1024 * 1024)),
        "MAX_FILE_BYTES": int(os.environ.get("ARCHIVE_MAX_FILE_BYTES", 50 * 1024 * 1024)),
        "MAX_IMAGE_PIXELS": int(os.environ.get("ARCHIVE_MAX_IMAGE_PIXELS", 60_000_000)),
        "MAX_FORM_MEMORY_SIZE": 2 * 1024 * 1024,
        # Resumable uploads (archive.uploads): unfinished ones per user, their
        # bytes together, how long one may wait, and the page's chunk size.
        "UPLOAD_PENDING_MAX_COUNT": int(os.environ.get("ARCHIVE_UPLOAD_PENDING_MAX_COUNT", 100)),
        "UPLOAD_PENDING_MAX_BYTES": int(os.environ.get("ARCHIVE_UPLOAD_PENDING_MAX_BYTES",
                                                       1024 * 1024 * 1024)),
        "UPLOAD_EXPIRY_HOURS": int(os.environ.get("ARCHIVE_UPLOAD_EXPIRY_HOURS", 24)),
        "UPLOAD_CHUNK_BYTES": int(os.environ.get("ARCHIVE_UPLOAD_CHUNK_BYTES", 5 * 1024 * 1024)),
        # Threads decoding and thumbnailing the photos of one upload batch while
        # the request thread stores them: 0 is one in a web request (each holds
        # ~20 MB while it works on a 12 MP photo: a worker stays under 120 MiB)
        # and one per core, at most two, in a command such as `flask import`.
        "INGEST_THREADS": int(os.environ.get("ARCHIVE_INGEST_THREADS", 0)),
        "ENTRIES_PER_PAGE": 24,
        # Index syncs a worker starts after upload answers: at most one per this
        # many seconds, so uploads that come close together share one Whoosh
        # commit (search applies waiting rows itself: nothing is missed).
        "SEARCH_SYNC_INTERVAL": float(os.environ.get("ARCHIVE_SEARCH_SYNC_INTERVAL", 0.5)),
        # Reindex (archive/search/bulk.py): each indexing process's posting
        # pool in MB (a full pool is a segment: ~31,000 generated entries at
        # 512 MB; a process stays under ~700 MB at any archive size), and how
        # many segments the new index may keep before groups of them are
        # merged. Merging copies every document again: at a million entries
        # 34 segments merged into 4 cost 470 of the reindex's 1,096 s, and
        # keeping them costs a query ~1-2 ms (docs/SCALING.md).
        "SEARCH_REINDEX_POOL_MB": int(os.environ.get("ARCHIVE_REINDEX_POOL_MB", 512)),
        "SEARCH_REINDEX_MAX_SEGMENTS": int(os.environ.get("ARCHIVE_REINDEX_MAX_SEGMENTS", 64)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # Served over HTTPS (README, "Running it for real"): cookies travel only
        # over HTTPS; the proxy count makes X-Forwarded-* trusted (archive.security).
        "SESSION_COOKIE_SECURE": _flag("ARCHIVE_SECURE_COOKIES"),
        "REMEMBER_COOKIE_SECURE": _flag("ARCHIVE_SECURE_COOKIES"),
        "BEHIND_PROXY": _proxy_count("ARCHIVE_BEHIND_PROXY"),
        # Server-side sessions (auth.sessions): a login without "remember me"
        # lasts SESSION_HOURS, with it REMEMBER_DAYS (and so does its cookie).
        "SESSION_HOURS": int(os.environ.get("ARCHIVE_SESSION_HOURS", 12)),
        "REMEMBER_DAYS": int(os.environ.get("ARCHIVE_REMEMBER_DAYS", 30)),
        "REMEMBER_COOKIE_DURATION": 86400 * int(os.environ.get("ARCHIVE_REMEMBER_DAYS", 30)),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        # Guessing (auth.guard): failures allowed before a pause; counts are kept
        # in memory, or in Redis (shared by all workers) with this URL set.
        "RATELIMIT_STORAGE_URI": os.environ.get("ARCHIVE_RATELIMIT_STORAGE_URL", "memory://"),
        "LOGIN_FAILURES_PER_USER": "5 per 15 minutes",
        "LOGIN_FAILURES_PER_ADDRESS": "30 per 15 minutes",
        "TOKEN_FAILURES_PER_ADDRESS": "30 per 15 minutes",
        # The city the archive belongs to (archive/identity/city.py)
        **config_from_environment(),
    }
