"""``hrkg analyse``: centrality, communities, ego networks and explained paths.

Every subcommand works on one view of the graph (``--view``, the actor network
by default) after the common filters, and prints a table, or CSV/JSON with
``--format``.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Annotated

import networkx as nx
import typer
from rich.markup import escape
from rich.table import Table

from kg.analyse import (
    MEASURES,
    centrality,
    communities,
    edge_data,
    ego_network,
    explain_path,
    find_node,
)
from kg.cli_common import (
    DEFAULT_VIEW,
    ArticleFilter,
    CountryFilter,
    FromFilter,
    StoreOption,
    ToFilter,
    TypeFilter,
    ViewOption,
    err,
    existing_store,
    friendly,
    make_filters,
    out,
)
from kg.errors import HrkgError
from kg.graph import Facts, load_facts, view
from kg.store import DEFAULT_STORE

analyse_app = typer.Typer(
    help="Network analyses of a view of the graph: centrality, communities, ego networks, paths.",
    no_args_is_help=True,
)
OUTPUTS = ("table", "csv", "json")
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, csv or json.")]
TopOption = Annotated[int, typer.Option("--top", "-n", min=1, help="How many to show.")]


def _graph(store, view_name, types, countries, start, end, articles):
    facts = load_facts(existing_store(store))
    filters = make_filters(types, countries, start, end, articles)
    return view(facts, view_name, filters), facts


def _emit(rows: list[dict], fmt: str, title: str) -> None:
    if fmt not in OUTPUTS:
        raise HrkgError(f"unknown output format {fmt!r}; choose one of {', '.join(OUTPUTS)}")
    if fmt == "json":
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(rows[0]) if rows else [], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        out.out(buffer.getvalue(), end="", highlight=False)
        return
    if not rows:
        err.print(f"{title}: nothing to show (no nodes after the filters)", highlight=False)
        return
    table = Table(title=title, title_justify="left")
    for column in rows[0] if rows else []:
        table.add_column(column, overflow="fold")
    for row in rows:
        table.add_row(*(escape(str(v)) for v in row.values()))
    out.print(table)


@analyse_app.command("centrality")
@friendly
def centrality_command(
    measure: Annotated[
        str, typer.Option("--measure", help=f"One of: {', '.join(MEASURES)}.")
    ] = "pagerank",
    top: TopOption = 20,
    kind: Annotated[
        list[str] | None,
        typer.Option("--kind", "-k", help="Rank only nodes of this type (Person ...); repeatable."),
    ] = None,
    view_name: ViewOption = DEFAULT_VIEW,
    types: TypeFilter = None,
    countries: CountryFilter = None,
    start: FromFilter = None,
    end: ToFilter = None,
    articles: ArticleFilter = None,
    fmt: FormatOption = "table",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """The most central actors (or nodes) of a view.

    Examples:

    * `hrkg analyse centrality --top 10`
    * `hrkg analyse centrality --measure betweenness --kind Person --country BY`
    """
    graph, _ = _graph(store, view_name, types, countries, start, end, articles)
    ranked = centrality(graph, measure, top, set(kind) if kind else None)
    rows = [
        {"rank": i, "label": r.label, "type": r.type, measure: round(r.score, 5), "iri": r.node}
        for i, r in enumerate(ranked, start=1)
    ]
    _emit(rows, fmt, f"{measure} centrality, {view_name} view")


@analyse_app.command("communities")
@friendly
def communities_command(
    top: TopOption = 10,
    members: Annotated[int, typer.Option("--members", min=1, help="Members shown each.")] = 8,
    seed: Annotated[int, typer.Option("--seed", help="Louvain's random seed.")] = 0,
    resolution: Annotated[
        float, typer.Option("--resolution", help="Above 1: smaller communities.")
    ] = 1.0,
    view_name: ViewOption = DEFAULT_VIEW,
    types: TypeFilter = None,
    countries: CountryFilter = None,
    start: FromFilter = None,
    end: ToFilter = None,
    articles: ArticleFilter = None,
    fmt: FormatOption = "table",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Louvain communities of a view, largest first, members most connected first.

    Examples:

    * `hrkg analyse communities`
    * `hrkg analyse communities --type arrest --type detention --format json`
    """
    graph, _ = _graph(store, view_name, types, countries, start, end, articles)
    found = communities(graph, seed=seed, resolution=resolution)[:top]
    rows = [
        {
            "community": c.number,
            "size": c.size,
            "types": ", ".join(f"{k} {v}" for k, v in sorted(c.types.items())),
            "members": "; ".join(c.labels[:members]) + ("; ..." if c.size > members else ""),
        }
        for c in found
    ]
    _emit(rows, fmt, f"communities (Louvain, seed {seed}), {view_name} view")


