"""The request bodies of the entries API (``entries/api.py``): types, lengths and shapes.

Unknown fields are refused, so that a typo (``tag=``) is not silently lost.
What a value refers to (a topic's slug, a trip) is looked up by the endpoint,
and tags go through ``Tag.normalise``, the one rule for tags (their shape too).
"""
from __future__ import annotations

from typing import Annotated, Any, Optional

from pydantic import BeforeValidator, StrictStr

from ..api.bodies import Body, degrees, one_of, text
from ..api.validation import MAX_DESCRIPTION, MAX_PLACE, MAX_TITLE
from ..models import STATUSES

Title = text(MAX_TITLE)
RequiredTitle = text(MAX_TITLE, required=True)
Description = text(MAX_DESCRIPTION)
PlaceName = text(MAX_PLACE)
Status = one_of(STATUSES)
Latitude = degrees(90)
Longitude = degrees(180)


class EntryPatch(Body):
    """``PATCH /entries/<id>``: every field may be left out (None); null clears
    the topic or the coordinates, and empties a text (a title may not be empty)."""

    title: RequiredTitle = None
    description: Description = None
    place_name: PlaceName = None
    topic: Optional[StrictStr] = None
    #: a list of texts or one comma-separated text: ``Tag.normalise`` checks it
    tags: Any = None
    status: Status = None
    latitude: Latitude = None
    longitude: Longitude = None


def _blank_as_draft(value: Any) -> Any:
    return value or "draft"


class UploadForm(Body):
    """The text fields of ``POST /entries`` (multipart, so every value is text; an
    empty one means "not given")."""

    #: the upload itself, read from ``request.files``; named here as an allowed field
    file: Any = None
    title: Title = ""
    description: Description = ""
    place_name: PlaceName = ""
    status: Annotated[Status, BeforeValidator(_blank_as_draft)] = "draft"
    topic: StrictStr = ""
    tags: StrictStr = ""
    trip: StrictStr = ""
