"""Report operations: every rule for building a report, shared by the pages
(``reports/views.py``) and the JSON API (``reports/api.py``).

Everything here only flushes; the request's transaction boundary commits. A
refused action raises :class:`~archive.core.refusal.Refused` with a message
for the user and the HTTP status that fits it.

- ``lookup``: reports and their parts for a viewer, whose report is whose;
- ``reports``: create, change, publish, delete a report;
- ``sections``: sections and the entries chosen for them (items);
- ``picker``: finding the author's entries for a section, adding many at once;
  ``captions``: the caption proposed for a chosen entry;
- ``recommendations``: recommendation cards and their public list;
- ``common``: limits, text cleaning, and keeping positions dense.
"""
from ...core.labels import status_label
from ...core.refusal import Refused
from .common import EXECUTOR_SUGGESTIONS, TEXT_MAX, TITLE_MAX
from .lookup import (
    author_for,
    author_user,
    default_title,
    get_editable_report,
    get_item,
    get_recommendation,
    get_section,
    get_visible_report,
    list_reports,
    report_of,
    reports_for_index,
    require_edit,
)
from .recommendations import (
    RecommendationFields,
    RecommendationFilters,
    RecommendationList,
    create_recommendation,
    delete_recommendation,
    move_recommendation,
    public_recommendations,
    set_recommendation_status,
    update_recommendation,
)
from .picker import MAX_SHOWN, PickerFilter, add_items, find_candidates
from .reports import ReportChanges, create_report, delete_report, set_report_status, update_report
from .sections import (
    ItemSpec,
    SectionChanges,
    add_item,
    add_section,
    default_caption,
    delete_section,
    draft_items,
    eligible_entries,
    move_item,
    move_section,
    move_section_to,
    remove_item,
    reorder_items,
    reorder_sections,
    set_items,
    update_item,
    update_section,
)

__all__ = [
    "EXECUTOR_SUGGESTIONS", "ItemSpec", "MAX_SHOWN", "PickerFilter", "add_items",
    "find_candidates", "RecommendationFields", "RecommendationFilters",
    "RecommendationList", "Refused", "ReportChanges", "SectionChanges", "TEXT_MAX", "TITLE_MAX",
    "add_item", "add_section", "author_for", "author_user", "create_recommendation",
    "create_report", "default_caption", "default_title", "delete_recommendation",
    "delete_report", "delete_section", "draft_items", "eligible_entries", "get_editable_report",
    "get_item", "get_recommendation", "get_section", "get_visible_report", "list_reports",
    "move_item", "move_recommendation", "move_section", "move_section_to",
    "public_recommendations", "remove_item", "reorder_items", "reorder_sections", "report_of",
    "reports_for_index", "require_edit", "set_items", "set_recommendation_status",
    "set_report_status", "status_label", "update_item", "update_recommendation",
    "update_report", "update_section",
]
