"""Guessing stopped: failed logins and failed API tokens are counted and, past a
limit, refused for a while with a message saying when to try again.

Counting is Flask-Limiter's (``extensions.limiter``, the ``limits`` library):
in memory by default, in Redis when ``ARCHIVE_RATELIMIT_STORAGE_URL`` is set,
so that every worker process shares the counts. Only failures count, so a
user who types the right password is never slowed; the limits are per user
name (someone guessing one account from many addresses) and per address
(someone trying many accounts).
"""
from __future__ import annotations

import math
import time

from flask import current_app, request
from flask_babel import ngettext
from limits import parse

from ..core.refusal import Refused
from ..extensions import limiter

#: (config key of the limit, what the key is made of)
LOGIN_LIMITS = (("LOGIN_FAILURES_PER_USER", "user"), ("LOGIN_FAILURES_PER_ADDRESS", "address"))
TOKEN_LIMITS = (("TOKEN_FAILURES_PER_ADDRESS", "address"),)


class TooManyAttempts(Refused):
    """429 with the seconds until the next attempt is allowed (the Retry-After header)."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, 429)
        self.retry_after = retry_after


def _keys(limits, username: str = ""):
    address = request.remote_addr or "unknown"
    for config_key, kind in limits:
        item = parse(current_app.config[config_key])
        yield item, config_key, (" ".join(username.lower().split()) if kind == "user" else address)


def check(limits, username: str = "") -> None:
    """Refuse (429) when any of ``limits`` is used up; counts nothing."""
    strategy = limiter.limiter
    for item, namespace, key in _keys(limits, username):
        if not strategy.test(item, namespace, key):
            reset_at = strategy.get_window_stats(item, namespace, key).reset_time
            seconds = max(1, math.ceil(reset_at - time.time()))
            minutes = math.ceil(seconds / 60)
            raise TooManyAttempts(ngettext(
                "Terlalu banyak percobaan yang gagal. Coba lagi dalam %(num)d menit.",
                "Terlalu banyak percobaan yang gagal. Coba lagi dalam %(num)d menit.",
                minutes), seconds)


def failed(limits, username: str = "") -> None:
    """Count one failure against each of ``limits``."""
    strategy = limiter.limiter
    for item, namespace, key in _keys(limits, username):
        strategy.hit(item, namespace, key)
