"""Admin pages for the city's government section: users, kecamatan, camat, trips,
topics and score records.

Every route is ``admin_required`` (403 for a camat, the login page for a
visitor). The transaction boundary commits once, after ``services`` has checked and
flushed; a ``Refused`` rolls everything back and shows its message on the form.
"""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import SelectChoice

from ..auth import admin_required
from ..extensions import db
from ..models import ApiToken, Camat, Entry, Kecamatan, ScoreRecord, Topic, Trip, User
from . import services
from .forms import (
    ActionForm,
    CamatForm,
    KecamatanForm,
    PasswordResetForm,
    RoleForm,
    ScoreRecordForm,
    TopicForm,
    TripForm,
    UserCreateForm,
)
from ..core.pages import submit_action, submit_form
from ..core.refusal import Refused
from ..core.transaction import discard

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@admin_required
def _only_admins() -> None:
    """Every admin page, present and future, is for admins only."""


# Helpers -----------------------------------------------------------------

def _fill(row, form, names: tuple[str, ...]) -> None:
    """Copy form fields onto the row; decimals become floats as the columns want."""
    for name in names:
        value = form[name].data
        setattr(row, name, float(value) if isinstance(value, Decimal) else value)


def _save(form, template: str, save: Callable[[], str], done: str,
          refused_context: Callable[[], dict] | None = None, **context):
    """The common shape of an add/edit page: validate, save, commit once, or show why not.

    ``save`` fills and saves the row and returns the success message;
    ``refused_context`` adds to the page shown when the save was refused.
    """
    def render(status: int):
        extra = refused_context() if refused_context and status not in (200, 400) else {}
        return render_template(template, form=form, **context, **extra), status

    return submit_form(form, save, render, done)


def _action(do: Callable[[], str], done: str):
    """A button (deactivate, revoke, delete): CSRF checked, done, or refused with a message."""
    return submit_action(ActionForm(), do, done)


def _kecamatan_choices() -> list[SelectChoice]:
    rows = db.session.scalars(select(Kecamatan).order_by(Kecamatan.city, Kecamatan.name))
    return [SelectChoice("", _("- pilih kecamatan -"))] + [
        SelectChoice(k.id, k.name if k.city == "Bandung" else f"{k.name} ({k.city})") for k in rows]


# Dashboard ---------------------------------------------------------------

@bp.route("/")
def index():
    """The dashboard: what the archive holds and what still needs attention."""
    return render_template(
        "admin/index.html",
        counts=services.dashboard_counts(),
        untopiced=services.entries_without_topic(),
        trips=db.session.scalars(select(Trip).order_by(Trip.year.desc(), Trip.title)).all(),
    )


# Users -------------------------------------------------------------------

@bp.route("/pengguna")
def users():
    rows = db.session.scalars(
        select(User).options(selectinload(User.camat).selectinload(Camat.kecamatan),
                             selectinload(User.tokens))
        .order_by(User.role, User.username)
    ).all()
    return render_template("admin/users.html", users=rows, action_form=ActionForm())


@bp.route("/pengguna/baru", methods=["GET", "POST"])
def user_new():
    form = UserCreateForm()
    form.kecamatan_id.choices = _kecamatan_choices()

    def save() -> str:
        created = services.create_user(services.NewUser(
            username=form.username.data, password=form.password.data, role=form.role.data,
            kecamatan_id=form.kecamatan_id.data, camat_name=form.camat_name.data or ""))
        if created.camat is not None and created.camat_created:
            return _("Pengguna %(username)s dibuat, bersama data camat baru %(camat)s (%(kecamatan)s).",
                     username=created.user.username, camat=created.camat.name,
                     kecamatan=created.camat.kecamatan.name)
        if created.camat is not None:
            return _("Pengguna %(username)s dibuat dan dihubungkan ke %(camat)s (%(kecamatan)s).",
                     username=created.user.username, camat=created.camat.name,
                     kecamatan=created.camat.kecamatan.name)
        return _("Pengguna %(username)s dibuat.", username=created.user.username)

    return _save(form, "admin/user_new.html", save, url_for("admin.users"))


