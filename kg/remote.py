"""Remote SPARQL stores: run named queries on an endpoint, push the graph into one.

:func:`remote_query` sends a query (a named query with its parameters bound,
a ``.rq`` file or SPARQL text, made self-contained by :func:`kg.query.prepare`)
to any SPARQL 1.1 Protocol endpoint through SPARQLWrapper, and answers with the
same :class:`~kg.store.QueryResult` the embedded store gives: the same rdflib
terms, so ``hrkg query NAME --endpoint URL`` prints what ``hrkg query NAME`` does.

:func:`push` writes every article's named graph into a remote store, replacing
the graph of the same name there, so pushing twice leaves the same data. It
speaks the SPARQL 1.1 Graph Store Protocol (``PUT`` the first chunk of a graph,
``POST`` the rest) or SPARQL 1.1 Update (``DROP SILENT GRAPH`` and ``INSERT
DATA`` per chunk), with N-Triples bodies of at most ``chunk_triples`` triples.
"""

from __future__ import annotations

import ast
import json
import math
import os
import time
import urllib.error
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Literal as TypingLiteral

import httpx
import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import BASIC, DIGEST, JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from kg.errors import HrkgError, QueryError, StoreError
from kg.query import prepare
from kg.store import XSD_STRING, QueryResult, Store

USER_ENV = "HRKG_ENDPOINT_USER"
PASSWORD_ENV = "HRKG_ENDPOINT_PASSWORD"
DEFAULT_TIMEOUT = 60.0
DEFAULT_CHUNK = 5000
MAX_CHUNK = 100_000
Protocol = TypingLiteral["gsp", "update"]
Scheme = TypingLiteral["digest", "basic"]


@dataclass(frozen=True)
class RemoteAuth:
    """Credentials for an endpoint: HTTP digest (Virtuoso's default) or basic authentication.

    Examples
    --------
    >>> RemoteAuth("dba", "dba")
    RemoteAuth(user='dba', password='***', scheme='digest')
    """

    user: str
    password: str
    scheme: Scheme = "digest"

    def __post_init__(self) -> None:
        if self.scheme not in ("digest", "basic"):
            raise HrkgError(f"authentication {self.scheme!r}: choose digest or basic")

    def __repr__(self) -> str:  # never print a password
        return f"RemoteAuth(user={self.user!r}, password='***', scheme={self.scheme!r})"

    @classmethod
    def from_env(cls, scheme: Scheme = "digest") -> RemoteAuth | None:
        """Credentials from ``HRKG_ENDPOINT_USER`` and ``HRKG_ENDPOINT_PASSWORD``, if set."""
        user = os.environ.get(USER_ENV)
        return cls(user, os.environ.get(PASSWORD_ENV, ""), scheme) if user else None

    def httpx(self) -> httpx.Auth:
        """The same credentials for httpx."""
        if self.scheme == "basic":
            return httpx.BasicAuth(self.user, self.password)
        return httpx.DigestAuth(self.user, self.password)


@dataclass(frozen=True)
class PushReport:
    """What :func:`push` wrote: graphs, triples, HTTP requests, seconds."""

    endpoint: str
    protocol: str
    graphs: int
    triples: int
    requests: int
    seconds: float


