"""Tests for ``kg.analyse`` and ``hrkg analyse`` on hand-made and seed stores.

The three hand-made articles of ``test_views`` give a known actor network:
Jane Doe is the hub (arrest, protest, detention, membership of Viasna), Ivan
Petrov the only link to Ukraine.
"""

from __future__ import annotations

import json

import networkx as nx
import pytest
from test_graph import BELARUS, JANE, POLICE, VIASNA
from test_views import IRI, IVAN, KGB, UA, three_articles
from typer.testing import CliRunner

from kg.analyse import centrality, communities, ego_network, explain_path, find_node, simple
from kg.api import KnowledgeGraph
from kg.cli import app
from kg.errors import HrkgError
from kg.graph import actor_network, full_graph, load_facts
from kg.iris import event_iri
from tests.helpers import on_disk


@pytest.fixture(scope="module")
def facts():
    return load_facts(three_articles())


@pytest.fixture(scope="module")
def actors(facts):
    return actor_network(facts)


@pytest.mark.parametrize("measure", ["pagerank", "degree", "betweenness"])
def test_the_hub_is_most_central(actors, measure):
    ranked = centrality(actors, measure, top=3)
    assert ranked[0].node == IRI[JANE]
    assert ranked[0].label == "Jane Doe" and ranked[0].type == "Person"
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


def test_centrality_ranks_only_the_kinds_asked_for(actors):
    ranked = centrality(actors, "pagerank", top=None, types={"Organisation"})
    assert {r.node for r in ranked} == {IRI[POLICE], IRI[VIASNA], IRI[KGB]}


def test_betweenness_puts_the_bridge_to_ukraine_first_after_the_hub(actors):
    ranked = centrality(actors, "betweenness", top=2)
    assert [r.node for r in ranked] == [IRI[JANE], IRI[IVAN]]


def test_communities_partition_every_actor_and_are_reproducible(actors):
    first, again = communities(actors, seed=3), communities(actors, seed=3)
    assert [c.members for c in first] == [c.members for c in again]
    members = [m for c in first for m in c.members]
    assert sorted(members) == sorted(actors) and len(members) == len(set(members))
    ukraine = next(c for c in first if IRI[UA] in c.members)
    assert IRI[IVAN] in ukraine.members  # Ukraine's only link


