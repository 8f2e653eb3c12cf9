"""The list, add, edit and delete pages of the admin's reference tables, written once.

A table is declared as an :class:`AdminTable` (``tables``) and put on the admin
blueprint with :meth:`AdminTable.register`, which gives it these endpoints,
with trips as the example:

- ``admin.trips``: GET ``/kunjungan``, the list;
- ``admin.trip_new``: GET, POST ``/kunjungan/baru``, the add form;
- ``admin.trip_edit``: GET, POST ``/kunjungan/<trip_id>``, the edit form;
- ``admin.trip_delete``: POST ``/kunjungan/<trip_id>/hapus``, for a table that has a delete.

Nothing here commits: the form and the delete button go through ``core.pages``
(a ``Refused`` from the table's operation is rolled back and shown on the form,
or flashed), and the transaction boundary commits once the view has returned.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

from flask import Blueprint, render_template, url_for
from flask.typing import ResponseReturnValue

from ..core.pages import submit_action, submit_form
from ..extensions import db
from .forms import ActionForm, AdminForm

Row = TypeVar("Row")


def fill(row: object, form: AdminForm, names: tuple[str, ...]) -> None:
    """Copy form fields onto the row; decimals become floats as the columns want."""
    for name in names:
        value = form[name].data
        setattr(row, name, float(value) if isinstance(value, Decimal) else value)


def _no_list_args(row: Any, form: AdminForm | None) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class AdminTable(Generic[Row]):
    """What one table's pages need to be told; everything else is the same for every table."""

    #: the mapped class, and the form that edits one row of it
    model: type[Row]
    form: type[AdminForm]
    #: the list's endpoint ("trips"), and the stem of the others ("trip": trip_new, trip_edit, ...)
    list_endpoint: str
    name: str
    #: the list's path ("/kunjungan"), and the name of a row's id in the paths ("trip_id")
    path: str
    id_arg: str
    #: the list: its template and what that is given (``action_form`` is added when rows
    #: can be deleted, for the delete buttons' CSRF token)
    list_template: str
    list_context: Callable[[], dict[str, Any]]
    #: the add/edit page, given ``form``, ``row`` and ``new``
    form_template: str
    #: the row an add page starts from
    new_row: Callable[[], Row]
    #: the form fields copied onto the row before it is saved
    fields: tuple[str, ...]
    #: the operation that checks and flushes the filled row (it raises ``Refused``),
    #: and the message shown once it succeeded
    save: Callable[[Row, Any], object]
    saved: Callable[[Row], str]
    #: the operation that deletes a row (``Refused`` when it is still used), and the
    #: message for it, made before the delete (a deleted row's relations no longer load)
    delete: Callable[[Row], None] | None = None
    deleted: Callable[[Row], str] | None = None
    #: what the form needs besides the row: choices from the database, initial values
    setup_form: Callable[[Any, Row], None] | None = None
    #: ``url_for`` values of the list a saved form (``form``) or a delete (None) goes back to
    list_args: Callable[[Row, Any], Mapping[str, Any]] = _no_list_args
    #: more for the form page shown again after a refused save (any status but 200 and 400),
    #: from the form and the id the row had
    refused_context: Callable[[Any, int | None], dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if (self.delete is None) != (self.deleted is None):
            raise TypeError(f"{self.name}: a delete operation goes with its message")

    def register(self, bp: Blueprint) -> None:
        """Put the table's pages on the blueprint (see the module docstring)."""
        item = f"{self.path}/<int:{self.id_arg}>"
        bp.add_url_rule(self.path, self.list_endpoint, self.list_page)
        bp.add_url_rule(f"{self.path}/baru", f"{self.name}_new", self.new_page,
                        methods=["GET", "POST"])
        bp.add_url_rule(item, f"{self.name}_edit", self.edit_page, methods=["GET", "POST"])
        if self.delete is not None:
            bp.add_url_rule(f"{item}/hapus", f"{self.name}_delete", self.delete_row,
                            methods=["POST"])

    # The views ---------------------------------------------------------

    def list_page(self) -> ResponseReturnValue:
        context = self.list_context()
        if self.delete is not None:
            context["action_form"] = ActionForm()
        return render_template(self.list_template, **context)

    def new_page(self) -> ResponseReturnValue:
        return self._form_page(self.new_row())

    def edit_page(self, **view_args: int) -> ResponseReturnValue:
        return self._form_page(self._row(view_args))

    def delete_row(self, **view_args: int) -> ResponseReturnValue:
        row = self._row(view_args)
        back = self._list_url(row, None)

        def do() -> str:
            message = self.deleted(row)
            self.delete(row)
            return message

        return submit_action(ActionForm(), do, back)

    # Helpers -----------------------------------------------------------

    def _row(self, view_args: Mapping[str, int]) -> Row:
        return db.get_or_404(self.model, view_args[self.id_arg])

    def _list_url(self, row: Row, form: AdminForm | None) -> str:
        return url_for(f"admin.{self.list_endpoint}", **self.list_args(row, form))

    def _form_page(self, row: Row) -> ResponseReturnValue:
        """Validate, fill, save (the boundary commits), or show the form again and why."""
        form = self.form(obj=row)
        if self.setup_form is not None:
            self.setup_form(form, row)
        row_id = row.id
        done = self._list_url(row, form)

        def save() -> str:
            fill(row, form, self.fields)
            self.save(row, form)
            return self.saved(row)

        def render(status: int) -> ResponseReturnValue:
            refused = self.refused_context is not None and status not in (200, 400)
            extra = self.refused_context(form, row_id) if refused else {}
            return render_template(self.form_template, form=form, row=row, new=row_id is None,
                                   **extra), status

        return submit_form(form, save, render, done)