@analyse_app.command("ego")
@friendly
def ego_command(
    actor: Annotated[str, typer.Argument(help="Name, alias or IRI of the actor.")],
    radius: Annotated[int, typer.Option("--radius", "-r", min=1, help="Hops from the actor.")] = 1,
    view_name: ViewOption = DEFAULT_VIEW,
    types: TypeFilter = None,
    countries: CountryFilter = None,
    start: FromFilter = None,
    end: ToFilter = None,
    articles: ArticleFilter = None,
    fmt: FormatOption = "table",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """An actor's ego network: its neighbours, how strongly linked and why.

    Examples:

    * `hrkg analyse ego "Ales Bialiatski"`
    * `hrkg analyse ego Viasna --radius 2 --format csv`
    """
    graph, facts = _graph(store, view_name, types, countries, start, end, articles)
    center = find_node(graph, actor)
    ego = ego_network(graph, center, radius)
    hops = nx.single_source_shortest_path_length(nx.Graph(ego.to_undirected()), center)
    rows = []
    for node in sorted(ego, key=lambda n: (hops[n], ego.nodes[n]["label"], n)):
        if node == center:
            continue
        links = _links(graph, center, node, facts)
        rows.append(
            {
                "hops": hops[node],
                "label": ego.nodes[node]["label"],
                "type": ego.nodes[node]["type"],
                **links,
                "iri": node,
            }
        )
    _emit(rows, fmt, f"ego network of {graph.nodes[center]['label']} ({len(rows)} neighbours)")


def _links(graph, center: str, node: str, facts: Facts) -> dict[str, object]:
    """Weight, relations and evidence of the direct link, if any."""
    datas = edge_data(graph, center, node)
    if not datas:
        return {"weight": "", "via": "", "evidence": ""}
    weight = sum(d.get("weight", 1) for d in datas)
    via = sorted(
        {w for d in datas for w in (d.get("relations") or d.get("relation") or "").split()}
    )
    events = {e for d in datas for e in d.get("events", "").split()}
    kinds = sorted({facts.nodes[e].type for e in events if e in facts.nodes})
    return {
        "weight": weight,
        "via": ", ".join(via + kinds),
        "evidence": next((d["evidence"] for d in datas if d.get("evidence")), ""),
    }


@analyse_app.command("path")
@friendly
def path_command(
    source: Annotated[str, typer.Argument(help="Name, alias or IRI of the first actor.")],
    target: Annotated[str, typer.Argument(help="Name, alias or IRI of the second actor.")],
    view_name: ViewOption = DEFAULT_VIEW,
    types: TypeFilter = None,
    countries: CountryFilter = None,
    start: FromFilter = None,
    end: ToFilter = None,
    articles: ArticleFilter = None,
    fmt: FormatOption = "table",
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """The shortest path between two actors, each hop with its events, relations and articles.

    Examples:

    * `hrkg analyse path "Ales Bialiatski" "Amnesty International"`
    """
    graph, facts = _graph(store, view_name, types, countries, start, end, articles)
    hops = explain_path(graph, source, target, facts)
    rows = [
        {
            "hop": i,
            "from": h.source_label,
            "to": h.target_label,
            "relations": ", ".join(h.relations),
            "events": "; ".join(h.event_labels),
            "articles": " ".join(h.articles),
            "evidence": h.evidence,
        }
        for i, h in enumerate(hops, start=1)
    ]
    _emit(rows, fmt, f"path from {hops[0].source_label} to {hops[-1].target_label}")
