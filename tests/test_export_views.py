"""Round trips of every export format, for every view of ``kg.graph``.

Each graph and table format is written for the ``full``, ``actors`` and
``bipartite`` views of three stores (the seed, the hand-made ``three_articles``
of ``test_views`` and the ``awkward`` store of ``test_export`` whose labels hold
quotes, ``<``, ``&``, a newline and an emoji), read back with the library a
researcher would use (networkx, pandas, rdflib) and compared with the view in
memory: node and edge counts, labels, types, weights and articles.  The CLI is
driven with typer's ``CliRunner`` on an on-disk copy of ``three_articles``.
"""

from __future__ import annotations

import io
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from test_export import AWKWARD, awkward_article, read_quads, store_quads
from test_views import three_articles
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import HrkgError
from kg.export import (
    CONTEXT_FILE,
    FORMATS,
    GRAPH_FORMATS,
    RDF_FORMATS,
    TABLE_FORMATS,
    context,
    export,
    export_tables,
)
from kg.graph import VIEWS, Filters, view
from kg.iris import article_iri
from kg.ontology import HR
from kg.registry import REGISTRY
from kg.store import PREFIXES, Store
from tests.helpers import on_disk

ROOT = Path(__file__).resolve().parents[1]
ENDPOINTS = ("source_label", "source_type", "target_label", "target_type")
runner = CliRunner()


# --- stores -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def three() -> Store:
    return three_articles()


@pytest.fixture(scope="module")
def awkward() -> Store:
    store = Store(None)
    store.replace_graph(awkward_article("a1", 'Jane "JD" Doe'))
    store.replace_graph(awkward_article("a 2/b", "Jane Doe"))
    return store


@pytest.fixture(params=["seed", "three", "awkward"])
def any_store(request) -> Store:
    return request.getfixturevalue("seed_store" if request.param == "seed" else request.param)


@pytest.fixture(params=VIEWS)
def view_name(request) -> str:
    return request.param


def test_the_stores_exercise_every_view(any_store, view_name):
    """No round trip below is vacuous: each view of each store has nodes and edges."""
    graph = view(any_store, view_name)
    assert graph.number_of_nodes() > 0
    assert graph.number_of_edges() > 0


# --- comparing graphs ---------------------------------------------------------------------


def nodes_of(graph: nx.Graph) -> dict[str, dict[str, Any]]:
    return {node: dict(data) for node, data in graph.nodes(data=True)}


def edge_bag(graph: nx.Graph, drop: tuple[str, ...] = ()) -> Counter:
    """Edges as a multiset of (ends, attributes); undirected ends sorted, weights as ints."""
    bag: Counter = Counter()
    for u, v, data in graph.edges(data=True):
        ends = (u, v) if graph.is_directed() else tuple(sorted((u, v)))
        attrs = {k: int(x) if k == "weight" else x for k, x in data.items() if k not in drop}
        bag[ends, tuple(sorted(attrs.items()))] += 1
    return bag


def assert_same_graph(read: nx.Graph, expected: nx.Graph, drop: tuple[str, ...] = ()) -> None:
    assert read.is_directed() == expected.is_directed()
    assert read.number_of_nodes() == expected.number_of_nodes()
    assert read.number_of_edges() == expected.number_of_edges()
    assert nodes_of(read) == nodes_of(expected)
    assert edge_bag(read, drop) == edge_bag(expected)


def expected_edge_label(data: dict[str, Any]) -> str:
    return data.get("relation") or data.get("roles") or data.get("relations") or ""


# --- GraphML, GEXF, node-link JSON --------------------------------------------------------


def test_graphml_round_trip(any_store, view_name):
    expected = view(any_store, view_name)
    data = export(any_store, "graphml", view_name)
    read = nx.read_graphml(io.BytesIO(data), force_multigraph=expected.is_multigraph())
    assert_same_graph(read, expected, drop=("label",))
    for u, v, attrs in read.edges(data=True):
        assert attrs["label"] == expected_edge_label(attrs), (u, v)
    assert read.graph["view"] == view_name


