"""Deterministic IRIs: the same input always gives the same names.

Entities are named by kind and normalised name (countries by ISO code),
so they merge across articles; everything else is named by the article
id plus character offsets or an index.  Names are percent-encoded, and so is a
last ``.``: Turtle writes an IRI ending in one as a prefixed name ending in
``\\.``, which rdflib (7.x) cannot read back.

Examples
--------
>>> str(entity_iri("country:BY"))
'https://w3id.org/hrkg/id/country/BY'
>>> str(entity_iri("person:ales byalyatski"))
'https://w3id.org/hrkg/id/person/ales-byalyatski'
>>> str(article_iri("dev/01 a"))
'https://w3id.org/hrkg/id/article/dev%2F01%20a'
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import URIRef

from kg.ontology import DATA


def _segment(text: str) -> str:
    """``text`` as one path segment: percent-encoded, and never ending with ``.``.

    Examples
    --------
    >>> _segment("dev/01 a"), _segment("Jr."), _segment("..")
    ('dev%2F01%20a', 'Jr%2E', '.%2E')
    """
    segment = quote(text, safe="-._~")
    return segment[:-1] + "%2E" if segment.endswith(".") else segment


def _id(article_id: str) -> str:
    return _segment(article_id)


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article, which also names its graph."""
    return DATA[f"article/{_id(article_id)}"]


def entity_iri(key: str) -> URIRef:
    """The IRI of an entity from its key (``kind:normalised name``)."""
    kind, _, name = key.partition(":")
    segment = _segment(name if kind == "country" else name.replace(" ", "-"))
    return DATA[f"{_segment(kind)}/{segment or 'unnamed'}"]


def event_iri(article_id: str, index: int, event_type: str) -> URIRef:
    """The IRI of the ``index``-th event of an article."""
    return DATA[f"event/{_id(article_id)}/{index}-{event_type}"]


def mention_iri(article_id: str, start: int, end: int) -> URIRef:
    """The IRI of the text span ``start:end`` of an article."""
    return node_iri("mention", article_id, start, end)


def node_iri(kind: str, article_id: str, *parts: object) -> URIRef:
    """The IRI of an article-local node (sentence, quantity, relation assertion)."""
    return DATA[f"{kind}/{_id(article_id)}/" + "-".join(str(p) for p in parts)]
