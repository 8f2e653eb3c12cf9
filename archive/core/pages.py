"""The two shapes every page action takes, written once.

- :func:`submit_form`: a form page (add, edit): validate, save, flash and
  redirect; a refusal is shown on the form's field (or flashed) and the page
  is shown again.
- :func:`submit_action`: a button (publish, delete, move): check the CSRF
  token, act, flash and go back; a refusal the user can fix is flashed on the
  page they came from, a 403/404 is an error page.

Neither commits: the transaction boundary does, and :func:`~.transaction.discard`
rolls back what a refused action had changed.
"""
from __future__ import annotations

from typing import Callable

from flask import abort, flash, redirect
from flask.typing import ResponseReturnValue

from .refusal import Refused
from .transaction import discard


def show_refusal(form, err: Refused) -> None:
    """Put the refusal's message on the field it names, else flash it on the page."""
    if err.field and err.field in form:
        form[err.field].errors = [*form[err.field].errors, err.message]
    else:
        flash(err.message, "error")


def submit_form(form, save: Callable[[], str], render: Callable[[int], ResponseReturnValue],
                done: str | Callable[[], str]) -> ResponseReturnValue:
    """``save`` changes and flushes, returning the success message; ``render(status)``
    shows the page (again); ``done`` is where a saved form goes (or makes that URL)."""
    if not form.validate_on_submit():
        return render(400 if form.errors else 200)
    try:
        message = save()
    except Refused as err:
        discard()
        show_refusal(form, err)
        return render(err.status)
    flash(message, "success")
    return redirect(done() if callable(done) else done)


def submit_action(form, do: Callable[[], str], back: str) -> ResponseReturnValue:
    """``do`` acts and returns the success message; ``form`` carries the CSRF token."""
    if not form.validate_on_submit():
        abort(400)
    return act(do, back)


def act(do: Callable[[], str], back: str) -> ResponseReturnValue:
    """:func:`submit_action` for a request whose form the view has checked itself."""
    try:
        message = do()
    except Refused as err:
        if err.status in (403, 404):
            raise
        discard()
        flash(err.message, "error")
        return redirect(back)
    flash(message, "success")
    return redirect(back)
