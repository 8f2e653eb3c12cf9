"""A planned import as people read it: the criterion's name, the zone's word and
numbers in the page's locale, for the admin page's preview and the command's."""
from __future__ import annotations

from flask_babel import gettext as _

from ..core.labels import zone_label
from ..main.helpers import criterion_label, format_score
from .operations.plan import Plan


def change_lines(plan: Plan) -> dict[int, list[tuple[str, str, str]]]:
    """Per row of the preview: (what, before, after) as people read them, with the
    criterion's name, the zone's word and numbers in the page's locale."""
    labels = {"total": _("Nilai total"), "rank": _("Peringkat"), "zone": _("Zona"),
              "source": _("Sumber"), "verification_note": _("Catatan verifikasi"),
              **{c.key: criterion_label(c) for c in plan.period.criteria}}

    def shown(key: str, value: object) -> str:
        if value is None or value == "":
            return "–"
        if key == "zone":
            return zone_label(value)
        if key == "rank":
            return str(value)
        return format_score(value) if isinstance(value, (int, float)) else str(value)

    return {row.line: [(labels.get(key, key), shown(key, before), shown(key, after))
                       for key, (before, after) in row.changes.items()] for row in plan.rows}
