"""Forms of the report builder (Flask-WTF, so every one carries a CSRF token)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from .models import RECOMMENDATION_STATUSES, ReportItem

TEXT_LIMIT = 50_000


def _optional_int(value):
    if value in (None, "", "None"):
        return None
    return int(value)


class ActionForm(FlaskForm):
    """A button that only posts (move, remove, publish): the form carries just the CSRF token."""


class CreateReportForm(FlaskForm):
    trip_id = SelectField(_l("Kunjungan"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Judul (boleh dikosongkan)"), validators=[Optional(), Length(max=300)])


class ReportForm(FlaskForm):
    title = StringField(_l("Judul laporan"), validators=[DataRequired(), Length(max=300)])
    title_en = StringField(_l("Judul laporan (English, boleh dikosongkan)"),
                           validators=[Optional(), Length(max=300)])
    opening = TextAreaField(_l("Pembuka (Markdown)"), validators=[Length(max=TEXT_LIMIT)])
    closing = TextAreaField(_l("Penutup dan kesimpulan (Markdown)"),
                            validators=[Length(max=TEXT_LIMIT)])


class NewSectionForm(FlaskForm):
    title = StringField(_l("Judul bagian baru"), validators=[DataRequired(), Length(max=300)])


class SectionForm(FlaskForm):
    title = StringField(_l("Judul bagian"), validators=[DataRequired(), Length(max=300)])
    topic_id = SelectField(_l("Topik tugas"), coerce=_optional_int, validate_choice=False)
    narrative = TextAreaField(_l("Narasi (Markdown)"), validators=[Length(max=TEXT_LIMIT)])
    notes = TextAreaField(_l("Catatan pembicara"), validators=[Length(max=TEXT_LIMIT)])


class AddItemForm(FlaskForm):
    entry_id = HiddenField(validators=[DataRequired()])


class ItemForm(FlaskForm):
    caption = TextAreaField(_l("Keterangan"), validators=[Length(max=TEXT_LIMIT)])
    excerpt = TextAreaField(_l("Kutipan untuk slide"), validators=[Length(max=ReportItem.EXCERPT_MAX)])
    notes = TextAreaField(_l("Catatan pembicara"), validators=[Length(max=TEXT_LIMIT)])


class OrderForm(FlaskForm):
    """The drag-and-drop enhancement posts the new order as comma-separated ids."""

    order = HiddenField(validators=[DataRequired()])


def recommendation_status_choices():
    from ..core.labels import status_label

    return [(s, status_label(s)) for s in RECOMMENDATION_STATUSES]


class RecommendationForm(FlaskForm):
    title = StringField(_l("Judul rekomendasi"), validators=[DataRequired(), Length(max=300)])
    topic_id = SelectField(_l("Topik tugas"), coerce=_optional_int, validate_choice=False)
    practice = TextAreaField(_l("Praktik yang dilihat di kota tujuan"),
                             validators=[Length(max=TEXT_LIMIT)])
    problem = TextAreaField(_l("Masalah di Bandung yang akan diatasi"),
                            validators=[Length(max=TEXT_LIMIT)])
    kecamatan_id = SelectField(_l("Lokasi penerapan"), coerce=_optional_int,
                               validate_choice=False)
    executor = StringField(_l("Pelaksana (dinas atau kantor)"), validators=[Length(max=300)])
    cost_effort = StringField(_l("Perkiraan biaya atau upaya"), validators=[Length(max=300)])
    status = SelectField(_l("Status"), validators=[DataRequired()])
    status_note = TextAreaField(_l("Catatan status"), validators=[Length(max=TEXT_LIMIT)])
    entry_ids = SelectMultipleField(_l("Entri yang menunjukkan praktik ini"), coerce=int,
                                    validate_choice=False)


class RecommendationStatusForm(FlaskForm):
    status = SelectField(_l("Status"), validators=[DataRequired()])
    status_note = TextAreaField(_l("Catatan status"), validators=[Length(max=TEXT_LIMIT)])
