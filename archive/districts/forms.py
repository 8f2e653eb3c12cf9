"""Forms of the evaluation's admin pages: a period with its criteria, one record,
an import, the award. The rules that need the database are in ``operations``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, NumberRange, Optional, Regexp

from ..admin.forms import (
    PERIOD_PATTERN,
    ZONE_LABELS,
    AdminForm,
    CommaDecimalField,
    _input_required,
    _required,
    _score,
    _strip,
    optional_id,
)
from .models import PERIOD_STATUSES, ZONES

STATUS_LABELS = {"draft": _l("Draf (hanya admin)"), "published": _l("Terbit (untuk umum)")}


def _count():
    return [Optional(), NumberRange(min=0, max=1000, message=_l("Isi bilangan 0 sampai 1000."))]


def _positive():
    return [Optional(), NumberRange(min=0, max=999, message=_l("Isi angka 0 sampai 999."))]


class CriterionForm(Form):
    """One criterion row (no CSRF of its own: it is part of the period form)."""

    id = HiddenField(filters=[lambda v: int(v) if v not in (None, "", "None") else None])
    name_id = StringField(_l("Nama (Bahasa Indonesia)"), filters=[_strip],
                          validators=[Length(max=300)])
    name_en = StringField(_l("Nama (English)"), filters=[_strip], validators=[Length(max=300)])
    weight = CommaDecimalField(_l("Bobot"), validators=_positive())
    maximum = CommaDecimalField(_l("Nilai maksimum"), validators=_positive())


class PeriodForm(AdminForm):
    code = StringField(_l("Kode periode"), filters=[_strip], validators=[
        _required(), Length(max=32, message=_l("Periode paling panjang 32 karakter.")),
        Regexp(PERIOD_PATTERN, message=_l("Periode berupa tahun atau kode pendek, misalnya 2018."))])
    name = StringField(_l("Nama"), filters=[_strip], validators=[Length(max=200)])
    start_date = DateField(_l("Tanggal mulai"), validators=[Optional()])
    end_date = DateField(_l("Tanggal selesai"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[SelectChoice(s, STATUS_LABELS[s])
                                                for s in PERIOD_STATUSES])
    green_min = CommaDecimalField(_l("Batas hijau (nilai minimal)"), validators=_score())
    yellow_min = CommaDecimalField(_l("Batas kuning (nilai minimal)"), validators=_score())
    published_green = IntegerField(_l("Kecamatan hijau"), validators=_count())
    published_yellow = IntegerField(_l("Kecamatan kuning"), validators=_count())
    published_red = IntegerField(_l("Kecamatan merah"), validators=_count())
    source = StringField(_l("Sumber"), filters=[_strip], validators=[Length(max=1000)])
    criteria = FieldList(FormField(CriterionForm), min_entries=0)

    FIELDS = ("code", "name", "start_date", "end_date", "status", "green_min", "yellow_min",
              "published_green", "published_yellow", "published_red", "source")


class RecordForm(AdminForm):
    """A record of one period; ``subscores`` has one entry per criterion, in order."""

    kecamatan_id = SelectField(_l("Kecamatan"), coerce=optional_id, validators=[_required()])
    total = CommaDecimalField(_l("Nilai total"), validators=_score())
    rank = IntegerField(_l("Peringkat"), validators=[
        Optional(), NumberRange(min=1, max=1000, message=_l("Peringkat minimal 1."))])
    zone = SelectField(_l("Zona"), choices=[SelectChoice("", "-")]
                       + [SelectChoice(z, ZONE_LABELS[z]) for z in ZONES])
    subscores = FieldList(CommaDecimalField(validators=_score()), min_entries=0)
    source = StringField(_l("Sumber"), filters=[_strip], validators=[
        Length(max=1000, message=_l("Sumber paling panjang 1000 karakter."))])
    verification_note = TextAreaField(_l("Catatan verifikasi"), filters=[_strip], validators=[
        Length(max=1000, message=_l("Catatan paling panjang 1000 karakter."))])


class ImportForm(AdminForm):
    period = SelectField(_l("Periode"), validators=[_required()])
    file = FileField(_l("Berkas CSV atau XLSX"))
    #: the rows of a previewed file, sent back with "apply"
    rows = HiddenField()
    filename = HiddenField()
    skip_bad = BooleanField(_l("Lewati baris yang bermasalah dan simpan yang lain"))


class AwardForm(AdminForm):
    period = SelectField(_l("Periode"), validators=[_required()])
    top_n = IntegerField(_l("Peringkat teratas"), default=10, validators=[
        _input_required(), NumberRange(min=1, max=1000, message=_l("Isi bilangan 1 sampai 1000."))])
    trip_id = SelectField(_l("Kunjungan"), coerce=optional_id, validators=[Optional()])
