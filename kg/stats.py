"""Counts that describe a store: what ``hrkg stats`` prints."""

from __future__ import annotations

from kg.store import Store

COUNTS = """
SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?class .
  VALUES (?class ?what) {
    (hr:Article "articles") (hr:Person "persons") (hr:Organisation "organisations")
    (hr:Country "countries") (hr:Place "places") (hr:Event "events")
    (hr:RelationAssertion "relation assertions") (hr:Mention "mentions")
  }
} GROUP BY ?what
"""
EVENT_TYPES = """
SELECT ?type (COUNT(DISTINCT ?e) AS ?n) WHERE {
  ?e a hr:Event , ?class . FILTER(?class != hr:Event)
  BIND(CONCAT("events: ", STRAFTER(STR(?class), "#")) AS ?type)
} GROUP BY ?type ORDER BY ?type
"""


def store_stats(store: Store) -> dict[str, int]:
    """Articles, entities by kind, events (and by type), relations, quads.

    Examples
    --------
    >>> store_stats(Store(None))["quads"]
    0
    """
    found = {str(w): int(n) for w, n in store.query(COUNTS).rows}
    order = [
        "articles",
        "persons",
        "organisations",
        "countries",
        "places",
        "events",
        "relation assertions",
        "mentions",
    ]
    stats = {what: found.get(what, 0) for what in order}
    stats.update({str(t): int(n) for t, n in store.query(EVENT_TYPES).rows})
    stats["quads"] = len(store)
    return stats
