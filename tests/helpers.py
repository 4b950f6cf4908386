"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from kg.store import Store


def article_quad_count(store: Store) -> int:
    """Quads in the article graphs: the store's, without the entity registry (kg.registry)."""
    from kg.registry import REGISTRY

    answer = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{REGISTRY}>) }}"
    )
    return int(answer.rows[0][0])
