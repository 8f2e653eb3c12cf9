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
