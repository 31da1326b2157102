"""Checks of the optimisers' JSON input. Each failure raises InputError with a message that
names the key or value at fault and says what is expected (the contract in DESIGN.md)."""

import math
import zoneinfo
from collections.abc import Collection, Iterable
from datetime import date, time
from typing import Any


class InputError(ValueError):
    """The input cannot be used; the message is shown to the person who wrote it."""


def obj(
    value: Any, where: str, *, required: Iterable[str] = (), optional: Iterable[str] = ()
) -> dict[str, Any]:
    """``value`` must be a JSON object with the required keys and no key outside both lists."""
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object, got {_kind(value)}")
    required, optional = list(required), list(optional)
    for key in required:
        if key not in value:
            raise InputError(f"{where}: missing required key {key!r}")
    allowed = set(required) | set(optional)
    for key in value:
        if key not in allowed:
            raise InputError(
                f"{where}: unknown key {key!r} (expected one of: {', '.join(sorted(allowed))})"
            )
    return value


def array(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise InputError(f"{where}: expected an array, got {_kind(value)}")
    return value


def number(value: Any, where: str, *, minimum: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(f"{where}: expected a number, got {_kind(value)}")
    if minimum is not None and value < minimum:
        raise InputError(f"{where}: expected a number >= {minimum:g}, got {value!r}")
    return float(value)


def whole(value: Any, where: str, *, minimum: int = 0) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"{where}: expected a whole number >= {minimum}, got {_kind(value)}")
    if value < minimum:
        raise InputError(f"{where}: expected a whole number >= {minimum}, got {value}")
    return value


def boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"{where}: expected true or false, got {_kind(value)}")
    return value


def string(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise InputError(f"{where}: expected a string, got {_kind(value)}")
    return value


def identifier(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InputError(f"{where}: expected a non-empty string id, got {_kind(value)}")
    return value


def strings(value: Any, where: str) -> list[str]:
    return [string(item, f"{where}[{i}]") for i, item in enumerate(array(value, where))]


def unique_ids(items: Iterable[str], where: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item in seen:
            raise InputError(f"{where}: duplicate id {item!r}")
        seen.add(item)


def known_id(value: str, known: Collection[str], where: str, kind: str) -> str:
    if value not in known:
        raise InputError(f"{where}: unknown {kind} id {value!r}")
    return value


def clock(value: Any, where: str) -> time:
    """A time of day written HH:MM, 00:00 to 23:59."""
    text = string(value, where)
    parts = text.split(":")
    if len(parts) == 2 and all(len(p) == 2 and p.isdigit() for p in parts):
        hours, minutes = int(parts[0]), int(parts[1])
        if hours < 24 and minutes < 60:
            return time(hours, minutes)
    raise InputError(f"{where}: expected a time HH:MM from 00:00 to 23:59, got {text!r}")


def day(value: Any, where: str) -> date:
    """A date written YYYY-MM-DD that exists."""
    text = string(value, where)
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: expected an existing date YYYY-MM-DD, got {text!r}") from None


def zone(value: Any, where: str) -> zoneinfo.ZoneInfo:
    text = string(value, where)
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise InputError(
            f"{where}: unknown time zone {text!r} (expected e.g. 'Europe/Paris')"
        ) from None


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return f"the string {value!r}"
    return repr(value)
