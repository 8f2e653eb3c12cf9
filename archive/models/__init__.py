"""The archive's tables, one module per part of the domain."""
from .district import ZONES, Camat, Kecamatan, ScoreRecord
from .entry import KINDS, STATUSES, Entry, PaperPage, StoredFile, Tag, Topic, entry_tags
from .trip import Trip, TripParticipant
from .user import ROLES, ApiToken, User

__all__ = [
    "ApiToken", "Camat", "Entry", "KINDS", "Kecamatan", "PaperPage", "ROLES", "STATUSES",
    "ScoreRecord", "StoredFile", "Tag", "Topic", "Trip", "TripParticipant", "User", "ZONES",
    "entry_tags",
]

# Feature packages keep their own tables; importing them here puts every table
# in the metadata that Alembic and the tests see.
from ..reports import models as _report_models  # noqa: E402,F401
