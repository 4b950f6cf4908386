"""Tests for ``kg.iris``: IRIs minted from article ids and entity keys.

Whatever an article id holds (spaces, slashes, quotes, any script), the IRIs
minted from it must be valid in Turtle and SPARQL, and different ids must never
share an IRI, or two articles would overwrite each other's graph.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, URIRef

from kg.iris import article_iri, entity_iri, event_iri, mention_iri, node_iri
from kg.store import Store

BASE = "https://w3id.org/hrkg/id/"
ids = st.text(min_size=1, max_size=40)
names = st.text(max_size=40)


def parses_as_iri(iri: URIRef) -> bool:
    """True when ``iri`` survives a Turtle document as the same IRI."""
    graph = Graph().parse(data=f"{iri.n3()} <http://x/p> <http://x/o> .", format="turtle")
    return list(graph.subjects()) == [iri]


@settings(max_examples=200)
@given(article_id=ids, index=st.integers(0, 10_000), start=st.integers(0, 10**6))
def test_iris_minted_from_any_article_id_are_valid(article_id, index, start):
    minted = [
        article_iri(article_id),
        event_iri(article_id, index, "letter_writing"),
        mention_iri(article_id, start, start + 5),
        node_iri("sentence", article_id, start, start + 40),
    ]
    for iri in minted:
        assert iri.startswith(BASE)
        assert not any(c in iri for c in ' <>"{}|\\^`\n\t'), iri
        assert parses_as_iri(iri)


@settings(max_examples=200)
@given(first=ids, second=ids)
def test_distinct_article_ids_give_distinct_iris(first, second):
    if first != second:
        assert article_iri(first) != article_iri(second)
        assert event_iri(first, 1, "arrest") != event_iri(second, 1, "arrest")
        assert mention_iri(first, 0, 5) != mention_iri(second, 0, 5)


@settings(max_examples=25, deadline=None)
@given(article_id=ids)
def test_article_iri_names_a_graph_sparql_can_address(article_id):
    """The store pastes graph names into SPARQL updates: they must stay one IRI there."""
    store = Store(None)
    graph = Graph(identifier=article_iri(article_id))
    graph.add((article_iri(article_id), URIRef("http://x/p"), URIRef("http://x/o")))
    store.replace_graph(graph)
    answer = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert answer.rows == [(article_iri(article_id),)]


@settings(max_examples=200)
@given(kind=st.sampled_from(["person", "organisation", "place"]), name=names)
def test_entity_iri_is_deterministic_and_valid(kind, name):
    key = f"{kind}:{name}"
    assert entity_iri(key) == entity_iri(key)
    assert entity_iri(key).startswith(f"{BASE}{kind}/")
    assert parses_as_iri(entity_iri(key))


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("country:BY", "country/BY"),
        ("person:ales byalyatski", "person/ales-byalyatski"),
        ("organisation:amnesty international", "organisation/amnesty-international"),
        ("organisation:viasna/spring", "organisation/viasna%2Fspring"),
        ("person:léa", "person/l%C3%A9a"),
        ("person:", "person/unnamed"),
    ],
)
def test_entity_iri_examples(key, expected):
    assert entity_iri(key) == URIRef(BASE + expected)


def test_entity_keys_differing_in_kind_or_name_differ():
    keys = ["person:amnesty", "organisation:amnesty", "person:amnesty international", "country:AM"]
    assert len({entity_iri(k) for k in keys}) == len(keys)
