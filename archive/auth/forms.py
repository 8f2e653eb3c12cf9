"""Login form."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class LoginForm(FlaskForm):
    username = StringField(_l("Nama pengguna"), validators=[DataRequired(), Length(max=64)])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(), Length(max=200)])
    remember = BooleanField(_l("Ingat saya"))
