"""Tests for ``kg.store``: one named graph per article, replaced atomically.

Graphs here are built by hand with rdflib, so these tests need no model.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from kg.errors import QueryError, StoreError
from kg.iris import article_iri, entity_iri
from kg.ontology import HR
from kg.registry import REGISTRY
from kg.store import Store, to_oxigraph, to_rdflib

BELARUS = entity_iri("country:BY")


def article_graph(article_id: str, text: str = "Police arrested him.", *extra: str) -> Graph:
    """A small article graph: the article node, its hash, and one label per ``extra``."""
    iri = article_iri(article_id)
    graph = Graph(identifier=iri)
    graph.add((iri, RDF.type, HR.Article))
    graph.add((iri, DCTERMS.identifier, Literal(article_id)))
    graph.add((iri, HR.contentHash, Literal(f"hash-of-{text}")))
    graph.add((BELARUS, RDF.type, HR.Country))
    graph.add((BELARUS, HR.mentionedIn, iri))
    for label in extra:
        graph.add((entity_iri(f"person:{label}"), RDF.type, HR.Person))
        graph.add((entity_iri(f"person:{label}"), RDFS.label, Literal(label)))
    return graph


def registry_quads(store: Store) -> set[tuple[str, str, str]]:
    """The entity registry graph's triples (kg.registry)."""
    answer = store.query(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{REGISTRY}> {{ ?s ?p ?o }} }}")
    return {tuple(str(t) for t in row) for row in answer.rows}


def quads_of(store: Store, article_id: str) -> set[tuple[str, str, str]]:
    answer = store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{article_iri(article_id)}> {{ ?s ?p ?o }} }}"
    )
    return {tuple(str(t) for t in row) for row in answer.rows}


def test_replace_graph_twice_is_idempotent(store):
    graph = article_graph("a1", "text", "Jane Doe")
    store.replace_graph(graph)
    once = len(store)
    store.replace_graph(graph)
    assert once == len(store) == len(graph) + len(registry_quads(store))
    assert len(registry_quads(store)) == 3  # Belarus typed; Jane Doe typed and labelled


def test_replacing_an_article_removes_its_old_triples_and_keeps_the_others(store):
    store.replace_graph(article_graph("a1", "old text", "Old Name"))
    store.replace_graph(article_graph("a2", "other", "Other Person"))
    before_a2 = quads_of(store, "a2")

    store.replace_graph(article_graph("a1", "new text", "New Name"))

    labels = {str(row[0]) for row in store.query("SELECT ?l WHERE { ?x rdfs:label ?l }").rows}
    assert labels == {"New Name", "Other Person"}  # "Old Name" left the registry too
    assert quads_of(store, "a2") == before_a2
    registry = registry_quads(store)
    assert {o for _, p, o in registry if p == str(RDFS.label)} == {"New Name", "Other Person"}
    new = article_graph("a1", "new text", "New Name")
    assert len(store) == len(new) + len(before_a2) + len(registry)


def test_remove_graph_leaves_other_articles(store):
    store.replace_graph(article_graph("a1"))
    store.replace_graph(article_graph("a2"))
    store.replace_graph(article_graph("a3", "third", "Only In Three"))
    store.remove_graph(article_iri("a3"))
    store.remove_graph(article_iri("a1"))
    assert quads_of(store, "a1") == quads_of(store, "a3") == set()
    registry = registry_quads(store)
    assert registry == {(str(BELARUS), str(RDF.type), str(HR.Country))}  # a2 still mentions it
    assert len(store) == len(quads_of(store, "a2")) + len(registry) > 1


def test_only_graphs_named_by_an_iri_can_be_stored(store):
    with pytest.raises(StoreError, match="named by an IRI"):
        store.replace_graph(Graph())  # a blank-node identifier


def test_article_hashes(store):
    assert store.article_hashes() == {}
    store.replace_graph(article_graph("a1", "one"))
    store.replace_graph(article_graph("dev/02 b", "two"))
    assert store.article_hashes() == {"a1": "hash-of-one", "dev/02 b": "hash-of-two"}


def test_queries_see_the_union_of_article_graphs(store):
    store.replace_graph(article_graph("a1"))
    store.replace_graph(article_graph("a2"))
    # Belarus is typed in both graphs: two quads, one triple in the default (union) graph
    assert store.query("ASK { ?c a hr:Country }").boolean is True
    rows = store.query(f"SELECT ?a WHERE {{ <{BELARUS}> hr:mentionedIn ?a }}").rows
    assert {r[0] for r in rows} == {article_iri("a1"), article_iri("a2")}
    graphs = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?c a hr:Country } }").rows
    assert {r[0] for r in graphs} == {article_iri("a1"), article_iri("a2"), REGISTRY}


