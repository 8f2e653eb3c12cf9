"""The one rule for a new password: long enough, and not easy to guess.

Strength is judged by zxcvbn (Dropbox's estimator: dictionaries of common
passwords, names and words, keyboard patterns, dates, repeats), with the user
name and the archive's own words as things a guesser would try first.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..core.refusal import Refused

MIN_LENGTH = 10
#: zxcvbn's score from 0 (guessed at once) to 4; 3 means "safely unguessable"
MIN_SCORE = 3
#: words a guesser of this archive would try first
ARCHIVE_WORDS = ["arsip", "studi", "banding", "bandung", "seoul", "camat", "kecamatan",
                 "admin", "demo", "rahasia", "password", "katasandi"]


def require_strong(password: str, username: str = "") -> None:
    """Refuse (422, field "password") a password that is too short or too easy to guess."""
    if len(password) < MIN_LENGTH:
        raise Refused(_("Kata sandi minimal %(min)d karakter.", min=MIN_LENGTH), field="password")
    # Imported here: its dictionaries take 12 MiB in every worker, and only the
    # few requests that set a password need them.
    from zxcvbn import zxcvbn

    # zxcvbn's cost grows with the length; the forms cap passwords at 200 characters.
    if zxcvbn(password[:100], user_inputs=[username, *ARCHIVE_WORDS])["score"] < MIN_SCORE:
        raise Refused(_("Kata sandi ini terlalu umum atau mudah ditebak. Gunakan beberapa kata "
                        "yang tidak berhubungan, angka dan tanda baca."), field="password")
