"""The admin's reference tables, each declared once as an ``AdminTable``: kecamatan,
camat, trips, topics and score records.

A declaration says what is particular to its table (model, form, list
template and rows, the fields copied from the form, the ``reference``
operations and their messages, the form's choices); ``crud`` makes the pages.
"""
from __future__ import annotations

from typing import Any

from flask import request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload
from sqlalchemy.sql.selectable import ScalarSelect

from ..extensions import db
from ..models import Camat, Entry, Kecamatan, ScoreRecord, Topic, Trip
from .operations import reference
from .choices import camat_user_choices, kecamatan_choices, participant_choices
from .crud import AdminTable
from .forms import CamatForm, KecamatanForm, ScoreRecordForm, TopicForm, TripForm


def _count_of(column: InstrumentedAttribute, parent: type) -> ScalarSelect:
    """For a list: how many rows of ``column``'s table point to the listed row."""
    return (select(func.count(column.class_.id)).where(column == parent.id)
            .correlate(parent).scalar_subquery())


# Kecamatan ---------------------------------------------------------------

def _kecamatan_list() -> dict[str, Any]:
    return {"rows": db.session.execute(
        select(Kecamatan, _count_of(Camat.kecamatan_id, Kecamatan))
        .order_by(Kecamatan.city, Kecamatan.name)).all()}


KECAMATAN = AdminTable(
    model=Kecamatan, form=KecamatanForm,
    list_endpoint="kecamatan", name="kecamatan", path="/kecamatan", id_arg="kecamatan_id",
    list_template="admin/kecamatan.html", list_context=_kecamatan_list,
    form_template="admin/kecamatan_form.html",
    new_row=lambda: Kecamatan(city="Bandung"),
    fields=("name", "city"),
    save=lambda row, form: reference.save_kecamatan(row),
    saved=lambda row: _("Kecamatan %(name)s disimpan.", name=row.name),
)


# Camat -------------------------------------------------------------------

def _camat_list() -> dict[str, Any]:
    return {"rows": db.session.execute(
        select(Camat, _count_of(Entry.camat_id, Camat)).join(Kecamatan)
        .options(selectinload(Camat.user), selectinload(Camat.kecamatan))
        .order_by(Kecamatan.name, Camat.name)).all()}


def _camat_form(form: CamatForm, row: Camat) -> None:
    form.kecamatan_id.choices = kecamatan_choices()
    form.user_id.choices = camat_user_choices(row)


CAMAT = AdminTable(
    model=Camat, form=CamatForm,
    list_endpoint="camat", name="camat", path="/camat", id_arg="camat_id",
    list_template="admin/camat.html", list_context=_camat_list,
    form_template="admin/camat_form.html", setup_form=_camat_form,
    new_row=lambda: Camat(bio=""),
    fields=("name", "kecamatan_id", "user_id", "bio"),
    save=lambda row, form: reference.save_camat(row),
    saved=lambda row: _("Data %(name)s disimpan.", name=row.name),
    delete=reference.delete_camat,
    deleted=lambda row: _("%(name)s dihapus.", name=row.name),
)


# Trips -------------------------------------------------------------------

def _trip_list() -> dict[str, Any]:
    return {"rows": db.session.execute(
        select(Trip, _count_of(Entry.trip_id, Trip)).options(selectinload(Trip.participants))
        .order_by(Trip.year.desc(), Trip.title)).all()}


def _trip_form(form: TripForm, row: Trip) -> None:
    form.participants.choices = participant_choices()
    if not form.is_submitted():
        form.participants.data = [p.camat_id for p in row.participants]


TRIPS = AdminTable(
    model=Trip, form=TripForm,
    list_endpoint="trips", name="trip", path="/kunjungan", id_arg="trip_id",
    list_template="admin/trips.html", list_context=_trip_list,
    form_template="admin/trip_form.html", setup_form=_trip_form,
    new_row=lambda: Trip(origin_city="Bandung"),
    fields=("slug", "title", "program", "origin_city", "host_city", "host_country", "year",
            "start_date", "end_date", "score_period", "description"),
    save=lambda row, form: reference.save_trip(row, form.participants.data or []),
    saved=lambda row: _("Kunjungan %(title)s disimpan dengan %(count)d peserta.",
                        title=row.title, count=len(row.participants)),
    delete=reference.delete_trip,
    deleted=lambda row: _("Kunjungan %(title)s dihapus.", title=row.title),
)


