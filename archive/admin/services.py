"""What the admin pages do to the data: checks that need the database, then a flush.

Nothing here commits: the view does, once, after everything succeeded, and
rolls back on ``Refused``. The checks run before the flush so that a
duplicate or a row still in use gets a sentence an admin can act on; the
database's own constraints stay as the backstop for a race between two admins.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..core.refusal import Refused
from ..extensions import db
from ..models import (
    KINDS,
    STATUSES,
    ApiToken,
    Camat,
    Entry,
    Kecamatan,
    ScoreRecord,
    Topic,
    Trip,
    TripParticipant,
    User,
)
from ..reports.models import Recommendation, Report, ReportSection


def flush(message: str) -> None:
    """Flush, turning a constraint violation (two admins at once) into ``Refused``."""
    try:
        db.session.flush()
    except IntegrityError as err:
        raise Refused(message, status=409) from err


def _count(stmt) -> int:
    return db.session.scalar(stmt) or 0


def _taken(row, **keys) -> bool:
    """Whether another row of ``row``'s model already has these values."""
    model = type(row)
    # No autoflush: the edited row itself must not be flushed (and violate the
    # constraint) by the query that checks it.
    with db.session.no_autoflush:
        stmt = select(model.id).filter_by(**keys)
        if row.id is not None:
            stmt = stmt.where(model.id != row.id)
        return db.session.scalar(stmt.limit(1)) is not None


# Dashboard ---------------------------------------------------------------

@dataclass
class DashboardCounts:
    #: entries[status][kind], every status and kind present, zeros included
    entries: dict[str, dict[str, int]]
    entries_total: int
    entries_without_topic: int
    camat: int
    camat_without_login: int
    users: int
    users_inactive: int
    trips: int
    kecamatan: int
    topics: int
    score_records: int


def dashboard_counts() -> DashboardCounts:
    entries = {status: {kind: 0 for kind in KINDS} for status in STATUSES}
    for status, kind, n in db.session.execute(
        select(Entry.status, Entry.kind, func.count()).group_by(Entry.status, Entry.kind)
    ):
        entries.setdefault(status, {}).setdefault(kind, 0)
        entries[status][kind] = n
    return DashboardCounts(
        entries=entries,
        entries_total=sum(sum(by_kind.values()) for by_kind in entries.values()),
        entries_without_topic=_count(select(func.count(Entry.id)).where(Entry.topic_id.is_(None))),
        camat=_count(select(func.count(Camat.id))),
        camat_without_login=_count(select(func.count(Camat.id)).where(Camat.user_id.is_(None))),
        users=_count(select(func.count(User.id))),
        users_inactive=_count(select(func.count(User.id)).where(User.active.is_(False))),
        trips=_count(select(func.count(Trip.id))),
        kecamatan=_count(select(func.count(Kecamatan.id))),
        topics=_count(select(func.count(Topic.id))),
        score_records=_count(select(func.count(ScoreRecord.id))),
    )


def entries_without_topic(limit: int = 20) -> list[Entry]:
    return list(db.session.scalars(
        select(Entry).where(Entry.topic_id.is_(None)).order_by(Entry.created_at.desc()).limit(limit)
    ))


# Users -------------------------------------------------------------------

@dataclass
class NewUser:
    username: str
    password: str
    role: str
    kecamatan_id: int | None = None
    #: name for the Camat row when one has to be created
    camat_name: str = ""


@dataclass
class UserCreated:
    user: User
    camat: Camat | None = None
    #: True when a new Camat row was made, False when an unlinked one was reused
    camat_created: bool = False


def create_user(new: NewUser) -> UserCreated:
    """A login; a camat user is linked to their kecamatan's camat, made if needed."""
    user = User(username=new.username, role=new.role, active=True)
    if _taken(user, username=new.username):
        raise Refused(_("Nama pengguna \"%(name)s\" sudah dipakai.", name=new.username),
                      field="username", status=409)
    user.set_password(new.password)
    result = UserCreated(user=user)
    if new.role == "camat":
        kecamatan = db.session.get(Kecamatan, new.kecamatan_id)
        if kecamatan is None:
            raise Refused(_("Kecamatan ini tidak ditemukan."), field="kecamatan_id", status=400)
        # The kecamatan's camat without a login is the person this login is
        # for; a kecamatan whose camat already has one gets a new camat (a
        # successor), as the create-user command does.
        camat = db.session.scalar(
            select(Camat).where(Camat.kecamatan_id == kecamatan.id, Camat.user_id.is_(None))
            .order_by(Camat.id).limit(1)
        )
        if camat is None:
            # stored data, not page text: the same in every language
            camat = Camat(name=new.camat_name or f"Camat {kecamatan.name}", kecamatan=kecamatan)
            db.session.add(camat)
            result.camat_created = True
        camat.user = user
        result.camat = camat
    # Added last, so no query above flushes it before the constraint check below.
    db.session.add(user)
    flush(_("Nama pengguna \"%(name)s\" sudah dipakai.", name=new.username))
    return result


