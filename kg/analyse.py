"""Network analyses of the views in :mod:`kg.graph`, with NetworkX's own algorithms.

* :func:`centrality`: the most central nodes by degree, betweenness or PageRank;
* :func:`communities`: Louvain communities of the (weighted) graph;
* :func:`ego_network`: an actor and the nodes within ``radius`` hops;
* :func:`explain_path`: the shortest path between two actors, hop by hop, with
  the relations, events and articles behind each hop.

Nodes are found by IRI, label or alias (:func:`find_node`), case-insensitively.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field

import networkx as nx

from kg.errors import HrkgError
from kg.graph import Facts, edge_relations

MEASURES = ("pagerank", "degree", "betweenness")


@dataclass(frozen=True)
class Ranked:
    """A node and its score."""

    node: str
    label: str
    type: str
    score: float


def simple(graph: nx.Graph) -> nx.Graph:
    """An undirected simple graph of ``graph``; parallel edges add up their ``weight``.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_edge("e", "a", key="agent"); g.add_edge("e", "a", key="target")
    'agent'
    'target'
    >>> simple(g).edges["e", "a"]["weight"]
    2
    """
    if not graph.is_multigraph() and not graph.is_directed():
        return graph
    flat = nx.Graph()
    flat.add_nodes_from(graph.nodes(data=True))
    for a, b, data in graph.edges(data=True):
        weight = data.get("weight", 1)
        if flat.has_edge(a, b):
            flat.edges[a, b]["weight"] += weight
        else:
            flat.add_edge(a, b, weight=weight)
    return flat


def centrality(
    graph: nx.Graph, measure: str = "pagerank", top: int | None = 20, types: set[str] | None = None
) -> list[Ranked]:
    """The ``top`` nodes by ``measure`` (one of :data:`MEASURES`), highest first.

    PageRank uses edge weights; betweenness treats a heavier edge as a shorter
    one (distance ``1/weight``); degree centrality counts neighbours.  ``types``
    keeps only nodes of those types (``Person`` ...) in the ranking, computed on
    the whole graph.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("a", "c")])
    >>> [r.node for r in centrality(g, "degree", top=1)]
    ['a']
    """
    flat = simple(graph)
    if measure == "pagerank":
        scores = nx.pagerank(flat, weight="weight") if flat.number_of_nodes() else {}
    elif measure == "degree":
        scores = nx.degree_centrality(flat)
    elif measure == "betweenness":
        for _, _, data in flat.edges(data=True):
            data["distance"] = 1 / max(data.get("weight", 1), 1e-9)
        scores = nx.betweenness_centrality(flat, weight="distance")
    else:
        raise HrkgError(f"unknown measure {measure!r}; choose one of {', '.join(MEASURES)}")
    ranked = [
        Ranked(node, _label(graph, node), graph.nodes[node].get("type", ""), score)
        for node, score in scores.items()
        if not types or graph.nodes[node].get("type") in types
    ]
    ranked.sort(key=lambda r: (-r.score, r.label, r.node))
    return ranked[:top] if top else ranked


@dataclass
class Community:
    """A Louvain community: its members, most connected first."""

    number: int
    members: list[str]
    labels: list[str]
    types: dict[str, int] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """How many nodes the community has."""
        return len(self.members)


def communities(graph: nx.Graph, *, seed: int = 0, resolution: float = 1.0) -> list[Community]:
    """Louvain communities (``networkx.community.louvain_communities``), largest first.

    ``seed`` makes the result reproducible; members are ordered by weighted degree.

    Examples
    --------
    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> [c.members for c in communities(g)]
    [['a', 'b', 'c'], ['x', 'y']]
    """
    flat = simple(graph)
    if flat.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(
        flat, weight="weight", resolution=resolution, seed=seed
    )
    strength = dict(flat.degree(weight="weight"))
    ordered = sorted(
        (sorted(group, key=lambda n: (-strength[n], _label(graph, n), n)) for group in found),
        key=lambda members: (-len(members), _label(graph, members[0])),
    )
    result = []
    for number, members in enumerate(ordered, start=1):
        types: dict[str, int] = {}
        for node in members:
            kind = graph.nodes[node].get("type", "")
            types[kind] = types.get(kind, 0) + 1
        result.append(Community(number, members, [_label(graph, n) for n in members], types))
    return result


def find_node(graph: nx.Graph, name: str) -> str:
    """The node named ``name``: its IRI, its label or one of its aliases (any case).

    Raises
    ------
    HrkgError
        If no node or several nodes answer to ``name`` (the message lists them).

    Examples
    --------
    >>> g = nx.Graph(); g.add_node("x:1", label="Ales Bialiatski", aliases="Bialiatski")
    >>> find_node(g, "bialiatski")
    'x:1'
    """
    if name in graph:
        return name
    wanted = name.strip().casefold()
    by_label = [n for n, d in graph.nodes(data=True) if d.get("label", "").casefold() == wanted]
    if not by_label:
        by_label = [
            n
            for n, d in graph.nodes(data=True)
            if wanted in (a.strip().casefold() for a in d.get("aliases", "").split(";"))
        ]
    if len(by_label) == 1:
        return by_label[0]
    if by_label:
        listed = "; ".join(f"{_label(graph, n)} <{n}>" for n in sorted(by_label))
        raise HrkgError(f"{name!r} names {len(by_label)} nodes ({listed}); give the IRI")
    labels = sorted({d.get("label", "") for _, d in graph.nodes(data=True)})
    close = difflib.get_close_matches(name, labels, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    raise HrkgError(f"no node named {name!r} in this view{hint}")


def ego_network(graph: nx.Graph, name: str, radius: int = 1) -> nx.Graph:
    """The node named ``name`` and every node within ``radius`` hops, with their edges.

    Examples
    --------
    >>> g = nx.path_graph(4)
    >>> sorted(ego_network(g, 0, radius=2))
    [0, 1, 2]
    """
    if radius < 1:
        raise HrkgError(f"radius must be 1 or more, not {radius}")
    center = find_node(graph, name)
    return nx.ego_graph(graph, center, radius=radius, undirected=True)


@dataclass
class Hop:
    """One step of a path: two neighbouring nodes and the evidence linking them."""

    source: str
    target: str
    source_label: str
    target_label: str
    relations: list[str]
    events: list[str]
    event_labels: list[str]
    articles: list[str]
    evidence: str


def explain_path(graph: nx.Graph, start: str, end: str, facts: Facts | None = None) -> list[Hop]:
    """The shortest path between two nodes, each hop with its relations, events and articles.

    On a weighted view (the actor network) a heavier edge counts as a shorter
    one, so of two equally short paths the better attested is taken.  Events
    are described from the graph's event nodes or, for views without them (the
    actor network), from ``facts``.

    Raises
    ------
    HrkgError
        If a name is unknown or ambiguous, or the two are not connected.
    """
    flat = simple(graph)
    a, b = find_node(graph, start), find_node(graph, end)
    try:
        nodes = nx.shortest_path(
            flat, a, b, weight=lambda u, v, d: 1 + 1 / (1 + d.get("weight", 1))
        )
    except nx.NetworkXNoPath:
        raise HrkgError(
            f"{_label(graph, a)!r} and {_label(graph, b)!r} are not connected in this view"
        ) from None
    return [_hop(graph, u, v, facts) for u, v in itertools.pairwise(nodes)]


def _hop(graph: nx.Graph, u: str, v: str, facts: Facts | None) -> Hop:
    datas = edge_data(graph, u, v)
    relations, events, articles, evidence = [], [], [], ""
    for data in datas:
        relations += edge_relations(data).split()
        events += data.get("events", "").split()
        articles += data.get("articles", "").split()
        evidence = evidence or data.get("evidence", "")
    events = sorted(set(events))
    return Hop(
        u,
        v,
        _label(graph, u),
        _label(graph, v),
        sorted(set(relations)),
        events,
        [_event_label(graph, e, facts) for e in events],
        sorted(set(articles)),
        evidence,
    )


def edge_data(graph: nx.Graph, u: str, v: str) -> list[dict]:
    """The attributes of every edge between ``u`` and ``v``, in either direction.

    Examples
    --------
    >>> g = nx.MultiDiGraph(); g.add_edge("e", "a", key="agent", events="e")
    'agent'
    >>> [d["events"] for d in edge_data(g, "a", "e")]
    ['e']
    """
    found = []
    for a, b in ((u, v), (v, u)):
        if graph.has_edge(a, b):
            data = graph.get_edge_data(a, b)
            found += list(data.values()) if graph.is_multigraph() else [data]
        if not graph.is_directed():
            break
    return found


def _event_label(graph: nx.Graph, event: str, facts: Facts | None) -> str:
    if event in graph:
        data = graph.nodes[event]
        kind, when, words = data.get("type", ""), data.get("date", ""), data.get("label", "")
    elif facts is not None and event in facts.nodes:
        node = facts.nodes[event]
        kind, when, words = node.type, node.date, node.label
    else:
        return event
    return " ".join(part for part in (kind, when, f'"{words}"' if words else "") if part)


def _label(graph: nx.Graph, node: str) -> str:
    return str(graph.nodes[node].get("label") or node)
