"""Every named query returns the same rows from the embedded store, ``hrkg serve`` and Virtuoso.

Rows are compared as multisets of tuples of lexical values, numbers by value
(``"3"`` and ``"3"^^xsd:int`` are one value). When a query has ``ORDER BY``,
the columns it orders on must also come in the same sequence from every engine.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation

import pytest
from rdflib import Literal

from kg.query import load_queries, run_query
from kg.remote import remote_query
from kg.sparql_text import TOKENS

NAMES = sorted(load_queries())
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


def lexical(term) -> str | None:
    """A term's lexical value, numbers in one canonical form, booleans as 1 and 0."""
    if term is None:
        return None
    text = str(term)
    if isinstance(term, Literal) and str(term.datatype) == BOOLEAN:
        return {"true": "1", "false": "0"}.get(text, text)
    if re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text):
        try:
            return str(Decimal(text).normalize())
        except InvalidOperation:
            pass
    return text


def ordering_columns(text: str) -> list[str]:
    """The variables a query's top-level ``ORDER BY`` mentions, comments and strings aside."""
    code = TOKENS.sub(lambda m: " " if m.group(0).startswith("#") else m.group(0), text)
    match = re.search(r"\bORDER\s+BY\b(.*?)(?:\bLIMIT\b|\bOFFSET\b|$)", code, re.I | re.S)
    return re.findall(r"[?$](\w+)", match.group(1)) if match else []


def rows(result) -> list[tuple[str | None, ...]]:
    return [tuple(lexical(t) for t in row) for row in result.rows]


@pytest.fixture(scope="module")
def endpoints(request) -> dict[str, str]:
    return {
        "hrkg serve": request.getfixturevalue("hrkg_endpoint") + "/sparql",
        "virtuoso": request.getfixturevalue("virtuoso_sparql"),
    }


@pytest.mark.parametrize("engine", ["hrkg serve", "virtuoso"])
@pytest.mark.parametrize("name", NAMES)
def test_same_rows_as_the_embedded_store(name, engine, endpoints, served_store):
    expected = run_query(served_store, name)
    answer = remote_query(endpoints[engine], name)
    assert answer.variables == expected.variables
    assert Counter(rows(answer)) == Counter(rows(expected)), f"{name} on {engine}"
    keys = [
        expected.variables.index(v)
        for v in ordering_columns(load_queries()[name].text)
        if v in expected.variables
    ]
    if keys:
        sequence = [tuple(row[k] for k in keys) for row in rows(answer)]
        assert sequence == [tuple(row[k] for k in keys) for row in rows(expected)], (
            f"{name} on {engine}: ORDER BY gives another sequence"
        )
