"""What the Annotate screen's script may send, checked before anything is read or written.

Every JSON endpoint of the screen passes the request body through one function here. It
returns plain values of the types the annotate service expects, or raises ValidationError with
sentences an editor can act on, which the screen shows like any other refusal. Nothing here
touches the database or the request: it is the one place that decides what a payload may be.
"""

import json

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from articles.annotations.service import LINKED_MODELS, TEXT_FIELDS

NOT_UNDERSTOOD = "The request was not understood (expected a JSON object). Reload the page."
TOO_DEEP = (
    "The request was not understood (its JSON is nested too deeply to be an annotation). "
    "Reload the page."
)
BAD_SELECTION = (
    "The selected words were not sent as the screen sends them. Reload the page and select "
    "them again."
)
BAD_CONFIDENCE = "Give the lowest confidence to accept as a number from 0 to 1, such as 0.8."
NO_SELECTION = "Select the words to annotate in the story, then save again."
SELECTOR_KEYS = frozenset({"exact", "prefix", "suffix", "start", "end"})
# Primary keys are 64-bit; a plain-text offset is far below this too.
MAX_INTEGER = 2**63 - 1
# How much of an unexpected name or value a message repeats.
SHOWN = 40


def json_object(body: bytes) -> dict:
    """The request body as a JSON object: no other JSON value, no NaN, no invalid UTF-8."""
    try:
        data = json.loads(body or b"{}", parse_constant=_refuse_constant)
    except RecursionError:
        raise ValidationError(TOO_DEEP, code="too_deep") from None
    except ValueError:  # bad JSON, bad UTF-8, NaN or Infinity, an integer of 4,300+ digits
        raise ValidationError(NOT_UNDERSTOOD, code="not_understood") from None
    if not isinstance(data, dict):
        raise ValidationError(NOT_UNDERSTOOD, code="not_understood")
    return data


def annotation_payload(body: bytes, *, creating: bool) -> dict:
    """The fields of an annotation to create, or to change (which may also name its version).

    Returns only the keys sent: ``kind`` and the text fields as str, links as int or None, the
    selector as a dict of str and int (or None), ``version`` as str or None. A new annotation
    needs a selector.
    """
    data = json_object(body)
    allowed = {"kind", "selector", *TEXT_FIELDS, *LINKED_MODELS}
    if not creating:
        allowed.add("version")
    errors = _unknown_keys(data, allowed)
    cleaned = {}
    for name, value in data.items():
        if name not in allowed:
            continue
        try:
            if name == "selector":
                cleaned[name] = _selector(value)
            elif name in LINKED_MODELS:
                cleaned[name] = _link(value, LINKED_MODELS[name]._meta.verbose_name)
            elif name == "version":
                cleaned[name] = None if value is None else _text(value, "version")
            else:
                cleaned[name] = _text(value, name.replace("_", " "))
        except ValidationError as problem:
            errors["exact" if name == "selector" else name] = problem.messages
    if creating and cleaned.get("selector") is None and "exact" not in errors:
        errors["exact"] = [NO_SELECTION]
    if errors:
        raise ValidationError(errors)
    return cleaned


def suggestion_payload(body: bytes) -> dict:
    """A suggestion the editor rejects: its ``kind`` (str) and its words as a ``selector``."""
    data = json_object(body)
    errors = _unknown_keys(data, {"kind", "selector"})
    cleaned = {}
    try:
        cleaned["kind"] = _text(data.get("kind"), "kind")
    except ValidationError as problem:
        errors["kind"] = problem.messages
    try:
        cleaned["selector"] = _selector(data.get("selector"))
    except ValidationError as problem:
        errors["exact"] = problem.messages
    if cleaned.get("selector") is None and "exact" not in errors:
        errors["exact"] = [BAD_SELECTION]
    if errors:
        raise ValidationError(errors)
    return cleaned


def acceptance_payload(body: bytes) -> dict:
    """Accept every suggestion at ``min_confidence`` or above: a number from 0 to 1."""
    data = json_object(body)
    errors = _unknown_keys(data, {"min_confidence"})
    value = data.get("min_confidence")
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        errors["min_confidence"] = [BAD_CONFIDENCE]
    if errors:
        raise ValidationError(errors)
    return {"min_confidence": float(value)}


def text_payload(body: bytes, names) -> dict:
    """A payload of text fields only (a new person, a new source): each str, "" when null."""
    data = json_object(body)
    errors = _unknown_keys(data, set(names))
    cleaned = {}
    for name in names:
        try:
            cleaned[name] = _text(data.get(name), name.replace("_", " "))
        except ValidationError as problem:
            errors[name] = problem.messages
    if errors:
        raise ValidationError(errors)
    return cleaned


def _refuse_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def _unknown_keys(data: dict, allowed) -> dict:
    unknown = [key for key in data if key not in allowed]
    if not unknown:
        return {}
    names = ", ".join(f"“{_shown(key)}”" for key in sorted(unknown)[:5])
    return {
        NON_FIELD_ERRORS: [
            f"The request holds fields the Annotate screen does not send ({names}). "
            "Reload the page and try again."
        ]
    }


def _text(value, what: str) -> str:
    """A text field's value: a string that can be stored, or "" for null."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            f"The {what} was not sent as text. Reload the page and enter it again.",
            code="not_text",
        )
    if not _storable(value):
        raise ValidationError(
            f"The {what} holds characters that cannot be stored (a null character or half of "
            "a surrogate pair). Retype it and save again.",
            code="unstorable_text",
        )
    return value


def _link(value, verbose_name: str) -> int | None:
    """A link's id: a positive integer, or a string of ASCII digits; null or "" clears it."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_INTEGER:
        return value
    shown = f"“{_shown(value)}”" if isinstance(value, str) else f"a JSON {_json_type(value)}"
    raise ValidationError(
        f"No {verbose_name} is named by {shown}: choose the {verbose_name} again from the "
        "suggestions.",
        code="invalid_id",
    )


def _selector(value) -> dict | None:
    """The selected words as the screen describes them; None leaves an annotation where it is."""
    if value is None:
        return None
    if not isinstance(value, dict) or not value.keys() <= SELECTOR_KEYS:
        raise ValidationError(BAD_SELECTION, code="bad_selector")
    selector = {}
    for name in ("exact", "prefix", "suffix"):
        text = value.get(name, "")
        if text is None and name != "exact":
            text = ""
        if not isinstance(text, str) or not _storable(text):
            raise ValidationError(BAD_SELECTION, code="bad_selector")
        selector[name] = text
    if not selector["exact"]:
        raise ValidationError(BAD_SELECTION, code="bad_selector")
    for name in ("start", "end"):
        offset = value.get(name)
        if offset is None:
            continue
        if isinstance(offset, bool) or not isinstance(offset, int):
            raise ValidationError(BAD_SELECTION, code="bad_selector")
        if not 0 <= offset <= MAX_INTEGER:
            raise ValidationError(BAD_SELECTION, code="bad_selector")
        selector[name] = offset
    return selector


def _storable(text: str) -> bool:
    """Whether a database stores ``text`` as it is: UTF-8 (no lone surrogate), no NUL."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown(text: str) -> str:
    """Part of an unexpected string, safe to repeat in a message."""
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "?")
    return text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "value"
