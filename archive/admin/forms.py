"""Forms of the admin pages (Flask-WTF, CSRF on), with Indonesian validation messages.

Choices that come from the database (kecamatan, camat, users) are filled in by
the view; the rules that need the database (a slug or a score record that
already exists) live in ``services`` so that they are checked in the same
transaction that saves.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from ..models import ROLES

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
USERNAME_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"
PERIOD_PATTERN = r"^[0-9A-Za-z][0-9A-Za-z._-]*$"
ZONE_LABELS = {"green": _l("hijau"), "yellow": _l("kuning"), "red": _l("merah")}
ROLE_LABELS = {"admin": _l("Admin (bagian pemerintahan kota)"), "camat": _l("Camat")}

# WTForms ships no Indonesian catalog, and its own messages (a number that is
# not a number, a choice not offered) would otherwise appear in English.
_WTFORMS_MESSAGES = {
    "This field is required.": _l("Wajib diisi."),
    "Not a valid integer value.": _l("Isi dengan bilangan bulat."),
    "Not a valid decimal value.": _l("Isi dengan angka, misalnya 87,25."),
    "Not a valid float value.": _l("Isi dengan angka, misalnya 87,25."),
    "Not a valid date value.": _l("Isi dengan tanggal yang sah."),
    "Not a valid choice.": _l("Pilihan ini tidak tersedia."),
    "Invalid Choice: could not coerce.": _l("Pilihan ini tidak tersedia."),
    "'%(value)s' is not a valid choice for this field.": _l("Pilihan ini tidak tersedia."),
    "'%(value)s' are not valid choices for this field.": _l("Pilihan ini tidak tersedia."),
}


class _IndonesianMessages:
    """The translations object WTForms asks for its built-in messages."""

    def gettext(self, string: str) -> str:
        return str(_WTFORMS_MESSAGES.get(string, string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class AdminForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _IndonesianMessages()


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def optional_id(value) -> int | None:
    """Coerce a select's value to an id; the empty option means none."""
    if value in (None, "", "None"):
        return None
    return int(value)


class CommaDecimalField(DecimalField):
    """A decimal that also accepts the Indonesian decimal comma (87,25).

    A text input, because a browser's number input refuses the comma in some locales.
    """

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().replace(",", ".")]
        super().process_formdata(valuelist)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _required():
    return DataRequired(message=_l("Wajib diisi."))


def _input_required():
    """For numbers: 0 is an answer, and a typo gets "not a number" rather than "required"."""
    return InputRequired(message=_l("Wajib diisi."))


def _slug():
    return [
        _required(),
        Length(max=64, message=_l("Slug paling panjang 64 karakter.")),
        Regexp(SLUG_PATTERN, message=_l(
            "Slug hanya boleh berisi huruf kecil, angka dan tanda hubung, misalnya \"taman-kota\".")),
    ]


def _score(required: bool = False):
    def two_decimals(form, field) -> None:
        if field.data is not None and field.data != field.data.quantize(Decimal("0.01")):
            raise ValidationError(gettext("Nilai paling banyak dua angka di belakang koma."))

    return [
        _input_required() if required else Optional(),
        NumberRange(min=0, max=100, message=_l("Nilai harus antara 0 dan 100.")),
        two_decimals,
    ]


class UserCreateForm(AdminForm):
    username = StringField(_l("Nama pengguna"), filters=[_strip], validators=[
        _required(),
        Length(min=3, max=64, message=_l("Nama pengguna harus 3 sampai 64 karakter.")),
        Regexp(USERNAME_PATTERN, message=_l(
            "Nama pengguna hanya boleh berisi huruf kecil, angka, titik, garis bawah dan tanda hubung.")),
    ])
    role = SelectField(_l("Peran"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES],
                       default="camat")
    kecamatan_id = SelectField(_l("Kecamatan (untuk peran camat)"), coerce=optional_id)
    camat_name = StringField(
        _l("Nama camat (bila data camat baru dibuat)"), filters=[_strip],
        validators=[Length(max=200, message=_l("Nama paling panjang 200 karakter."))])
    password = PasswordField(_l("Kata sandi"), validators=[
        _required(), Length(min=8, max=200, message=_l("Kata sandi harus 8 sampai 200 karakter."))])
    confirm = PasswordField(_l("Ulangi kata sandi"), validators=[
        _required(), EqualTo("password", message=_l("Kedua kata sandi tidak sama."))])

    def validate_kecamatan_id(self, field) -> None:
        if self.role.data == "camat" and field.data is None:
            raise ValidationError(gettext("Pilih kecamatan yang dipimpin camat ini."))
        if self.role.data == "admin" and field.data is not None:
            raise ValidationError(gettext("Hanya pengguna camat yang dihubungkan ke kecamatan."))


class RoleForm(AdminForm):
    role = SelectField(_l("Peran"), choices=[SelectChoice(r, ROLE_LABELS[r]) for r in ROLES])


