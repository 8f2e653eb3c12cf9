"""Report pages (blueprint ``reports``): ``reading`` (the list, a report, the
public recommendations), ``building`` (the builder: report, sections, items), ``section`` (a section's page and its photo picker)
and ``cards`` (recommendation cards); ``common`` holds the blueprint and the
builder's shared helpers. Every rule is in ``reports.operations``."""
from . import building, cards, reading, section  # noqa: F401  (they add their routes to bp)
from .common import bp

__all__ = ["bp"]
