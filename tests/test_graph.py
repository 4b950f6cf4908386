"""Tests for ``kg.graph``: the store as a typed, role-labelled NetworkX ``MultiDiGraph``.

On the seed store the graph must account for every typed entity, event and
role or relation triple; on two small articles built by ``kg.build`` from
hand-written extraction records, for the exact edges, their articles, and
parallel edges between the same two nodes.
"""

from __future__ import annotations

from collections import Counter

import pytest
import spacy

from kg.article import Article
from kg.build import build_article_graph
from kg.extract.records import (
    Argument,
    DateValue,
    EntityRecord,
    EventRecord,
    Mention,
    RelationRecord,
    register_extensions,
)
from kg.graph import to_networkx
from kg.iris import entity_iri, event_iri
from kg.ontology import HR, RELATIONS, ROLES
from kg.stats import store_stats
from kg.store import Store

ENTITY_TYPES = {"Person", "Organisation", "Country", "Place"}
EDGE_PREDICATES = [*ROLES.values(), HR.location, *RELATIONS.values()]
JANE, VIASNA, POLICE, BELARUS = (
    "person:jane doe",
    "organisation:viasna",
    "organisation:police",
    "country:BY",
)


def built(article_id: str, text: str, entities, events=(), relations=(), aliases=None):
    """The graph ``kg.build`` makes of ``text`` given extraction records.

    ``entities`` are (key, label, phrase) triples; the phrase is the mention;
    ``events`` are (type, trigger, [(role, key)], location[, date]) tuples;
    ``aliases`` maps entity keys to their other names in this article.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    register_extensions()
    doc = nlp(text)

    def at(phrase: str) -> Mention:
        start = text.index(phrase)
        return Mention(start, start + len(phrase), phrase)

    doc._.hr_entities = [
        EntityRecord(
            key,
            key.split(":")[0],
            label,
            alt_labels=set((aliases or {}).get(key, ())),
            mentions=[at(phrase)],
            country_code=key.split(":")[1] if key.startswith("country:") else None,
        )
        for key, label, phrase in entities
    ]

    def when(value: str | None, trigger: str) -> DateValue | None:
        granularity = {4: "gYear", 7: "gYearMonth", 10: "date"}
        return DateValue(value, granularity[len(value)], at(trigger)) if value else None

    doc._.hr_events = [
        EventRecord(
            kind,
            [trigger],
            [at(trigger)],
            [Argument(r, k) for r, k in args],
            location,
            when(dated[0] if dated else None, trigger),
        )
        for kind, trigger, args, location, *dated in events
    ]
    doc._.hr_relations = [RelationRecord(s, p, o, at(phrase)) for s, p, o, phrase in relations]
    return build_article_graph(Article(id=article_id, text=text), doc)


def two_articles() -> Store:
    store = Store(None)
    store.replace_graph(
        built(
            "a1",
            "Police arrested Jane Doe in Minsk. Viasna protested and joined. Doe is in Viasna.",
            [
                (JANE, 'Jane "JD" Doe', "Jane Doe"),
                (POLICE, "Police", "Police"),
                (BELARUS, "Belarus", "Minsk"),
                (VIASNA, "Viasna & <Spring>", "Viasna"),
            ],
            [
                ("arrest", "arrested", [("agent", POLICE), ("target", JANE)], BELARUS),
                (
                    "protest",
                    "protested",
                    [("organiser", VIASNA), ("participant", VIASNA), ("target", JANE)],
                    None,
                ),
            ],
            [(JANE, "member_of", VIASNA, "is in")],
        )
    )
    store.replace_graph(
        built(
            "a2",
            "Jane Doe, a member of Viasna, was released in Minsk.",
            [
                (JANE, "Jane Doe", "Jane Doe"),
                (VIASNA, "Viasna", "Viasna"),
                (BELARUS, "Belarus", "Minsk"),
            ],
            [("release", "released", [("target", JANE)], BELARUS)],
            [(JANE, "member_of", VIASNA, "a member of")],
        )
    )
    return store


@pytest.fixture(scope="module")
def two() -> Store:
    return two_articles()


def edges(graph):
    return {(u, v, k): d for u, v, k, d in graph.edges(keys=True, data=True)}


def test_two_articles_give_exactly_these_edges(two):
    graph = to_networkx(two)
    arrest, protest = event_iri("a1", 1, "arrest"), event_iri("a1", 2, "protest")
    release = event_iri("a2", 1, "release")
    iri = {k: str(entity_iri(k)) for k in (JANE, VIASNA, POLICE, BELARUS)}
    assert {k: sorted(d["articles"].split()) for k, d in edges(graph).items()} == {
        (str(arrest), iri[POLICE], "agent"): ["a1"],
        (str(arrest), iri[JANE], "target"): ["a1"],
        (str(arrest), iri[BELARUS], "location"): ["a1"],
        (str(protest), iri[VIASNA], "organiser"): ["a1"],
        (str(protest), iri[VIASNA], "participant"): ["a1"],
        (str(protest), iri[JANE], "target"): ["a1"],
        (str(release), iri[JANE], "target"): ["a2"],
        (str(release), iri[BELARUS], "location"): ["a2"],
        (iri[JANE], iri[VIASNA], "memberOf"): ["a1", "a2"],  # read in both articles
    }
    assert all(d["relation"] == k[2] for k, d in edges(graph).items())
    assert graph.number_of_edges(str(protest), iri[VIASNA]) == 2  # organiser and participant


def test_nodes_carry_type_label_and_mentions(two):
    graph = to_networkx(two)
    jane = graph.nodes[str(entity_iri(JANE))]
    assert jane["type"] == "Person"
    assert jane["label"] in {'Jane "JD" Doe', "Jane Doe"}  # labelled differently by each article
    assert jane["mentions"] == 2
    belarus = graph.nodes[str(entity_iri(BELARUS))]
    assert (belarus["type"], belarus["label"], belarus["country_code"]) == (
        "Country",
        "Belarus",
        "BY",
    )
    arrest = graph.nodes[str(event_iri("a1", 1, "arrest"))]
    assert (arrest["type"], arrest["label"], arrest["kind"]) == ("Arrest", "arrested", "event")
    assert graph.number_of_nodes() == 4 + 3


def test_seed_graph_nodes_are_typed(seed_store):
    graph = to_networkx(seed_store)
    assert graph.number_of_nodes() > 0
    for node, attrs in graph.nodes(data=True):
        assert node.startswith("https://w3id.org/hrkg/id/")
        assert attrs["label"]
        assert attrs["mentions"] >= 1
        if attrs["kind"] == "event":
            assert attrs["type"] not in ENTITY_TYPES and attrs["type"]
        else:
            assert attrs["type"] in ENTITY_TYPES
        if attrs["type"] == "Country":
            assert len(attrs["country_code"]) == 2


def test_seed_graph_edges_carry_relation_and_articles(seed_store):
    for _, _, key, attrs in to_networkx(seed_store).edges(keys=True, data=True):
        assert attrs["relation"] == key
        assert attrs["articles"].split() == ["seed"]


@pytest.mark.parametrize("make", ["seed", "two"])
def test_graph_counts_equal_store_counts(request, make):
    store = request.getfixturevalue("seed_store") if make == "seed" else two_articles()
    graph = to_networkx(store)
    stats = store_stats(store)
    types = Counter(attrs["type"] for _, attrs in graph.nodes(data=True))
    assert types["Person"] == stats["persons"]
    assert types["Organisation"] == stats["organisations"]
    assert types["Country"] == stats["countries"]
    assert types["Place"] == stats["places"]
    events = sum(1 for _, attrs in graph.nodes(data=True) if attrs["kind"] == "event")
    assert events == stats["events"]

    values = " ".join(p.n3() for p in EDGE_PREDICATES)
    triples = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?p ?o WHERE {{ ?s ?p ?o "
        f"VALUES ?p {{ {values} }} }} }}"
    ).rows[0][0]
    assert graph.number_of_edges() == int(triples)


def test_an_empty_store_gives_an_empty_graph():
    graph = to_networkx(Store(None))
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (0, 0)
