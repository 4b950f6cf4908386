"""A large graph of realistic shape from a small built one, for store and query benchmarks.

Each copy of every article graph gets fresh article-local nodes (article,
events, mentions, sentences, quantities, relation assertions); persons and
places are renamed into one of ``actor_pools`` variants, so copies share
actors the way a year of news shares its protagonists, while countries and
known organisations stay the same.  Deterministic: same input, same output.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyoxigraph as ox

LOCAL = re.compile(
    r"^(https://w3id\.org/hrkg/id/(?:article|event|mention|sentence|quantity|relation)/[^/]+)(.*)$"
)
ACTOR = re.compile(r"^(https://w3id\.org/hrkg/id/(?:person|place)/)(.+)$")
IDENTIFIER = "http://purl.org/dc/terms/identifier"


def _rename(term, copy: int, pool: int):
    if isinstance(term, ox.NamedNode):
        value = term.value
        if match := LOCAL.match(value):
            return ox.NamedNode(f"{match[1]}~{copy}{match[2]}")
        if match := ACTOR.match(value):
            return ox.NamedNode(f"{match[1]}{match[2]}~{pool}")
    return term


def replicate(quads: list[ox.Quad], copies: int, actor_pools: int = 50) -> Iterator[ox.Quad]:
    """``copies`` renamed copies of ``quads`` (see the module docstring)."""
    for copy in range(copies):
        pool = copy % actor_pools
        for quad in quads:
            obj = quad.object
            if quad.predicate.value == IDENTIFIER:
                obj = ox.Literal(f"{obj.value}~{copy}")
            yield ox.Quad(
                _rename(quad.subject, copy, pool),
                quad.predicate,
                _rename(obj, copy, pool),
                _rename(quad.graph_name, copy, pool),
            )
