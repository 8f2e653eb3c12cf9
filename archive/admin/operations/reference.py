"""What the admin pages do to the reference data (kecamatan, camat, trips, topics;
the evaluation's are ``districts.operations``): the checks that need the database, then a flush.

Nothing here commits: the transaction boundary does, once, after the view
succeeded, and rolls back on ``Refused``. The checks run before the flush so
that a duplicate or a row still in use gets a sentence an admin can act on;
the database's own constraints stay as the backstop for a race between two admins.
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from ...core.refusal import Refused
from ...extensions import db
from ...models import Camat, Entry, Kecamatan, Topic, Trip, TripParticipant, User
from ...reports.models import Recommendation, Report, ReportSection
from . import checks


def _refuse_if_used(name: str, entries: int, reports: int) -> None:
    if entries:
        raise Refused(_("%(name)s masih dipakai oleh %(count)d entri, jadi tidak dapat dihapus.",
                        name=name, count=entries), status=409)
    if reports:
        raise Refused(_("%(name)s masih dipakai oleh %(count)d laporan, jadi tidak dapat dihapus.",
                        name=name, count=reports), status=409)


def _delete(row: object, name: str) -> None:
    db.session.delete(row)
    checks.flush(_("%(name)s masih dipakai, jadi tidak dapat dihapus.", name=name))


# Kecamatan and camat -----------------------------------------------------

def save_kecamatan(kecamatan: Kecamatan) -> None:
    if checks.taken(kecamatan, name=kecamatan.name, city=kecamatan.city):
        raise Refused(_("Kecamatan %(name)s di %(city)s sudah ada.",
                        name=kecamatan.name, city=kecamatan.city), field="name", status=409)
    db.session.add(kecamatan)
    checks.flush(_("Kecamatan %(name)s di %(city)s sudah ada.",
                   name=kecamatan.name, city=kecamatan.city))


def save_camat(camat: Camat) -> None:
    with db.session.no_autoflush:
        kecamatan = db.session.get(Kecamatan, camat.kecamatan_id)
        user = db.session.get(User, camat.user_id) if camat.user_id is not None else None
    if kecamatan is None:
        raise Refused(_("Kecamatan ini tidak ditemukan."), field="kecamatan_id", status=400)
    if camat.user_id is not None:
        if user is None:
            raise Refused(_("Akun ini tidak ditemukan."), field="user_id", status=400)
        if checks.taken(camat, user_id=camat.user_id):
            raise Refused(_("Akun %(username)s sudah terhubung ke camat lain.",
                            username=user.username), field="user_id", status=409)
    db.session.add(camat)
    checks.flush(_("Akun ini sudah terhubung ke camat lain."))


def delete_camat(camat: Camat) -> None:
    _refuse_if_used(camat.name, checks.uses(Entry.camat_id, camat.id),
                    checks.uses(Report.camat_id, camat.id))
    for participant in db.session.scalars(
            select(TripParticipant).where(TripParticipant.camat_id == camat.id)):
        db.session.delete(participant)
    _delete(camat, camat.name)


# Trips -------------------------------------------------------------------

def save_trip(trip: Trip, participant_ids: list[int]) -> None:
    """Save a trip and make its participants exactly ``participant_ids``."""
    if checks.taken(trip, slug=trip.slug):
        raise Refused(_("Slug \"%(slug)s\" sudah dipakai kunjungan lain.", slug=trip.slug),
                      field="slug", status=409)
    wanted = set(participant_ids)
    current = {p.camat_id: p for p in trip.participants}
    leaving = set(current) - wanted
    with db.session.no_autoflush:
        with_entries = set(db.session.scalars(
            select(Entry.camat_id).where(Entry.trip_id == trip.id, Entry.camat_id.in_(leaving))
        )) if trip.id is not None and leaving else set()
        if with_entries:
            names = ", ".join(sorted(current[c].camat.name for c in with_entries))
            raise Refused(_("%(names)s sudah punya entri di kunjungan ini, jadi tidak dapat "
                            "dikeluarkan dari daftar peserta.", names=names),
                          field="participants", status=409)
        for camat_id in leaving:
            trip.participants.remove(current[camat_id])
        for camat_id in sorted(wanted - set(current)):
            camat = db.session.get(Camat, camat_id)
            if camat is None:
                raise Refused(_("Camat ini tidak ditemukan."), field="participants", status=400)
            trip.participants.append(TripParticipant(camat=camat))
    db.session.add(trip)
    checks.flush(_("Slug \"%(slug)s\" sudah dipakai kunjungan lain.", slug=trip.slug))


def delete_trip(trip: Trip) -> None:
    _refuse_if_used(trip.title, checks.uses(Entry.trip_id, trip.id),
                    checks.uses(Report.trip_id, trip.id))
    _delete(trip, trip.title)


# Topics ------------------------------------------------------------------

def save_topic(topic: Topic) -> None:
    if checks.taken(topic, slug=topic.slug):
        raise Refused(_("Slug \"%(slug)s\" sudah dipakai topik lain.", slug=topic.slug),
                      field="slug", status=409)
    if topic.position is None:
        topic.position = 0
    db.session.add(topic)
    checks.flush(_("Slug \"%(slug)s\" sudah dipakai topik lain.", slug=topic.slug))


def delete_topic(topic: Topic) -> None:
    _refuse_if_used(topic.name_id, checks.uses(Entry.topic_id, topic.id),
                    checks.uses(ReportSection.topic_id, topic.id)
                    + checks.uses(Recommendation.topic_id, topic.id))
    _delete(topic, topic.name_id)