# Topics ------------------------------------------------------------------

def _topic_list() -> dict[str, Any]:
    return {"rows": db.session.execute(
        select(Topic, _count_of(Entry.topic_id, Topic))
        .order_by(Topic.position, Topic.name_id)).all()}


def _new_topic() -> Topic:
    """A new topic comes after the others."""
    last = db.session.scalar(select(func.max(Topic.position)))
    return Topic(position=(last + 1) if last is not None else 0, description="")


TOPICS = AdminTable(
    model=Topic, form=TopicForm,
    list_endpoint="topics", name="topic", path="/topik", id_arg="topic_id",
    list_template="admin/topics.html", list_context=_topic_list,
    form_template="admin/topic_form.html",
    new_row=_new_topic,
    fields=("slug", "name_id", "name_en", "description", "position"),
    save=lambda row, form: reference.save_topic(row),
    saved=lambda row: _("Topik %(name)s disimpan.", name=row.name_id),
    delete=reference.delete_topic,
    deleted=lambda row: _("Topik %(name)s dihapus.", name=row.name_id),
)


# Score records -----------------------------------------------------------

def _score_list() -> dict[str, Any]:
    """One period's records (``?periode=``, else the newest period)."""
    periods = reference.score_periods()
    period = request.args.get("periode") or (periods[0] if periods else "")
    records = reference.score_records(period)
    return {"periods": periods, "period": period, "records": records,
            "shared_ranks": reference.shared_ranks(records)}


def _new_score() -> ScoreRecord:
    latest = reference.score_periods()
    return ScoreRecord(period=latest[0] if latest else "", source="")


def _score_form(form: ScoreRecordForm, row: ScoreRecord) -> None:
    form.kecamatan_id.choices = kecamatan_choices()


def _save_score(row: ScoreRecord, form: ScoreRecordForm) -> None:
    row.zone = row.zone or None  # the form's "-"
    reference.save_score_record(row)


def _kecamatan_name(row: ScoreRecord) -> str:
    """By the row's kecamatan id, which the form may just have changed."""
    return db.session.get(Kecamatan, row.kecamatan_id).name


def _score_period(row: ScoreRecord, form: ScoreRecordForm | None) -> dict[str, Any]:
    """Back to the period saved (the form's), or to the deleted record's."""
    if form is None:
        return {"periode": row.period}
    return {"periode": form.period.data or row.period or None}


def _existing_score(form: ScoreRecordForm, record_id: int | None) -> dict[str, Any]:
    """A refused duplicate: offer the record that already exists."""
    return {"existing": reference.find_score_record(
        form.kecamatan_id.data, form.period.data, exclude_id=record_id)}


SCORES = AdminTable(
    model=ScoreRecord, form=ScoreRecordForm,
    list_endpoint="scores", name="score", path="/nilai", id_arg="record_id",
    list_template="admin/scores.html", list_context=_score_list,
    form_template="admin/score_form.html", setup_form=_score_form,
    new_row=_new_score,
    fields=("kecamatan_id", "period", "total", "rank", "zone", "public_service",
            "general_government", "environment", "innovation_happiness", "source"),
    save=_save_score,
    saved=lambda row: _("Nilai %(kecamatan)s periode %(period)s disimpan.",
                        kecamatan=_kecamatan_name(row), period=row.period),
    delete=reference.delete_score_record,
    deleted=lambda row: _("Nilai %(kecamatan)s periode %(period)s dihapus.",
                          kecamatan=_kecamatan_name(row), period=row.period),
    list_args=_score_period,
    refused_context=_existing_score,
)


TABLES: tuple[AdminTable, ...] = (KECAMATAN, CAMAT, TRIPS, TOPICS, SCORES)
