"""``hrkg viz``: draw a view or a query result as an HTML page, a PNG or an SVG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
)
from kg.errors import HrkgError
from kg.graph import Filters
from kg.store import DEFAULT_STORE
from kg.viz import HTML_TOP, IMAGE_LABELS, IMAGE_TOP, output_format, render


@friendly
def viz_command(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="graph.html, graph.png or graph.svg.")
    ],
    view: ViewOption = DEFAULT_VIEW,
    types: TypeFilter = None,
    countries: CountryFilter = None,
    start: FromFilter = None,
    end: ToFilter = None,
    articles: ArticleFilter = None,
    query: Annotated[
        str | None,
        typer.Option(
            "--query",
            "-q",
            help="Draw the rows of this named query (or .rq file, or SPARQL) instead of a view.",
        ),
    ] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="Query parameter name=value.")
    ] = None,
    top: Annotated[
        int | None,
        typer.Option(
            "--top",
            help=f"Draw the N most central nodes (default {HTML_TOP} in HTML, "
            f"{IMAGE_TOP} in images; 0 for all).",
        ),
    ] = None,
    labels: Annotated[
        int, typer.Option("--labels", help="Label the N most central nodes of a PNG/SVG.")
    ] = IMAGE_LABELS,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Draw the graph: an interactive HTML page (offline), or a PNG/SVG figure for papers.

    The suffix of --output picks the format. Nodes are coloured by type and
    sized by PageRank; the HTML page shows evidence sentences on hover.

    Examples:

    * `hrkg viz -o actors.html`
    * `hrkg viz --view full --country BY --from 2021 -o belarus.png`
    * `hrkg viz --query person-timeline -p person="Ales Byalyatski" -o timeline.svg`
    """
    from kg.cli import parse_params  # kg.cli imports this module

    output_format(output)
    if top is not None and top < 0:
        raise HrkgError(f"--top {top}: give a positive number, or 0 for every node")
    filters = make_filters(types, countries, start, end, articles)
    if query and (filters != Filters() or view != DEFAULT_VIEW):
        raise HrkgError("--query draws the query's rows: --view and the filters do not apply")
    if param and not query:
        raise HrkgError("--param goes with --query NAME")
    picture = render(
        existing_store(store),
        output,
        view_name=view,
        filters=filters,
        query=query,
        params=parse_params(param or []),
        top=top,
        labels=labels,
    )
    shown = (
        f"{picture.nodes} nodes"
        if picture.nodes == picture.total
        else (f"the {picture.nodes} most central of {picture.total} nodes")
    )
    err.print(f"wrote {picture.path} ({shown})", highlight=False, markup=False)
