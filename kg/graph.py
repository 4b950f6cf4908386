"""The knowledge graph as a NetworkX ``MultiDiGraph``.

Nodes are entities (persons, organisations, countries, places) and
events, keyed by IRI, with ``type``, ``label`` and (for countries)
``country_code`` attributes.  Edges go from an event to its actors,
labelled with the role (``agent``, ``target``, ``organiser``,
``participant``, ``location``), and between entities for relations
(``memberOf``, ``leaderOf`` ...); every edge carries the ids of the
articles it was read in.
"""

from __future__ import annotations

import networkx as nx

from kg.store import Store

NODES = """
SELECT ?node ?type ?label ?code (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?node a ?class ; rdfs:label ?label ; hr:hasMention ?m .
  VALUES ?class { hr:Person hr:Organisation hr:Country hr:Place }
  BIND(STRAFTER(STR(?class), "#") AS ?type)
  OPTIONAL { ?node hr:countryCode ?code }
} GROUP BY ?node ?type ?label ?code
"""
EVENTS = """
SELECT ?node ?type (MIN(?t) AS ?label) ?date (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  ?node a hr:Event , ?class ; hr:trigger ?t ; hr:hasMention ?m .
  FILTER(?class != hr:Event)
  BIND(STRAFTER(STR(?class), "#") AS ?type)
  OPTIONAL { ?node hr:date ?date }
} GROUP BY ?node ?type ?date
"""
EDGES = """
SELECT ?source ?target ?relation (GROUP_CONCAT(DISTINCT ?article; separator=" ") AS ?articles)
WHERE {
  GRAPH ?g { ?source ?p ?target }
  VALUES (?p ?relation) {
    (hr:agent "agent") (hr:target "target") (hr:organiser "organiser")
    (hr:participant "participant") (hr:location "location")
    (hr:memberOf "memberOf") (hr:leaderOf "leaderOf") (hr:employeeOf "employeeOf")
    (hr:founded "founded") (hr:locatedIn "locatedIn") (hr:nationality "nationality")
    (hr:detainedBy "detainedBy") (hr:sentencedBy "sentencedBy") (hr:supports "supports")
    (hr:awarded "awarded")
  }
  ?g dcterms:identifier ?article .
} GROUP BY ?source ?target ?relation
"""


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """Convert the store's knowledge graph into a typed, role-labelled ``MultiDiGraph``.

    Examples
    --------
    >>> g = to_networkx(Store(None))
    >>> g.number_of_nodes(), g.number_of_edges()
    (0, 0)
    """
    graph = nx.MultiDiGraph()
    for node, kind, label, code, mentions in store.query(NODES).rows:
        attrs = {"type": str(kind), "label": str(label), "mentions": int(mentions)}
        if code is not None:
            attrs["country_code"] = str(code)
        if str(node) in graph:  # an entity labelled differently in two articles keeps one label
            continue
        graph.add_node(str(node), **attrs)
    for node, kind, label, when, mentions in store.query(EVENTS).rows:
        attrs = {"type": str(kind), "label": str(label), "mentions": int(mentions), "event": True}
        if when is not None:
            attrs["date"] = str(when)
        graph.add_node(str(node), **attrs)
    for source, target, relation, articles in store.query(EDGES).rows:
        if str(source) in graph and str(target) in graph:
            graph.add_edge(
                str(source),
                str(target),
                key=str(relation),
                relation=str(relation),
                articles=str(articles),
            )
    return graph