def test_graphml_edge_ids_are_unique_so_gephi_keeps_parallel_edges(awkward):
    data = export(awkward, "graphml").decode("utf-8")
    ids = re.findall(r'<edge [^>]*id="([^"]+)"', data)
    assert len(ids) == view(awkward, "full").number_of_edges()
    assert len(set(ids)) == len(ids)


def test_gexf_round_trip(any_store, view_name):
    expected = view(any_store, view_name)
    read = nx.read_gexf(io.BytesIO(export(any_store, "gexf", view_name)))
    assert_same_graph(read, expected, drop=("id", "label", "key"))
    for _, _, attrs in read.edges(data=True):
        assert attrs["label"] == expected_edge_label(attrs)


def test_gexf_node_label_is_the_human_label_not_the_iri(awkward):
    """Gephi shows the ``label`` XML attribute of a GEXF node."""
    text = export(awkward, "gexf", "actors").decode("utf-8")
    labels = re.findall(r'<node id="[^"]*" label="([^"]*)"', text)
    assert len(labels) == view(awkward, "actors").number_of_nodes()
    assert "Belarus" in labels
    assert not any(label.startswith("https://") for label in labels)
    assert "&amp;" in text and "&lt;Vesna&gt;" in text


def test_node_link_json_round_trip(any_store, view_name):
    expected = view(any_store, view_name)
    data = json.loads(export(any_store, "json", view_name))
    assert "edges" in data and "links" not in data
    read = nx.node_link_graph(data, edges="edges")
    assert read.is_multigraph() == expected.is_multigraph()
    assert_same_graph(read, expected)
    assert nx.utils.graphs_equal(read, expected)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS)
def test_awkward_labels_survive_every_graph_format(awkward, view_name, fmt):
    data = export(awkward, fmt, view_name)
    if fmt == "graphml":
        read = nx.read_graphml(io.BytesIO(data))
    elif fmt == "gexf":
        read = nx.read_gexf(io.BytesIO(data))
    else:
        read = nx.node_link_graph(json.loads(data), edges="edges")
    assert AWKWARD in {attrs["label"] for _, attrs in read.nodes(data=True)}


def test_a_filtered_view_exports_only_what_the_filter_keeps(three):
    arrests = Filters.parse(["arrest"])
    expected = view(three, "actors", arrests)
    read = nx.read_graphml(io.BytesIO(export(three, "graphml", "actors", arrests)))
    assert_same_graph(read, expected, drop=("label",))
    labels = {attrs["label"] for _, attrs in read.nodes(data=True)}
    assert {"Jane Doe", "Police"} <= labels
    assert "KGB" not in labels  # detained, not arrested
    assert read.number_of_nodes() < view(three, "actors").number_of_nodes()


# --- CSV and Parquet tables ---------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as text: missing (None, NaN) is empty, numbers without a decimal point."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_table(path: Path) -> pd.DataFrame:
    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    return pd.read_parquet(path)


def edge_data(graph: nx.Graph, row: dict[str, Any]) -> dict[str, Any]:
    if graph.is_multigraph():
        return graph[row["source"]][row["target"]][row["relation"]]
    return graph.edges[row["source"], row["target"]]


