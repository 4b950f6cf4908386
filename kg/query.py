"""Named SPARQL queries (``queries/*.rq``) and safe parameter binding.

A named query is a ``.rq`` file whose header comments describe it::

    # title: Events in a country
    # description: Every event located in a country, newest first.
    # param: country (code) = BY -- ISO 3166-1 alpha-2 code
    # example: hrkg query events-by-country --param country=BY

Parameters are bound to the variable of the same name (``?country``) by a
``VALUES`` block built from typed rdflib terms and their N3 serialisation,
which escapes quotes, braces and newlines; a value is never pasted into the
query text as such, so ``" . } ; DROP ALL #`` is just a string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from kg.errors import QueryError
from kg.sparql_text import where_offsets, with_prefixes
from kg.store import PREFIXES, QueryResult, Store

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
PARAM = re.compile(r"^(\w+)\s*\((\w+)\)\s*(?:=\s*(.*?))?\s*(?:--\s*(.*))?$")
TYPES = ("string", "code", "iri", "int", "date", "year", "name")


@dataclass(frozen=True)
class Param:
    """A query parameter: its name, type, default and description."""

    name: str
    type: str
    default: str | None = None
    description: str = ""


@dataclass(frozen=True)
class NamedQuery:
    """A ``.rq`` file of ``queries/`` with its header."""

    name: str
    text: str
    title: str = ""
    description: str = ""
    params: tuple[Param, ...] = field(default_factory=tuple)
    example: str = ""


def parse_named_query(path: Path) -> NamedQuery:
    """Read a ``.rq`` file and its header comments.

    Raises
    ------
    QueryError
        If a ``# param:`` line is malformed or names an unknown type.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else f"not UTF-8 (byte {exc.start})"
        raise QueryError(f"{path}: cannot read the query ({reason})") from None
    info: dict[str, str] = {}
    params = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.startswith("#"):
            continue
        key, sep, value = line.lstrip("# ").partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "param":
            match = PARAM.match(value)
            if not match or match.group(2) not in TYPES:
                raise QueryError(
                    f"{path} line {number}: bad parameter line; "
                    f"write `# param: name (type) = default -- description`, type one of {TYPES}"
                )
            params.append(Param(match[1], match[2], match[3] or None, match[4] or ""))
        elif key in {"title", "description", "example"}:
            info[key] = f"{info[key]} {value}" if key in info else value
    return NamedQuery(path.stem, text, params=tuple(params), **info)