class PasswordResetForm(AdminForm):
    password = PasswordField(_l("Kata sandi baru"), validators=[
        _required(), Length(min=8, max=200, message=_l("Kata sandi harus 8 sampai 200 karakter."))])
    confirm = PasswordField(_l("Ulangi kata sandi baru"), validators=[
        _required(), EqualTo("password", message=_l("Kedua kata sandi tidak sama."))])


class ActionForm(AdminForm):
    """A button that changes something (deactivate, revoke, delete): only the CSRF token."""


class KecamatanForm(AdminForm):
    name = StringField(_l("Nama kecamatan"), filters=[_strip], validators=[
        _required(), Length(max=120, message=_l("Nama paling panjang 120 karakter."))])
    city = StringField(_l("Kota"), filters=[_strip], default="Bandung", validators=[
        _required(), Length(max=120, message=_l("Nama kota paling panjang 120 karakter."))])


class CamatForm(AdminForm):
    name = StringField(_l("Nama"), filters=[_strip], validators=[
        _required(), Length(max=200, message=_l("Nama paling panjang 200 karakter."))])
    kecamatan_id = SelectField(_l("Kecamatan"), coerce=optional_id, validators=[_required()])
    user_id = SelectField(_l("Akun login"), coerce=optional_id)
    bio = TextAreaField(_l("Profil singkat"), filters=[_strip], validators=[
        Length(max=5000, message=_l("Profil paling panjang 5000 karakter."))])


class TripForm(AdminForm):
    slug = StringField(_l("Slug (alamat halaman)"), filters=[_strip], validators=_slug())
    title = StringField(_l("Judul"), filters=[_strip], validators=[
        _required(), Length(max=300, message=_l("Judul paling panjang 300 karakter."))])
    title_en = StringField(_l("Judul (English)"), filters=[_strip], validators=[
        Length(max=300, message=_l("Judul paling panjang 300 karakter."))])
    program = StringField(_l("Program"), filters=[_strip], validators=[
        Length(max=300, message=_l("Nama program paling panjang 300 karakter."))])
    origin_city = StringField(_l("Kota asal"), filters=[_strip], default="Bandung", validators=[
        _required(), Length(max=120, message=_l("Nama kota paling panjang 120 karakter."))])
    host_city = StringField(_l("Kota tujuan"), filters=[_strip], validators=[
        _required(), Length(max=120, message=_l("Nama kota paling panjang 120 karakter."))])
    host_country = StringField(_l("Negara tujuan"), filters=[_strip], validators=[
        Length(max=120, message=_l("Nama negara paling panjang 120 karakter."))])
    year = IntegerField(_l("Tahun"), validators=[
        _input_required(),
        NumberRange(min=1945, max=2100, message=_l("Tahun harus antara 1945 dan 2100."))])
    start_date = DateField(_l("Tanggal mulai"), validators=[Optional()])
    end_date = DateField(_l("Tanggal selesai"), validators=[Optional()])
    #: choices: the scoring periods (``districts.operations.periods.period_choices``)
    score_period = SelectField(_l("Periode penilaian yang menjadi dasar"), validate_choice=False,
                               validators=[_required()])
    description = TextAreaField(_l("Keterangan"), filters=[_strip], validators=[
        Length(max=10000, message=_l("Keterangan paling panjang 10000 karakter."))])
    description_en = TextAreaField(_l("Keterangan (English)"), filters=[_strip], validators=[
        Length(max=10000, message=_l("Keterangan paling panjang 10000 karakter."))])
    participants = MultiCheckboxField(_l("Peserta"), coerce=int)

    def validate_end_date(self, field) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(gettext("Tanggal selesai tidak boleh sebelum tanggal mulai."))

    def validate_score_period(self, field) -> None:
        if field.data not in {code for code, _label in field.choices}:
            raise ValidationError(gettext(
                "Periode %(code)s belum ada. Tambahkan dulu di Nilai kinerja > Periode dan "
                "kriteria.", code=field.data))


class TopicForm(AdminForm):
    slug = StringField(_l("Slug (alamat halaman)"), filters=[_strip], validators=_slug())
    name_id = StringField(_l("Nama (Bahasa Indonesia)"), filters=[_strip], validators=[
        _required(), Length(max=200, message=_l("Nama paling panjang 200 karakter."))])
    name_en = StringField(_l("Nama (English)"), filters=[_strip], validators=[
        _required(), Length(max=200, message=_l("Nama paling panjang 200 karakter."))])
    description = TextAreaField(_l("Keterangan"), filters=[_strip], validators=[
        Length(max=5000, message=_l("Keterangan paling panjang 5000 karakter."))])
    description_en = TextAreaField(_l("Keterangan (English)"), filters=[_strip], validators=[
        Length(max=5000, message=_l("Keterangan paling panjang 5000 karakter."))])
    position = IntegerField(_l("Urutan"), default=0, validators=[
        Optional(), NumberRange(min=0, max=1000, message=_l("Urutan harus antara 0 dan 1000."))])