def _other_active_admins(user: User) -> int:
    return _count(select(func.count(User.id)).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))


def change_role(user: User, role: str, acting: User) -> None:
    if role == user.role:
        return
    if user.role == "admin" and (user.id == acting.id or _other_active_admins(user) == 0):
        raise Refused(_("Peran admin Anda sendiri atau admin aktif terakhir tidak dapat dicabut."),
                      field="role", status=409)
    user.role = role
    flush(_("Peran tidak dapat diubah."))


def set_active(user: User, active: bool, acting: User) -> None:
    if not active and user.id == acting.id:
        raise Refused(_("Anda tidak dapat menonaktifkan akun Anda sendiri."), status=409)
    if not active and user.role == "admin" and _other_active_admins(user) == 0:
        raise Refused(_("Admin aktif terakhir tidak dapat dinonaktifkan."), status=409)
    user.active = active
    flush(_("Status pengguna tidak dapat diubah."))


def reset_password(user: User, password: str) -> None:
    user.set_password(password)
    flush(_("Kata sandi tidak dapat diubah."))


def issue_token(user: User) -> str:
    """A new API token; only its hash is stored, so this is the one time it exists."""
    if not user.active:
        raise Refused(_("Pengguna nonaktif tidak dapat diberi token API."), status=409)
    row, token = ApiToken.issue(user)
    db.session.add(row)
    flush(_("Token API tidak dapat dibuat. Silakan coba lagi."))
    return token


def revoke_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Refused(_("Token ini tidak ditemukan."), status=404)
    db.session.delete(token)
    flush(_("Token tidak dapat dicabut."))


# Kecamatan and camat -----------------------------------------------------

def save_kecamatan(kecamatan: Kecamatan) -> None:
    if _taken(kecamatan, name=kecamatan.name, city=kecamatan.city):
        raise Refused(_("Kecamatan %(name)s di %(city)s sudah ada.",
                        name=kecamatan.name, city=kecamatan.city), field="name", status=409)
    db.session.add(kecamatan)
    flush(_("Kecamatan %(name)s di %(city)s sudah ada.", name=kecamatan.name, city=kecamatan.city))


def save_camat(camat: Camat) -> None:
    with db.session.no_autoflush:
        kecamatan = db.session.get(Kecamatan, camat.kecamatan_id)
        user = db.session.get(User, camat.user_id) if camat.user_id is not None else None
    if kecamatan is None:
        raise Refused(_("Kecamatan ini tidak ditemukan."), field="kecamatan_id", status=400)
    if camat.user_id is not None:
        if user is None:
            raise Refused(_("Akun ini tidak ditemukan."), field="user_id", status=400)
        if _taken(camat, user_id=camat.user_id):
            raise Refused(_("Akun %(username)s sudah terhubung ke camat lain.",
                            username=user.username), field="user_id", status=409)
    db.session.add(camat)
    flush(_("Akun ini sudah terhubung ke camat lain."))


def _entries_and_reports(name: str, entries: int, reports: int) -> None:
    if entries:
        raise Refused(_("%(name)s masih dipakai oleh %(count)d entri, jadi tidak dapat dihapus.",
                        name=name, count=entries), status=409)
    if reports:
        raise Refused(_("%(name)s masih dipakai oleh %(count)d laporan, jadi tidak dapat dihapus.",
                        name=name, count=reports), status=409)


def delete_camat(camat: Camat) -> None:
    _entries_and_reports(
        camat.name,
        _count(select(func.count(Entry.id)).where(Entry.camat_id == camat.id)),
        _count(select(func.count(Report.id)).where(Report.camat_id == camat.id)),
    )
    for participant in db.session.scalars(
            select(TripParticipant).where(TripParticipant.camat_id == camat.id)):
        db.session.delete(participant)
    db.session.delete(camat)
    flush(_("%(name)s masih dipakai, jadi tidak dapat dihapus.", name=camat.name))


# Trips -------------------------------------------------------------------

