"""The embedded, persistent triple store: pyoxigraph on disk.

Each article lives in its own named graph; writing an article replaces
that graph in one SPARQL update, so a rebuild is idempotent and a failed
write leaves the previous version intact.  The same update keeps the entity
registry graph (:mod:`kg.registry`) in step.  Queries see the union of all
graphs as their default graph.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg import registry
from kg.errors import QueryError, StoreError
from kg.sparql_text import uses_service

if TYPE_CHECKING:
    import pandas as pd
from kg.ontology import HR

DEFAULT_STORE = Path("hrkg-data")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
DUMP_FORMATS = {
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
}


@dataclass
class QueryResult:
    """The answer of a SPARQL query, with rdflib terms.

    SELECT fills ``variables`` and ``rows``; ASK sets ``boolean``;
    CONSTRUCT and DESCRIBE fill ``graph``.
    """

    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None

    def to_dataframe(self) -> pd.DataFrame:
        """The rows as a pandas ``DataFrame`` of strings (needs pandas installed).

        Raises
        ------
        StoreError
            If pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError:
            raise StoreError("to_dataframe() needs pandas: pip install 'hrkg[pandas]'") from None
        return pd.DataFrame(self.dicts(), columns=self.variables)

    def dicts(self) -> list[dict[str, str | None]]:
        """Rows as dicts of plain strings (``None`` for unbound)."""
        return [
            {v: (None if t is None else str(t)) for v, t in zip(self.variables, row, strict=True)}
            for row in self.rows
        ]


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> Node | None:
    """Convert a pyoxigraph term to the equal rdflib term."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise StoreError(f"unsupported term in query result: {term!r}")


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise StoreError(f"cannot bind {term!r}: not an IRI, blank node or literal")


class GraphSink(Protocol):
    """Where a build writes: a :class:`Store`, or ``hrkg serve`` (:mod:`kg.remote_store`)."""

    def article_hashes(self) -> dict[str, str]:
        """Map each stored article id to the content hash it was built from."""
        ...

    def replace_graphs(self, graphs: list[tuple[str, str]]) -> None:
        """Replace named graphs, given as (IRI, N-Triples text), in one transaction."""
        ...

    def flush(self) -> None:
        """Make sure every write is durable."""
        ...


class Store:
    """A persistent hrkg store in a directory (in memory when ``path`` is ``None``).

    Examples
    --------
    >>> store = Store(None)
    >>> len(store)
    0
    >>> store.query("ASK { ?s ?p ?o }").boolean
    False
    """

    def __init__(self, path: str | Path | None = DEFAULT_STORE, *, read_only: bool = False) -> None:
        self.path = Path(path) if path is not None else None
        try:
            if self.path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._store = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:  # RocksDB reports corruption as RuntimeError
            if not read_only and "LOCK" in str(exc):
                raise StoreError(_locked(self.path)) from None
            hint = (
                "; if an hrkg command is writing to it, try again when it is done"
                if read_only
                else ""
            )
            raise StoreError(
                f"{self.path}: cannot open the store ({_one_line(exc)}){hint}"
            ) from None
        if not read_only:
            self._ensure_registry()

    def __len__(self) -> int:
        return len(self._store)

    @property
    def oxigraph(self) -> ox.Store:
        """The underlying pyoxigraph store."""
        return self._store

    def replace_graph(self, graph: Graph) -> None:
        """Replace the named graph ``graph.identifier`` with ``graph``'s triples, atomically."""
        name = graph.identifier
        if not isinstance(name, URIRef):
            raise StoreError("only graphs named by an IRI can be stored")
        data = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
        try:
            self.replace_graphs([(str(name), data)])
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"cannot write graph <{name}>: {exc}") from None

    def replace_graphs(self, graphs: list[tuple[str, str]]) -> None:
        """Replace named graphs, given as (IRI, N-Triples text), in one transaction.

        The entity registry (:mod:`kg.registry`) is updated in the same
        transaction: nothing is written if anything fails.

        Raises
        ------
        OSError, SyntaxError, RuntimeError, ValueError
            As ``pyoxigraph.Store.update``; then nothing was written.
        """
        if not graphs:
            return
        names = [name for name, _ in graphs]
        replaced = [n for n in names if self._store.contains_named_graph(ox.NamedNode(n))]
        self._store.update(replace_update(graphs, replaced, self._entities_of(replaced)))

    def remove_graph(self, name: URIRef | str) -> None:
        """Delete one named graph (an article), and what the registry knew only from it."""
        stale = self._entities_of([str(name)])
        steps = [f"DROP SILENT GRAPH <{name}>"]
        if stale:
            steps.append(registry.rederive(stale))
        self._store.update(" ;\n".join(steps))

    def rebuild_registry(self) -> None:
        """Derive the entity registry again from every article graph (one transaction)."""
        self._store.update(registry.rebuild())

    def _entities_of(self, graphs: list[str]) -> list[str]:
        if not graphs:
            return []
        rows = self._store.query(registry.entities_of(graphs))
        return [row[0].value for row in rows]

    def _ensure_registry(self) -> None:
        """Give a store written before the registry existed its registry."""
        has_articles = self._store.query(f"ASK {{ GRAPH ?g {{ ?a a <{HR.Article}> }} }}")
        has_registry = self._store.contains_named_graph(ox.NamedNode(str(registry.REGISTRY)))
        if bool(has_articles) and not has_registry:
            self.rebuild_registry()

    def article_hashes(self) -> dict[str, str]:
        """Map each stored article id to the content hash it was built from."""
        result = self.query(
            "SELECT ?id ?hash WHERE { ?a a hr:Article ; "
            "<http://purl.org/dc/terms/identifier> ?id ; hr:contentHash ?hash }"
        )
        return {str(i): str(h) for i, h in result.rows}

    def query(self, sparql: str, *, allow_service: bool = False) -> QueryResult:
        """Run a SPARQL query over the union of all article graphs.

        Parameters
        ----------
        sparql : the query; the ``hr:``, ``rdfs:``, ``skos:``, ``dcterms:`` and
            ``xsd:`` prefixes are predeclared.

        Raises
        ------
        QueryError
            If the query is not valid SPARQL or fails while running.
        """
        if not allow_service and uses_service(sparql):
            raise QueryError(
                "federated queries (SERVICE) are refused: they would send requests to other "
                "servers; pass allow_service=True to run them"
            )
        try:
            answer = self._store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True)
            return _result(answer)
        except SyntaxError as exc:
            raise QueryError(f"invalid SPARQL: {_one_line(exc)}") from None
        except (OSError, RuntimeError, ValueError) as exc:
            raise QueryError(f"query failed: {_one_line(exc)}") from None

    def dump(self, fmt: str) -> bytes:
        """Serialise every named graph as N-Quads (``nq``) or TriG (``trig``)."""
        return self._store.dump(format=DUMP_FORMATS[fmt])

    def dataset_quads(self) -> Iterator[ox.Quad]:
        """Every quad of the store."""
        yield from self._store

    def flush(self) -> None:
        """Make sure every write is on disk."""
        self._store.flush()


