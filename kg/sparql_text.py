"""Lexical helpers for SPARQL text: find keywords outside comments, strings and IRIs.

Used to bind parameters (the first top-level ``WHERE {``), to refuse federated
queries (``SERVICE``) before an engine sends requests, and to make a query
self-contained for a remote endpoint (``PREFIX`` declarations).
"""

from __future__ import annotations

import re

# A comment, a string or an IRI (skipped), or one of the keywords we look for.
TOKENS = re.compile(
    r"#[^\n]*"
    r'''|"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'''
    r"""|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"""
    r'''|"(?:[^"\\\n\r]|\\.)*"'''
    r"""|'(?:[^'\\\n\r]|\\.)*'"""
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|(?P<where>(?<![?$\w:])WHERE\s*\{)"
    r"|(?P<service>(?<![?$\w:])SERVICE(?![\w:]))"
    r"|(?P<prefix>(?<![?$\w:])PREFIX\s+(?P<name>[A-Za-z][\w.-]*)?:)",
    re.IGNORECASE,
)


def where_offsets(sparql: str) -> list[int]:
    """The offsets just after every ``WHERE {`` (the query's and its subqueries').

    Examples
    --------
    >>> where_offsets("SELECT * WHERE { { SELECT ?x WHERE { ?x ?p ?o } } }")
    [16, 36]
    >>> where_offsets('# WHERE { not this\\nSELECT * WHERE { ?s ?p "WHERE {" }')
    [35]
    """
    return [m.end() for m in TOKENS.finditer(sparql) if m.group("where")]


def uses_service(sparql: str) -> bool:
    """Whether a query federates (``SERVICE``), ignoring the word in comments, strings, IRIs.

    Examples
    --------
    >>> uses_service("SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }")
    True
    >>> uses_service('SELECT * WHERE { ?s ?p "SERVICE" } # SERVICE')
    False
    """
    return any(match.group("service") for match in TOKENS.finditer(sparql))


def declared_prefixes(sparql: str) -> set[str]:
    """The prefix names a query declares itself."""
    return {m.group("name") or "" for m in TOKENS.finditer(sparql) if m.group("prefix")}


def with_prefixes(sparql: str, prefixes: dict[str, str]) -> str:
    """Prepend ``PREFIX`` lines for the given prefixes the query does not declare.

    Examples
    --------
    >>> print(with_prefixes("SELECT * WHERE { ?s a hr:Person }", {"hr": "https://w3id.org/hrkg/ontology#"}))
    PREFIX hr: <https://w3id.org/hrkg/ontology#>
    SELECT * WHERE { ?s a hr:Person }
    """
    known = declared_prefixes(sparql)
    lines = [f"PREFIX {name}: <{iri}>" for name, iri in prefixes.items() if name not in known]
    return "\n".join([*lines, sparql])
