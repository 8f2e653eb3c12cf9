"""Forms for uploading a batch and editing one entry.

Labels are lazy so they follow the page's language; every field's errors are
shown next to it by templates/_forms.html.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    FloatField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError, Length, NumberRange, Optional

from ..core.refusal import Refused
from ..models import Tag

# WTForms 3.3 deprecates (value, label) tuples; SelectChoice is the supported form.
STATUS_CHOICES = [SelectChoice("draft", _l("Draf (hanya Anda yang melihat)")),
                  SelectChoice("published", _l("Terbitkan (terlihat oleh semua)"))]


class DecimalCommaFloatField(FloatField):
    """A number typed the Indonesian way (-6,9175) or the English way (-6.9175).

    WTForms has no Indonesian catalogue, so the parse error is our own sentence.
    """

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = float(valuelist[0].strip().replace(",", "."))
        except ValueError:
            self.data = None
            raise ValueError(_l("Masukkan angka, misalnya -6,9175.")) from None


class _ChoiceInIndonesian:
    """WTForms says "Not a valid choice." in English only; say it in the page's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(_l("Pilihan ini tidak tersedia.")) from None

    def pre_validate(self, form):
        try:
            super().pre_validate(form)
        except ValueError:
            raise ValidationError(_l("Pilihan ini tidak tersedia.")) from None


def _max(n: int) -> Length:
    return Length(max=n, message=_l("Paling banyak %(max)d karakter."))


class ChoiceField(_ChoiceInIndonesian, SelectField):
    pass


class StatusField(_ChoiceInIndonesian, RadioField):
    pass


def _optional_int(value):
    """'' from the empty option means 'no topic'."""
    if value in (None, "", "None"):
        return None
    return int(value)


def _tags_valid(form, field) -> None:
    """The Tag model's one rule for tags (length, count), as a field error."""
    try:
        Tag.normalise(field.data)
    except Refused as refusal:
        raise ValidationError(refusal.message) from None


class UploadForm(FlaskForm):
    files = MultipleFileField(_l("Berkas foto (JPEG, PNG, HEIC) atau paper (PDF)"))
    trip = ChoiceField(_l("Kunjungan"), coerce=int)
    topic = ChoiceField(_l("Topik tugas"), coerce=_optional_int, validators=[Optional()])
    tags = StringField(_l("Tag (pisahkan dengan koma)"), validators=[_max(500), _tags_valid])
    place_name = StringField(_l("Nama tempat"), validators=[_max(300)])
    description = TextAreaField(_l("Keterangan"), validators=[_max(5000)])
    status = StatusField(_l("Status"), choices=STATUS_CHOICES, default="draft")


class EntryForm(FlaskForm):
    title = StringField(_l("Judul"), validators=[DataRequired(message=_l("Judul wajib diisi.")),
                                                 _max(300)])
    description = TextAreaField(_l("Keterangan"), validators=[_max(20000)])
    topic = ChoiceField(_l("Topik tugas"), coerce=_optional_int, validators=[Optional()])
    tags = StringField(_l("Tag (pisahkan dengan koma)"), validators=[_max(500), _tags_valid])
    place_name = StringField(_l("Nama tempat"), validators=[_max(300)])
    taken_at = DateTimeLocalField(
        _l("Waktu pengambilan"), format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()], invalid_value_message=_l("Tanggal dan jam tidak sah."),
    )
    latitude = DecimalCommaFloatField(_l("Lintang (latitude)"), validators=[
        Optional(), NumberRange(min=-90, max=90, message=_l("Lintang harus antara -90 dan 90."))])
    longitude = DecimalCommaFloatField(_l("Bujur (longitude)"), validators=[
        Optional(), NumberRange(min=-180, max=180, message=_l("Bujur harus antara -180 dan 180."))])
    status = StatusField(_l("Status"), choices=STATUS_CHOICES)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        # A position needs both halves; one alone would put a pin in the wrong place.
        if (self.latitude.data is None) != (self.longitude.data is None) and not (
                self.latitude.errors or self.longitude.errors):
            message = _l("Isi lintang dan bujur sekaligus, atau kosongkan keduanya.")
            (self.longitude if self.longitude.data is None else self.latitude).errors.append(message)
            ok = False
        return ok


class ConfirmForm(FlaskForm):
    """An empty form: only its CSRF token, for delete and publish buttons."""
