"""Tests for the three NetworkX views of ``kg.graph`` and their filters.

Three hand-made articles with known events, dates and countries give exact
expected nodes and edges; the seed store checks the views hold together on
real extraction output.
"""

from __future__ import annotations

import pytest
from test_graph import BELARUS, JANE, POLICE, VIASNA, built

from kg.errors import HrkgError
from kg.graph import (
    Filters,
    actor_event_graph,
    actor_network,
    full_graph,
    load_facts,
    view,
)
from kg.iris import entity_iri, event_iri
from kg.store import Store

KGB, UA, IVAN = "organisation:kgb", "country:UA", "person:ivan petrov"
IRI = {k: str(entity_iri(k)) for k in (JANE, VIASNA, POLICE, BELARUS, KGB, UA, IVAN)}


def three_articles() -> Store:
    """a1 (2021): police arrest Jane in Belarus, Viasna protests for her; Jane is in Viasna.
    a2 (2023-05): the KGB detains Jane and Ivan in Belarus.
    a3 (undated event): Ivan protests in Ukraine."""
    store = Store(None)
    store.replace_graph(
        built(
            "a1",
            "Police arrested Jane Doe in Minsk. Viasna protested. Doe is in Viasna.",
            [
                (JANE, "Jane Doe", "Jane Doe"),
                (POLICE, "Police", "Police"),
                (BELARUS, "Belarus", "Minsk"),
                (VIASNA, "Viasna", "Viasna"),
            ],
            [
                ("arrest", "arrested", [("agent", POLICE), ("target", JANE)], BELARUS, "2021"),
                ("protest", "protested", [("organiser", VIASNA), ("target", JANE)], None, "2021"),
            ],
            [(JANE, "member_of", VIASNA, "is in")],
        )
    )
    store.replace_graph(
        built(
            "a2",
            "The KGB detained Jane Doe and Ivan Petrov in Belarus.",
            [
                (KGB, "KGB", "KGB"),
                (JANE, "Jane Doe", "Jane Doe"),
                (IVAN, "Ivan Petrov", "Ivan Petrov"),
                (BELARUS, "Belarus", "Belarus"),
            ],
            [
                (
                    "detention",
                    "detained",
                    [("agent", KGB), ("target", JANE), ("target", IVAN)],
                    BELARUS,
                    "2023-05-02",
                )
            ],
        )
    )
    store.replace_graph(
        built(
            "a3",
            "Ivan Petrov protested in Ukraine.",
            [(IVAN, "Ivan Petrov", "Ivan Petrov"), (UA, "Ukraine", "Ukraine")],
            [("protest", "protested", [("agent", IVAN)], UA)],
        )
    )
    return store


@pytest.fixture(scope="module")
def facts():
    return load_facts(three_articles())


ARREST, PROTEST = str(event_iri("a1", 1, "arrest")), str(event_iri("a1", 2, "protest"))
DETENTION, PROTEST3 = str(event_iri("a2", 1, "detention")), str(event_iri("a3", 1, "protest"))


def pair(a: str, b: str) -> tuple[str, str]:
    return tuple(sorted((IRI[a], IRI[b])))


def test_facts_give_events_their_dates_countries_and_sentences(facts):
    detention = facts.nodes[DETENTION]
    assert (detention.type, detention.date, detention.countries) == (
        "Detention",
        "2023-05-02",
        {"BY"},
    )
    assert detention.sentence == "The KGB detained Jane Doe and Ivan Petrov in Belarus."
    assert facts.nodes[PROTEST3].countries == {"UA"}
    assert facts.nodes[IRI[JANE]].articles == {"a1", "a2"}


def test_actor_network_links_co_participants_with_evidence(facts):
    graph = actor_network(facts)
    assert {IRI[k] for k in (JANE, VIASNA, POLICE, BELARUS, KGB, UA, IVAN)} == set(graph)
    edges = {tuple(sorted((a, b))): d for a, b, d in graph.edges(data=True)}
    jane_viasna = edges[pair(JANE, VIASNA)]
    # one shared event (the protest) and one memberOf statement
    assert (jane_viasna["co_events"], jane_viasna["relation_statements"]) == (1, 1)
    assert jane_viasna["weight"] == 2
    assert jane_viasna["relations"] == "memberOf"
    assert jane_viasna["events"] == PROTEST
    jane_ivan = edges[pair(JANE, IVAN)]
    assert (jane_ivan["weight"], jane_ivan["articles"]) == (1, "a2")
    assert jane_ivan["evidence"] == "The KGB detained Jane Doe and Ivan Petrov in Belarus."
    # Belarus is where the arrest and the detention happened: linked to both targets
    assert edges[pair(JANE, BELARUS)]["co_events"] == 2
    assert pair(POLICE, KGB) not in edges  # never in one event
    assert all(graph.nodes[n]["type"] in {"Person", "Organisation", "Country"} for n in graph)


