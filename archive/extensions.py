"""The Flask extensions, created unbound and attached in ``create_app``.

Flask-Migrate is the exception: it is bound on first use (``migrations``),
since importing it brings Alembic and Mako (~11 MiB) into every web worker,
which never migrates.
"""
from __future__ import annotations

from pathlib import Path

import click
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so that Alembic migrations are the same on SQLite and
# PostgreSQL and can be dropped by name later.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
#: counts failed logins and API tokens (auth.guard); no limit applies to other requests
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=False)

#: execution option of a connection that only reads (see ``_tune_sqlite``)
READ_ONLY = "archive_read_only"


def reading_engine():
    """The database engine for a long read outside a GET request (reindex, check):
    on SQLite its transactions begin DEFERRED and never hold the write lock."""
    return db.engine.execution_options(**{READ_ONLY: True})


def N_(message: str) -> str:
    """Marks a string for the catalog; it is translated later, where it is shown."""
    return message


MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def init_app(app) -> None:
    db.init_app(app)
    app.cli.add_command(_migration_commands)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "info"
    # Flask-Login passes its message through this, so it follows the page's language.
    from flask_babel import gettext

    login_manager.localize_callback = gettext
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _tune_sqlite(app)


def migrations(app=None):
    """Flask-Migrate's state for ``app`` (or the current app), bound on first use.

    Flask-Migrate's own functions (``flask_migrate.upgrade``...) read it from
    ``app.extensions["migrate"]``: call this before them.
    """
    from flask import current_app

    app = app or current_app._get_current_object()
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    return app.extensions["migrate"]


def _migration_group(ctx: click.Context) -> click.Group:
    from flask import current_app
    from flask.cli import ScriptInfo

    migrations(current_app._get_current_object() if current_app
               else ctx.ensure_object(ScriptInfo).load_app())
    from flask_migrate.cli import db as commands

    return commands


class _LazyGroup(click.Group):
    """Lists and finds its commands in Flask-Migrate's group, imported when asked for."""

    def list_commands(self, ctx):
        return _migration_group(ctx).list_commands(ctx)

    def get_command(self, ctx, cmd_name):
        return _migration_group(ctx).get_command(ctx, cmd_name)


@click.group("db", cls=_LazyGroup)
@click.option("-d", "--directory", default=None, help="Folder of the migration scripts.")
@click.option("-x", "--x-arg", multiple=True, help="Arguments for a custom env.py.")
@click.pass_context
def _migration_commands(ctx, directory, x_arg):
    """Migrasi skema basis data (Flask-Migrate)."""
    ctx.invoke(_migration_group(ctx).callback, directory=directory, x_arg=x_arg)


def _tune_sqlite(app) -> None:
    """WAL lets readers run during a write; foreign keys are off by default in SQLite.

    In WAL mode a transaction that reads and then writes gets "database is
    locked" at once if another connection wrote meanwhile, whatever the busy
    timeout. So a transaction that may write starts with BEGIN IMMEDIATE (it
    waits for the write lock up front, under the busy timeout); the requests
    that only read (GET, HEAD) and connections of ``reading_engine()`` start a
    plain deferred BEGIN and never block.
    This is SQLAlchemy's documented recipe for pysqlite's transaction control.
    """
    from flask import has_request_context, request
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        read_only = conn.get_execution_options().get(READ_ONLY) or (
            has_request_context() and request.method in ("GET", "HEAD", "OPTIONS"))
        conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
