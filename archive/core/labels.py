"""Names of the archive's fixed values (zones, statuses, kinds) in the page's language.

Models and pages both import these, so a zone or a status reads the same everywhere.
Each function translates only the one name asked for (an API page of twenty
entries asks for a zone's name some twenty times), not its whole table.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..extensions import N_

ZONES = {"green": N_("hijau"), "yellow": N_("kuning"), "red": N_("merah")}
STATUSES = {
    # entry and report statuses, then a recommendation's
    "draft": N_("Draf"),
    "published": N_("Terbit"),
    "proposed": N_("Diusulkan"),
    "piloting": N_("Diujicobakan"),
    "adopted": N_("Diterapkan"),
    "rejected": N_("Ditolak"),
}
KINDS = {"photo": N_("Foto"), "paper": N_("Paper")}


def zone_label(zone: str | None) -> str:
    name = ZONES.get(zone or "")
    return _(name) if name else "–"


def status_label(status: str) -> str:
    """Entry and report statuses (draft, published) and recommendation statuses."""
    name = STATUSES.get(status)
    return _(name) if name else status


def kind_label(kind: str) -> str:
    name = KINDS.get(kind)
    return _(name) if name else kind
