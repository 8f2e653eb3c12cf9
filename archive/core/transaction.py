"""The one transaction boundary: a request's database work is committed here.

Views, API endpoints and the operations below them only flush. When the view
has returned, :func:`run_view` decides once for the whole request:

- the view raised :class:`~archive.core.refusal.Refused`: roll back and
  answer the refusal (an error page, or the JSON error shape of the API);
- the view raised anything else: roll back and let the error handlers answer;
- the response is a 4xx/5xx (a form shown again with its errors): roll back;
- otherwise: run the callbacks registered with :func:`on_commit`, commit,
  then run those registered with :func:`after_commit`.

Rows given to :func:`keep` are written either way (the audit record of a
refused login). A view that shows a refusal itself (a form with the message on a field, a
flashed message and a redirect) calls :func:`discard` so that nothing of the
refused action is committed.

The documented exception is the upload pipeline (``ingest.pipeline``), which
commits each good file of a batch on its own so that one bad photo does not
sink the other forty. The CLI commands commit for themselves.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import current_app, g

from ..extensions import db
from .refusal import Refused


def on_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` just before the request commits (not at all on a rollback)."""
    g.setdefault("_transaction_callbacks", []).append(callback)


def after_commit(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the request's commit succeeded (removing files a
    deleted row used: a failed commit must never lose a file a row points to)."""
    g.setdefault("_after_commit_callbacks", []).append(callback)


def discard() -> None:
    """Roll back what the request changed so far: the view shows a refusal itself."""
    db.session.rollback()
    g.pop("_transaction_callbacks", None)
    g.pop("_after_commit_callbacks", None)


def keep(row: Any) -> None:
    """Write ``row`` whether the request commits or rolls back: the record of a
    refused login must stay although nothing else of that request does."""
    g.setdefault("_kept_rows", []).append(row)


def _roll_back_but_keep() -> None:
    """The request's changes go; the rows given to :func:`keep` are written alone."""
    discard()
    rows = g.pop("_kept_rows", [])
    if rows:
        db.session.add_all(rows)
        db.session.commit()


def run_view(view: Callable[[], Any]):
    """Call the view and commit or roll back its transaction (see the module docstring)."""
    from ..errors import refusal_response

    try:
        rv = view()
    except Refused as err:
        _roll_back_but_keep()
        return refusal_response(err)
    except BaseException:
        discard()
        raise
    response = current_app.make_response(rv)
    if response.status_code >= 400:
        _roll_back_but_keep()
        return response
    db.session.add_all(g.pop("_kept_rows", []))
    for callback in g.pop("_transaction_callbacks", []):
        callback()
    db.session.commit()
    for callback in g.pop("_after_commit_callbacks", []):
        try:
            callback()
        except Exception:  # the change is committed; a leftover costs only disk space
            current_app.logger.exception("after-commit step failed")
    return response
