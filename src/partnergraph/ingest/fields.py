"""Cell parsers: one per kind of column.

Each parser takes the stripped cell text and returns a typed value, or raises
:class:`CellError` with what was expected, in words a spreadsheet user understands.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class CellError(ValueError):
    """The cell's text is not what the column expects; ``expected`` says what is."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


MAX_TEXT = 2000
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
_CODE3 = re.compile(r"^\d{3}$")
_YEAR = re.compile(r"^\d{4}$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_FI_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_REGNO = re.compile(r"^(\d{1,3})(?:\.(\d{3}))?$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

YEAR_MIN, YEAR_MAX = 1900, 2100


@dataclass(frozen=True)
class DateOrYear:
    """A full date, or only a year when the day is not known."""

    year: int
    date: dt.date | None = None

    def __str__(self) -> str:
        return self.date.isoformat() if self.date else str(self.year)


def text(value: str) -> str:
    if len(value) > MAX_TEXT:
        raise CellError(f"text of at most {MAX_TEXT} characters ({len(value)} given)")
    if any(ord(c) < 32 and c not in "\t\n\r" for c in value):
        raise CellError("text without control characters")
    return value


def key(value: str) -> str:
    if not _KEY.match(value):
        raise CellError(
            "a key of letters A–Z, digits, '.', '_' or '-' (at most 100, no spaces or ä/ö)"
        )
    return value


def municipality_code(value: str) -> str:
    if value.isdigit() and len(value) < 3:
        value = value.zfill(3)  # spreadsheets drop leading zeros: 77 -> 077
    if not _CODE3.match(value):
        raise CellError("a municipality code of three digits, e.g. 077 or 179")
    return value


def region_code(value: str) -> str:
    if value.isdigit() and len(value) == 1:
        value = value.zfill(2)
    if not re.fullmatch(r"\d{2}", value):
        raise CellError("a region (maakunta) code of two digits, e.g. 13")
    return value


def nonneg_int(value: str) -> int:
    cleaned = value.replace(" ", "").replace("\u00a0", "")
    if not cleaned.isdigit():
        raise CellError("a whole number of 0 or more")
    return int(cleaned)


def number(value: str) -> Decimal:
    try:
        d = Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        raise CellError("a number, e.g. 450 or 62.24") from None
    if not d.is_finite():
        raise CellError("a finite number")
    return d


def latitude(value: str) -> float:
    v = float(number(value))
    if not -90 <= v <= 90:
        raise CellError("a latitude between -90 and 90 (WGS84 degrees)")
    return v


def longitude(value: str) -> float:
    v = float(number(value))
    if not -180 <= v <= 180:
        raise CellError("a longitude between -180 and 180 (WGS84 degrees)")
    return v


def year(value: str) -> int:
    if not _YEAR.match(value) or not YEAR_MIN <= int(value) <= YEAR_MAX:
        raise CellError(f"a year of four digits between {YEAR_MIN} and {YEAR_MAX}")
    return int(value)


def date(value: str) -> dt.date:
    m = _DATE.match(value)
    f = _FI_DATE.match(value)
    try:
        if m:
            d = dt.date(int(m[1]), int(m[2]), int(m[3]))
        elif f:
            d = dt.date(int(f[3]), int(f[2]), int(f[1]))
        else:
            raise CellError("a date as YYYY-MM-DD (or d.m.yyyy)")
    except ValueError:
        raise CellError("a date that exists in the calendar") from None
    if not YEAR_MIN <= d.year <= YEAR_MAX:
        raise CellError(f"a date between {YEAR_MIN} and {YEAR_MAX}")
    return d


def date_or_year(value: str) -> DateOrYear:
    if _YEAR.match(value):
        return DateOrYear(year(value))
    try:
        d = date(value)
    except CellError as e:
        raise CellError(f"{e.expected}, or a year only (YYYY)") from None
    return DateOrYear(d.year, d)


def url(value: str) -> str:
    if not _URL.match(value) or len(value) > MAX_TEXT:
        raise CellError("a web address starting with http:// or https://")
    return value


def ytunnus(value: str) -> str:
    """A Finnish Business ID with a valid check digit, normalised to ``NNNNNNN-C``.

    >>> ytunnus("0709019-2")
    '0709019-2'
    >>> ytunnus("709019-2")
    '0709019-2'
    """
    body, sep, check = value.partition("-")
    if sep != "-" or not body.isdigit() or len(body) not in (6, 7) or len(check) != 1:
        raise CellError("a Business ID (Y-tunnus) of the form 1234567-8")
    body = body.zfill(7)
    if not check.isdigit():
        raise CellError("a Business ID (Y-tunnus) of the form 1234567-8")
    r = sum(w * int(d) for w, d in zip((7, 9, 10, 5, 8, 4, 2), body, strict=True)) % 11
    if r == 1 or int(check) != (0 if r == 0 else 11 - r):
        raise CellError("a Business ID (Y-tunnus) whose check digit is right")
    return f"{body}-{check}"


def register_number(value: str) -> str:
    """An association register number; returns the digits (``123.456`` → ``123456``)."""
    m = _REGNO.match(value.replace(" ", ""))
    if not m:
        raise CellError("an association register number, e.g. 123.456 or 1.234")
    return m[1] + (m[2] or "")


def format_register_number(digits: str) -> str:
    """Display form of a register number: a dot before the last three digits."""
    return f"{digits[:-3]}.{digits[-3:]}" if len(digits) > 3 else digits


def boolean(value: str) -> bool:
    v = value.lower()
    if v in {"kyllä", "kylla", "k", "yes", "y", "true", "1", "x"}:
        return True
    if v in {"ei", "e", "no", "n", "false", "0"}:
        return False
    raise CellError("kyllä or ei (yes or no)")


def keys(value: str) -> list[str]:
    """A ``;``-separated list of keys."""
    parts = [p.strip() for p in value.split(";")]
    return [key(p) for p in parts if p]


def choice(options: dict[str, Any]):
    """A parser that accepts one of ``options`` (case-insensitive)."""
    folded = {k.lower(): v for k, v in options.items()}

    def parse(value: str) -> Any:
        try:
            return folded[value.lower()]
        except KeyError:
            shown = ", ".join(sorted({k for k in options if k.isascii() or True}))
            raise CellError(f"one of: {shown}") from None

    parse.options = options  # type: ignore[attr-defined]
    return parse
