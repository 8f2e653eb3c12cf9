"""Entry pages: upload, detail, edit, delete, publish, my entries, and the entry's files."""
from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from ..auth import camat_required
from ..core.bilingual import text_in_language
from ..core.redirects import safe_path
from ..extensions import db
from ..main.queries import with_card_data
from ..models import Entry, Tag, Topic
from ..trips.operations import trips_of
from . import operations
from .downloads import set_content_disposition
from .forms import ConfirmForm, EntryForm, UploadForm
from .visibility import current_viewer

bp = Blueprint("entries", __name__, url_prefix="/entri")

#: A year: thumbnails and originals of an entry never change (the file is fixed per entry).
FILE_MAX_AGE = 365 * 24 * 3600


def _topic_choices() -> list[SelectChoice]:
    from ..main.helpers import topic_label

    topics = db.session.scalars(select(Topic).order_by(Topic.position, Topic.id))
    return [SelectChoice("", _("— pilih topik —"))] + [
        SelectChoice(t.id, topic_label(t)) for t in topics]


def _visible_entry(entry_id: int) -> Entry:
    """The entry, or 404 when it does not exist or is a draft this user may not see."""
    entry = db.get_or_404(Entry, entry_id)
    if not current_viewer().can_see(entry):
        abort(404)
    return entry


def _editable_entry(entry_id: int) -> Entry:
    entry = _visible_entry(entry_id)
    if not current_viewer().can_edit(entry):
        abort(403, description=_("Hanya penulis entri ini atau admin yang boleh mengubahnya."))
    return entry


# ---- upload ---------------------------------------------------------------

@bp.route("/unggah", methods=["GET", "POST"])
@camat_required
def upload():
    camat = current_user.camat
    trips = trips_of(camat)
    form = UploadForm()
    form.trip.choices = [SelectChoice(t.id, f"{text_in_language(t, 'title')} ({t.year})")
                         for t in trips]
    form.topic.choices = _topic_choices()
    if not trips:
        flash(_("Anda belum terdaftar sebagai peserta kunjungan mana pun. Hubungi admin."), "error")
        return render_template("entries/upload.html", form=form, trips=trips), (
            409 if request.method == "POST" else 200)
    if request.method == "GET":
        form.trip.data = trips[0].id
        return render_template("entries/upload.html", form=form, trips=trips)

    files = [f for f in request.files.getlist(form.files.name) if f and f.filename]
    if not form.validate():
        return render_template("entries/upload.html", form=form, trips=trips), 400
    if not files:
        form.files.errors = [_("Pilih minimal satu berkas foto atau PDF.")]
        return render_template("entries/upload.html", form=form, trips=trips), 400

    from ..ingest.pipeline import EntryFields, Upload, ingest_batch

    trip = next(t for t in trips if t.id == form.trip.data)
    fields = EntryFields(
        # Fields left out of the POST (scripts, old forms) arrive as None.
        description=(form.description.data or "").strip(),
        topic_id=form.topic.data,
        tags=Tag.normalise(form.tags.data),
        place_name=(form.place_name.data or "").strip(),
        status=form.status.data or "draft",
    )
    results = ingest_batch([Upload(filename=f.filename, stream=f.stream) for f in files], fields,
                           camat=camat, trip=trip, answer_first=True)
    return render_template("entries/upload_results.html", results=results,
                           trip=trip), _batch_status(results)


def _batch_status(results: list) -> int:
    """201 when every file was added, the failure's 4xx when every file failed, else 200."""
    if results and all(r.status == "added" for r in results):
        return 201
    if results and all(r.status == "failed" for r in results):
        return results[0].http_status
    return 200


# ---- reading --------------------------------------------------------------

@bp.route("/<int:entry_id>")
def detail(entry_id: int):
    entry = _visible_entry(entry_id)
    from ..search import more_like_this

    viewer = current_viewer()
    related = more_like_this(entry, viewer=viewer)
    excerpt = ""
    if entry.kind == "paper" and entry.file.text_available:
        excerpt = entry.file.full_text.strip()[:1500]
    return render_template(
        "entries/detail.html", entry=entry, record=entry.score_record(), related=related,
        excerpt=excerpt, confirm_form=ConfirmForm(),
        can_edit=viewer.can_edit(entry),
    )


@bp.route("/saya")
@camat_required
def mine():
    camat = current_user.camat
    entries = db.session.scalars(
        with_card_data(select(Entry)).where(Entry.camat_id == camat.id)
        .order_by(Entry.status, Entry.created_at.desc(), Entry.id.desc())
    ).all()
    counts = dict(db.session.execute(
        select(Entry.status, func.count(Entry.id)).where(Entry.camat_id == camat.id)
        .group_by(Entry.status)).all())
    return render_template("entries/mine.html", camat=camat, entries=entries,
                           drafts=[e for e in entries if e.status == "draft"],
                           published=[e for e in entries if e.status == "published"],
                           counts=counts, confirm_form=ConfirmForm())


# ---- changing -------------------------------------------------------------