def remote_query(
    endpoint: str,
    query: str,
    params: dict[str, str] | None = None,
    *,
    auth: RemoteAuth | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> QueryResult:
    """Run a named query, ``.rq`` file or SPARQL text on a remote SPARQL endpoint.

    The query is made self-contained (``PREFIX`` lines, parameters bound as typed
    terms in a ``VALUES`` block) and sent by HTTP POST. SELECT and ASK answers are
    read as SPARQL JSON results, CONSTRUCT and DESCRIBE as Turtle; terms are
    converted as the embedded store converts them (``xsd:string`` literals plain,
    other datatypes and language tags kept).

    Parameters
    ----------
    endpoint : the endpoint URL, e.g. ``http://127.0.0.1:8890/sparql``
    query : a named query, a ``.rq`` file or SPARQL text (see :func:`kg.query.resolve`)
    params : parameter values by name, as on the command line
    auth : credentials, if the endpoint needs them
    timeout : seconds to wait for the answer

    Returns
    -------
    QueryResult

    Raises
    ------
    QueryError
        If the query is unknown or lacks a parameter, or the endpoint rejects it (HTTP 400).
    StoreError
        If the endpoint cannot be reached, refuses the credentials, fails, times out or
        answers something that is not a SPARQL result.

    Examples
    --------
    >>> remote_query("http://127.0.0.1:9/sparql", "ASK { ?s ?p ?o }", timeout=2)
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: http://127.0.0.1:9/sparql: cannot connect (Connection refused)
    """
    text = prepare(query, params)
    wrapper = _wrapper(endpoint, auth, timeout)
    wrapper.setQuery(text)
    graph_form = wrapper.queryType in ("CONSTRUCT", "DESCRIBE")
    wrapper.setReturnFormat(TURTLE if graph_form else JSON)
    body = _send(wrapper, endpoint, timeout)
    if graph_form:
        return QueryResult(graph=_graph(body, endpoint))
    return _results(body, endpoint)


def push(
    store: Store,
    endpoint: str,
    *,
    protocol: Protocol = "update",
    auth: RemoteAuth | None = None,
    chunk_triples: int = DEFAULT_CHUNK,
    timeout: float = DEFAULT_TIMEOUT,
    on_graph: Callable[[str, int], None] | None = None,
) -> PushReport:
    """Write every article's named graph into a remote store, replacing it there.

    Parameters
    ----------
    store : the local store
    endpoint : a Graph Store Protocol URL (``protocol="gsp"``, e.g. Virtuoso's
        ``/sparql-graph-crud-auth``) or a SPARQL Update URL (``protocol="update"``,
        e.g. Virtuoso's ``/sparql-auth``)
    protocol : ``"gsp"`` (PUT, then POST per further chunk) or ``"update"``
        (``DROP SILENT GRAPH`` with the first ``INSERT DATA``, then one per chunk)
    auth : credentials (see :class:`RemoteAuth`)
    chunk_triples : most triples per request, 1 to 100000; a graph with blank nodes is
        sent in one request so that its blank nodes stay one node each
    timeout : seconds to wait for each request
    on_graph : called with each graph's IRI and triple count once it is written

    Returns
    -------
    PushReport

    Raises
    ------
    StoreError
        If the endpoint cannot be reached, refuses the credentials or the data, or times out.
    """
    if protocol not in ("gsp", "update"):
        raise HrkgError(f"protocol {protocol!r}: choose gsp or update")
    if not 1 <= chunk_triples <= MAX_CHUNK:
        raise HrkgError(f"chunk size {chunk_triples}: choose 1 to {MAX_CHUNK} triples")
    started = time.perf_counter()
    graphs = triples = requests = 0
    names = sorted(g.value for g in store.oxigraph.named_graphs() if isinstance(g, ox.NamedNode))
    with httpx.Client(auth=auth.httpx() if auth else None, timeout=timeout) as client:
        for name in names:
            count = 0
            for index, body in enumerate(_chunks(store, name, chunk_triples)):
                if protocol == "gsp":
                    _gsp(client, endpoint, name, body, replace=index == 0)
                else:
                    _update(endpoint, name, body, replace=index == 0, auth=auth, timeout=timeout)
                requests += 1
                count += body.count(b"\n")
            graphs += 1
            triples += count
            if on_graph:
                on_graph(name, count)
    return PushReport(endpoint, protocol, graphs, triples, requests, time.perf_counter() - started)


def _chunks(store: Store, name: str, size: int) -> Iterator[bytes]:
    """N-Triples bodies of at most ``size`` triples of one named graph (at least one body)."""
    triples = [
        q.triple for q in store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(name))
    ]
    if any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        size = max(len(triples), 1)
    for start in range(0, max(len(triples), 1), size):
        yield ox.serialize(triples[start : start + size], format=ox.RdfFormat.N_TRIPLES) or b""


def _gsp(client: httpx.Client, endpoint: str, name: str, body: bytes, *, replace: bool) -> None:
    method = "PUT" if replace else "POST"
    try:
        answer = client.request(
            method,
            endpoint,
            params={"graph": name},
            content=body,
            headers={"Content-Type": "application/n-triples"},
        )
    except httpx.TimeoutException:
        raise StoreError(f"{endpoint}: no answer in {client.timeout.read} s") from None
    except httpx.HTTPError as exc:
        raise StoreError(f"{endpoint}: cannot connect ({_reason(exc)})") from None
    if answer.status_code >= 400:
        raise StoreError(
            f"{endpoint}: {method} of graph <{name}> failed: "
            + _status(answer.status_code, answer.reason_phrase, answer.content)
        )


def _update(
    endpoint: str, name: str, body: bytes, *, replace: bool, auth: RemoteAuth | None, timeout: float
) -> None:
    drop = f"DROP SILENT GRAPH <{name}> ;\n" if replace else ""
    wrapper = _wrapper(endpoint, auth, timeout)
    wrapper.setQuery(f"{drop}INSERT DATA {{ GRAPH <{name}> {{\n{body.decode('utf-8')}}} }}")
    _send(wrapper, endpoint, timeout, what=f"writing graph <{name}>")


def _wrapper(endpoint: str, auth: RemoteAuth | None, timeout: float) -> SPARQLWrapper:
    wrapper = SPARQLWrapper(endpoint, agent="hrkg (SPARQLWrapper)")
    wrapper.setMethod(POST)  # bound VALUES blocks and N-Triples make long texts
    wrapper.setTimeout(max(1, math.ceil(timeout)))  # SPARQLWrapper takes whole seconds
    if auth:
        wrapper.setHTTPAuth(DIGEST if auth.scheme == "digest" else BASIC)
        wrapper.setCredentials(auth.user, auth.password)
    return wrapper


