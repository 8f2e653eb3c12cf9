"""The trip-date check (archive/trips/dates.py) and the year facet: a photo dated outside
its trip is flagged on the upload results and the entry page, and counts under the
trip's year in search, not the camera's."""
from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace

from archive.extensions import db
from archive.models import Trip
from archive.trips.dates import MARGIN_DAYS, check_taken_date, entry_date_warning, trip_window
from support.files import camera_jpeg, pdf_bytes
from support.rows import latest_entry_id
from support.uploads import upload


def _trip(start=None, end=None, year=2018):
    return SimpleNamespace(start_date=start, end_date=end, year=year)


def test_dated_trip_window_has_a_margin_on_both_sides():
    trip = _trip(date(2018, 7, 9), date(2018, 7, 13))
    assert trip_window(trip) == (date(2018, 7, 7), date(2018, 7, 15), False)
    for day in (date(2018, 7, 7), date(2018, 7, 11), datetime(2018, 7, 15, 23, 59)):
        assert check_taken_date(trip, day) is None
    before = check_taken_date(trip, date(2018, 7, 6))
    after = check_taken_date(trip, datetime(2018, 7, 20, 8, 0))
    assert (before.days_off, after.days_off) == (1, 5) and not before.by_year
    assert check_taken_date(trip, date(2018, 7, 8), margin_days=0).days_off == 1
    assert MARGIN_DAYS == 2
    assert check_taken_date(trip, None) is None


def test_trip_without_dates_falls_back_to_its_year():
    trip = _trip()
    assert check_taken_date(trip, date(2018, 1, 1)) is None
    warning = check_taken_date(trip, datetime(2008, 10, 22, 16, 28))
    assert warning.by_year and warning.taken == date(2008, 10, 22)
    # only one of the dates known: a one-day trip
    assert check_taken_date(_trip(end=date(2018, 7, 13)), date(2018, 7, 16)).days_off == 1
    assert check_taken_date(_trip(year=None), date(1990, 1, 1)) is None


def test_messages_in_both_languages(app):
    trip = _trip(date(2018, 7, 9), date(2018, 7, 13))
    with app.test_request_context("/"):
        warning = check_taken_date(trip, date(2008, 10, 22))
        assert "22 Oktober 2008" in warning.message and "9 Juli 2018" in warning.message
        assert "13 Juli 2018" in warning.message
        assert "tahun kunjungan" in check_taken_date(_trip(), date(2008, 10, 22)).message
    with app.test_request_context("/?lang=en"):
        warning = check_taken_date(trip, date(2008, 10, 22))
        assert "October 22, 2008" in warning.message and "outside the dates of the visit" in warning.message
        assert "October 22, 2008" in warning.short


def test_upload_results_and_entry_page_flag_an_old_camera_date(app, client, auth):
    auth.login("cinambo")
    result = upload(client, [(camera_jpeg(1, taken="2008:10:22 16:28:39"), "kamera_lama.jpg"),
                             (camera_jpeg(2), "juli.jpg"), (pdf_bytes("Makalah"), "makalah.pdf")],
                    status="published")
    assert result.status_code == 201
    assert "1 foto bertanggal di luar kunjungan" in result.html
    assert "kamera_lama.jpg</a>: Foto ini diambil 22 Oktober 2008" in result.html
    assert "juli.jpg</a>:" not in result.html
    old_id = latest_entry_id(app) - 2
    html = client.get(f"/entri/{old_id}").get_data(as_text=True)
    assert "di luar tahun kunjungan (2018)" in html and f"/entri/{old_id}/ubah#taken_at" in html
    assert "date-flag" not in client.get(f"/entri/{old_id + 1}").get_data(as_text=True)
    auth.logout()
    visitor = client.get(f"/entri/{old_id}?lang=en").get_data(as_text=True)
    assert "The camera date of this photo (October 22, 2008) is outside the visit." in visitor
    with app.app_context():
        trip = db.session.get(Trip, 1)
        trip.start_date, trip.end_date = date(2008, 10, 20), date(2008, 10, 24)
        db.session.commit()
        from archive.models import Entry
        assert entry_date_warning(db.session.get(Entry, old_id)) is None
        assert entry_date_warning(db.session.get(Entry, old_id + 2)) is None  # a paper


def test_year_facet_is_the_trip_year_not_the_camera_year(app, client, auth):
    auth.login("cinambo")
    upload(client, [(camera_jpeg(3, taken="2008:10:22 16:28:39"), "lama.jpg")], status="published")
    auth.logout()
    html = client.get("/cari?q=lama").get_data(as_text=True)
    assert "year=2018" in html and "year=2008" not in html
    assert "Tahun kunjungan" in html
    assert client.get("/api/v1/search?q=lama&year=2018").get_json()["total"] == 1