def save_trip(trip: Trip, participant_ids: list[int]) -> None:
    """Save a trip and make its participants exactly ``participant_ids``."""
    if _taken(trip, slug=trip.slug):
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
                            "dikeluarkan dari daftar peserta.", names=names), field="participants", status=409)
        for camat_id in leaving:
            trip.participants.remove(current[camat_id])
        for camat_id in sorted(wanted - set(current)):
            camat = db.session.get(Camat, camat_id)
            if camat is None:
                raise Refused(_("Camat ini tidak ditemukan."), field="participants", status=400)
            trip.participants.append(TripParticipant(camat=camat))
    db.session.add(trip)
    flush(_("Slug \"%(slug)s\" sudah dipakai kunjungan lain.", slug=trip.slug))


def delete_trip(trip: Trip) -> None:
    _entries_and_reports(
        trip.title,
        _count(select(func.count(Entry.id)).where(Entry.trip_id == trip.id)),
        _count(select(func.count(Report.id)).where(Report.trip_id == trip.id)),
    )
    db.session.delete(trip)
    flush(_("%(name)s masih dipakai, jadi tidak dapat dihapus.", name=trip.title))


# Topics ------------------------------------------------------------------

def save_topic(topic: Topic) -> None:
    if _taken(topic, slug=topic.slug):
        raise Refused(_("Slug \"%(slug)s\" sudah dipakai topik lain.", slug=topic.slug), field="slug", status=409)
    if topic.position is None:
        topic.position = 0
    db.session.add(topic)
    flush(_("Slug \"%(slug)s\" sudah dipakai topik lain.", slug=topic.slug))


def delete_topic(topic: Topic) -> None:
    _entries_and_reports(
        topic.name_id,
        _count(select(func.count(Entry.id)).where(Entry.topic_id == topic.id)),
        _count(select(func.count(ReportSection.id)).where(ReportSection.topic_id == topic.id))
        + _count(select(func.count(Recommendation.id)).where(Recommendation.topic_id == topic.id)),
    )
    db.session.delete(topic)
    flush(_("%(name)s masih dipakai, jadi tidak dapat dihapus.", name=topic.name_id))


# Score records -----------------------------------------------------------

def score_periods() -> list[str]:
    """The periods that have score records, newest first."""
    return list(db.session.scalars(
        select(ScoreRecord.period).distinct().order_by(ScoreRecord.period.desc())))


def score_records(period: str) -> list[ScoreRecord]:
    return list(db.session.scalars(
        select(ScoreRecord).join(Kecamatan).where(ScoreRecord.period == period)
        .order_by(ScoreRecord.rank.is_(None), ScoreRecord.rank, ScoreRecord.total.desc(),
                  Kecamatan.name)
    ))


def shared_ranks(records: list[ScoreRecord]) -> list[int]:
    """Ranks given to more than one kecamatan in a period: allowed (a tie), but worth a look."""
    seen = Counter(r.rank for r in records if r.rank is not None)
    return sorted(rank for rank, n in seen.items() if n > 1)


def find_score_record(kecamatan_id: int | None, period: str | None,
                      exclude_id: int | None = None) -> ScoreRecord | None:
    """The record of this kecamatan and period, other than ``exclude_id``."""
    if kecamatan_id is None or not period:
        return None
    stmt = select(ScoreRecord).where(ScoreRecord.kecamatan_id == kecamatan_id,
                                     ScoreRecord.period == period)
    if exclude_id is not None:
        stmt = stmt.where(ScoreRecord.id != exclude_id)
    return db.session.scalar(stmt)


def save_score_record(record: ScoreRecord) -> Kecamatan:
    """One record per kecamatan and period: a second one is refused with a clear message."""
    with db.session.no_autoflush:
        kecamatan = db.session.get(Kecamatan, record.kecamatan_id)
    if kecamatan is None:
        raise Refused(_("Kecamatan ini tidak ditemukan."), field="kecamatan_id", status=400)
    message = _("Kecamatan %(name)s sudah punya nilai untuk periode %(period)s. "
                "Ubah nilai yang ada, jangan membuat yang kedua.",
                name=kecamatan.name, period=record.period)
    if _taken(record, kecamatan_id=record.kecamatan_id, period=record.period):
        raise Refused(message, field="period", status=409)
    db.session.add(record)
    flush(message)
    return kecamatan


def delete_score_record(record: ScoreRecord) -> None:
    db.session.delete(record)
    flush(_("Nilai ini tidak dapat dihapus."))
