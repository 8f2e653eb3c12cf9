"""What the admin pages do to users and API tokens, and what the dashboard counts:
checks that need the database, then a flush. (Reference data: ``reference``.)

Nothing here commits: the transaction boundary does, once, after the view
succeeded, and rolls back on ``Refused``. The checks run before the flush so that a
duplicate or a row still in use gets a sentence an admin can act on; the
database's own constraints stay as the backstop for a race between two admins.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, select

from ...core.refusal import Refused  # also imported from here by the create-user command
from ...extensions import db
from ...models import (
    KINDS,
    STATUSES,
    ApiToken,
    Camat,
    Entry,
    Kecamatan,
    ScoreRecord,
    Topic,
    Trip,
    User,
)
from ...auth import passwords, sessions
from . import checks

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
        entries_without_topic=checks.count(
            select(func.count(Entry.id)).where(Entry.topic_id.is_(None))),
        camat=checks.count(select(func.count(Camat.id))),
        camat_without_login=checks.count(select(func.count(Camat.id)).where(Camat.user_id.is_(None))),
        users=checks.count(select(func.count(User.id))),
        users_inactive=checks.count(select(func.count(User.id)).where(User.active.is_(False))),
        trips=checks.count(select(func.count(Trip.id))),
        kecamatan=checks.count(select(func.count(Kecamatan.id))),
        topics=checks.count(select(func.count(Topic.id))),
        score_records=checks.count(select(func.count(ScoreRecord.id))),
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
    if checks.taken(user, username=new.username):
        raise Refused(_("Nama pengguna \"%(name)s\" sudah dipakai.", name=new.username),
                      field="username", status=409)
    passwords.require_strong(new.password, new.username)
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
    checks.flush(_("Nama pengguna \"%(name)s\" sudah dipakai.", name=new.username))
    return result


def _other_active_admins(user: User) -> int:
    return checks.count(select(func.count(User.id)).where(
        User.role == "admin", User.active.is_(True), User.id != user.id))


def change_role(user: User, role: str, acting: User) -> None:
    if role == user.role:
        return
    if user.role == "admin" and (user.id == acting.id or _other_active_admins(user) == 0):
        raise Refused(_("Peran admin Anda sendiri atau admin aktif terakhir tidak dapat dicabut."),
                      field="role", status=409)
    user.role = role
    checks.flush(_("Peran tidak dapat diubah."))


def set_active(user: User, active: bool, acting: User) -> None:
    if not active and user.id == acting.id:
        raise Refused(_("Anda tidak dapat menonaktifkan akun Anda sendiri."), status=409)
    if not active and user.role == "admin" and _other_active_admins(user) == 0:
        raise Refused(_("Admin aktif terakhir tidak dapat dinonaktifkan."), status=409)
    user.active = active
    if not active:
        sessions.end_all(user)  # a deactivated user's open sessions end now
    checks.flush(_("Status pengguna tidak dapat diubah."))


def reset_password(user: User, password: str) -> None:
    passwords.require_strong(password, user.username)
    user.set_password(password)
    sessions.end_all(user)  # whoever knew the old password is logged out
    checks.flush(_("Kata sandi tidak dapat diubah."))


def end_sessions(user: User) -> int:
    """The admin's "log out everywhere": every session of ``user``, remember-me included."""
    return sessions.end_all(user)


def issue_token(user: User) -> str:
    """A new API token; only its hash is stored, so this is the one time it exists."""
    if not user.active:
        raise Refused(_("Pengguna nonaktif tidak dapat diberi token API."), status=409)
    row, token = ApiToken.issue(user)
    db.session.add(row)
    checks.flush(_("Token API tidak dapat dibuat. Silakan coba lagi."))
    return token


def revoke_token(user: User, token_id: int) -> None:
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Refused(_("Token ini tidak ditemukan."), status=404)
    db.session.delete(token)
    checks.flush(_("Token tidak dapat dicabut."))
