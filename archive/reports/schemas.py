"""The JSON bodies of the reports API (``reports/api.py``): types, lengths and shapes only.

The rules stay in ``reports.operations``, shared with the report pages: who may
write, which entries can be chosen, the statuses, that a title is not empty,
and the exact text limits (the lengths here never refuse what they accept).

A field left out is None ("leave it as it is"); a text sent as null is the
empty text. Unknown fields are ignored, as this API always did.
"""
from __future__ import annotations

from typing import Annotated, Any, Optional, Union

from pydantic import BaseModel, BeforeValidator, ConfigDict, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from ..api.bodies import raw_text
from .operations import TEXT_MAX, TITLE_MAX

Title = raw_text(TITLE_MAX)
Text = raw_text(TEXT_MAX)
#: a card's status; which statuses exist is a rule of the operations
Status = raw_text()


def _topic_ref(value: Any) -> Any:
    """A topic by slug (as in the entries API) or by id; null or "" for none."""
    if value is None or value == "":
        return None
    if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise PydanticCustomError("int_type", "not a slug or an id")


TopicRef = Annotated[Optional[Union[StrictInt, StrictStr]], BeforeValidator(_topic_ref)]


class ReportBody(BaseModel):
    """A body of the reports API: fields it does not know are ignored."""

    model_config = ConfigDict(extra="ignore")


class ReportCreate(ReportBody):
    trip_id: StrictInt
    #: admins only: the camat the report is written for
    camat_id: Optional[StrictInt] = None
    title: Title = None
    title_en: Title = None
    opening: Text = None
    closing: Text = None


class ReportPatch(ReportBody):
    #: null: unchanged
    status: Optional[StrictStr] = None
    title: Title = None
    title_en: Title = None
    opening: Text = None
    closing: Text = None


class SectionCreate(ReportBody):
    title: Title = None
    topic: TopicRef = None
    narrative: Text = None
    notes: Text = None


class SectionPatch(ReportBody):
    title: Title = None
    narrative: Text = None
    notes: Text = None
    topic: TopicRef = None
    #: the new place, 0 first (sent as null: refused)
    position: StrictInt = 0


class SectionOrder(ReportBody):
    order: list[StrictInt]


class Item(ReportBody):
    entry_id: StrictInt
    caption: Text = None
    notes: Text = None
    excerpt: Text = None


def _bare_id(value: Any) -> Any:
    # ``[12, 13]`` is short for ``[{"entry_id": 12}, {"entry_id": 13}]``.
    if isinstance(value, int) and not isinstance(value, bool):
        return {"entry_id": value}
    return value


class SectionItems(ReportBody):
    items: list[Annotated[Item, BeforeValidator(_bare_id)]]


class RecommendationBody(ReportBody):
    """A card's fields; on a change, what is not sent keeps its value."""

    title: Title = None
    topic: TopicRef = None
    practice: Text = None
    problem: Text = None
    #: null: city-wide
    kecamatan_id: Optional[StrictInt] = None
    executor: Title = None
    cost_effort: Title = None
    status: Status = None
    status_note: Text = None
    #: sent as null: refused
    entry_ids: list[StrictInt] = []
