"""Answers of the SPARQL server read as they stream in, checked, cut to the row limit.

The app always asks Oxigraph for SPARQL JSON results (SELECT, ASK) or N-Triples
(CONSTRUCT, DESCRIBE) and reads the answer with a :class:`Collector`, which
parses it as it arrives and says when to stop: once it holds one row more than
the row limit (the app then closes the connection, which stops Oxigraph), or
when it grows past a size limit.  So an answer of a billion rows costs the
time and memory of ``max_rows + 1`` rows.  A complete answer is checked:
Oxigraph reports an error in the middle of a query (a timeout, a failed
``SERVICE`` call) by appending its message to a body already sent with HTTP 200.
What was read is cut to ``max_rows`` and serialised again, in the format the
client asked for, with pyoxigraph's serialisers.
"""

from __future__ import annotations

import codecs
import json
import re
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


JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
BINDINGS = re.compile(r'"results"\s*:\s*\{\s*"bindings"\s*:\s*\[')
DECODER = json.JSONDecoder()


class QueryTimeout(QueryError):
    """The query ran past the server's timeout and was cancelled."""


class AnswerTooLarge(QueryError):
    """The answer grew past the size limit before reaching the row limit."""


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


class _JsonRows:
    """SPARQL JSON results parsed row by row as they arrive (Oxigraph's layout)."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.text = ""  # not parsed yet (all of it until the head is found)
        self.head: dict | None = None
        self.rows: list[dict] = []
        self.closed = False  # the ``]`` after the last row was read
        self._parts: list[str] = []  # arrived after ``text``, joined to it when parsing
        self._size = 0  # characters in ``text`` and ``_parts``
        self._wait = 0  # parse again once ``_size`` is this: each try reads twice as much

    @property
    def full(self) -> bool:
        return len(self.rows) > self.max_rows

    def feed(self, chunk: bytes) -> None:
        if self.full:
            return
        part = self.decoder.decode(chunk)
        self._parts.append(part)
        self._size += len(part)
        if self.closed or self._size < self._wait:
            return
        self._join()
        if self.head is None and not self._read_head():
            self._wait = 2 * self._size
            return
        self._read_rows()

    def _join(self) -> None:
        self.text += "".join(self._parts)
        self._parts, self._size = [], len(self.text)

    def _read_head(self) -> bool:
        found = BINDINGS.search(self.text)
        if found is None:
            return False
        head = self.text[: found.start()].rstrip().rstrip(",") + "}"
        try:
            self.head = json.loads(head)
        except ValueError:
            raise QueryError("the SPARQL server answered with malformed JSON results") from None
        self.text = self.text[found.end() :]
        return True

    def _read_rows(self) -> None:
        text, pos = self.text, 0
        while not self.full:
            while pos < len(text) and text[pos] in " \t\r\n,":
                pos += 1
            if pos == len(text):
                break
            if text[pos] == "]":
                self.closed, pos = True, pos + 1
                break
            try:
                row, pos = DECODER.raw_decode(text, pos)
            except ValueError:  # an unfinished row, or an error message: wait for more
                break
            self.rows.append(row)
        self.text = text[pos:]
        self._size = len(self.text)
        self._wait = self._size + max(self._size, 4096) if self.text else 0

    def answer(self, media: str, complete: bool) -> Answer:
        self._join()
        if self.head is None and not self._read_head():  # ASK, or failed before its rows
            try:
                data = json.loads(self.text)
            except ValueError as exc:
                raise _failure(self.text[getattr(exc, "pos", 0) :].encode()) from None
            if not isinstance(data, dict) or "boolean" not in data:
                raise QueryError("the SPARQL server answered with malformed JSON results")
            return _results(data, media)
        if not self.full and complete:
            if not self.closed:
                self._read_rows()
            rest = self.text.strip()
            if not self.closed or rest.replace("}", "").strip():
                raise _failure(rest.encode())
        if not self.full and not complete:
            raise QueryError("the answer of the SPARQL server ended early")
        rows = self.rows[: self.max_rows]
        data = {**self.head, "results": {"bindings": rows}}
        return _results(data, media, truncated=self.full)


class _Lines:
    """N-Triples read as they arrive: one triple a line."""

    def __init__(self, max_rows: int) -> None:
        self.max_rows = max_rows
        self.data = bytearray()
        self.lines = 0

    @property
    def full(self) -> bool:
        return self.lines > self.max_rows

    def feed(self, chunk: bytes) -> None:
        self.data += chunk
        self.lines += chunk.count(b"\n")

    def answer(self, media: str, complete: bool) -> Answer:
        body = bytes(self.data)
        if self.full:
            cut = -1
            for _ in range(self.max_rows):
                cut = body.index(b"\n", cut + 1)
            body = body[: cut + 1]
        elif not complete:
            raise QueryError("the answer of the SPARQL server ended early")
        elif body[body.rfind(b"\n") + 1 :].strip():
            raise _failure(body[body.rfind(b"\n") + 1 :])
        return _render_graph(body, media, self.max_rows, truncated=self.full)


class Collector:
    """An answer of the SPARQL server, read as it streams in: enough rows, and no more.

    Parameters
    ----------
    content_type : the media type of the answer (SPARQL JSON results or N-Triples).
    max_rows : the most rows (solutions, or triples) the answer may hold.
    max_bytes : the most bytes to read; more raises :class:`AnswerTooLarge`.

    Raises
    ------
    QueryError
        If the answer is of an unknown type.

    Examples
    --------
    >>> row = b'{"n":{"type":"literal","value":"1"}},'
    >>> collector = Collector("application/sparql-results+json", max_rows=2, max_bytes=10**6)
    >>> collector.feed(b'{"head":{"vars":["n"]},"results":{"bindings":[' + row * 2)
    False
    >>> collector.feed(row)  # a third row: the answer is cut, read no more
    True
    >>> answer = collector.answer("text/csv", complete=False)
    >>> answer.body, answer.truncated
    (b'n\\r\\n1\\r\\n1\\r\\n', True)
    """

    def __init__(self, content_type: str, max_rows: int, max_bytes: int) -> None:
        kind = content_type.split(";")[0].strip().lower()
        if kind == JSON_RESULTS:
            self._reader: _JsonRows | _Lines = _JsonRows(max_rows)
            self._offered = list(RESULTS)
        elif kind == N_TRIPLES:
            self._reader = _Lines(max_rows)
            self._offered = list(GRAPHS)
        else:
            raise QueryError(
                f"the SPARQL server answered with an unexpected type ({kind or 'none'})"
            )
        self.max_bytes = max_bytes
        self.size = 0

    def feed(self, chunk: bytes) -> bool:
        """Take the next piece of the answer; ``True`` once it holds more than ``max_rows`` rows.

        Raises
        ------
        AnswerTooLarge
            If the answer grows past ``max_bytes`` before that.
        """
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise AnswerTooLarge(
                f"the answer grew past {self.max_bytes / 1e6:g} MB before reaching the row "
                "limit; narrow the query (fewer or shorter values, a LIMIT)"
            )
        self._reader.feed(chunk)
        return self._reader.full

    def answer(self, accept: str, complete: bool) -> Answer:
        """The answer cut to the row limit, as the ``Accept`` header prefers.

        Parameters
        ----------
        accept : the client's ``Accept`` header.
        complete : whether the server's answer was read to its end (else it was cut).

        Raises
        ------
        QueryTimeout
            If the server cancelled the query at its timeout.
        QueryError
            If the answer is incomplete (an error in the middle).
        """
        return self._reader.answer(negotiate(accept, self._offered), complete)


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
    collector = Collector(content_type, max_rows, max_bytes=len(body))
    collector.feed(body)
    return collector.answer(accept, complete=not collector._reader.full)


def _results(data: dict, media: str, truncated: bool = False) -> Answer:
    """SPARQL JSON results (parsed) serialised as ``media``."""
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if media != JSON_RESULTS:
        parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        body = parsed.serialize(format=RESULTS[media])
    return Answer(body, media, truncated)


def _render_graph(body: bytes, media: str, max_rows: int, truncated: bool) -> Answer:
    try:
        triples = [quad.triple for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES)]
    except SyntaxError:
        raise _failure(body[body.rfind(b"\n") + 1 :]) from None
    prefixes = PREFIXES if media == "text/turtle" else None
    data = ox.serialize(triples[:max_rows], format=GRAPHS[media], prefixes=prefixes)
    return Answer(data, media, truncated or len(triples) > max_rows)


def _failure(tail: bytes) -> QueryError:
    """The error for an answer cut short; ``tail`` holds the server's message."""
    message = " ".join(tail.decode("utf-8", "replace").split())[:300] or "no message"
    if CANCELLED in message:
        return QueryTimeout("the query ran past the server's time limit and was cancelled")
    return QueryError(f"the query failed while running: {message}")
