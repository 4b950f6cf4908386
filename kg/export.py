"""Export the knowledge graph for researchers: RDF and graph formats.

RDF: Turtle (``ttl``, the union of all articles), TriG and N-Quads (named
graphs kept) and JSON-LD (named graphs kept, compact ``hr:`` context).
Graphs: GraphML and GEXF of the NetworkX view (see :mod:`kg.graph`), and a
CSV edge table.
"""

from __future__ import annotations

import csv
import io

import networkx as nx
import pyoxigraph as ox

from kg.errors import HrkgError
from kg.graph import to_networkx
from kg.store import PREFIXES, Store

FORMATS = ("ttl", "trig", "nq", "jsonld", "graphml", "gexf", "csv")
UNION = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"


def export(store: Store, fmt: str) -> bytes:
    """Serialise the store in one of :data:`FORMATS`.

    Raises
    ------
    HrkgError
        If ``fmt`` is not a known format.

    Examples
    --------
    >>> export(Store(None), "nq")
    b''
    """
    if fmt in ("nq", "trig"):
        return store.dump(fmt)
    if fmt == "ttl":
        triples = store.oxigraph.query(UNION, use_default_graph_as_union=True)
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    if fmt == "jsonld":
        return _jsonld(store)
    if fmt in ("graphml", "gexf"):
        graph = to_networkx(store)
        buffer = io.BytesIO()
        (nx.write_graphml if fmt == "graphml" else nx.write_gexf)(graph, buffer)
        return buffer.getvalue()
    if fmt == "csv":
        return _csv(to_networkx(store))
    raise HrkgError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")


def _jsonld(store: Store) -> bytes:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(data=store.dump("nq"), format="nquads")
    context = {k: v for k, v in PREFIXES.items()}
    return dataset.serialize(format="json-ld", context=context, indent=1).encode("utf-8")


def _csv(graph: nx.MultiDiGraph) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        [
            "source",
            "source_label",
            "source_type",
            "relation",
            "target",
            "target_label",
            "target_type",
            "articles",
        ]
    )
    for source, target, attrs in sorted(
        graph.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])
    ):
        s, t = graph.nodes[source], graph.nodes[target]
        writer.writerow(
            [
                source,
                s["label"],
                s["type"],
                attrs["relation"],
                target,
                t["label"],
                t["type"],
                attrs["articles"],
            ]
        )
    return out.getvalue().encode("utf-8")
