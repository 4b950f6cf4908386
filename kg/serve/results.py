"""Answers of the SPARQL server checked, cut to the row limit and serialised as negotiated.

The app always asks Oxigraph for SPARQL JSON results (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE), reads the whole answer and checks that it is complete:
Oxigraph reports an error in the middle of a query (a timeout, a failed
``SERVICE`` call) by appending its message to a body already sent with HTTP 200.
A complete answer is cut to ``max_rows`` and serialised again, in the format
the client asked for, with pyoxigraph's serialisers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import PREFIXES

RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPHS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}
# Other names clients use for the same formats (SPARQLWrapper sends application/json).
ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml",),
    "text/xml": ("application/sparql-results+xml",),
    "application/x-turtle": ("text/turtle",),
    "text/plain": ("application/n-triples",),
}
# Short names for the ``format`` request parameter (links cannot set Accept).
FORMAT_NAMES = {
    "json": "application/json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
}
BACKEND_ACCEPT = "application/sparql-results+json, application/n-triples"
CANCELLED = "operation has been cancelled"


class QueryTimeout(QueryError):
    """The query ran past the server's timeout and was cancelled."""


@dataclass(frozen=True)
class Answer:
    """A serialised answer: its bytes, media type, and whether rows were cut off."""

    body: bytes
    media_type: str
    truncated: bool = False


def negotiate(accept: str, offered: list[str]) -> str:
    """The offered media type the ``Accept`` header prefers (the first offered if none fits).

    Examples
    --------
    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", list(RESULTS))
    'application/sparql-results+xml'
    >>> negotiate("application/json", list(GRAPHS))
    'application/ld+json'
    >>> negotiate("image/png", list(GRAPHS))
    'text/turtle'
    """
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, media.count("*"), position, media.lower()))
    for *_, media in sorted(ranges):
        for candidate in (media, *ALIASES.get(media, ())):
            for offer in offered:
                if candidate in (offer, "*/*", offer.split("/")[0] + "/*"):
                    return offer
    return offered[0]


def render(body: bytes, content_type: str, accept: str, max_rows: int) -> Answer:
    """Check a complete answer of the server, cut it to ``max_rows`` and serialise it.

    Parameters
    ----------
    body : the whole answer of the server.
    content_type : its media type (SPARQL JSON results or N-Triples).
    accept : the client's ``Accept`` header.
    max_rows : the most rows (solutions, or triples) the answer may hold.

    Raises
    ------
    QueryTimeout
        If the server cancelled the query at its timeout.
    QueryError
        If the answer is incomplete (an error in the middle) or of an unknown type.

    Examples
    --------
    >>> row = b'{"n":{"type":"literal","value":"1"}}'
    >>> body = b'{"head":{"vars":["n"]},"results":{"bindings":[' + row + b']}}'
    >>> render(body, "application/sparql-results+json", "text/csv", 10).body
    b'n\\r\\n1\\r\\n'
    >>> cut = body[:45] + b"The port 1 is not allowed"
    >>> render(cut, "application/sparql-results+json", "*/*", 10)
    Traceback (most recent call last):
    kg.errors.QueryError: the query failed while running: The port 1 is not allowed
    """
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/sparql-results+json":
        return _render_results(body, negotiate(accept, list(RESULTS)), max_rows)
    if kind == "application/n-triples":
        return _render_graph(body, negotiate(accept, list(GRAPHS)), max_rows)
    raise QueryError(f"the SPARQL server answered with an unexpected type ({kind or 'none'})")


def _render_results(body: bytes, media: str, max_rows: int) -> Answer:
    try:
        data = json.loads(body)
        if "boolean" not in data:
            bindings = data["results"]["bindings"]
    except ValueError as exc:
        raise _failure(body[getattr(exc, "pos", 0) :]) from None
    except (KeyError, TypeError):
        raise QueryError("the SPARQL server answered with malformed JSON results") from None
    truncated = "boolean" not in data and len(bindings) > max_rows
    if truncated:
        data["results"]["bindings"] = bindings[:max_rows]
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media != "application/sparql-results+json":
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=RESULTS[media])
    return Answer(body, media, truncated)


def _render_graph(body: bytes, media: str, max_rows: int) -> Answer:
    try:
        triples = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError:
        raise _failure(body[body.rfind(b"\n") + 1 :]) from None
    truncated = len(triples) > max_rows
    prefixes = PREFIXES if media == "text/turtle" else None
    data = ox.serialize(triples[:max_rows], format=GRAPHS[media], prefixes=prefixes)
    return Answer(data, media, truncated)


def _failure(tail: bytes) -> QueryError:
    """The error for an answer cut short; ``tail`` holds the server's message."""
    message = " ".join(tail.decode("utf-8", "replace").split())[:300] or "no message"
    if CANCELLED in message:
        return QueryTimeout("the query ran past the server's time limit and was cancelled")
    return QueryError(f"the query failed while running: {message}")
