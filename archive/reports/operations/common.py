"""What the report operations share: limits, text cleaning, the topic check, and
keeping positions dense (sections in a report, items in a section, cards)."""
from __future__ import annotations

from typing import Sequence, TypeVar

from flask_babel import gettext as _

from ...core.refusal import Refused
from ...core.rows import get_row
from ...extensions import db
from ...models import Topic
from ..models import Recommendation, ReportItem, ReportSection

#: Suggestions for a card's executor; the field stays free text.
EXECUTOR_SUGGESTIONS = (
    "Dinas Pekerjaan Umum",
    "Dinas Perumahan dan Kawasan Permukiman, Pertanahan dan Pertamanan (DPKP3)",
    "Dinas Lingkungan Hidup dan Kebersihan",
    "Dinas Perhubungan",
    "Bappelitbang",
    "Kecamatan",
)

TITLE_MAX = 300
TEXT_MAX = 50_000

# --- validation helpers ----------------------------------------------------

def clean_title(title: str | None, what: str) -> str:
    title = (title or "").strip()
    if not title:
        raise Refused(_("%(what)s tidak boleh kosong.", what=what))
    if len(title) > TITLE_MAX:
        raise Refused(_("%(what)s paling panjang %(max)d karakter.", what=what, max=TITLE_MAX))
    return title


def clean_text(text: str | None, what: str) -> str:
    text = (text or "").replace("\x00", "")
    if len(text) > TEXT_MAX:
        raise Refused(_("%(what)s paling panjang %(max)d karakter.", what=what, max=TEXT_MAX))
    return text


def clean_short(text: str | None, what: str) -> str:
    text = (text or "").replace("\x00", "").strip()
    if len(text) > TITLE_MAX:
        raise Refused(_("%(what)s paling panjang %(max)d karakter.", what=what, max=TITLE_MAX))
    return text


def topic_or_none(topic_id: int | None) -> Topic | None:
    if topic_id is None:
        return None
    topic = get_row(Topic, topic_id)
    if topic is None:
        raise Refused(_("Topik yang dipilih tidak ada."))
    return topic


# --- ordering --------------------------------------------------------------

T = TypeVar("T", ReportSection, ReportItem, Recommendation)


def renumber(rows: Sequence[T]) -> None:
    """Positions 0..n-1 in list order: dense after any move or removal."""
    for position, row in enumerate(rows):
        row.position = position


def _move(rows: list[T], row: T, offset: int) -> None:
    rows = sorted(rows, key=lambda r: (r.position, r.id or 0))
    index = rows.index(row)
    target = max(0, min(len(rows) - 1, index + offset))
    rows.insert(target, rows.pop(index))
    renumber(rows)


def _reorder(rows: list[T], ids: Sequence[int], what: str) -> None:
    by_id = {r.id: r for r in rows}
    if sorted(ids) != sorted(by_id):
        raise Refused(_("Urutan %(what)s harus memuat setiap %(what)s tepat sekali.", what=what))
    renumber([by_id[i] for i in ids])


def _resort(parent, attr: str) -> None:
    """Keep the loaded relationship list in position order after a change."""
    getattr(parent, attr).sort(key=lambda r: r.position)


# The one way a row moves within its parent's list: ``attr`` names the list
# ("sections" of a report, "items" of a section, "recommendations" of a report).

def move_within(parent, attr: str, row: T, offset: int) -> None:
    """One step up (-1) or down (+1)."""
    _move(list(getattr(parent, attr)), row, offset)
    _resort(parent, attr)
    db.session.flush()


def reorder_within(parent, attr: str, ids: Sequence[int], what: str) -> None:
    """A new order naming every row once."""
    _reorder(list(getattr(parent, attr)), ids, what)
    _resort(parent, attr)
    db.session.flush()


def remove_within(parent, attr: str, row: T) -> None:
    """Take the row out (delete-orphan deletes it) and close the gap."""
    rows = getattr(parent, attr)
    rows.remove(row)
    renumber(rows)
    db.session.flush()