def assert_tables_match(nodes: pd.DataFrame, edges: pd.DataFrame, expected: nx.Graph) -> None:
    assert len(nodes) == expected.number_of_nodes()
    assert set(nodes["id"]) == set(expected.nodes)
    for row in nodes.to_dict("records"):
        attrs = expected.nodes[row["id"]]
        assert {c: text(row[c]) for c in row if c != "id"} == {
            c: text(attrs.get(c)) for c in row if c != "id"
        }
        assert set(attrs) <= set(row)
    assert len(edges) == expected.number_of_edges()
    for row in edges.to_dict("records"):
        attrs = edge_data(expected, row)
        assert set(attrs) <= set(row)
        for column, value in attrs.items():
            assert text(row[column]) == text(value), column
        source, target = expected.nodes[row["source"]], expected.nodes[row["target"]]
        ends = (source["label"], source["type"], target["label"], target["type"])
        assert tuple(text(row[c]) for c in ENDPOINTS) == ends
    if expected.is_multigraph():
        keys = Counter(zip(edges["source"], edges["target"], edges["relation"], strict=True))
        assert keys == Counter(list(expected.edges(keys=True)))


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_tables_round_trip(any_store, view_name, fmt, tmp_path):
    expected = view(any_store, view_name)
    paths = export_tables(any_store, tmp_path / "out" / view_name, fmt, view_name)
    assert [p.name for p in paths] == [f"nodes.{fmt}", f"edges.{fmt}"]
    nodes, edges = (read_table(p) for p in paths)
    assert_tables_match(nodes, edges, expected)
    assert list(nodes.columns[:4]) == ["id", "kind", "type", "label"]
    assert list(edges.columns[:2]) == ["source", "target"]
    if fmt == "csv":  # export() gives the edge table alone
        assert paths[1].read_bytes() == export(any_store, fmt, view_name)


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_table_columns_have_types(three, fmt, tmp_path):
    """Counts read back as integers (pandas' default CSV reading, and Parquet's schema)."""
    paths = export_tables(three, tmp_path, fmt, "actors")
    read = pd.read_csv if fmt == "csv" else pd.read_parquet
    nodes, edges = (read(p) for p in paths)
    assert pd.api.types.is_integer_dtype(nodes["mentions"])
    assert pd.api.types.is_integer_dtype(edges["weight"])
    expected = view(three, "actors")
    weights = {tuple(sorted((u, v))): w for u, v, w in expected.edges(data="weight")}
    for row in edges.to_dict("records"):
        assert row["weight"] == weights[tuple(sorted((row["source"], row["target"])))]


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_awkward_labels_survive_the_tables(awkward, fmt, tmp_path):
    nodes, edges = (read_table(p) for p in export_tables(awkward, tmp_path, fmt, "full"))
    assert AWKWARD in set(nodes["label"])
    assert AWKWARD in set(edges["target_label"])


@pytest.mark.parametrize("fmt", TABLE_FORMATS)
def test_empty_tables_keep_their_columns(fmt, tmp_path):
    nodes, edges = (read_table(p) for p in export_tables(Store(None), tmp_path, fmt, "actors"))
    assert len(nodes) == len(edges) == 0
    assert "label" in nodes.columns
    assert {"source", "target", "weight", "articles", *ENDPOINTS} <= set(edges.columns)


def test_tables_go_into_a_new_nested_directory(three, tmp_path):
    paths = export_tables(three, tmp_path / "a" / "b", "csv")
    assert all(p.is_file() and p.parent == tmp_path / "a" / "b" for p in paths)


def test_tables_are_csv_or_parquet_only(three, tmp_path):
    with pytest.raises(HrkgError, match="csv or parquet"):
        export_tables(three, tmp_path, "graphml")


def test_parquet_without_pyarrow_says_what_to_install(three, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    for attempt in (
        lambda: export(three, "parquet"),
        lambda: export_tables(three, tmp_path / "t", "parquet"),
    ):
        with pytest.raises(HrkgError, match=re.escape("pip install 'hrkg[parquet]'")):
            attempt()
    assert not (tmp_path / "t").exists()


# --- RDF ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "parser"), [("nq", "nquads"), ("trig", "trig"), ("jsonld", "json-ld")]
)
def test_rdf_datasets_keep_every_quad_and_named_graph(three, fmt, parser):
    quads = read_quads(export(three, fmt), parser)
    assert quads == store_quads(three)
    # one named graph per article, and the entity registry derived from them
    assert {str(g) for *_, g in quads} == {
        *(str(article_iri(a)) for a in ("a1", "a2", "a3")),
        str(REGISTRY),
    }


