"""Admin page for synonym groups: /admin/sinonim (list, add, edit, delete)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..auth.permissions import admin_required
from ..extensions import db
from .models import SearchSynonym
from .synonyms import parse_terms

bp = Blueprint("search_admin", __name__, url_prefix="/admin/sinonim")


class SynonymForm(FlaskForm):
    terms = StringField(
        _l("Kata-kata yang bermakna sama (pisahkan dengan koma)"),
        validators=[DataRequired(message=_l("Isi minimal dua kata.")), Length(max=1000)],
    )

    def validate_terms(self, field) -> None:
        if len(parse_terms(field.data or "")) < 2:
            raise ValidationError(_("Isi minimal dua kata atau frasa, dipisahkan koma."))


class DeleteForm(FlaskForm):
    pass


@bp.route("/", methods=["GET", "POST"])
@admin_required
def synonyms():
    form = SynonymForm()
    if form.validate_on_submit():
        db.session.add(SearchSynonym(terms=", ".join(parse_terms(form.terms.data))))
        flash(_("Kelompok sinonim ditambahkan."), "success")
        return redirect(url_for(".synonyms"))
    groups = db.session.scalars(select(SearchSynonym).order_by(SearchSynonym.id)).all()
    status = 422 if form.is_submitted() else 200
    return render_template("search/admin_synonyms.html", form=form, groups=groups,
                           delete_form=DeleteForm()), status


@bp.route("/<int:synonym_id>", methods=["GET", "POST"])
@admin_required
def edit(synonym_id: int):
    group = db.get_or_404(SearchSynonym, synonym_id)
    form = SynonymForm(obj=group)
    if form.validate_on_submit():
        group.terms = ", ".join(parse_terms(form.terms.data))
        flash(_("Kelompok sinonim disimpan."), "success")
        return redirect(url_for(".synonyms"))
    status = 422 if form.is_submitted() else 200
    return render_template("search/admin_synonym_edit.html", form=form, group=group), status


@bp.route("/<int:synonym_id>/hapus", methods=["POST"])
@admin_required
def delete(synonym_id: int):
    group = db.get_or_404(SearchSynonym, synonym_id)
    if not DeleteForm().validate_on_submit():
        abort(400)
    db.session.delete(group)
    flash(_("Kelompok sinonim dihapus."), "success")
    return redirect(url_for(".synonyms"))