def replace_update(graphs: list[tuple[str, str]], replaced: list[str], stale: list[str]) -> str:
    """The update text of :meth:`Store.replace_graphs`: one transaction, also sent to servers.

    Parameters
    ----------
    graphs : the graphs to write, as (IRI, N-Triples text).
    replaced : those of their IRIs already stored (dropped first).
    stale : the entities the replaced graphs described (their registry entries re-derived).

    Examples
    --------
    >>> print(replace_update([("urn:g", "<urn:s> <urn:p> <urn:o> .")], ["urn:g"], []))
    DROP GRAPH <urn:g> ;
    INSERT DATA { GRAPH <urn:g> { <urn:s> <urn:p> <urn:o> . } }
    """
    steps = [f"DROP GRAPH <{name}>" for name in replaced]
    steps += [f"INSERT DATA {{ GRAPH <{name}> {{ {data} }} }}" for name, data in graphs]
    steps += [text for _, data in graphs if (text := registry.descriptions(data))]
    if stale:
        steps.append(registry.rederive(stale))
    return " ;\n".join(steps)


def _locked(path: Path | None) -> str:
    """The one-line error for a store another process has open for writing."""
    return (
        f"{path}: another process is writing to this store (its LOCK is held: `hrkg serve` or "
        "another build); stop it, or while `hrkg serve --allow-update` runs on it, build "
        "through the server: `hrkg build INPUT --endpoint http://127.0.0.1:7878 --token TOKEN`"
    )


PREFIXES = {
    "hr": str(HR._NS),
    "id": "https://w3id.org/hrkg/id/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "schema": "https://schema.org/",
}


def _one_line(exc: Exception, limit: int = 300) -> str:
    """An error message on one line, cut short (oxigraph lists every expected character)."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _result(answer: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> QueryResult:
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult(boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [tuple(to_rdflib(solution[v]) for v in variables) for solution in answer]
        return QueryResult(variables=variables, rows=rows)
    graph = Graph()
    for triple in answer:
        graph.add(
            (to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object))
        )
    return QueryResult(graph=graph)
