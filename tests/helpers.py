"""Helpers shared by test modules (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from kg.store import Store


def article_quad_count(store: Store) -> int:
    """Quads in the article graphs: the store's, without the entity registry (kg.registry)."""
    from kg.registry import REGISTRY

    answer = store.query(
        f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{REGISTRY}>) }}"
    )
    return int(answer.rows[0][0])


def on_disk(source: Store, path: Path) -> Path:
    """Copy every quad of ``source`` into a new store at ``path`` and close it (for the CLI)."""
    disk = Store(path)
    disk.oxigraph.extend(source.dataset_quads())
    disk.flush()
    del disk
    return path
