"""The Python API in one object: open a store, add articles, query, analyse.

Examples
--------
>>> from kg.api import KnowledgeGraph
>>> kg = KnowledgeGraph(None)          # in memory; give a directory to persist
>>> kg.query("SELECT ?p WHERE { ?p a hr:Person }").rows
[]
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import networkx as nx
from spacy.language import Language

from kg.analyse import (
    Community,
    Hop,
    Ranked,
    centrality,
    communities,
    ego_network,
    explain_path,
)
from kg.article import Article
from kg.errors import InputError
from kg.export import export
from kg.extract.pipeline import DEFAULT_MODEL, load_pipeline
from kg.graph import Facts, Filters, load_facts, to_networkx, view
from kg.ingest import BuildReport, build, ingest
from kg.query import run_query
from kg.stats import store_stats
from kg.store import DEFAULT_STORE, QueryResult, Store
from kg.validate import ValidationReport, validate_store


class KnowledgeGraph:
    """A store plus the pipeline that fills it (loaded on first use, once)."""

    def __init__(
        self, path: str | Path | None = DEFAULT_STORE, *, model: str = DEFAULT_MODEL
    ) -> None:
        self.store = Store(path)
        self.model = model
        self._nlp: Language | None = None

    @property
    def nlp(self) -> Language:
        """The hrkg spaCy pipeline, loaded once."""
        if self._nlp is None:
            self._nlp = load_pipeline(self.model)
        return self._nlp

    def add(
        self, inputs: Iterable[str | Path], *, force: bool = False, processes: int = 1
    ) -> BuildReport:
        """Extract articles from JSONL/.txt files or directories into the store.

        ``processes`` > 1 extracts in that many local processes (``0``: one per
        core), each loading the model itself; see :func:`kg.ingest.ingest`.
        """
        nlp = self.nlp if processes == 1 else None
        return build(inputs, self.store, nlp, force=force, processes=processes, model=self.model)

    def add_articles(
        self, articles: Iterable[Article | InputError], *, force: bool = False
    ) -> BuildReport:
        """Extract already-read :class:`Article` objects into the store."""
        return ingest(articles, self.store, self.nlp, force=force)

    def query(self, query: str, **params: str) -> QueryResult:
        """Run a named query, a ``.rq`` file or SPARQL text; ``params`` fill its parameters."""
        return run_query(self.store, query, {k: str(v) for k, v in params.items()})

    def to_networkx(self) -> nx.MultiDiGraph:
        """The graph as a typed, role-labelled NetworkX ``MultiDiGraph``."""
        return to_networkx(self.store)

    def facts(self) -> Facts:
        """Entities, events, roles and relations as read from the store (reuse for many views)."""
        return load_facts(self.store)

    def view(self, name: str = "actors", facts: Facts | None = None, **filters: Any) -> nx.Graph:
        """A view (``full``, ``actors``, ``bipartite``) after filters.

        ``filters`` are those of :meth:`kg.graph.Filters.parse`: ``event_types``,
        ``countries``, ``start``, ``end``, ``articles``.
        """
        return view(facts or self.facts(), name, Filters.parse(**filters))

    def centrality(
        self,
        measure: str = "pagerank",
        top: int | None = 20,
        view_name: str = "actors",
        **filters: Any,
    ) -> list[Ranked]:
        """The most central nodes of a view (see :func:`kg.analyse.centrality`)."""
        return centrality(self.view(view_name, **filters), measure, top)

    def communities(
        self, view_name: str = "actors", seed: int = 0, **filters: Any
    ) -> list[Community]:
        """Louvain communities of a view (see :func:`kg.analyse.communities`)."""
        return communities(self.view(view_name, **filters), seed=seed)

    def ego(
        self, actor: str, radius: int = 1, view_name: str = "actors", **filters: Any
    ) -> nx.Graph:
        """An actor's ego network in a view (see :func:`kg.analyse.ego_network`)."""
        return ego_network(self.view(view_name, **filters), actor, radius)

    def path(
        self, source: str, target: str, view_name: str = "actors", **filters: Any
    ) -> list[Hop]:
        """The shortest path between two actors, explained (see :func:`kg.analyse.explain_path`)."""
        facts = self.facts()
        return explain_path(self.view(view_name, facts, **filters), source, target, facts)

    def export(self, fmt: str, view_name: str | None = None, **filters: Any) -> bytes:
        """Serialise as RDF (ttl, trig, nq, jsonld), or a view as graphml, gexf, json, csv ...

        ``view_name`` (``full``, the default, ``actors`` or ``bipartite``) and
        ``filters`` (those of :meth:`kg.graph.Filters.parse`) apply to graph and
        table formats only; csv and parquet give the edge table (both tables:
        :func:`kg.export.export_tables`).  See :func:`kg.export.export`.
        """
        return export(self.store, fmt, view_name, Filters.parse(**filters))

    def stats(self) -> dict[str, int]:
        """Counts of articles, entities, events and quads."""
        return store_stats(self.store)

    def validate(self) -> ValidationReport:
        """Check the graph against the SHACL shapes."""
        return validate_store(self.store)

    def viz(
        self,
        path: str | Path,
        view_name: str = "actors",
        *,
        query: str | None = None,
        params: dict[str, str] | None = None,
        top: int | None = None,
        **filters: Any,
    ) -> Path:
        """Draw a view, or a query's rows, as HTML, PNG or SVG (by the suffix of ``path``).

        ``top`` most central nodes (default 150 in HTML, 250 in figures; 0 for
        all); ``filters`` are those of :meth:`view`.  See :func:`kg.viz.render`.
        """
        from kg.viz import render

        return render(
            self.store,
            path,
            view_name=view_name,
            filters=Filters.parse(**filters),
            query=query,
            params=params,
            top=top,
        ).path
