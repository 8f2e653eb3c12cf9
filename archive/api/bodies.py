"""Request bodies: pydantic models built from the field types here, and
:func:`parse_body`, which turns the first problem pydantic finds into a
:class:`~archive.core.refusal.Refused` with our own message, in the request's
language, and the field's name (the JSON error shape of ``docs/API.md``).

Imported by the schemas (``entries/schemas.py``, ``reports/schemas.py``),
which the API modules import when a request sends a body.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Optional, TypeVar

from flask_babel import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from ..core.refusal import Refused

B = TypeVar("B", bound=BaseModel)

# --- field types of request bodies -----------------------------------------
#
# ``Optional`` in these types only lets a field be left out (None: not sent);
# a ``null`` that is sent goes through the before-validators like any value.

class Body(BaseModel):
    """A request body whose unknown fields are refused, listing the allowed ones."""

    model_config = ConfigDict(extra="forbid")


def _null_as_empty(value: Any) -> Any:
    return "" if value is None else value


def _clean(value: str) -> str:
    # PostgreSQL refuses NUL characters; a client never means them.
    return value.replace("\x00", "").strip()


def text(max_length: int, *, required: bool = False) -> Any:
    """Text as it is stored: null is empty, NULs and surrounding spaces are dropped,
    then at most ``max_length`` characters (and not empty if ``required``)."""
    cleaned = Annotated[str, Strict(), AfterValidator(_clean),
                        Field(min_length=1 if required else 0, max_length=max_length)]
    return Annotated[Optional[cleaned], BeforeValidator(_null_as_empty)]


def raw_text(max_length: int | None = None) -> Any:
    """Text passed on as sent (null is empty) to operations that clean and check it
    themselves. The length is measured without NULs and surrounding spaces, so this
    never refuses what they would accept; it only names the field sooner."""
    def measured(value: str) -> str:
        if max_length is not None and len(_clean(value)) > max_length:
            raise PydanticCustomError("too_long", "too long", {"max_length": max_length})
        return value

    return Annotated[Optional[Annotated[str, Strict(), AfterValidator(measured)]],
                     BeforeValidator(_null_as_empty)]


def one_of(values: Sequence[str]) -> Any:
    """One of ``values`` exactly (null and other types included in the refusal)."""
    def check(value: Any) -> Any:
        if not isinstance(value, str) or value not in values:
            raise PydanticCustomError("choice", "not a choice", {"valid": ", ".join(values)})
        return value

    return Annotated[Optional[str], BeforeValidator(check)]


def _number_not_bool(value: Any) -> Any:
    # bool is an int in Python, but ``true`` is never a position.
    if isinstance(value, bool):
        raise PydanticCustomError("float_type", "not a number")
    return value


def degrees(limit: int) -> Any:
    """A latitude (limit 90) or longitude (limit 180) in decimal degrees, or null."""
    return Annotated[Optional[Annotated[float, Field(ge=-limit, le=limit)]],
                     BeforeValidator(_number_not_bool)]


# --- pydantic's findings as our refusal ------------------------------------

def parse_body(schema: type[B], data: Mapping[str, Any]) -> B:
    """``data`` checked by ``schema``; the first problem is refused (422) naming its field."""
    try:
        return schema.model_validate(data)
    except ValidationError as err:
        raise _refusal(schema, err.errors(include_url=False)) from None


def _refusal(schema: type[BaseModel], errors: list[ErrorDetails]) -> Refused:
    # An unknown field comes first, with all of them: a typo must not read as another error.
    unknown = sorted(str(e["loc"][0]) for e in errors
                     if e["type"] == "extra_forbidden" and len(e["loc"]) == 1)
    if unknown:
        return Refused(_("Kolom tidak dikenal: %(fields)s. Kolom yang boleh: %(valid)s.",
                         fields=", ".join(f[:40] for f in unknown[:10]),
                         valid=", ".join(sorted(schema.model_fields))), field=unknown[0][:40])
    first = errors[0]
    loc = first["loc"]
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    return Refused(_message(first["type"], name, first.get("ctx") or {}),
                   field=".".join(str(part) for part in loc))


def _message(kind: str, name: str, ctx: dict[str, Any]) -> str:
    """Our sentence for a pydantic error type: never pydantic's English text."""
    match kind:
        case "string_type":
            return _("Kolom '%(name)s' harus berupa teks.", name=name)
        case "too_short" | "string_too_short":
            return _("Kolom '%(name)s' tidak boleh kosong.", name=name)
        case "too_long" | "string_too_long":
            return _("Kolom '%(name)s' paling panjang %(max)d karakter.",
                     name=name, max=ctx["max_length"])
        case "missing":
            return _("Kolom '%(name)s' wajib diisi.", name=name)
        case "int_type" | "int_parsing" | "int_from_float":
            return _("Kolom '%(name)s' harus bilangan bulat.", name=name)
        case "float_type" | "float_parsing":  # the only numbers with decimals are degrees
            return _("Kolom '%(name)s' harus angka desimal (derajat).", name=name)
        case "greater_than_equal" | "less_than_equal":  # ranges are symmetric: -limit..limit
            limit = abs(ctx["ge"] if "ge" in ctx else ctx["le"])
            return _("Kolom '%(name)s' harus di antara -%(limit)d dan %(limit)d.",
                     name=name, limit=int(limit))
        case "choice":
            return _("Kolom '%(name)s' harus salah satu dari: %(valid)s.",
                     name=name, valid=ctx["valid"])
        case "list_type":
            return _("Kolom '%(name)s' harus berupa daftar.", name=name)
        case "model_type" | "dict_type" | "model_attributes_type":
            return _("Setiap butir '%(name)s' harus berupa objek JSON.", name=name)
    return _("Kolom '%(name)s' tidak sah.", name=name)