def test_bipartite_graph_joins_actors_to_events_with_roles(facts):
    graph = actor_event_graph(facts)
    events = {n for n, d in graph.nodes(data=True) if d["bipartite"] == 1}
    assert events == {ARREST, PROTEST, DETENTION, PROTEST3}
    assert graph.edges[IRI[JANE], DETENTION]["roles"] == "target"
    assert graph.edges[IRI[BELARUS], ARREST]["roles"] == "location"
    for a, b in graph.edges():
        assert graph.nodes[a]["bipartite"] != graph.nodes[b]["bipartite"]


def test_full_graph_keeps_roles_and_relations_as_keyed_edges(facts):
    graph = full_graph(facts)
    assert graph.has_edge(DETENTION, IRI[KGB], key="agent")
    assert graph.has_edge(IRI[JANE], IRI[VIASNA], key="memberOf")
    assert graph.edges[ARREST, IRI[JANE], "target"]["evidence"].startswith("Police arrested")
    assert graph.nodes[IRI[JANE]]["kind"] == "entity"
    assert graph.nodes[DETENTION]["kind"] == "event"


@pytest.mark.parametrize(
    "filters, events, actors",
    [
        (Filters.parse(event_types=["detention"]), {DETENTION}, {KGB, JANE, IVAN, BELARUS}),
        (Filters.parse(countries=["ua"]), {PROTEST3}, {IVAN, UA}),
        (Filters.parse(start="2023"), {DETENTION}, {KGB, JANE, IVAN, BELARUS}),
        # a year overlaps a range that starts inside it; undated events drop out
        (
            Filters.parse(start="2021-06", end="2022"),
            {ARREST, PROTEST},
            {POLICE, JANE, VIASNA, BELARUS},
        ),
        (Filters.parse(articles=["a3"]), {PROTEST3}, {IVAN, UA}),
        (Filters.parse(["protest"], ["BY"]), set(), set()),  # Viasna's protest has no country
    ],
)
def test_filters_choose_events_and_their_actors(facts, filters, events, actors):
    bipartite = actor_event_graph(facts, filters)
    assert {n for n, d in bipartite.nodes(data=True) if d["kind"] == "event"} == events
    assert set(actor_network(facts, filters)) == {IRI[a] for a in actors}
    assert set(full_graph(facts, filters)) == events | {IRI[a] for a in actors}


def test_article_filter_keeps_only_relations_stated_there(facts):
    assert actor_network(facts, Filters.parse(articles=["a2"])).number_of_edges() == 6
    graph = full_graph(facts, Filters.parse(articles=["a2"]))
    assert not graph.has_edge(IRI[JANE], IRI[VIASNA])  # memberOf is stated in a1


def test_persons_inherit_no_country_without_a_nationality(facts):
    assert actor_network(facts).nodes[IRI[JANE]]["country_code"] == ""
    assert actor_network(facts).nodes[IRI[BELARUS]]["country_code"] == "BY"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"event_types": ["parade"]}, "unknown event type 'parade'"),
        ({"countries": ["XX"]}, "unknown country code 'XX'"),
        ({"start": "last year"}, "not a date: 'last year'"),
    ],
)
def test_bad_filters_are_one_line_errors(kwargs, message):
    with pytest.raises(HrkgError, match=message):
        Filters.parse(**kwargs)


def test_unknown_view_is_refused(facts):
    with pytest.raises(HrkgError, match="unknown view 'tree'"):
        view(facts, "tree")


def test_seed_views_agree(seed_store):
    facts = load_facts(seed_store)
    full, actors, bipartite = (view(facts, name) for name in ("full", "actors", "bipartite"))
    entity_actors = {
        n for n, d in full.nodes(data=True) if d["type"] in {"Person", "Organisation", "Country"}
    }
    assert set(actors) == entity_actors
    assert {n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 0} == entity_actors
    assert actors.number_of_edges() > 0
    for _, _, data in actors.edges(data=True):
        assert data["weight"] == data["co_events"] + data["relation_statements"] >= 1
        assert data["articles"] == "seed" and data["evidence"]