def _user_page(user: User, status: int = 200, **forms):
    forms.setdefault("role_form", RoleForm(formdata=None, role=user.role))
    forms.setdefault("password_form", PasswordResetForm(formdata=None))
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc())
    ).all()
    return render_template("admin/user_detail.html", user=user, tokens=tokens,
                           action_form=ActionForm(formdata=None), **forms), status


@bp.route("/pengguna/<int:user_id>")
def user_detail(user_id: int):
    return _user_page(db.get_or_404(User, user_id))


def _user_form_post(user_id: int, form_name: str, form, apply: Callable[[User], str]):
    """A form on the user page: on error the page again, with the message on that form."""
    user = db.get_or_404(User, user_id)
    return submit_form(form, lambda: apply(user),
                       lambda status: _user_page(user, status, **{form_name: form}),
                       url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/peran", methods=["POST"])
def user_role(user_id: int):
    form = RoleForm()

    def apply(user: User) -> str:
        services.change_role(user, form.role.data, current_user)
        if user.role == "camat" and user.camat is None:
            flash(_("Akun ini belum terhubung ke camat. Hubungkan di halaman camat agar bisa "
                    "mengunggah."), "warning")
        return _("Peran %(username)s sekarang %(role)s.", username=user.username, role=user.role)

    return _user_form_post(user_id, "role_form", form, apply)


@bp.route("/pengguna/<int:user_id>/kata-sandi", methods=["POST"])
def user_password(user_id: int):
    form = PasswordResetForm()

    def apply(user: User) -> str:
        services.reset_password(user, form.password.data)
        return _("Kata sandi %(username)s sudah diganti.", username=user.username)

    return _user_form_post(user_id, "password_form", form, apply)


@bp.route("/pengguna/<int:user_id>/status", methods=["POST"])
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if request.form.get("active") not in ("0", "1"):
        abort(400, description=_("Status akun tidak dikenal."))
    active = request.form["active"] == "1"

    def do() -> str:
        services.set_active(user, active, current_user)
        if active:
            return _("Akun %(username)s aktif kembali.", username=user.username)
        return _("Akun %(username)s dinonaktifkan; ia tidak dapat masuk lagi.", username=user.username)

    return _action(do, url_for("admin.user_detail", user_id=user.id))


@bp.route("/pengguna/<int:user_id>/token", methods=["POST"])
def token_issue(user_id: int):
    user = db.get_or_404(User, user_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        token = services.issue_token(user)
    except Refused as err:
        discard()
        flash(err.message, "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    # Shown in this response only: never put in the session (a flash is a
    # cookie) nor in a URL, and not kept by the browser's cache.
    response = render_template("admin/token_issue.html", user=user, token=token)
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/pengguna/<int:user_id>/token/<int:token_id>/cabut", methods=["POST"])
def token_revoke(user_id: int, token_id: int):
    user = db.get_or_404(User, user_id)

    def do() -> str:
        services.revoke_token(user, token_id)
        return _("Token dicabut; skrip yang memakainya tidak dapat masuk lagi.")

    return _action(do, url_for("admin.user_detail", user_id=user.id))


# Kecamatan ---------------------------------------------------------------

@bp.route("/kecamatan")
def kecamatan():
    camat_count = (select(func.count(Camat.id)).where(Camat.kecamatan_id == Kecamatan.id)
                   .correlate(Kecamatan).scalar_subquery())
    rows = db.session.execute(
        select(Kecamatan, camat_count).order_by(Kecamatan.city, Kecamatan.name)).all()
    return render_template("admin/kecamatan.html", rows=rows)


def _kecamatan_form_page(row: Kecamatan):
    form = KecamatanForm(obj=row)

    def save() -> str:
        _fill(row, form, ("name", "city"))
        services.save_kecamatan(row)
        return _("Kecamatan %(name)s disimpan.", name=row.name)

    return _save(form, "admin/kecamatan_form.html", save, url_for("admin.kecamatan"),
                 row=row, new=row.id is None)


@bp.route("/kecamatan/baru", methods=["GET", "POST"])
def kecamatan_new():
    return _kecamatan_form_page(Kecamatan(city="Bandung"))


@bp.route("/kecamatan/<int:kecamatan_id>", methods=["GET", "POST"])
def kecamatan_edit(kecamatan_id: int):
    return _kecamatan_form_page(db.get_or_404(Kecamatan, kecamatan_id))


# Camat -------------------------------------------------------------------

@bp.route("/camat")
def camat():
    entry_count = (select(func.count(Entry.id)).where(Entry.camat_id == Camat.id)
                   .correlate(Camat).scalar_subquery())
    rows = db.session.execute(
        select(Camat, entry_count).join(Kecamatan)
        .options(selectinload(Camat.user), selectinload(Camat.kecamatan))
        .order_by(Kecamatan.name, Camat.name)
    ).all()
    return render_template("admin/camat.html", rows=rows, action_form=ActionForm())


def _camat_user_choices(row: Camat) -> list[SelectChoice]:
    """Camat logins not linked to another camat, and this camat's own."""
    users = db.session.scalars(
        select(User).outerjoin(Camat, Camat.user_id == User.id)
        .where(User.role == "camat", (Camat.id.is_(None)) | (User.id == row.user_id))
        .order_by(User.username)
    )
    return [SelectChoice("", _("- tanpa akun login -"))] + [
        SelectChoice(u.id, u.username) for u in users]


def _camat_form_page(row: Camat):
    form = CamatForm(obj=row)
    form.kecamatan_id.choices = _kecamatan_choices()
    form.user_id.choices = _camat_user_choices(row)

    def save() -> str:
        _fill(row, form, ("name", "kecamatan_id", "user_id", "bio"))
        services.save_camat(row)
        return _("Data %(name)s disimpan.", name=row.name)

    return _save(form, "admin/camat_form.html", save, url_for("admin.camat"),
                 row=row, new=row.id is None)


@bp.route("/camat/baru", methods=["GET", "POST"])
def camat_new():
    return _camat_form_page(Camat(bio=""))


@bp.route("/camat/<int:camat_id>", methods=["GET", "POST"])
def camat_edit(camat_id: int):
    return _camat_form_page(db.get_or_404(Camat, camat_id))


@bp.route("/camat/<int:camat_id>/hapus", methods=["POST"])
def camat_delete(camat_id: int):
    row = db.get_or_404(Camat, camat_id)

    def do() -> str:
        name = row.name
        services.delete_camat(row)
        return _("%(name)s dihapus.", name=name)

    return _action(do, url_for("admin.camat"))


# Trips -------------------------------------------------------------------

TRIP_FIELDS = ("slug", "title", "program", "origin_city", "host_city", "host_country", "year",
               "start_date", "end_date", "score_period", "description")


@bp.route("/kunjungan")
def trips():
    entry_count = (select(func.count(Entry.id)).where(Entry.trip_id == Trip.id)
                   .correlate(Trip).scalar_subquery())
    rows = db.session.execute(
        select(Trip, entry_count).options(selectinload(Trip.participants))
        .order_by(Trip.year.desc(), Trip.title)
    ).all()
    return render_template("admin/trips.html", rows=rows, action_form=ActionForm())


def _trip_form_page(row: Trip):
    form = TripForm(obj=row)
    camat_rows = db.session.scalars(select(Camat).join(Kecamatan).order_by(Kecamatan.name, Camat.name))
    form.participants.choices = [
        SelectChoice(c.id, c.name if c.kecamatan.name in c.name else f"{c.name} ({c.kecamatan.name})")
        for c in camat_rows]
    if not form.is_submitted():
        form.participants.data = [p.camat_id for p in row.participants]

    def save() -> str:
        _fill(row, form, TRIP_FIELDS)
        services.save_trip(row, form.participants.data or [])
        return _("Kunjungan %(title)s disimpan dengan %(count)d peserta.",
                 title=row.title, count=len(row.participants))

    return _save(form, "admin/trip_form.html", save, url_for("admin.trips"),
                 row=row, new=row.id is None)


@bp.route("/kunjungan/baru", methods=["GET", "POST"])
def trip_new():
    return _trip_form_page(Trip(origin_city="Bandung"))


@bp.route("/kunjungan/<int:trip_id>", methods=["GET", "POST"])
def trip_edit(trip_id: int):
    return _trip_form_page(db.get_or_404(Trip, trip_id))


@bp.route("/kunjungan/<int:trip_id>/hapus", methods=["POST"])
def trip_delete(trip_id: int):
    row = db.get_or_404(Trip, trip_id)

    def do() -> str:
        title = row.title
        services.delete_trip(row)
        return _("Kunjungan %(title)s dihapus.", title=title)

    return _action(do, url_for("admin.trips"))


# Topics ------------------------------------------------------------------

@bp.route("/topik")
def topics():
    entry_count = (select(func.count(Entry.id)).where(Entry.topic_id == Topic.id)
                   .correlate(Topic).scalar_subquery())
    rows = db.session.execute(select(Topic, entry_count).order_by(Topic.position, Topic.name_id)).all()
    return render_template("admin/topics.html", rows=rows, action_form=ActionForm())


def _topic_form_page(row: Topic):
    form = TopicForm(obj=row)

    def save() -> str:
        _fill(row, form, ("slug", "name_id", "name_en", "description", "position"))
        services.save_topic(row)
        return _("Topik %(name)s disimpan.", name=row.name_id)

    return _save(form, "admin/topic_form.html", save, url_for("admin.topics"),
                 row=row, new=row.id is None)


@bp.route("/topik/baru", methods=["GET", "POST"])
def topic_new():
    last = db.session.scalar(select(func.max(Topic.position)))
    return _topic_form_page(Topic(position=(last + 1) if last is not None else 0, description=""))


@bp.route("/topik/<int:topic_id>", methods=["GET", "POST"])
def topic_edit(topic_id: int):
    return _topic_form_page(db.get_or_404(Topic, topic_id))


@bp.route("/topik/<int:topic_id>/hapus", methods=["POST"])
def topic_delete(topic_id: int):
    row = db.get_or_404(Topic, topic_id)

    def do() -> str:
        name = row.name_id
        services.delete_topic(row)
        return _("Topik %(name)s dihapus.", name=name)

    return _action(do, url_for("admin.topics"))


# Score records -----------------------------------------------------------

SCORE_FIELDS = ("kecamatan_id", "period", "total", "rank", "zone", "public_service",
                "general_government", "environment", "innovation_happiness", "source")


@bp.route("/nilai")
def scores():
    periods = services.score_periods()
    period = request.args.get("periode") or (periods[0] if periods else "")
    records = services.score_records(period)
    return render_template("admin/scores.html", periods=periods, period=period, records=records,
                           shared_ranks=services.shared_ranks(records), action_form=ActionForm())


def _score_form_page(row: ScoreRecord):
    form = ScoreRecordForm(obj=row)
    form.kecamatan_id.choices = _kecamatan_choices()

    def save() -> str:
        _fill(row, form, SCORE_FIELDS)
        row.zone = row.zone or None
        kecamatan = services.save_score_record(row)
        return _("Nilai %(kecamatan)s periode %(period)s disimpan.",
                 kecamatan=kecamatan.name, period=row.period)

    done = url_for("admin.scores", periode=form.period.data or row.period or None)
    record_id = row.id

    def refused_context() -> dict:
        # A refused duplicate: offer the record that already exists.
        return {"existing": services.find_score_record(
            form.kecamatan_id.data, form.period.data, exclude_id=record_id)}

    return _save(form, "admin/score_form.html", save, done, refused_context,
                 row=row, new=record_id is None)


@bp.route("/nilai/baru", methods=["GET", "POST"])
def score_new():
    latest = services.score_periods()
    return _score_form_page(ScoreRecord(period=latest[0] if latest else "", source=""))


@bp.route("/nilai/<int:record_id>", methods=["GET", "POST"])
def score_edit(record_id: int):
    return _score_form_page(db.get_or_404(ScoreRecord, record_id))


@bp.route("/nilai/<int:record_id>/hapus", methods=["POST"])
def score_delete(record_id: int):
    row = db.get_or_404(ScoreRecord, record_id)
    period = row.period

    def do() -> str:
        name = row.kecamatan.name
        services.delete_score_record(row)
        return _("Nilai %(kecamatan)s periode %(period)s dihapus.", kecamatan=name, period=period)

    return _action(do, url_for("admin.scores", periode=period))
