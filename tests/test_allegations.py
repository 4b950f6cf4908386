"""Allegations stay allegations: what an article reports is stored as that article's claim.

Every event (an arrest, a charge, a sentence) and every relation is stated only
inside the named graph of an article that reports it, never in the default graph
or in the entity registry, and every export that keeps graphs keeps that source.
"""

from __future__ import annotations

from rdflib import Dataset, URIRef
from rdflib.namespace import RDF

from kg.export import export
from kg.ontology import HR
from kg.registry import REGISTRY


def test_no_statement_lives_outside_an_article_graph(seed_store):
    articles = {
        str(g) for (g,) in seed_store.query("SELECT ?g WHERE { GRAPH ?g { ?g a hr:Article } }").rows
    }
    graphs = {q.graph_name for q in seed_store.dataset_quads()}
    assert all(hasattr(g, "value") for g in graphs), "nothing in the default graph"
    assert {g.value for g in graphs} == articles | {str(REGISTRY)}


def test_events_and_relation_assertions_are_claims_of_their_article(seed_store):
    dataset = Dataset()
    dataset.parse(data=export(seed_store, "nq"), format="nquads")
    claims = [
        (s, g)
        for s, p, o, g in dataset.quads((None, RDF.type, None, None))
        if o in (HR.Event, HR.RelationAssertion)
    ]
    assert claims
    for subject, graph in claims:
        assert graph != URIRef(str(REGISTRY))
        # the claim, all its statements, and the article they come from are in one graph
        assert (graph, RDF.type, HR.Article, graph) in dataset
        assert {g for *_, g in dataset.quads((subject, None, None, None))} == {graph}
        mentions = list(dataset.quads((subject, HR.hasMention, None, graph)))
        assert mentions, f"{subject} has no mention to trace it to a text span"


def test_the_registry_holds_names_not_claims(seed_store):
    rows = seed_store.query(
        f"SELECT DISTINCT ?p WHERE {{ GRAPH <{REGISTRY}> {{ ?s ?p ?o }} }}"
    ).rows
    assert {str(p).rsplit("#", 1)[-1] for (p,) in rows} <= {
        "type",
        "label",
        "altLabel",
        "countryCode",
    }
