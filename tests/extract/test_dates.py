"""Tests for kg.extract.dates."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.dates import normalise_date

FRIDAY = date(2023, 3, 3)  # a Friday
MIDYEAR = date(2021, 7, 15)  # a Thursday


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # explicit dates keep their precision, with or without a reference
        ("December 7, 2012", None, ("2012-12-07", "date")),
        ("December 7, 2012", FRIDAY, ("2012-12-07", "date")),
        ("7 December 2012", None, ("2012-12-07", "date")),
        ("Sept. 16, 2015", None, ("2015-09-16", "date")),
        ("the 16th of September 2015", None, ("2015-09-16", "date")),
        ("2015-09-16", None, ("2015-09-16", "date")),
        ("May 2022", None, ("2022-05", "gYearMonth")),
        ("in May 2022", FRIDAY, ("2022-05", "gYearMonth")),
        ("2019", None, ("2019", "gYear")),
        ("in 2019", FRIDAY, ("2019", "gYear")),
        ("June and July 2022", FRIDAY, ("2022", "gYear")),
        ("Thursday, March 31, 2022", None, ("2022-03-31", "date")),
        # a month or day without a year: the latest one up to the reference
        ("in December", FRIDAY, ("2022-12", "gYearMonth")),
        ("March", FRIDAY, ("2023-03", "gYearMonth")),
        ("mid-January", FRIDAY, ("2023-01", "gYearMonth")),
        ("December 9", FRIDAY, ("2022-12-09", "date")),
        ("May 29", MIDYEAR, ("2021-05-29", "date")),
        ("March 3", FRIDAY, ("2023-03-03", "date")),
        ("March 4", FRIDAY, ("2022-03-04", "date")),
        ("Tuesday July 4", MIDYEAR, ("2021-07-04", "date")),
        ("Today, December 25", date(2021, 12, 25), ("2021-12-25", "date")),
        # relative to the reference date
        ("on Friday", FRIDAY, ("2023-03-03", "date")),
        ("late Friday", FRIDAY, ("2023-03-03", "date")),
        ("Tuesday", FRIDAY, ("2023-02-28", "date")),
        ("last Tuesday", FRIDAY, ("2023-02-28", "date")),
        ("last Friday", FRIDAY, ("2023-02-24", "date")),
        ("today", FRIDAY, ("2023-03-03", "date")),
        ("yesterday", FRIDAY, ("2023-03-02", "date")),
        ("two days ago", FRIDAY, ("2023-03-01", "date")),
        ("a day later", FRIDAY, ("2023-03-04", "date")),
        ("this month", FRIDAY, ("2023-03", "gYearMonth")),
        ("earlier this month", FRIDAY, ("2023-03", "gYearMonth")),
        ("last month", FRIDAY, ("2023-02", "gYearMonth")),
        ("this year", FRIDAY, ("2023", "gYear")),
        ("last year", FRIDAY, ("2022", "gYear")),
        ("last August", FRIDAY, ("2022-08", "gYearMonth")),
        ("last August", date(2023, 8, 20), ("2022-08", "gYearMonth")),
        ("February this year", FRIDAY, ("2023-02", "gYearMonth")),
        ("July last year", FRIDAY, ("2022-07", "gYearMonth")),
        ("Christmas", date(2021, 12, 26), ("2021-12-25", "date")),
    ],
)
def test_normalise_date(text: str, reference: date | None, expected: tuple[str, str]) -> None:
    assert normalise_date(text, reference) == expected


@pytest.mark.parametrize(
    "text",
    [
        "on Friday",
        "today",
        "a day later",
        "last Tuesday",
        "in December",
        "December 9",
        "this month",
        "February this year",
    ],
)
def test_relative_dates_need_a_reference(text: str) -> None:
    assert normalise_date(text, None) is None


@pytest.mark.parametrize(
    "text",
    [
        "annual",
        "weekly",
        "for years",
        "recent weeks",
        "the last few weeks",
        "only 24 hours",
        "the 1990s",
        "the '90s",
        "19",
        "45",
        "30-year-old",
        "83-year old",
        "26-year",
        "ten years",
        "almost two decades",
        "more than a year ago",
        "seven to nine years",
        "that day",
        "one day",
        "this week",
        "Spring",
        "third year",
        "2019 and 2020",
        "",
        "   ",
    ],
)
def test_vague_expressions_are_not_dates(text: str) -> None:
    assert normalise_date(text, FRIDAY) is None