def _send(wrapper: SPARQLWrapper, endpoint: str, timeout: float, what: str = "") -> bytes:
    """The body of the endpoint's answer; failures as one-line errors naming the endpoint."""
    where = f"{endpoint}: {what}: " if what else f"{endpoint}: "
    try:
        with wrapper.query().response as response:
            return response.read()
    except SPARQLWrapperException as exc:
        code = _code(exc)
        detail = _status(code, HTTPStatus(code).phrase if code else "", _body(exc))
        error = QueryError if code == 400 and not what else StoreError
        raise error(f"{where}{detail}") from None
    except urllib.error.HTTPError as exc:
        raise StoreError(f"{where}{_status(exc.code, exc.reason, exc.read())}") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError):
            raise StoreError(f"{where}no answer in {timeout:g} s") from None
        raise StoreError(f"{where}cannot connect ({_reason(exc.reason)})") from None
    except TimeoutError:
        raise StoreError(f"{where}no answer in {timeout:g} s") from None
    except (OSError, ValueError) as exc:
        raise StoreError(f"{where}cannot connect ({_reason(exc)})") from None


def _body(exc: SPARQLWrapperException) -> bytes:
    """The endpoint's answer, which SPARQLWrapper keeps only as the repr in its message."""
    _, sep, body = str(exc).partition("\n\nResponse:\n")
    try:
        value = ast.literal_eval(body) if sep else b""
    except (ValueError, SyntaxError):
        return b""
    return value if isinstance(value, bytes) else b""


def _code(exc: SPARQLWrapperException) -> int:
    return {
        "QueryBadFormed": 400,
        "Unauthorized": 401,
        "EndPointNotFound": 404,
        "URITooLong": 414,
        "EndPointInternalError": 500,
    }.get(type(exc).__name__, 0)


def _status(code: int, reason: str, body: bytes) -> str:
    """``HTTP 401 Unauthorized (the endpoint's first line of explanation)``, with a hint."""
    text = body.decode("utf-8", "replace").strip()
    try:  # hrkg serve and others answer {"error": "..."}
        parsed = json.loads(text)
        text = str(parsed.get("error") or parsed.get("message") or text)
    except (ValueError, AttributeError):
        pass
    if text.startswith("<"):  # an HTML error page says no more than its status
        text = ""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    first = first if len(first) <= 200 else first[:199] + "…"
    hint = {
        401: "; check --user and --password (or HRKG_ENDPOINT_USER, HRKG_ENDPOINT_PASSWORD) "
        "and --auth digest|basic",
        403: "; the endpoint refuses this request (read-only, or the user may not write)",
        404: "; check the endpoint URL",
    }.get(code, "")
    return f"HTTP {code} {reason}" + (f" ({first})" if first else "") + hint


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    text = " ".join(str(exc).split()) or type(exc).__name__
    if "Connection refused" in text or "ConnectionRefused" in text:
        return "Connection refused"
    return text[:200]


def _results(body: bytes, endpoint: str) -> QueryResult:
    try:
        data = json.loads(body)
        if "boolean" in data:
            return QueryResult(boolean=bool(data["boolean"]))
        variables = list(data["head"]["vars"])
        rows = [tuple(_term(b.get(v)) for v in variables) for b in data["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        start = " ".join(body[:80].decode("utf-8", "replace").split())
        raise StoreError(
            f"{endpoint}: the answer is not SPARQL JSON results ({type(exc).__name__}; "
            f"it starts {start!r}); is this a SPARQL endpoint?"
        ) from None
    return QueryResult(variables=variables, rows=rows)


def _term(binding: dict[str, str] | None) -> Node | None:
    """A SPARQL JSON binding as the rdflib term :func:`kg.store.to_rdflib` would give."""
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind not in ("literal", "typed-literal"):  # typed-literal: SPARQL 1.0 JSON (Virtuoso)
        raise ValueError(f"unknown term type {kind!r}")
    if binding.get("xml:lang"):
        return Literal(value, lang=binding["xml:lang"])
    datatype = binding.get("datatype")
    if datatype and datatype != XSD_STRING:
        return Literal(value, datatype=URIRef(datatype))
    return Literal(value)


def _graph(body: bytes, endpoint: str) -> Graph:
    parsed = Graph()
    try:
        parsed.parse(data=body, format="turtle")
    except Exception as exc:  # rdflib raises many kinds for a bad document
        raise StoreError(
            f"{endpoint}: the answer is not Turtle ({' '.join(str(exc).split())[:200]})"
        ) from None
    graph = Graph()
    for triple in parsed:
        graph.add(tuple(_plain(t) for t in triple))  # type: ignore[arg-type]
    return graph


def _plain(term: Node) -> Node:
    """``"x"^^xsd:string`` as the plain literal ``"x"``, as the embedded store gives it."""
    if isinstance(term, Literal) and term.datatype is not None and str(term.datatype) == XSD_STRING:
        return Literal(str(term))
    return term