def test_turtle_is_the_union_of_the_articles(three):
    graph = Graph().parse(data=export(three, "ttl"), format="turtle")
    assert set(graph) == {(s, p, o) for s, p, o, _ in store_quads(three)}


@pytest.mark.parametrize("fmt", RDF_FORMATS)
@pytest.mark.parametrize(
    ("name", "filters"),
    [("full", None), ("actors", None), (None, Filters.parse(["arrest"]))],
)
def test_rdf_formats_refuse_views_and_filters(three, fmt, name, filters):
    with pytest.raises(HrkgError, match=f"not to {fmt}"):
        export(three, fmt, name, filters)


def test_rdf_formats_accept_empty_filters(three):
    assert export(three, "nq", None, Filters()) == export(three, "nq")


def test_jsonld_embeds_the_shipped_context(any_store):
    shipped = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))["@context"]
    document = json.loads(export(any_store, "jsonld"))
    assert document["@context"] == shipped
    dataset = Dataset()
    dataset.parse(data=json.dumps(document), format="json-ld")
    assert set(dataset.quads()) == store_quads(any_store)


def test_jsonld_uses_the_context_terms(three):
    text = export(three, "jsonld").decode("utf-8")
    for term in ('"label"', '"agent"', '"hasMention"', '"startChar"', '"hr:Arrest"'):
        assert term in text


def test_context_is_json_ld_1_1_with_every_prefix():
    ctx = context()
    assert ctx["@version"] == 1.1
    for prefix, iri in PREFIXES.items():
        assert ctx[prefix] == iri
    ttl = (ROOT / "ontology" / "hrkg.ttl").read_text(encoding="utf-8")
    declared = dict(re.findall(r"@prefix\s+(\w+):\s+<([^>]+)>", ttl))
    assert {"prov", "sem", "foaf", "schema", "dcterms"} <= set(declared)
    for prefix, iri in declared.items():
        assert ctx[prefix] == iri


def test_context_terms_name_ontology_terms():
    """Every ``hr:`` term of the context is a term of ``ontology/hrkg.ttl`` (HR raises on typos)."""
    for term, definition in context().items():
        iri = definition["@id"] if isinstance(definition, dict) else definition
        if isinstance(iri, str) and iri.startswith("hr:"):
            assert str(getattr(HR, iri[3:])) == PREFIXES["hr"] + iri[3:], term


def test_context_terms_expand_to_the_right_triples():
    document = {
        "@context": context(),
        "@id": "id:event/x",
        "agent": "id:person/jane",
        "startChar": "3",
        "label": "Jane",
        "date": {"@value": "2023-03", "@type": "xsd:gYearMonth"},
    }
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    ids, hr = PREFIXES["id"], PREFIXES["hr"]
    event = URIRef(ids + "event/x")
    assert set(graph) == {
        (event, URIRef(hr + "agent"), URIRef(ids + "person/jane")),
        (event, URIRef(hr + "startChar"), Literal("3", datatype=XSD.integer)),
        (event, URIRef(PREFIXES["rdfs"] + "label"), Literal("Jane")),
        (event, URIRef(hr + "date"), Literal("2023-03", datatype=XSD.gYearMonth)),
    }


# --- every format, the list of formats ------------------------------------------------------


def test_formats_are_the_three_families():
    assert FORMATS == RDF_FORMATS + GRAPH_FORMATS + TABLE_FORMATS
    assert set(FORMATS) >= {"graphml", "gexf", "json", "csv", "parquet", "jsonld", "trig", "nq"}


def test_an_unknown_view_names_the_views(three):
    with pytest.raises(HrkgError, match="unknown view 'people'; choose one of full, actors"):
        export(three, "graphml", "people")


# --- the command line ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def three_dir(three, tmp_path_factory) -> Path:
    """``three_articles`` in a closed store directory, for ``hrkg export --store``."""
    return on_disk(three, tmp_path_factory.mktemp("export-cli") / "store")


