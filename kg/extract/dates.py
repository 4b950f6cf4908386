"""Normalise the date expressions of news text to ISO values.

A date argument of an event is an ISO date (``2012-12-07``), month
(``2012-12``, ``xsd:gYearMonth``) or year (``2012``, ``xsd:gYear``).
:func:`normalise_date` turns the text of a ``DATE`` entity into one of them,
following the annotation guidelines:

- explicit dates keep their precision: "December 7, 2012" is a day,
  "May 2022" a month, "in 2019" a year;
- relative dates ("on Friday", "today", "last Tuesday", "this month",
  "a day later") are resolved against the article's date, and only when it
  is known;
- a month or day without a year ("in December", "on May 29") is the latest
  such month or day up to the article's date;
- vague or durational expressions ("annual", "for years", "recent weeks",
  "only 24 hours", "the 1990s", ages such as "19") are not dates at all.

The cheap cases (weekdays, "this month", "July last year") are handled by
rules; the explicit ones are parsed by dateparser with one parser per
reference date (``PREFER_DATES_FROM="past"``, ``RELATIVE_BASE`` the
reference), built once and cached, and results are cached per
``(text, reference)``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser

DATE = "date"
MONTH = "gYearMonth"
YEAR = "gYear"

_MONTHS = {
    name: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_RE = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY_RE = r"(?:" + "|".join(_WEEKDAYS) + r")"
_YEAR_RE = re.compile(r"(?<![\d-])(1[89]\d\d|20\d\d)(?![\d-])")
_DAY_RE = re.compile(r"(?<![\d-])(0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?(?![\d-])")
_MONTH_WORD = re.compile(rf"\b{_MONTH_RE}(?![a-z])")

# Durations, frequencies, decades, ages, seasons, vague or anaphoric references.
_VAGUE = re.compile(
    r"\b(?:annual(?:ly)?|weekly|daily|monthly|yearly|recent|recently|past|several|few|"
    r"many|some|decades?|centur(?:y|ies)|hours?|minutes?|seconds?|years|months|weeks|"
    r"weekend|week|spring|summer|autumn|fall|winter|season|that|one|same|every|each|since|"
    r"until|till|ago|old|aged?|more|less|than|almost|nearly|about|around|up|over|under|"
    r"only|just|period|era|times?|now|currently|soon|future|previous|later|earlier)\b"
    r"|\d{4}s\b|'\d0s\b|-(?:year|month|week|day)\b"
)
_DAYS_AGO = re.compile(r"^(a|one|two|three|four|five|six|seven|\d+) days? ago$")
_NUMBERS = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_NEXT_DAY = re.compile(r"^(?:a day later|the next day|next day|the following day)$")
_HEDGE = re.compile(r"^(?:(?:on|in|at|by|during|from|of|the|late|early|earlier|mid|later)\b-?\s*)+")
_LEAD_DAY = re.compile(rf"^(?:today|{_WEEKDAY_RE}),?\s+(?=\d|{_MONTH_RE})")
_RANGE = re.compile(r"\b(?:and|to|or|through|between)\b|[-–/]")


def normalise_date(text: str, reference: date | None) -> tuple[str, str] | None:
    """Turn a date expression into ``(ISO value, granularity)``, or ``None``.

    Parameters
    ----------
    text : the text of a ``DATE`` entity, e.g. ``"on Friday"``, ``"May 2022"``.
    reference : the article's date; relative dates and dates without a year
        need it and are ``None`` without it.

    Returns
    -------
    ``(value, granularity)`` with granularity ``"date"`` (``YYYY-MM-DD``),
    ``"gYearMonth"`` (``YYYY-MM``) or ``"gYear"`` (``YYYY``); ``None`` for
    expressions that are not a point or period in time.

    Examples
    --------
    >>> from datetime import date
    >>> normalise_date("December 7, 2012", None)
    ('2012-12-07', 'date')
    >>> normalise_date("on Friday", date(2023, 3, 3))
    ('2023-03-03', 'date')
    >>> normalise_date("in December", date(2023, 3, 3))
    ('2022-12', 'gYearMonth')
    >>> normalise_date("2019", None)
    ('2019', 'gYear')
    >>> normalise_date("recent weeks", date(2023, 3, 3)) is None
    True
    """
    return _normalise(text, reference)


@lru_cache(maxsize=8192)
def _normalise(text: str, reference: date | None) -> tuple[str, str] | None:
    clean = _clean(text)
    if not clean:
        return None
    resolved = _relative(clean, reference)
    if resolved is not None:
        return resolved or None  # "" means: recognised as relative, not resolvable
    if _VAGUE.search(clean):
        return None
    return _explicit(clean, reference)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold().strip(" \t\n,.;:()")
    text = re.sub(r"\s+", " ", text.replace("’", "'"))
    text = _HEDGE.sub("", text)
    return _LEAD_DAY.sub("", text)


def _relative(clean: str, ref: date | None) -> tuple[str, str] | str | None:
    """Rules for expressions relative to the article's date.

    Returns a result, ``""`` for a relative expression that cannot be
    resolved (no reference), or ``None`` when the text is not relative.
    """
    result: tuple[str, str] | None
    if clean in ("today", "this morning", "this afternoon", "this evening", "tonight"):
        result = (ref.isoformat(), DATE) if ref else None
    elif clean in ("yesterday", "last night"):
        result = ((ref - timedelta(days=1)).isoformat(), DATE) if ref else None
    elif _NEXT_DAY.match(clean):
        result = ((ref + timedelta(days=1)).isoformat(), DATE) if ref else None
    elif m := _DAYS_AGO.match(clean):
        n = _NUMBERS.get(m.group(1)) or int(m.group(1))
        result = ((ref - timedelta(days=n)).isoformat(), DATE) if ref else None
    elif m := re.fullmatch(rf"(this |last |past )?({_WEEKDAY_RE})", clean):
        result = _weekday(_WEEKDAYS.index(m.group(2)), m.group(1) in ("last ", "past "), ref)
    elif m := re.fullmatch(r"(this|last) (month|year)", clean):
        result = _this_or_last(m.group(2), m.group(1) == "last", ref)
    elif m := re.fullmatch(rf"(this|last) ({_MONTH_RE})", clean):
        result = _month(_MONTHS[m.group(2).rstrip(".")], ref, strictly_before=m.group(1) == "last")
    elif m := re.fullmatch(rf"({_MONTH_RE}),? (this|last) year", clean):
        month = _MONTHS[m.group(1).rstrip(".")]
        offset = 1 if m.group(2) == "last" else 0
        result = (f"{ref.year - offset:04d}-{month:02d}", MONTH) if ref else None
    elif clean in ("christmas", "christmas day"):
        result = _month(12, ref, strictly_before=False, day=25)
    else:
        return None
    return result or ""


def _weekday(weekday: int, last: bool, ref: date | None) -> tuple[str, str] | None:
    if ref is None:
        return None
    back = (ref.weekday() - weekday) % 7
    if last and back == 0:
        back = 7
    return (ref - timedelta(days=back)).isoformat(), DATE


def _this_or_last(unit: str, last: bool, ref: date | None) -> tuple[str, str] | None:
    if ref is None:
        return None
    if unit == "year":
        return f"{ref.year - last:04d}", YEAR
    year, month = (ref.year, ref.month - 1) if last else (ref.year, ref.month)
    if month == 0:
        year, month = year - 1, 12
    return f"{year:04d}-{month:02d}", MONTH


def _month(
    month: int, ref: date | None, strictly_before: bool, day: int | None = None
) -> tuple[str, str] | None:
    """The latest ``month`` (or ``month``/``day``) up to the reference date."""
    if ref is None:
        return None
    year = ref.year
    if (month, day or 1) > (ref.month, ref.day) or (strictly_before and month >= ref.month):
        year -= 1
    if day is None:
        return f"{year:04d}-{month:02d}", MONTH
    return f"{year:04d}-{month:02d}-{day:02d}", DATE


def _explicit(clean: str, ref: date | None) -> tuple[str, str] | None:
    """Dates written out with a month name, a day number or a year."""
    years = set(_YEAR_RE.findall(clean))
    month_words = _MONTH_WORD.findall(clean)
    rest = _YEAR_RE.sub(" ", clean)
    has_day = bool(_DAY_RE.search(rest)) and bool(month_words)
    if re.fullmatch(r"\d{4}-\d\d(-\d\d)?", clean):  # ISO forms
        years, month_words, has_day = {clean[:4]}, ["_"], len(clean) == 10
    if len(years) > 1:
        return None
    if _RANGE.search(clean) and not re.fullmatch(r"\d{4}-\d\d(-\d\d)?", clean):
        # "June and July 2022": one year, several months or days -> the year
        return (years.pop(), YEAR) if years and len(month_words) != 1 else None
    if not month_words:
        bare = re.fullmatch(r"(?:year )?(1[89]\d\d|20\d\d)", clean)
        return (bare.group(1), YEAR) if bare else None
    if not years and ref is None:
        return None
    if not years and not has_day:
        return _month(_MONTHS[month_words[0].rstrip(".")], ref, strictly_before=False)
    parsed = _parser(ref).get_date_data(clean).date_obj
    if parsed is None:
        return None
    if has_day:
        return parsed.date().isoformat(), DATE
    return f"{parsed.year:04d}-{parsed.month:02d}", MONTH


@lru_cache(maxsize=64)
def _parser(ref: date | None) -> DateDataParser:
    """One dateparser parser per reference date (building one is slow)."""
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day)
    return DateDataParser(languages=["en"], settings=settings)