def load_queries(directory: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query of ``directory``, by name (file stem)."""
    return {p.stem: parse_named_query(p) for p in sorted(directory.glob("*.rq"))}


def to_term(param: Param, value: str) -> Node:
    """Turn a parameter's string value into the typed RDF term it stands for.

    Examples
    --------
    >>> to_term(Param("country", "code"), "by")
    rdflib.term.Literal('BY')
    >>> to_term(Param("year", "year"), "2023").datatype == XSD.gYear
    True
    """
    try:
        if param.type == "iri":
            if not re.match(r"^[a-z][a-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$", value, re.I):
                raise ValueError("not an absolute IRI")
            return URIRef(value)
        if param.type == "int":
            return Literal(int(value))
        if param.type == "date":
            return Literal(date.fromisoformat(value).isoformat(), datatype=XSD.date)
        if param.type == "year":
            return Literal(f"{int(value):04d}", datatype=XSD.gYear)
        if param.type == "code":
            return Literal(value.strip().upper())
        if param.type == "name":  # the queries compare LCASE(label) = LCASE(?name)
            return Literal(value.strip())
        return Literal(value)
    except ValueError as exc:
        raise QueryError(
            f"parameter {param.name!r}: {value!r} is not a valid {param.type} ({exc})"
        ) from None


def bind(query: NamedQuery, values: dict[str, str]) -> dict[str, Node]:
    """Typed bindings for a named query from string values and the defaults.

    Raises
    ------
    QueryError
        If a value names no parameter of the query, or does not fit its type.
    """
    known = {p.name: p for p in query.params}
    unknown = sorted(set(values) - set(known))
    if unknown:
        choices = ", ".join(known) or "none"
        raise QueryError(
            f"query {query.name!r} has no parameter {unknown[0]!r} (parameters: {choices})"
        )
    bindings = {}
    for param in query.params:
        value = values.get(param.name, param.default)
        if value not in (None, ""):
            bindings[param.name] = to_term(param, value)
    return bindings


def with_values(sparql: str, bindings: dict[str, Node]) -> str:
    """Bind variables by inserting ``VALUES`` at the start of every ``WHERE`` group.

    The query's own ``WHERE`` and those of its subqueries all get the block, so a
    parameter means the same inside a subquery (which cannot see the outer one).

    Raises
    ------
    QueryError
        If the query has no ``WHERE {`` outside comments to bind into.

    Examples
    --------
    >>> print(with_values("SELECT ?x WHERE { ?x ?p ?name }", {"name": Literal('a "b" }')}))
    SELECT ?x WHERE { VALUES ?name { "a \\"b\\" }" }
     ?x ?p ?name }
    """
    if not bindings:
        return sparql
    offsets = where_offsets(sparql)
    if not offsets:
        raise QueryError("cannot bind parameters: the query has no `WHERE {`")
    block = " ".join(f"VALUES ?{k} {{ {v.n3()} }}" for k, v in bindings.items())
    pieces, last = [], 0
    for at in offsets:
        pieces += [sparql[last:at], f" {block}\n"]
        last = at
    return "".join([*pieces, sparql[last:]])


def prepare(query: str, params: dict[str, str] | None = None) -> str:
    """The self-contained text of a query with its parameters bound, for any endpoint.

    ``query`` is a named query, a ``.rq`` file or SPARQL text (see :func:`resolve`);
    the ``PREFIX`` lines hrkg predeclares locally are added where missing.

    Examples
    --------
    >>> text = prepare("SELECT ?p WHERE { ?p a hr:Person }")
    >>> text.splitlines()[0]
    'PREFIX hr: <https://w3id.org/hrkg/ontology#>'
    """
    named = resolve(query)
    return with_prefixes(with_values(named.text, bind(named, params or {})), PREFIXES)


def resolve(query: str, directory: Path = QUERIES_DIR) -> NamedQuery:
    """A query given as a name from ``queries/``, a path to a ``.rq`` file, or SPARQL text."""
    named = load_queries(directory)
    if query in named:
        return named[query]
    path = Path(query)
    if query.endswith(".rq"):
        if not path.is_file():
            raise QueryError(f"{query}: no such query file")
        return parse_named_query(path)
    if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", query, re.I):
        return NamedQuery("inline", query)
    names = ", ".join(named) or "none"
    raise QueryError(
        f"{query!r} is not a named query, a .rq file or SPARQL (named queries: {names})"
    )


def run_query(store: Store, query: str, params: dict[str, str] | None = None) -> QueryResult:
    """Run a named query, ``.rq`` file or SPARQL text with parameters; see :func:`resolve`.

    Examples
    --------
    >>> run_query(Store(None), "SELECT ?s WHERE { ?s a hr:Person }").rows
    []
    """
    named = resolve(query)
    text = with_values(named.text, bind(named, params or {}))  # its errors name the query
    try:
        return store.query(text)
    except QueryError as exc:
        raise QueryError(f"query {named.name!r}: {shorter(str(exc))}") from None


_SYNTAX = re.compile(r"^invalid SPARQL: error at (\d+):(\d+): (.*)$", re.S)


def shorter(message: str) -> str:
    """A SPARQL syntax error with its place spelt out and without oxigraph's character ranges.

    Examples
    --------
    >>> shorter("invalid SPARQL: error at 1:21: expected one of '!', '?', [0-9]")
    "invalid SPARQL at line 1, column 21: expected one of '!', '?', …; fix the query there"
    >>> shorter("invalid SPARQL: error at 2:3: expected one of Prefix not found, [0-9]")
    ... # doctest: +ELLIPSIS
    'invalid SPARQL at line 2, column 3: undeclared prefix; add a PREFIX line (hr:, id:, ...
    >>> shorter("query failed: out of memory")
    'query failed: out of memory'
    """
    match = _SYNTAX.match(message)
    if not match:
        return message
    line, column, reason = match.groups()
    where = f"invalid SPARQL at line {line}, column {column}"
    if reason.startswith("expected one of Prefix not found"):
        known = ", ".join(f"{prefix}:" for prefix in PREFIXES)
        return f"{where}: undeclared prefix; add a PREFIX line ({known} are predeclared)"
    if (cut := reason.find(", [")) >= 0:
        reason = reason[:cut] + ", …"
    return f"{where}: {reason}; fix the query there"
