"""The options of the admin forms' selects that come from the database
(kecamatan, camat logins, trip participants), in the order the pages show them."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms import SelectChoice

from ..extensions import db
from ..models import Camat, Kecamatan, User


def kecamatan_choices() -> list[SelectChoice]:
    """Every kecamatan, Bandung's by name and others with their city; first "choose one"."""
    rows = db.session.scalars(select(Kecamatan).order_by(Kecamatan.city, Kecamatan.name))
    return [SelectChoice("", _("- pilih kecamatan -"))] + [
        SelectChoice(k.id, k.name if k.city == "Bandung" else f"{k.name} ({k.city})") for k in rows]


def camat_user_choices(camat: Camat) -> list[SelectChoice]:
    """Camat logins not linked to another camat, and this camat's own; first "no login"."""
    users = db.session.scalars(
        select(User).outerjoin(Camat, Camat.user_id == User.id)
        .where(User.role == "camat", (Camat.id.is_(None)) | (User.id == camat.user_id))
        .order_by(User.username)
    )
    return [SelectChoice("", _("- tanpa akun login -"))] + [
        SelectChoice(u.id, u.username) for u in users]


def participant_choices() -> list[SelectChoice]:
    """Every camat, named with their kecamatan unless the name already says it."""
    rows = db.session.scalars(select(Camat).join(Kecamatan).order_by(Kecamatan.name, Camat.name))
    return [SelectChoice(c.id, c.name if c.kecamatan.name in c.name
                         else f"{c.name} ({c.kecamatan.name})") for c in rows]
