"""Who may see a scoring period: a published one is for everyone, a draft for admins."""
from __future__ import annotations

from flask import g
from flask_login import current_user
from sqlalchemy import ColumnElement, true

from .models import ScorePeriod


def sees_drafts() -> bool:
    """An admin on the site, or an admin's token under ``/api/``."""
    user = g.get("api_user") if "api_user" in g else current_user
    return bool(user is not None and getattr(user, "is_authenticated", False)
                and getattr(user, "is_admin", False))


def can_see(period: ScorePeriod | None) -> bool:
    return period is not None and (period.published or sees_drafts())


def period_clause() -> ColumnElement[bool]:
    """For a query over ``ScorePeriod``: the periods the asker may see."""
    return true() if sees_drafts() else ScorePeriod.status == "published"
