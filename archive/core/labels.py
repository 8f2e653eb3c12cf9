"""Names of the archive's fixed values (zones, statuses, kinds) in the page's language.

Models and pages both import these, so a zone or a status reads the same everywhere.
"""
from __future__ import annotations

from flask_babel import gettext as _


def zone_label(zone: str | None) -> str:
    labels = {"green": _("hijau"), "yellow": _("kuning"), "red": _("merah")}
    return labels.get(zone or "", "–")


def status_label(status: str) -> str:
    """Entry and report statuses (draft, published) and recommendation statuses."""
    labels = {
        "draft": _("Draf"),
        "published": _("Terbit"),
        "proposed": _("Diusulkan"),
        "piloting": _("Diujicobakan"),
        "adopted": _("Diterapkan"),
        "rejected": _("Ditolak"),
    }
    return labels.get(status, status)


def kind_label(kind: str) -> str:
    return {"photo": _("Foto"), "paper": _("Paper")}.get(kind, kind)