@bp.route("/<int:entry_id>/ubah", methods=["GET", "POST"])
@login_required
def edit(entry_id: int):
    entry = _editable_entry(entry_id)
    form = EntryForm(obj=entry if request.method == "GET" else None)
    form.topic.choices = _topic_choices()
    if request.method == "GET":
        form.topic.data = entry.topic_id
        form.tags.data = ", ".join(entry.tag_names)
    if form.validate_on_submit():
        operations.apply_changes(entry, operations.EntryChanges(
            title=form.title.data, description=form.description.data or "",
            topic_id=form.topic.data, tags=Tag.normalise(form.tags.data),
            place_name=form.place_name.data or "", taken_at=form.taken_at.data,
            latitude=form.latitude.data, longitude=form.longitude.data, status=form.status.data,
        ))
        flash(_("Perubahan disimpan."), "success")
        return redirect(url_for("entries.detail", entry_id=entry.id))
    status = 400 if request.method == "POST" else 200
    if status == 400:
        flash(_("Periksa kembali isian yang ditandai."), "error")
    return render_template("entries/edit.html", entry=entry, form=form), status


@bp.route("/<int:entry_id>/hapus", methods=["GET", "POST"])
@login_required
def delete(entry_id: int):
    entry = _editable_entry(entry_id)
    form = ConfirmForm()
    if request.method == "GET":
        return render_template("entries/delete.html", entry=entry, form=form)
    if not form.validate_on_submit():
        abort(400)
    title = entry.title
    operations.delete_entry(entry)
    flash(_("Entri \u201c%(title)s\u201d telah dihapus.", title=title), "success")
    if current_user.camat is not None:
        return redirect(url_for("entries.mine"))
    return redirect(url_for("main.home"))


@bp.route("/<int:entry_id>/terbitkan", methods=["POST"])
@login_required
def publish(entry_id: int):
    """Publish, or with ``action=unpublish`` take back to draft."""
    entry = _editable_entry(entry_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    unpublish = request.form.get("action") == "unpublish"
    operations.set_status(entry, "draft" if unpublish else "published")
    flash(_("Entri dikembalikan menjadi draf.") if unpublish else _("Entri telah diterbitkan."),
          "success")
    return redirect(_safe_back(url_for("entries.detail", entry_id=entry.id)))


def _safe_back(default: str) -> str:
    return safe_path(request.form.get("next"), default)


# ---- files ----------------------------------------------------------------

def _cache_headers(response: Response, entry: Entry) -> Response:
    # Drafts may be cached only by the author's own browser.
    response.cache_control.public = entry.is_published
    response.cache_control.private = not entry.is_published
    response.cache_control.max_age = FILE_MAX_AGE if entry.is_published else 0
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/<int:entry_id>/thumb/<size>.jpg")
@bp.route("/<int:entry_id>/halaman/<int:page>/<size>.jpg")
def thumbnail(entry_id: int, size: str, page: int = 1):
    """A photo's thumbnail, or a paper's page ``page`` (its first by default) as a preview."""
    from ..ingest.previews import preview_file
    from ..ingest.thumbnails import THUMBNAIL_SIZES, thumbnail_file

    entry = _visible_entry(entry_id)
    if size not in THUMBNAIL_SIZES or (entry.kind == "photo" and page != 1):
        abort(404)
    try:
        path = (thumbnail_file(entry.file, size) if entry.kind == "photo"
                else preview_file(entry.file, size, page))
    except FileNotFoundError:
        abort(404, description=_("Berkas asli entri ini tidak ditemukan di penyimpanan."))
    if path is None:  # a locked or damaged paper: the pages show the generic box
        abort(404)
    response = send_file(path, mimetype="image/jpeg",
                         etag=path.stem, conditional=True,
                         last_modified=entry.file.created_at)
    _cache_headers(response, entry)
    if entry.is_published:
        # Content-addressed: the same entry's thumbnail never changes.
        response.cache_control.immutable = True
    return response


@bp.route("/<int:entry_id>/unduh")
def original(entry_id: int):
    entry = _visible_entry(entry_id)
    stored = entry.file
    response = send_file(_original_or_404(entry), mimetype=stored.mime_type, as_attachment=True,
                         etag=stored.sha256, conditional=True)
    set_content_disposition(response, entry, attachment=True)
    return _cache_headers(response, entry)


@bp.route("/<int:entry_id>/paper.pdf")
def paper(entry_id: int):
    entry = _visible_entry(entry_id)
    if entry.kind != "paper":
        abort(404)
    # inline with the original name, so the browser's viewer titles and saves it sensibly
    response = send_file(_original_or_404(entry), mimetype="application/pdf",
                         as_attachment=False, etag=entry.file.sha256, conditional=True)
    set_content_disposition(response, entry, attachment=False)
    response.headers["Content-Security-Policy"] = "sandbox"
    return _cache_headers(response, entry)


def _original_or_404(entry: Entry) -> Path:
    from ..ingest.storage import original_path

    path = original_path(entry.file)
    if not path.is_file():
        abort(404, description=_("Berkas asli entri ini tidak ditemukan di penyimpanan."))
    return path