@pytest.mark.parametrize(
    "sparql",
    [
        "SELEC ?x WHERE { ?x ?p ?o }",
        "SELECT ?x WHERE { ?x ?p ?o ",
        "SELECT ?x WHERE {\n  ?x ?p\n}\n",
        "SELECT ?x WHERE { ?x undeclared:p ?o }",
        "PREFIX : <http://x/>\n\nSELECT * WHERE { ?s ?p ?o } LIMIT x",
    ],
)
def test_invalid_sparql_raises_query_error_in_one_line(store, sparql):
    with pytest.raises(QueryError) as caught:
        store.query(sparql)
    message = str(caught.value)
    assert message.startswith("invalid SPARQL")
    assert "\n" not in message


def test_query_results_carry_rdflib_terms(store):
    answer = store.query(
        'SELECT ?i ?s ?l ?d ?u WHERE { BIND(3 AS ?i) BIND("x" AS ?s) BIND("chat"@fr AS ?l) '
        'BIND("2023-03-03"^^xsd:date AS ?d) }'
    )
    assert answer.variables == ["i", "s", "l", "d", "u"]
    assert answer.rows == [
        (
            Literal(3),
            Literal("x"),
            Literal("chat", lang="fr"),
            Literal("2023-03-03", datatype=XSD.date),
            None,
        )
    ]
    assert answer.dicts() == [{"i": "3", "s": "x", "l": "chat", "d": "2023-03-03", "u": None}]


def test_construct_gives_a_graph(store):
    store.replace_graph(article_graph("a1", "t", "Jane Doe"))
    answer = store.query("CONSTRUCT { ?x rdfs:label ?l } WHERE { ?x rdfs:label ?l }")
    assert answer.graph is not None
    assert set(answer.graph) == {(entity_iri("person:Jane Doe"), RDFS.label, Literal("Jane Doe"))}


@pytest.mark.parametrize(
    "term",
    [
        URIRef("https://w3id.org/hrkg/id/person/x"),
        Literal("plain"),
        Literal("chat", lang="fr"),
        Literal(42),
        Literal("2023", datatype=XSD.gYear),
    ],
)
def test_terms_convert_both_ways(term):
    assert to_rdflib(to_oxigraph(term)) == term


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=200))
def test_any_literal_survives_a_write_and_a_query(text):
    """Article text reaches the store inside a SPARQL update: nothing in it may escape."""
    store = Store(None)
    iri = article_iri("a1")
    graph = Graph(identifier=iri)
    graph.add((iri, HR.text, Literal(text)))
    store.replace_graph(graph)
    assert store.query("SELECT ?t WHERE { ?a hr:text ?t }").rows == [(Literal(text),)]
    assert len(store) == 1


def test_store_persists_on_disk_and_opens_read_only(tmp_path):
    path = tmp_path / "kg"
    store = Store(path)
    store.replace_graph(article_graph("a1", "t", "Jane Doe"))
    store.flush()
    count = len(store)
    del store
    reopened = Store(path, read_only=True)
    assert len(reopened) == count
    assert reopened.article_hashes() == {"a1": "hash-of-t"}


def test_reading_a_store_while_it_is_open_for_writing_never_leaks_a_raw_error(tmp_path):
    path = tmp_path / "kg"
    writer = Store(path)
    for number in range(5):
        graph = article_graph(f"a{number}", "t", *(f"Person {i}" for i in range(300)))
        writer.replace_graph(graph)
        writer.flush()
        try:
            reader = Store(path, read_only=True)
        except StoreError as exc:
            assert "try again" in str(exc) and "\n" not in str(exc)
        else:
            assert len(reader) > 0


def test_a_file_where_the_store_should_be_is_a_store_error(tmp_path):
    path = tmp_path / "not-a-store"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the store"):
        Store(path)


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_dump_keeps_every_quad(store, fmt):
    from rdflib import Dataset

    store.replace_graph(article_graph("a1", "t", "Jane"))
    store.replace_graph(article_graph("a2", "u", "John"))
    dataset = Dataset()
    dataset.parse(data=store.dump(fmt), format="nquads" if fmt == "nq" else "trig")
    articles = len(article_graph("a1", "t", "Jane")) + len(article_graph("a2", "u", "John"))
    assert len(list(dataset.quads())) == len(store) == articles + len(registry_quads(store)) == 19


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_federated_queries_are_refused_before_any_request(sparql) -> None:
    with pytest.raises(QueryError, match="SERVICE"):
        Store(None).query(sparql)


def test_the_word_service_in_a_literal_is_not_federation() -> None:
    assert Store(None).query('SELECT * WHERE { BIND("SERVICE" AS ?x) }').rows
