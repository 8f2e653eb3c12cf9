"""Every feature's tables, in one place.

Each feature keeps its tables in its own ``models.py`` (``entries``,
``districts``, ``trips``, ``auth``, ``reports``); this module gathers them so
that Alembic, the tests and code that needs several features' tables import
one name. No feature's models module imports this one, so there is no cycle.
"""
from ..auth.models import ROLES, ApiToken, User
from ..districts.models import (
    PERIOD_STATUSES, ZONES, Camat, Kecamatan, ScoreCriterion, ScorePeriod, ScoreRecord, SubScore,
)
from ..entries.models import KINDS, STATUSES, Entry, PaperPage, StoredFile, Tag, Topic, entry_tags
from ..reports.models import Recommendation, Report, ReportItem, ReportSection
from ..trips.models import Trip, TripParticipant
from ..uploads.models import PartialUpload

__all__ = [
    "ApiToken", "Camat", "Entry", "KINDS", "Kecamatan", "PaperPage", "PartialUpload", "ROLES", "Recommendation",
    "Report", "ReportItem", "ReportSection", "STATUSES", "PERIOD_STATUSES", "ScoreCriterion", "ScorePeriod",
    "ScoreRecord", "SubScore", "StoredFile", "Tag",
    "Topic", "Trip", "TripParticipant", "User", "ZONES", "entry_tags",
]
