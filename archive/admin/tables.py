"""The admin's reference tables, each declared once as an ``AdminTable``: kecamatan,
camat, trips, topics; the evaluation's periods and score records are in ``score_tables``.

A declaration says what is particular to its table (model, form, list
template and rows, the fields copied from the form, the ``reference``
operations and their messages, the form's choices); ``crud`` makes the pages.
"""
from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, selectinload
from sqlalchemy.sql.selectable import ScalarSelect

from ..extensions import db
from ..models import Camat, Entry, Kecamatan, Topic, Trip
from .operations import reference
from ..districts.operations.periods import period_choices
from .choices import camat_user_choices, kecamatan_choices, participant_choices
from .crud import AdminTable
from .forms import CamatForm, KecamatanForm, TopicForm, TripForm
from .score_tables import PERIODS, SCORES


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
    form.score_period.choices = period_choices(keep=row.score_period)
    if not form.is_submitted():
        form.participants.data = [p.camat_id for p in row.participants]


TRIPS = AdminTable(
    model=Trip, form=TripForm,
    list_endpoint="trips", name="trip", path="/kunjungan", id_arg="trip_id",
    list_template="admin/trips.html", list_context=_trip_list,
    form_template="admin/trip_form.html", setup_form=_trip_form,
    new_row=lambda: Trip(origin_city="Bandung"),
    fields=("slug", "title", "title_en", "program", "origin_city", "host_city", "host_country",
            "year", "start_date", "end_date", "score_period", "description", "description_en"),
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
    return Topic(position=(last + 1) if last is not None else 0, description="",
                 description_en="")


TOPICS = AdminTable(
    model=Topic, form=TopicForm,
    list_endpoint="topics", name="topic", path="/topik", id_arg="topic_id",
    list_template="admin/topics.html", list_context=_topic_list,
    form_template="admin/topic_form.html",
    new_row=_new_topic,
    fields=("slug", "name_id", "name_en", "description", "description_en", "position"),
    save=lambda row, form: reference.save_topic(row),
    saved=lambda row: _("Topik %(name)s disimpan.", name=row.name_id),
    delete=reference.delete_topic,
    deleted=lambda row: _("Topik %(name)s dihapus.", name=row.name_id),
)


TABLES: tuple[AdminTable, ...] = (KECAMATAN, CAMAT, TRIPS, TOPICS, PERIODS, SCORES)