def hrkg(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_cli_actor_network_as_graphml(three, three_dir, tmp_path):
    out = tmp_path / "x.graphml"
    result = hrkg(
        "export", "--view", "actors", "--format", "graphml", "-o", out, "--store", three_dir
    )
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"wrote {out.stat().st_size} bytes to {out}"
    assert_same_graph(nx.read_graphml(out), view(three, "actors"), drop=("label",))


def test_cli_csv_tables_into_a_directory(three, three_dir, tmp_path):
    out = tmp_path / "tables"
    result = hrkg("export", "-f", "csv", "--view", "bipartite", "-o", out, "--store", three_dir)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"wrote {out / 'nodes.csv'}, {out / 'edges.csv'}"
    assert sorted(p.name for p in out.iterdir()) == ["edges.csv", "nodes.csv"]
    nodes, edges = read_table(out / "nodes.csv"), read_table(out / "edges.csv")
    assert_tables_match(nodes, edges, view(three, "bipartite"))


def test_cli_parquet_tables_into_a_directory(three, three_dir, tmp_path):
    out = tmp_path / "pq"
    result = hrkg("export", "-f", "parquet", "--view", "actors", "-o", out, "--store", three_dir)
    assert result.exit_code == 0, result.output
    nodes, edges = read_table(out / "nodes.parquet"), read_table(out / "edges.parquet")
    assert_tables_match(nodes, edges, view(three, "actors"))


def test_cli_csv_without_output_prints_the_edge_table(three, three_dir):
    result = hrkg("export", "-f", "csv", "--store", three_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == export(three, "csv")
    assert result.stdout.startswith("source,target,relation,")


def test_cli_a_csv_file_name_gets_the_edge_table_alone(three, three_dir, tmp_path):
    out = tmp_path / "edges.csv"
    result = hrkg("export", "-f", "csv", "--view", "actors", "-o", out, "--store", three_dir)
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.read_bytes() == export(three, "csv", "actors")


@pytest.mark.parametrize("fmt", [*GRAPH_FORMATS, "csv"])
def test_cli_output_is_reproducible(three, three_dir, view_name, fmt):
    """Nodes and edges are written sorted: the same graph gives the same bytes from any store."""
    result = hrkg("export", "-f", fmt, "--view", view_name, "--store", three_dir)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == export(three, fmt, view_name)


def test_cli_type_filter(three, three_dir):
    result = hrkg(
        "export", "-f", "json", "--view", "bipartite", "--type", "arrest", "-s", three_dir
    )
    assert result.exit_code == 0, result.output
    read = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    events = [d["type"] for _, d in read.nodes(data=True) if d["kind"] == "event"]
    assert events == ["Arrest"]
    assert nx.utils.graphs_equal(read, view(three, "bipartite", Filters.parse(["arrest"])))


@pytest.mark.parametrize(
    "args",
    [["--view", "actors"], ["--view", "full"], ["--type", "arrest"], ["--country", "BY"]],
)
def test_cli_refuses_views_and_filters_for_rdf(three_dir, args):
    result = hrkg("export", "-f", "nq", *args, "--store", three_dir)
    assert_one_line_error(result, "not to nq", "whole dataset")
    assert result.stdout == ""


def test_cli_parquet_needs_a_directory(three_dir):
    assert_one_line_error(hrkg("export", "-f", "parquet", "--store", three_dir), "-o DIR")


def test_cli_parquet_without_pyarrow(three_dir, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = hrkg("export", "-f", "parquet", "-o", tmp_path / "t", "--store", three_dir)
    assert_one_line_error(result, "pip install 'hrkg[parquet]'")


def test_cli_unknown_view_and_format_list_the_choices(three_dir):
    assert_one_line_error(
        hrkg("export", "-f", "gexf", "--view", "people", "--store", three_dir),
        "full, actors, bipartite",
    )
    assert_one_line_error(
        hrkg("export", "-f", "xml", "--store", three_dir), "graphml, gexf, json, csv, parquet"
    )
