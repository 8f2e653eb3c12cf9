"""Whether a photo was taken during its trip: the one check the upload results, the
review grid and the entry page use.

A trip's window is its start and end dates widened by ``MARGIN_DAYS`` on each
side (travel days, a camera clock a day off); a trip with no dates has its year
as the window. A photo outside the window is not refused (an old photo may be
a fair comparison), only flagged, so the camat can fix a wrong camera clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import format_date
from flask_babel import gettext as _

#: days before the start and after the end that still count as the trip
MARGIN_DAYS = 2


@dataclass(frozen=True)
class DateWarning:
    """A photo taken outside its trip's window."""

    taken: date
    first: date
    last: date
    #: whole days between the photo and the nearest end of the window
    days_off: int
    #: True when the trip has no dates and its year was the window
    by_year: bool

    @property
    def short(self) -> str:
        """For visitors: what is odd, without telling them to fix it."""
        return _("Tanggal kamera foto ini (%(taken)s) di luar tanggal kunjungan.",
                 taken=format_date(self.taken, "long"))

    @property
    def message(self) -> str:
        """For the author: what is odd and what to do."""
        taken = format_date(self.taken, "long")
        if self.by_year:
            return _("Foto ini diambil %(taken)s, di luar tahun kunjungan (%(year)s). Periksa "
                     "jam kamera, atau ubah tanggalnya bila salah.",
                     taken=taken, year=self.first.year)
        return _("Foto ini diambil %(taken)s, di luar tanggal kunjungan (%(first)s sampai "
                 "%(last)s). Periksa jam kamera, atau ubah tanggalnya bila salah.",
                 taken=taken, first=format_date(self.first + timedelta(days=MARGIN_DAYS), "long"),
                 last=format_date(self.last - timedelta(days=MARGIN_DAYS), "long"))


def trip_window(trip, margin_days: int = MARGIN_DAYS) -> tuple[date, date, bool] | None:
    """(first, last, by_year) of the days that count as ``trip``; None if it says no dates or year."""
    if trip.start_date or trip.end_date:
        start = trip.start_date or trip.end_date
        end = trip.end_date or trip.start_date
        margin = timedelta(days=margin_days)
        return min(start, end) - margin, max(start, end) + margin, False
    if trip.year:
        return date(trip.year, 1, 1), date(trip.year, 12, 31), True
    return None


def check_taken_date(trip, taken: datetime | date | None,
                     margin_days: int = MARGIN_DAYS) -> DateWarning | None:
    """A warning when ``taken`` falls outside ``trip``'s window, else None (also when unknown)."""
    if taken is None or trip is None:
        return None
    day = taken.date() if isinstance(taken, datetime) else taken
    window = trip_window(trip, margin_days)
    if window is None:
        return None
    first, last, by_year = window
    if first <= day <= last:
        return None
    days_off = (first - day).days if day < first else (day - last).days
    return DateWarning(day, first, last, days_off, by_year)


def entry_date_warning(entry) -> DateWarning | None:
    """The check for an entry: its date (as edited, else the camera's) against its trip.

    Papers have no date of their own and are never flagged.
    """
    if entry is None or entry.kind != "photo":
        return None
    taken = entry.taken_at or (entry.file.exif_taken_at if entry.file else None)
    return check_taken_date(entry.trip, taken)
