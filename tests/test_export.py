"""Tests for ``kg.export``: every format reads back with what the store holds.

RDF formats must give back the store's quads (TriG, N-Quads, JSON-LD) or its
distinct triples (Turtle); graph formats the nodes and edges of
``kg.graph.to_networkx`` (every view: ``test_export_views.py``).  Each runs on
the seed store and on a store of two articles that share triples and have
labels full of characters XML, CSV and Turtle must escape.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import networkx as nx
import pandas as pd
import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg.errors import HrkgError
from kg.export import FORMATS, export
from kg.graph import to_networkx
from kg.iris import article_iri, entity_iri, event_iri
from kg.ontology import HR
from kg.store import Store, to_rdflib

AWKWARD = 'Viasna, "Spring" & <Vesna>\nline two; tab\there \\ é 🌍'


def awkward_article(article_id: str, label: str) -> Graph:
    """An article graph with an event, shared entities and awkward labels."""
    iri = article_iri(article_id)
    graph = Graph(identifier=iri)
    person, org, country = (
        entity_iri("person:jane doe"),
        entity_iri("organisation:viasna"),
        entity_iri("country:BY"),
    )
    event = event_iri(article_id, 1, "protest")
    mention = URIRef(f"{iri}/m")
    graph.add((iri, RDF.type, HR.Article))
    graph.add((iri, DCTERMS.identifier, Literal(article_id)))
    for node, cls, text in (
        (person, HR.Person, label),
        (org, HR.Organisation, AWKWARD),
        (country, HR.Country, "Belarus"),
    ):
        graph.add((node, RDF.type, cls))
        graph.add((node, RDFS.label, Literal(text)))
        graph.add((node, HR.hasMention, mention))
    graph.add((country, HR.countryCode, Literal("BY")))
    graph.add((event, RDF.type, HR.Event))
    graph.add((event, RDF.type, HR.Protest))
    graph.add((event, HR.trigger, Literal("protested")))
    graph.add((event, HR.hasMention, mention))
    graph.add((event, HR.date, Literal("2023-03", datatype=XSD.gYearMonth)))
    graph.add((event, HR.organiser, org))
    graph.add((event, HR.participant, org))  # a parallel edge
    graph.add((event, HR.target, person))
    graph.add((event, HR.location, country))
    graph.add((person, HR.memberOf, org))  # in both articles: one edge, two articles
    graph.add((mention, HR.anchorText, Literal("Jane", lang="en")))
    return graph


@pytest.fixture(scope="module")
def awkward() -> Store:
    store = Store(None)
    store.replace_graph(awkward_article("a1", 'Jane "JD" Doe'))
    store.replace_graph(awkward_article("a 2/b", "Jane Doe"))
    return store


@pytest.fixture(params=["seed", "awkward"])
def any_store(request) -> Store:
    return request.getfixturevalue("seed_store" if request.param == "seed" else "awkward")


def store_quads(store: Store) -> set[tuple]:
    return {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))
        for q in store.dataset_quads()
    }


def read_quads(data: bytes, fmt: str) -> set[tuple]:
    dataset = Dataset()
    dataset.parse(data=data, format=fmt)
    return {(s, p, o, g) for s, p, o, g in dataset.quads()}


@pytest.mark.parametrize(
    ("fmt", "parser"), [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")]
)
def test_rdf_datasets_read_back_with_every_quad(any_store, fmt, parser):
    quads = read_quads(export(any_store, fmt), parser)
    assert len(quads) == len(any_store)
    assert quads == store_quads(any_store)


def test_turtle_reads_back_with_every_distinct_triple(any_store):
    graph = Graph().parse(data=export(any_store, "ttl"), format="turtle")
    distinct = {(s, p, o) for s, p, o, _ in store_quads(any_store)}
    assert set(graph) == distinct
    assert len(graph) == len(distinct)


def test_the_awkward_store_shares_triples_between_articles(awkward):
    """The fixture must exercise the union: shared triples are quads twice, triples once."""
    triples = {(s, p, o) for s, p, o, _ in store_quads(awkward)}
    assert len(triples) < len(awkward)


@pytest.mark.parametrize(
    ("fmt", "read"),
    [
        ("graphml", lambda data: nx.read_graphml(io.BytesIO(data), force_multigraph=True)),
        ("gexf", lambda data: nx.read_gexf(io.BytesIO(data))),
    ],
)
def test_graph_formats_read_back_with_every_node_and_edge(any_store, fmt, read):
    expected = to_networkx(any_store)
    graph = read(export(any_store, fmt))
    assert graph.is_directed()
    assert graph.number_of_nodes() == expected.number_of_nodes()
    assert graph.number_of_edges() == expected.number_of_edges()
    assert set(graph.nodes) == set(expected.nodes)
    for node, attrs in expected.nodes(data=True):
        assert graph.nodes[node]["label"] == attrs["label"]
        assert graph.nodes[node]["type"] == attrs["type"]
    relations = Counter((u, v, d["relation"]) for u, v, d in graph.edges(data=True))
    assert relations == Counter((u, v, d["relation"]) for u, v, d in expected.edges(data=True))


def test_csv_has_one_row_per_edge_with_labels(any_store):
    expected = to_networkx(any_store)
    rows = list(csv.DictReader(io.StringIO(export(any_store, "csv").decode("utf-8"))))
    assert len(rows) == expected.number_of_edges()
    for row in rows:
        assert row["relation"] in expected[row["source"]][row["target"]]
        assert row["source_label"] == expected.nodes[row["source"]]["label"]
        assert row["target_type"] == expected.nodes[row["target"]]["type"]
        assert row["articles"]


def test_csv_keeps_awkward_labels_intact(awkward):
    rows = list(csv.DictReader(io.StringIO(export(awkward, "csv").decode("utf-8"))))
    assert AWKWARD in {r["target_label"] for r in rows}
    member = [r for r in rows if r["relation"] == "memberOf"]
    assert len(member) == 1
    assert member[0]["articles"] in ("a1 a 2/b", "a 2/b a1")  # ids joined by spaces


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_empty_store_exports_an_empty_document(fmt):
    data = export(Store(None), fmt)
    if fmt in ("nq", "trig", "jsonld"):
        assert read_quads(data, {"nq": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt]) == set()
    elif fmt == "ttl":
        assert len(Graph().parse(data=data, format="turtle")) == 0
    elif fmt == "csv":
        assert data.decode().splitlines() == [
            "source,target,relation,role,statements,events,articles,evidence,"
            "source_label,source_type,target_label,target_type"
        ]
    elif fmt == "parquet":
        assert len(pd.read_parquet(io.BytesIO(data))) == 0
    elif fmt == "json":
        assert nx.node_link_graph(json.loads(data), edges="edges").number_of_nodes() == 0
    else:
        reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
        assert reader(io.BytesIO(data)).number_of_nodes() == 0


def test_an_unknown_format_names_the_known_ones():
    with pytest.raises(HrkgError, match=r"unknown export format 'xml'.*ttl, trig, nq"):
        export(Store(None), "xml")