def test_communities_of_two_cliques_are_the_cliques():
    graph = nx.Graph()
    graph.add_edges_from([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y"), ("y", "z"), ("x", "z")])
    graph.add_edge("c", "x", weight=0.1)
    for node in graph:
        graph.nodes[node].update(label=node, type="Person")
    assert sorted(sorted(c.members) for c in communities(graph)) == [
        ["a", "b", "c"],
        ["x", "y", "z"],
    ]


def test_ego_network_holds_the_neighbours_within_the_radius(actors):
    one = ego_network(actors, "Ukraine", radius=1)
    assert set(one) == {IRI[UA], IRI[IVAN]}
    two = ego_network(actors, "Ukraine", radius=2)
    assert set(two) == {IRI[UA], IRI[IVAN], IRI[JANE], IRI[KGB], IRI[BELARUS]}


def test_path_is_explained_hop_by_hop_with_events_and_articles(actors, facts):
    hops = explain_path(actors, "Viasna", "Ukraine", facts)
    assert [h.target_label for h in hops] == ["Jane Doe", "Ivan Petrov", "Ukraine"]
    first, second, third = hops
    assert first.relations == ["memberOf"]  # and the protest Viasna organised for her
    assert first.events == [str(event_iri("a1", 2, "protest"))]
    assert first.event_labels == ['Protest 2021 "protested"']
    assert first.articles == ["a1"]
    assert second.event_labels == ['Detention 2023-05-02 "detained"']
    assert second.evidence == "The KGB detained Jane Doe and Ivan Petrov in Belarus."
    assert third.articles == ["a3"]


def test_path_in_the_full_view_goes_through_events(facts):
    hops = explain_path(full_graph(facts), "Police", "Jane Doe")
    assert [h.target_label for h in hops] == ["arrested", "Jane Doe"]
    assert hops[0].relations == ["agent"] and hops[1].relations == ["target"]


def test_simple_graph_adds_up_parallel_edges(facts):
    full = full_graph(facts)
    protest = str(event_iri("a1", 2, "protest"))
    assert simple(full).edges[protest, IRI[VIASNA]]["weight"] == 1  # organiser only
    assert not simple(full).is_directed()


@pytest.mark.parametrize(
    "call, message",
    [
        (
            lambda g, f: find_node(g, "Jane Do"),
            "no node named 'Jane Do' in this view; did you mean 'Jane Doe'",
        ),
        (lambda g, f: explain_path(g, "Police", "Nobody", f), "no node named 'Nobody'"),
        (lambda g, f: centrality(g, "closeness"), "unknown measure 'closeness'"),
        (lambda g, f: ego_network(g, "Jane Doe", radius=0), "radius must be 1 or more"),
    ],
)
def test_mistakes_are_one_line_errors(actors, facts, call, message):
    with pytest.raises(HrkgError, match=message):
        call(actors, facts)


def test_unconnected_actors_are_reported(facts):
    graph = actor_network(facts)
    graph.remove_edges_from(list(graph.edges(IRI[IVAN])))
    with pytest.raises(HrkgError, match="'Ivan Petrov' and 'Jane Doe' are not connected"):
        explain_path(graph, "Ivan Petrov", "Jane Doe")


def test_an_ambiguous_name_lists_the_candidates():
    graph = nx.Graph()
    graph.add_node("x:1", label="Viasna")
    graph.add_node("x:2", label="viasna")
    with pytest.raises(HrkgError, match=r"'Viasna' names 2 nodes .*<x:1>.*<x:2>"):
        find_node(graph, "Viasna")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    """The three articles in a store on disk, for the CLI."""
    return on_disk(three_articles(), tmp_path_factory.mktemp("analyse") / "store")


def run(*args):
    return CliRunner().invoke(app, ["analyse", *args], catch_exceptions=False)


def test_cli_centrality_as_json(store_dir):
    result = run("centrality", "--top", "2", "--format", "json", "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["label"] == "Jane Doe"
    assert set(rows[0]) == {"rank", "label", "type", "pagerank", "iri"}


def test_cli_path_as_csv(store_dir):
    result = run("path", "Viasna", "Ukraine", "--format", "csv", "--store", str(store_dir))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "hop,from,to,relations,events,articles,evidence"
    assert len(lines) == 4 and lines[3].startswith("3,Ivan Petrov,Ukraine,")


def test_cli_ego_and_communities_with_filters(store_dir):
    ego = run(
        "ego", "Jane Doe", "--type", "detention", "--format", "json", "--store", str(store_dir)
    )
    assert ego.exit_code == 0, ego.output
    assert {r["label"] for r in json.loads(ego.stdout)} == {"KGB", "Ivan Petrov", "Belarus"}
    found = run("communities", "--country", "UA", "--format", "json", "--store", str(store_dir))
    assert json.loads(found.stdout)[0]["members"] == "Ivan Petrov; Ukraine"


@pytest.mark.parametrize(
    "args, message",
    [
        (["path", "Jane Doe", "Nobody"], "error: no node named 'Nobody'"),
        (["centrality", "--from", "yesterday"], "error: not a date: 'yesterday'"),
        (["centrality", "--format", "xml"], "error: unknown output format 'xml'"),
    ],
)
def test_cli_errors_are_one_line(store_dir, args, message):
    result = run(*args, "--store", str(store_dir))
    assert result.exit_code == 1
    assert (
        result.stderr.strip().startswith(message) and len(result.stderr.strip().splitlines()) == 1
    )


def test_seed_analyses_run(seed_store):
    actors = actor_network(load_facts(seed_store))
    top = centrality(actors, "pagerank", top=5)
    assert len(top) == 5 and all(r.score > 0 for r in top)
    assert sum(c.size for c in communities(actors)) == actors.number_of_nodes()


def test_the_python_api_gives_the_same_answers(store_dir):
    kg = KnowledgeGraph(store_dir)
    assert kg.centrality(top=1)[0].label == "Jane Doe"
    assert [h.target_label for h in kg.path("Viasna", "Ukraine")][-1] == "Ukraine"
    assert set(kg.ego("Ukraine")) == {IRI[UA], IRI[IVAN]}
    assert set(kg.view("actors", countries=["UA"])) == {IRI[UA], IRI[IVAN]}
    assert sum(c.size for c in kg.communities()) == kg.view("actors").number_of_nodes()


def test_cli_says_so_when_the_filters_leave_nothing(store_dir):
    result = run("communities", "--type", "killing", "--store", str(store_dir))
    assert result.exit_code == 0
    assert "nothing to show (no nodes after the filters)" in result.stderr
