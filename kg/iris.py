"""Deterministic IRIs: the same input always gives the same names.

Entities are named by kind and normalised name (countries by ISO code),
so they merge across articles; everything else is named by the article
id plus character offsets or an index.

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


def _id(article_id: str) -> str:
    return quote(article_id, safe="-._~")


def article_iri(article_id: str) -> URIRef:
    """The IRI of an article, which also names its graph."""
    return DATA[f"article/{_id(article_id)}"]


def entity_iri(key: str) -> URIRef:
    """The IRI of an entity from its key (``kind:normalised name``)."""
    kind, _, name = key.partition(":")
    segment = name if kind == "country" else quote(name.replace(" ", "-"), safe="-._~")
    return DATA[f"{kind}/{segment or 'unnamed'}"]


def event_iri(article_id: str, index: int, event_type: str) -> URIRef:
    """The IRI of the ``index``-th event of an article."""
    return DATA[f"event/{_id(article_id)}/{index}-{event_type}"]


def mention_iri(article_id: str, start: int, end: int) -> URIRef:
    """The IRI of the text span ``start:end`` of an article."""
    return node_iri("mention", article_id, start, end)


def node_iri(kind: str, article_id: str, *parts: object) -> URIRef:
    """The IRI of an article-local node (sentence, quantity, relation assertion)."""
    return DATA[f"{kind}/{_id(article_id)}/" + "-".join(str(p) for p in parts)]
