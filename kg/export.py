"""Export the knowledge graph for researchers: RDF datasets, graph files and tables.

RDF (:data:`RDF_FORMATS`): Turtle (``ttl``, the union of all articles), TriG
and N-Quads (one named graph per article) and JSON-LD (named graphs kept,
compacted with the published context ``ontology/context.jsonld``, embedded so
the file needs no network).  RDF exports are the whole dataset: views and
filters do not apply to them.

Graphs (:data:`GRAPH_FORMATS`): GraphML, GEXF and NetworkX node-link JSON of
one view of :mod:`kg.graph` (``full``, ``actors`` or ``bipartite``), filtered
by :class:`~kg.graph.Filters`.  Every node keeps ``label`` (the human label;
GEXF's own node label too) and ``type``; GraphML and GEXF edges get a
``label`` (relation or roles) and, in GraphML, unique edge ids so that Gephi
keeps parallel edges.

Tables (:data:`TABLE_FORMATS`): CSV or Parquet node and edge tables of a view
(:func:`export_tables`); :func:`export` gives the edge table alone.

Graph and table exports are written in sorted order (:func:`canonical`): the
same graph gives the same bytes, whichever store it was read from.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox

from kg.errors import HrkgError
from kg.graph import Filters, edge_relations, view
from kg.store import PREFIXES, Store

RDF_FORMATS = ("ttl", "trig", "nq", "jsonld")
GRAPH_FORMATS = ("graphml", "gexf", "json")
TABLE_FORMATS = ("csv", "parquet")
FORMATS = RDF_FORMATS + GRAPH_FORMATS + TABLE_FORMATS
CONTEXT_FILE = Path(__file__).resolve().parents[1] / "ontology" / "context.jsonld"
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
PARQUET_HINT = "parquet export needs pyarrow: pip install 'hrkg[parquet]'"

NODE_COLUMNS = (
    "id",
    "kind",
    "type",
    "label",
    "country_code",
    "mentions",
    "articles",
    "aliases",
    "date",
    "sentence",
)
EDGE_COLUMNS = {
    "full": ("relation", "role", "statements", "events", "articles", "evidence"),
    "actors": (
        "relations",
        "weight",
        "co_events",
        "relation_statements",
        "events",
        "articles",
        "evidence",
    ),
    "bipartite": ("roles", "events", "articles", "evidence"),
}
ENDPOINT_COLUMNS = ("source_label", "source_type", "target_label", "target_type")


@dataclass
class Table:
    """A table of rows: ``columns`` names, ``rows`` lists of values (``None`` when missing)."""

    columns: list[str]
    rows: list[list[Any]]


def export(
    store: Store, fmt: str, view: str | None = None, filters: Filters | None = None
) -> bytes:
    """Serialise the store, or a view of it, in one of :data:`FORMATS`.

    Parameters
    ----------
    store
        The store to export.
    fmt
        An RDF format (the whole dataset), a graph format (one view) or a table
        format (the view's edge table; see :func:`export_tables` for both tables).
    view
        One of :data:`kg.graph.VIEWS` for graph and table formats (``None``:
        ``full``); must be ``None`` for RDF formats.
    filters
        Which events the view keeps; must be ``None`` or empty for RDF formats.

    Raises
    ------
    HrkgError
        If ``fmt`` or ``view`` is unknown, a view or filter is given for an RDF
        format, or Parquet is asked for without pyarrow installed.

    Examples
    --------
    >>> export(Store(None), "nq")
    b''
    >>> export(Store(None), "csv", view="bipartite").decode().split(",")[:4]
    ['source', 'target', 'roles', 'events']
    >>> export(Store(None), "nq", view="actors")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    kg.errors.HrkgError: views and filters apply to graph and table formats, not to nq: ...
    """
    _check_format(fmt)
    if fmt in RDF_FORMATS:
        _refuse_view(fmt, view, filters)
        return _rdf(store, fmt)
    graph = _view(store, view, filters)
    if fmt == "graphml":
        return _graphml(graph)
    if fmt == "gexf":
        return _gexf(graph)
    if fmt == "json":
        return _node_link(graph)
    edges = edge_table(graph)
    return _csv(edges) if fmt == "csv" else _parquet(edges)


def export_tables(
    store: Store,
    directory: Path,
    fmt: str = "csv",
    view: str | None = None,
    filters: Filters | None = None,
) -> list[Path]:
    """Write the node and edge tables of a view to ``directory`` (created if missing).

    Returns the paths written: ``nodes.csv`` and ``edges.csv`` (or ``.parquet``).

    Raises
    ------
    HrkgError
        If ``fmt`` is not one of :data:`TABLE_FORMATS`, the view is unknown, the
        directory cannot be made or pyarrow is missing for Parquet.
    """
    if fmt not in TABLE_FORMATS:
        raise HrkgError(f"tables are written as {' or '.join(TABLE_FORMATS)}, not {fmt!r}")
    write = _csv if fmt == "csv" else _parquet
    if fmt == "parquet":
        _pyarrow()
    graph = _view(store, view, filters)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in (("nodes", node_table(graph)), ("edges", edge_table(graph))):
            path = directory / f"{name}.{fmt}"
            path.write_bytes(write(table))
            written.append(path)
    except OSError as exc:
        raise HrkgError(f"{directory}: cannot write tables: {exc.strerror or exc}") from None
    return written


def node_table(graph: nx.Graph) -> Table:
    """One row per node: ``id``, then :data:`NODE_COLUMNS`, then any other attribute.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("x", kind="entity", type="Person", label="Jane", bipartite=0)
    >>> table = node_table(g)
    >>> table.columns[-1], table.rows[0][:4]
    ('bipartite', ['x', 'entity', 'Person', 'Jane'])
    """
    attributes = _columns(NODE_COLUMNS[1:], (data for _, data in graph.nodes(data=True)))
    rows = [[node, *(data.get(c) for c in attributes)] for node, data in graph.nodes(data=True)]
    return Table(["id", *attributes], rows)


def edge_table(graph: nx.Graph) -> Table:
    """One row per edge: ``source``, ``target``, the view's attributes, then endpoint labels.

    The view's columns are :data:`EDGE_COLUMNS` (by the graph's ``view``
    attribute) followed by any other edge attribute; ``source_label``,
    ``source_type``, ``target_label`` and ``target_type`` come last.

    Examples
    --------
    >>> g = nx.Graph(view="bipartite")
    >>> g.add_node("a", label="Jane", type="Person")
    >>> g.add_node("e", label="arrested", type="Arrest")
    >>> g.add_edge("a", "e", roles="target", articles="a1")
    >>> table = edge_table(g)
    >>> dict(zip(table.columns, table.rows[0]))["target_label"]
    'arrested'
    """
    known = EDGE_COLUMNS.get(graph.graph.get("view", ""), ())
    attributes = _columns(known, (data for _, _, data in graph.edges(data=True)))
    rows = []
    for source, target, data in graph.edges(data=True):
        s, t = graph.nodes[source], graph.nodes[target]
        ends = [s.get("label"), s.get("type"), t.get("label"), t.get("type")]
        rows.append([source, target, *(data.get(c) for c in attributes), *ends])
    return Table(["source", "target", *attributes, *ENDPOINT_COLUMNS], rows)


def context() -> dict[str, Any]:
    """The JSON-LD ``@context`` of ``ontology/context.jsonld`` (what JSON-LD exports embed).

    Examples
    --------
    >>> context()["hr"] == PREFIXES["hr"]
    True
    """
    try:
        return json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise HrkgError(f"{CONTEXT_FILE}: no usable JSON-LD context ({exc})") from None


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise HrkgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _refuse_view(fmt: str, name: str | None, filters: Filters | None) -> None:
    if name is not None or (filters is not None and filters != Filters()):
        raise HrkgError(
            f"views and filters apply to graph and table formats, not to {fmt}: "
            f"an RDF export is the whole dataset (drop --view and the filters, or use "
            f"{', '.join(GRAPH_FORMATS + TABLE_FORMATS)})"
        )


def _view(store: Store, name: str | None, filters: Filters | None) -> nx.Graph:
    return canonical(view(store, name or "full", filters))


def canonical(graph: nx.Graph) -> nx.Graph:
    """A copy with nodes and edges in sorted order, so that exports are reproducible.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edges_from([("b", "c"), ("b", "a")])
    >>> list(canonical(g).edges)
    [('a', 'b'), ('b', 'c')]
    """
    copy = graph.__class__(**graph.graph)
    copy.add_nodes_from(sorted(graph.nodes(data=True), key=lambda item: str(item[0])))
    if graph.is_multigraph():
        edges = graph.edges(keys=True, data=True)
        copy.add_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]), str(e[2]))))
        return copy
    pairs = [
        ((u, v) if graph.is_directed() else tuple(sorted((u, v), key=str)), data)
        for u, v, data in graph.edges(data=True)
    ]
    pairs.sort(key=lambda pair: tuple(map(str, pair[0])))
    copy.add_edges_from((u, v, data) for (u, v), data in pairs)
    return copy


def _rdf(store: Store, fmt: str) -> bytes:
    if fmt in ("nq", "trig"):
        return store.dump(fmt)
    if fmt == "ttl":
        triples = store.oxigraph.query(UNION, use_default_graph_as_union=True)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    return _jsonld(store)


def _jsonld(store: Store) -> bytes:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=store.dump("nq"), format="nquads")
    text = dataset.serialize(format="json-ld", context=context(), indent=1)
    return text.encode("utf-8")


#: What XML 1.0 cannot hold: control characters other than tab, newline and carriage return.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_safe(attrs: dict[str, Any]) -> dict[str, Any]:
    """String attributes with the characters XML cannot hold replaced by U+FFFD.

    Examples
    --------
    >>> _xml_safe({"label": "Jane\x07 Doe", "mentions": 2})
    {'label': 'Jane\ufffd Doe', 'mentions': 2}
    """
    return {k: NOT_XML.sub("\ufffd", v) if isinstance(v, str) else v for k, v in attrs.items()}


def _for_tools(graph: nx.Graph, *, unique_keys: bool) -> nx.Graph:
    """A copy for Gephi and Cytoscape (GraphML, GEXF: XML).

    Edges are labelled, multigraph edges keyed ``e0``, ``e1`` ...; characters
    XML cannot hold are replaced by U+FFFD (node ids are IRIs, which never hold them).
    """
    copy = graph.__class__(**graph.graph)
    copy.add_nodes_from((node, _xml_safe(data)) for node, data in graph.nodes(data=True))
    edges = graph.edges(keys=True, data=True) if graph.is_multigraph() else graph.edges(data=True)
    for number, (*ends, data) in enumerate(edges):
        attrs = _xml_safe({**data, "label": edge_relations(data)})
        if graph.is_multigraph():
            key = f"e{number}" if unique_keys else ends[2]
            copy.add_edge(ends[0], ends[1], key=key, **attrs)
        else:
            copy.add_edge(ends[0], ends[1], **attrs)
    return copy


def _graphml(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(_for_tools(graph, unique_keys=True), buffer)
    return buffer.getvalue()


def _gexf(graph: nx.Graph) -> bytes:
    buffer = io.BytesIO()
    nx.write_gexf(_for_tools(graph, unique_keys=False), buffer)
    return buffer.getvalue()


def _node_link(graph: nx.Graph) -> bytes:
    try:
        data = nx.node_link_data(graph, edges="edges")
    except TypeError:  # networkx < 3.4 has no ``edges`` argument, only ``links``
        data = nx.node_link_data(graph)
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _columns(known: tuple[str, ...], rows: Any) -> list[str]:
    """``known`` columns in order, then every other key of ``rows``, sorted."""
    seen: set[str] = set()
    for data in rows:
        seen.update(data)
    return [*known, *sorted(seen - set(known))]


def _csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.columns)
    writer.writerows(table.rows)
    return out.getvalue().encode("utf-8")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise HrkgError(PARQUET_HINT) from None
    return pyarrow


def _parquet(table: Table) -> bytes:
    pa = _pyarrow()
    columns = list(zip(*table.rows, strict=True)) if table.rows else [()] * len(table.columns)
    arrays = [_arrow_array(pa, values) for values in columns]
    buffer = io.BytesIO()
    pa.parquet.write_table(pa.Table.from_arrays(arrays, names=table.columns), buffer)
    return buffer.getvalue()


def _arrow_array(pa: Any, values: tuple[Any, ...]) -> Any:
    """An int64, float64 or (otherwise) string column; ``None`` is null."""
    present = [v for v in values if v is not None]
    numbers = [v for v in present if isinstance(v, int | float) and not isinstance(v, bool)]
    if present and len(numbers) == len(present):
        kind = pa.int64() if all(isinstance(v, int) for v in numbers) else pa.float64()
        return pa.array(values, type=kind)
    return pa.array([None if v is None else str(v) for v in values], type=pa.string())
