"""The derived place on pages: template helpers for the entry page and the upload
results, and the one button that takes the GPS place as the entry's place."""
from __future__ import annotations

from flask import Blueprint, abort, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..core.pages import submit_action
from ..core.redirects import safe_path
from ..entries.forms import ConfirmForm
from ..entries.visibility import current_viewer
from ..extensions import db
from ..models import Entry
from .operations import place_disagreement, take_derived_place
from .stored import stored_place

bp = Blueprint("places", __name__)


@bp.app_template_global()
def gps_place(entry: Entry):
    """The entry's derived place (DerivedPlace), or None."""
    return stored_place(entry)


@bp.app_template_global()
def gps_disagreement(entry: Entry):
    """A Disagreement when the typed place contradicts the GPS one, else None."""
    return place_disagreement(entry)


@bp.route("/entri/<int:entry_id>/tempat-gps", methods=["POST"])
@login_required
def take(entry_id: int):
    """Replace the typed place by the GPS one (the author or an admin)."""
    entry = db.get_or_404(Entry, entry_id)
    viewer = current_viewer()
    if not viewer.can_see(entry):
        abort(404)
    if not viewer.can_edit(entry):
        abort(403, description=_("Hanya penulis entri ini atau admin yang boleh mengubahnya."))
    back = safe_path(request.form.get("next"), url_for("entries.detail", entry_id=entry.id))
    return submit_action(ConfirmForm(), lambda: _(
        "Tempat diganti dengan tempat dari GPS: %(place)s", place=take_derived_place(entry)), back)
