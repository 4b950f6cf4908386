"""Pictures of the graph: an interactive HTML page (pyvis) and PNG/SVG figures (matplotlib).

* :func:`to_html`: a self-contained page (vis-network inlined, nothing fetched
  from the network) where nodes are coloured by type, sized by PageRank, and
  tooltips show the evidence sentences behind nodes and edges;
* :func:`to_image`: a static figure for papers (PNG at 200 dpi, or SVG with
  real text), the components of the graph packed side by side, the most
  central nodes labelled;
* :func:`graph_of_result`: the entities and events of a query result, linked
  when they share a row;
* :func:`draw` picks the format from the file's suffix, :func:`render` draws a
  view or a query result of a store (what ``hrkg viz`` and
  :meth:`kg.api.KnowledgeGraph.viz` call).

Both pictures draw the ``top`` most central nodes (PageRank on the undirected,
weighted graph; see :func:`kg.analyse.centrality`) and the edges between them.
pyvis and matplotlib are imported only when a picture is drawn.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import URIRef

from kg.analyse import centrality, simple
from kg.errors import HrkgError
from kg.graph import Facts, Filters, load_facts, view
from kg.query import run_query
from kg.store import QueryResult, Store

PALETTE = {
    "Person": "#4E79A7",
    "Organisation": "#F28E2B",
    "Country": "#59A14F",
    "Place": "#B07AA1",
    "Event": "#E15759",
}
OTHER = "#9D9D9D"
FORMATS = (".html", ".png", ".svg")
DEFAULT_VIEW = "actors"
HTML_TOP = 150
IMAGE_TOP = 250
IMAGE_LABELS = 20
IMAGE_SIZE = (12.0, 9.0)  # inches
IMAGE_DPI = 200
SEED = 7
EVIDENCE = 3  # sentences in a node's tooltip
REMOTE = re.compile(
    r"""<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//"""
    r"""|url\(\s*["']?\s*(?:https?:)?//|@import""",
    re.IGNORECASE,
)


def group(attrs: Mapping[str, Any]) -> str:
    """The legend group of a node: its entity type, ``Event``, or ``Other``.

    Examples
    --------
    >>> group({"kind": "event", "type": "Arrest"}), group({"type": "Person"}), group({})
    ('Event', 'Person', 'Other')
    """
    if attrs.get("kind") == "event":
        return "Event"
    kind = str(attrs.get("type", ""))
    return kind if kind in PALETTE else "Other"


def display_label(attrs: Mapping[str, Any], node: str = "", limit: int = 32) -> str:
    """The short text drawn next to a node: a name, or an event's type and date.

    Examples
    --------
    >>> display_label({"kind": "event", "type": "Arrest", "label": "held", "date": "2021-05"})
    'Arrest 2021-05'
    >>> display_label({"label": "The Committee for the Protection of Human Rights Defenders"})
    'The Committee for the Protectio…'
    """
    if attrs.get("kind") == "event":
        text = " ".join(str(p) for p in (attrs.get("type", ""), attrs.get("date", "")) if p)
    else:
        text = str(attrs.get("label") or node)
    text = " ".join(text.split()) or node
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def scores(graph: nx.Graph) -> dict[str, float]:
    """PageRank of every node (undirected, parallel edges adding up their weight).

    Examples
    --------
    >>> s = scores(nx.star_graph(3))
    >>> max(s, key=s.get), round(sum(s.values()), 6)
    (0, 1.0)
    """
    return {r.node: r.score for r in centrality(graph, "pagerank", top=None)}


def ranking(graph: nx.Graph) -> list[tuple[Any, float]]:
    """Nodes with their PageRank, most central first; ties: most mentioned, then label.

    Examples
    --------
    >>> [n for n, _ in ranking(nx.star_graph(2))]
    [0, 1, 2]
    """
    found = scores(graph)
    nodes = graph.nodes

    def key(node: Any) -> tuple:
        mentions = -int(nodes[node].get("mentions", 0) or 0)
        return (-round(found[node], 12), mentions, str(nodes[node].get("label", "")), str(node))

    return [(node, found[node]) for node in sorted(found, key=key)]


def top_nodes(graph: nx.Graph, top: int | None) -> nx.Graph:
    """The subgraph of the ``top`` most central nodes (all when ``top`` is 0 or None).

    Every node of the copy gets ``centrality`` (its PageRank in the whole
    ``graph``) and ``rank`` (1 for the most central; see :func:`ranking`).

    Examples
    --------
    >>> g = top_nodes(nx.star_graph(4), 2)
    >>> sorted(g.nodes), g.number_of_edges(), g.nodes[0]["rank"]
    ([0, 1], 1, 1)
    """
    ranked = ranking(graph)[: top or None]
    kept = graph.subgraph(node for node, _ in ranked).copy()
    for rank, (node, score) in enumerate(ranked, start=1):
        kept.nodes[node].update(centrality=score, rank=rank)
    kept.graph.update(graph.graph)
    return kept


def _short(text: object, limit: int = 300) -> str:
    words = " ".join(str(text).split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _plural(count: int, word: str) -> str:
    """``3 articles``, ``1 article``."""
    return f"{count} {word}{'s' * (count != 1)}"


def _articles(ids: Iterable[str], limit: int = 6) -> str:
    ids = sorted(set(ids))
    shown = ", ".join(ids[:limit])
    return shown + (f" (+{len(ids) - limit} more)" if len(ids) > limit else "")


def node_evidence(graph: nx.Graph, node: str, limit: int = EVIDENCE) -> list[str]:
    """Up to ``limit`` distinct evidence sentences: the node's own, then its edges'.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("a", "b", evidence="A met B.")
    >>> g.add_edge("a", "c", evidence="A met B.")
    >>> node_evidence(g, "a")
    ['A met B.']
    """
    found = [graph.nodes[node].get("sentence", "")]
    edges = graph.edges(node, data=True)
    if graph.is_directed():
        edges = [*edges, *graph.in_edges(node, data=True)]
    found += [data.get("evidence", "") for *_, data in sorted(edges, key=_edge_order)]
    unique = dict.fromkeys(_short(s) for s in found if s and str(s).strip())
    return list(unique)[:limit]


def _edge_order(edge: tuple) -> tuple:
    *ends, data = edge
    return (-float(data.get("weight", 1)), [str(e) for e in ends])


def node_tooltip(graph: nx.Graph, node: str) -> str:
    """Plain-text tooltip of a node: label, type, country, mentions, articles, evidence."""
    attrs = graph.nodes[node]
    lines = [str(attrs.get("label") or node)]
    if attrs.get("kind") == "event":
        lines[0] = f"{attrs.get('type', 'Event')}: “{lines[0]}”"
    facts = [str(attrs.get("type", "")) if attrs.get("kind") != "event" else ""]
    facts += [f"country {attrs['country_code']}" if attrs.get("country_code") else ""]
    facts += [f"date {attrs['date']}" if attrs.get("date") else ""]
    lines.append(" · ".join(f for f in facts if f))
    articles = str(attrs.get("articles", "")).split()
    where = f"{_plural(len(articles), 'article')}: {_articles(articles)}" if articles else ""
    if attrs.get("mentions") is not None:
        lines.append(_plural(int(attrs["mentions"]), "mention") + (f" in {where}" if where else ""))
    elif where:
        lines.append(where)
    if attrs.get("aliases"):
        lines.append(f"also: {_short(attrs['aliases'], 120)}")
    if "centrality" in attrs:
        lines.append(f"PageRank {attrs['centrality']:.4f}")
    evidence = node_evidence(graph, node)
    if evidence:
        lines += ["Evidence:", *(f"• {s}" for s in evidence)]
    return "\n".join(line for line in lines if line)


def edge_tooltip(graph: nx.Graph, u: str, v: str) -> str:
    """Plain-text tooltip of the edges between ``u`` and ``v``: relations or roles,
    weight, articles and one evidence sentence (or a query row's other values)."""
    name = {n: _name(graph.nodes[n], n) for n in (u, v)}
    datas, what = [], []
    for a, b in ((u, v), (v, u)) if graph.is_directed() else ((u, v),):
        for data in _edges(graph, a, b):
            datas.append(data)
            what.append(_what(data, name[a], name[b]))
    lines = [f"{name[u]} — {name[v]}", "; ".join(dict.fromkeys(w for w in what if w))]
    lines.append(_weight_line(datas))
    articles = [a for d in datas for a in str(d.get("articles", "")).split()]
    lines.append(f"articles: {_articles(articles)}" if articles else "")
    lines += [str(d["values"]) for d in datas if d.get("values")]
    evidence = next((d["evidence"] for d in datas if d.get("evidence")), "")
    lines.append(f"“{_short(evidence)}”" if evidence else "")
    return "\n".join(line for line in lines if line)


def _name(attrs: Mapping[str, Any], node: str) -> str:
    """A node in a sentence: an entity's label, an event's type, date and trigger."""
    label = str(attrs.get("label") or node)
    if attrs.get("kind") != "event":
        return label
    return " ".join(str(p) for p in (attrs.get("type"), attrs.get("date"), f"“{label}”") if p)


def _edges(graph: nx.Graph, a: str, b: str) -> list[dict]:
    """The attributes of every edge from ``a`` to ``b`` (this direction only)."""
    data = graph.get_edge_data(a, b)
    if data is None:
        return []
    return list(data.values()) if graph.is_multigraph() else [data]


def _what(data: Mapping[str, Any], a: str, b: str) -> str:
    """What an edge from ``a`` to ``b`` says: a relation, an actor's role, the roles."""
    if data.get("relations") or data.get("roles"):
        return str(data.get("relations") or data.get("roles"))
    if not data.get("relation"):
        return ""
    if data.get("events"):  # full view: event -> actor, keyed by role
        return f"{b}: {data['relation']}"
    return f"{a} {data['relation']} {b}"


def _weight_line(datas: list[dict]) -> str:
    weight = sum(float(d.get("weight", 1)) for d in datas)
    parts = []
    co_events = sum(int(d.get("co_events", 0)) for d in datas)
    statements = sum(int(d.get("relation_statements", 0)) for d in datas)
    if co_events:
        parts.append(f"{co_events} shared event{'s' * (co_events != 1)}")
    if statements:
        parts.append(f"{statements} relation statement{'s' * (statements != 1)}")
    return f"weight {weight:g}" + (f" ({', '.join(parts)})" if parts else "")


def _pairs(graph: nx.Graph) -> list[tuple[str, str, float]]:
    """Each linked pair of nodes once, with the summed weight of its edges."""
    flat = simple(graph)
    return sorted(
        ((u, v, float(d.get("weight", 1))) for u, v, d in flat.edges(data=True)),
        key=lambda e: (str(e[0]), str(e[1])),
    )


def _present(graph: nx.Graph) -> list[str]:
    groups = {group(d) for _, d in graph.nodes(data=True)}
    return [g for g in [*PALETTE, "Other"] if g in groups]


def _default_title(graph: nx.Graph) -> str:
    name = graph.graph.get("view")
    return f"{name} view" if name else "hrkg graph"


def _check_nodes(graph: nx.Graph) -> None:
    if graph.number_of_nodes() == 0:
        raise HrkgError("nothing to draw: the graph has no nodes (are the filters too narrow?)")


# ---------------------------------------------------------------- HTML (pyvis)

HTML_STYLE = """
<style>
  body { margin: 0; font-family: system-ui, sans-serif; }
  #hrkg-header { padding: 8px 16px; border-bottom: 1px solid #ddd; }
  #hrkg-header h1 { font-size: 18px; margin: 0 0 2px 0; }
  #hrkg-header p { font-size: 13px; margin: 0; color: #555; }
  #hrkg-legend { position: fixed; top: 70px; right: 16px; z-index: 10; font-size: 13px;
    background: rgba(255,255,255,0.92); border: 1px solid #ccc; border-radius: 6px;
    padding: 8px 12px; line-height: 1.6; }
  #hrkg-legend .swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px;
    vertical-align: -1px; border-radius: 50%; }
  #hrkg-legend .swatch.event { border-radius: 0; transform: rotate(45deg) scale(0.85); }
  #hrkg-legend .note { color: #666; font-size: 12px; }
  #mynetwork { border: 0 !important; float: none !important; }
  .vis-tooltip { white-space: pre-wrap !important; max-width: 420px; font-family: system-ui,
    sans-serif !important; font-size: 13px !important; line-height: 1.35; }
</style>
"""


def legend_html(groups: Iterable[str]) -> str:
    """The legend block of the page: one swatch per node group, and how to read sizes.

    Examples
    --------
    >>> "Person" in legend_html(["Person"])
    True
    """
    rows = []
    for name in groups:
        colour = PALETTE.get(name, OTHER)
        shape = " event" if name == "Event" else ""
        rows.append(
            f'<div><span class="swatch{shape}" style="background:{colour}"></span>'
            f"{html.escape(name)}</div>"
        )
    notes = "size: PageRank<br>hover: evidence<br>scroll: zoom, drag: move"
    return f'<div id="hrkg-legend">{"".join(rows)}<div class="note">{notes}</div></div>'


def _header_html(title: str, graph: nx.Graph, total: int) -> str:
    shown = graph.number_of_nodes()
    count = f"{shown} nodes" if shown == total else f"the {shown} most central of {total} nodes"
    summary = f"{count}, {len(_pairs(graph))} links"
    return f'<div id="hrkg-header"><h1>{html.escape(title)}</h1><p>{html.escape(summary)}</p></div>'


def _vis_options() -> str:
    """vis-network options as JSON (pyvis's ``set_options`` drops spaces: use none)."""
    import json

    options = {
        "nodes": {
            "borderWidth": 1,
            "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"},
            "scaling": {
                "min": 8,
                "max": 36,
                "label": {"enabled": True, "min": 13, "max": 22, "drawThreshold": 6},
            },
        },
        "edges": {
            "color": {"color": "#9aa5b1", "highlight": "#333333", "opacity": 0.7},
            "scaling": {"min": 1, "max": 8},
            "smooth": False,
        },
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -70, "springLength": 90},
            "stabilization": {"iterations": 300},
            "minVelocity": 1,
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
    }
    return json.dumps(options)


def _no_href(text: str) -> str:
    """pyvis switches to an innerHTML popup when a tooltip holds "href": keep text as text."""
    return text.replace("href", "hre\u200bf")


def _network(graph: nx.Graph) -> Any:
    from pyvis.network import Network

    net = Network(height="calc(100vh - 70px)", width="100%", cdn_resources="in_line")
    net.set_options(_vis_options())
    for node, attrs in graph.nodes(data=True):
        name = group(attrs)
        net.add_node(
            str(node),
            label=display_label(attrs, str(node)),
            title=_no_href(node_tooltip(graph, node)),
            color=PALETTE.get(name, OTHER),
            shape="diamond" if name == "Event" else "dot",
            value=float(attrs.get("centrality", 0.0)),
        )
    for u, v, weight in _pairs(graph):
        net.add_edge(str(u), str(v), value=weight, title=_no_href(edge_tooltip(graph, u, v)))
    return net


def to_html(
    graph: nx.Graph, path: str | Path, *, title: str | None = None, top: int | None = HTML_TOP
) -> Path:
    """Write an interactive, self-contained HTML page of the ``top`` most central nodes.

    Nodes are coloured by type (:data:`PALETTE`; events are diamonds), sized by
    PageRank; hovering a node shows its label, type, country, mentions,
    articles and up to three evidence sentences, hovering an edge its
    relations or roles, weight, articles and evidence.  vis-network is inlined
    so the page works offline.

    Parameters
    ----------
    graph
        A view of :mod:`kg.graph` or a :func:`graph_of_result` graph.
    path
        Where to write the page.
    title
        The heading (default: the graph's ``view`` attribute).
    top
        How many nodes to draw, most central first; 0 or None for all.

    Returns
    -------
    Path
        ``path``.
    """
    _check_nodes(graph)
    shown = top_nodes(graph, top)
    heading = title or _default_title(graph)
    page = _network(shown).generate_html()
    page = _strip_remote(page)
    page = re.sub(r"<center>\s*<h1>\s*</h1>\s*</center>", "", page)
    head = f"<title>{html.escape(heading)}</title>{HTML_STYLE}</head>"
    body = _header_html(heading, shown, graph.number_of_nodes()) + legend_html(_present(shown))
    page = page.replace("</head>", head, 1).replace("<body>", "<body>" + body, 1)
    if REMOTE.search(page):
        raise HrkgError("the page would load resources from the network; pyvis has changed?")
    path = Path(path)
    path.write_text(page, encoding="utf-8")
    return path


def _strip_remote(page: str) -> str:
    """Drop the ``<link>``/``<script>`` tags pyvis's template loads from CDNs (Bootstrap)."""
    page = re.sub(r"<link\b[^>]*\bhref\s*=\s*\"https?://[^\"]*\"[^>]*>", "", page)
    return re.sub(r"<script\b[^>]*\bsrc\s*=\s*\"https?://[^\"]*\"[^>]*>\s*</script>", "", page)


# ------------------------------------------------------- PNG and SVG (matplotlib)


def _component_layout(graph: nx.Graph, seed: int) -> dict[Any, tuple[float, float]]:
    """Positions of one connected component, spread over an area proportional to its size."""
    nodes = sorted(graph, key=str)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    ordered = nx.Graph()
    ordered.add_nodes_from(nodes)
    ordered.add_edges_from(graph.edges)
    if len(nodes) <= 60:
        pos = nx.kamada_kawai_layout(ordered)
    else:
        start = nx.kamada_kawai_layout(ordered) if len(nodes) <= 200 else None
        pos = nx.spring_layout(ordered, pos=start, seed=seed, iterations=100)
    pos = nx.rescale_layout_dict(pos, scale=0.8 * math.sqrt(len(nodes)) if len(nodes) > 2 else 0.7)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def layout(
    graph: nx.Graph, seed: int = SEED, aspect: float = 1.5
) -> dict[Any, tuple[float, float]]:
    """Positions for a figure: each component laid out alone, then packed in rows.

    Large components come first (top left), single nodes last in a tight
    grid, the rows as wide as makes the whole closest to ``aspect``
    (width / height), so a graph of many small pieces fills the page.

    Examples
    --------
    >>> pos = layout(nx.Graph([("a", "b"), ("c", "d")]))
    >>> sorted(pos) == ["a", "b", "c", "d"]
    True
    """
    flat = simple(graph)
    parts = sorted(nx.connected_components(flat), key=lambda c: (-len(c), sorted(map(str, c))))
    boxes = [_component_layout(flat.subgraph(part), seed) for part in parts]
    return _pack(boxes, aspect)


def _pack(
    boxes: list[dict[Any, tuple[float, float]]], aspect: float
) -> dict[Any, tuple[float, float]]:
    """Place component layouts left to right in rows, trying row widths for the best fit."""
    sizes = []
    for box in boxes:
        xs, ys = [p[0] for p in box.values()], [p[1] for p in box.values()]
        gap = 1.2 if len(box) > 1 else 0.8
        sizes.append((min(xs), min(ys), max(xs) - min(xs) + gap, max(ys) - min(ys) + gap))
    widths = [w for *_, w, _ in sizes]
    low, high = max(widths), sum(widths)
    candidates = [low + (high - low) * i / 40 for i in range(41)]

    def fit(width: float) -> float:  # the scale at which the packed rows fill the page
        _, used, height = _shelves(sizes, width)
        return min(aspect / used, 1 / height)

    _, best = max((fit(w), -w) for w in candidates)
    origins, _, _ = _shelves(sizes, -best)
    pos: dict[Any, tuple[float, float]] = {}
    for box, (left, bottom, *_), (x, y) in zip(boxes, sizes, origins, strict=True):
        for node, (px, py) in box.items():
            pos[node] = (x + px - left, y + py - bottom)
    return pos


def _shelves(
    sizes: list[tuple[float, float, float, float]], width: float
) -> tuple[list[tuple[float, float]], float, float]:
    """Lower-left corners of boxes put in rows no wider than ``width``; used width, height."""
    origins, x, top, row, used = [], 0.0, 0.0, 0.0, 0.0
    for *_, w, h in sizes:
        if x > 0 and x + w > width + 1e-9:
            x, top, row = 0.0, top - row, 0.0
        origins.append((x, top - h))
        x, row, used = x + w, max(row, h), max(used, x + w)
    return origins, used, row - top


def _node_sizes(graph: nx.Graph) -> dict[Any, float]:
    """Marker areas (points²) by the square root of PageRank, larger on small graphs."""
    count = graph.number_of_nodes()
    largest = min(900.0, max(160.0, 36000.0 / max(count, 1)))
    smallest = min(60.0, max(12.0, 2400.0 / max(count, 1)))
    values = {n: float(d.get("centrality", 0.0)) for n, d in graph.nodes(data=True)}
    low, high = min(values.values(), default=0.0), max(values.values(), default=0.0)
    spread = (high - low) or 1.0
    return {
        n: smallest + (largest - smallest) * math.sqrt((v - low) / spread)
        for n, v in values.items()
    }


def to_image(
    graph: nx.Graph,
    path: str | Path,
    *,
    title: str | None = None,
    top: int | None = IMAGE_TOP,
    labels: int = IMAGE_LABELS,
    size: tuple[float, float] = IMAGE_SIZE,
    dpi: int = IMAGE_DPI,
    seed: int = SEED,
) -> Path:
    """Write a PNG or SVG figure (by the suffix of ``path``) of the ``top`` most central nodes.

    Components are laid out one by one (Kamada-Kawai, spring layout for the
    large ones, fixed ``seed``) and packed; node area follows PageRank,
    colour the type (events are diamonds), edge width the weight; only the
    ``labels`` most central nodes are labelled.  The title names the view and
    filters.  SVG keeps text as text (searchable, editable).

    Parameters
    ----------
    graph
        A view of :mod:`kg.graph` or a :func:`graph_of_result` graph.
    path
        A ``.png`` or ``.svg`` file.
    title
        The figure title (default: the graph's ``view`` attribute).
    top
        How many nodes to draw, most central first; 0 or None for all.
    labels
        How many of them to label.
    size, dpi
        Figure size in inches and resolution (PNG: ``size * dpi`` pixels).
    seed
        Seed of the spring layout.

    Returns
    -------
    Path
        ``path``.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise HrkgError(f"{path}: a figure is written as .png or .svg")
    _check_nodes(graph)
    shown = top_nodes(graph, top)
    fig = Figure(figsize=size, dpi=dpi, layout=None)
    FigureCanvasAgg(fig)
    box = (0.01, 0.07, 0.98, 0.85)  # below the title, above the legend
    ax = fig.add_axes(box)
    pos = layout(shown, seed, aspect=(box[2] * size[0]) / (box[3] * size[1]))
    sizes = _node_sizes(shown)
    _draw_edges(ax, shown, pos)
    _draw_nodes(ax, shown, pos, sizes)
    ax.set_aspect("equal", adjustable="datalim")
    ax.autoscale_view()
    ax.margins(0.03)
    ax.apply_aspect()
    ax.axis("off")
    _title(fig, title or _default_title(graph), shown, graph, labels)
    _legend(fig, shown)
    _draw_labels(ax, shown, pos, sizes, labels)
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "hrkg"}):
        fig.savefig(path, dpi=dpi, metadata=_metadata(path))
    return path


def _metadata(path: Path) -> dict[str, Any]:
    """No creation date in the file, so the same graph gives the same bytes."""
    return {"Date": None} if path.suffix.lower() == ".svg" else {}


def _draw_edges(ax: Any, graph: nx.Graph, pos: dict) -> None:
    from matplotlib.collections import LineCollection

    pairs = _pairs(graph)
    if not pairs:
        return
    low, high = min(w for *_, w in pairs), max(w for *_, w in pairs)
    segments = [(pos[u], pos[v]) for u, v, _ in pairs]
    widths = [
        0.8 + 2.7 * math.sqrt((w - low) / (high - low)) if high > low else 1.5 for *_, w in pairs
    ]
    ax.add_collection(
        LineCollection(segments, linewidths=widths, colors="#6b7785", alpha=0.45, zorder=1)
    )


def _draw_nodes(ax: Any, graph: nx.Graph, pos: dict, sizes: dict[Any, float]) -> None:
    for name in _present(graph):
        members = [n for n in graph if group(graph.nodes[n]) == name]
        members.sort(key=lambda n: -sizes[n])  # big ones below small ones
        ax.scatter(
            [pos[n][0] for n in members],
            [pos[n][1] for n in members],
            s=[sizes[n] * (0.7 if name == "Event" else 1.0) for n in members],
            c=PALETTE.get(name, OTHER),
            marker="D" if name == "Event" else "o",
            edgecolors="white",
            linewidths=0.6,
            zorder=2,
        )


def _title(fig: Any, title: str, shown: nx.Graph, whole: nx.Graph, labels: int) -> None:
    count, total = shown.number_of_nodes(), whole.number_of_nodes()
    which = f"{count} nodes" if count == total else f"the {count} most central of {total} nodes"
    named = min(labels, count)
    note = f"{which}, {len(_pairs(shown))} links · size: PageRank · labels: top {named}"
    fig.text(0.5, 0.975, title, ha="center", va="top", fontsize=14, parse_math=False)
    fig.text(0.5, 0.94, note, ha="center", va="top", fontsize=9, color="#555555")


def _legend(fig: Any, graph: nx.Graph) -> None:
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker="D" if name == "Event" else "o",
            linestyle="",
            markersize=8,
            markerfacecolor=PALETTE.get(name, OTHER),
            markeredgecolor="white",
            label=name,
        )
        for name in _present(graph)
    ]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False, fontsize=10)


def _draw_labels(ax: Any, graph: nx.Graph, pos: dict, sizes: dict[Any, float], count: int) -> None:
    """Label the ``count`` most central nodes, each where it hides the least.

    A label tries eight places around its node (farther for bigger nodes) and
    takes the first that covers no earlier label, no node, not the title or
    legend, and stays on the figure, else the one covering least.
    """
    chosen = sorted(graph, key=lambda n: graph.nodes[n]["rank"])[:count]
    fig = ax.figure
    renderer = fig.canvas.get_renderer()
    points = fig.dpi / 72
    nodes = []
    for node, (x, y) in zip(graph, ax.transData.transform([pos[n] for n in graph]), strict=True):
        r = math.sqrt(sizes[node]) / 2 * points
        nodes.append((x - r, y - r, x + r, y + r))
    labels = [_corners(a.get_window_extent(renderer)) for a in [*fig.texts, *fig.legends]]
    for node in chosen:
        text = display_label(graph.nodes[node], str(node), limit=28)
        reach = math.sqrt(sizes[node]) / 2 + 2
        best, cost = None, math.inf
        for dx, dy in _offsets(reach):
            label = _label_at(ax, pos[node], text, dx, dy)
            corners = _corners(label.get_window_extent(renderer))
            here = 3 * sum(_overlap(corners, o) for o in labels)
            here += sum(_overlap(corners, o) for o in nodes) + 5 * _outside(corners, fig.bbox)
            if here < cost:
                if best is not None:
                    best[0].remove()
                best, cost = (label, corners), here
            else:
                label.remove()
            if here == 0:
                break
        labels.append(best[1])  # type: ignore[index]


def _offsets(reach: float) -> list[tuple[float, float]]:
    """Where to try a label, in points from its node: above, below, right, left, diagonals."""
    d = reach * 0.75
    return [(0, reach), (0, -reach), (reach, 0), (-reach, 0), (d, d), (-d, d), (d, -d), (-d, -d)]


def _label_at(ax: Any, xy: tuple[float, float], text: str, dx: float, dy: float) -> Any:
    ha = "left" if dx > 0 else "right" if dx < 0 else "center"
    va = "bottom" if dy > 0 else "top" if dy < 0 else "center"
    return ax.annotate(
        text,
        xy,
        xytext=(dx, dy),
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=8.5,
        zorder=3,
        parse_math=False,
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.8},
    )


def _corners(box: Any) -> tuple[float, float, float, float]:
    return (box.x0, box.y0, box.x1, box.y1)


def _overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    """The area two boxes ``(x0, y0, x1, y1)`` share."""
    width = min(a[2], b[2]) - max(a[0], b[0])
    height = min(a[3], b[3]) - max(a[1], b[1])
    return max(width, 0.0) * max(height, 0.0)


def _outside(box: tuple[float, ...], page: Any) -> float:
    """The area of a box outside the figure."""
    inside = _overlap(box, (page.x0, page.y0, page.x1, page.y1))
    return (box[2] - box[0]) * (box[3] - box[1]) - inside


# ------------------------------------------------------------- query results


def graph_of_result(result: QueryResult, facts: Facts, name: str = "query") -> nx.Graph:
    """The entities and events of a query result, linked when they are in the same row.

    Nodes carry the attributes of :mod:`kg.graph` (label, type ...); an edge's
    ``weight`` counts the rows joining its ends, ``values`` holds the rows'
    other cells (``name=value``) and ``evidence`` the sentence of an event in
    the row.

    Raises
    ------
    HrkgError
        If the result is not a table, or no cell of it is an entity or event of ``facts``.

    Examples
    --------
    >>> graph_of_result(QueryResult(["x"], [(None,)]), Facts())
    Traceback (most recent call last):
    kg.errors.HrkgError: the query result holds no entity or event IRIs to draw
    """
    if result.boolean is not None or result.graph is not None:
        raise HrkgError("only the rows of a SELECT query can be drawn")
    graph = nx.Graph(view=name)
    for row in result.rows:
        nodes = [str(t) for t in row if isinstance(t, URIRef) and str(t) in facts.nodes]
        nodes = list(dict.fromkeys(nodes))
        for node in nodes:
            graph.add_node(node, **facts.nodes[node].attributes())
        other = "; ".join(
            f"{var}={_short(term, 80)}"
            for var, term in zip(result.variables, row, strict=True)
            if term is not None and str(term) not in nodes
        )
        sentence = next((facts.nodes[n].sentence for n in nodes if facts.nodes[n].sentence), "")
        for i, a in enumerate(nodes):
            for b in nodes[i + 1 :]:
                _link(graph, a, b, other, sentence, facts)
    if graph.number_of_nodes() == 0:
        raise HrkgError("the query result holds no entity or event IRIs to draw")
    return graph


def _link(graph: nx.Graph, a: str, b: str, values: str, sentence: str, facts: Facts) -> None:
    if graph.has_edge(a, b):
        data = graph.edges[a, b]
        data["weight"] += 1
        if values and values not in data["values"].split("\n"):
            data["values"] = f"{data['values']}\n{values}".strip()
        return
    articles = " ".join(sorted(facts.nodes[a].articles & facts.nodes[b].articles))
    graph.add_edge(a, b, weight=1, values=values, evidence=sentence, articles=articles)


# ------------------------------------------------------------------- drivers


def describe(name: str, filters: Filters | None = None) -> str:
    """A title naming the view and its filters.

    Examples
    --------
    >>> describe("actors", Filters.parse(["arrest"], ["BY"], "2021"))
    'actors view · Arrest · in BY · from 2021-01-01'
    """
    filters = filters or Filters()
    parts = [f"{name} view"]
    parts += [", ".join(sorted(filters.event_types))] if filters.event_types else []
    parts += [f"in {', '.join(sorted(filters.countries))}"] if filters.countries else []
    parts += [f"from {filters.start.isoformat()}"] if filters.start else []
    parts += [f"to {filters.end.isoformat()}"] if filters.end else []
    if filters.articles:
        parts.append(f"articles {_articles(filters.articles, 4)}")
    return " · ".join(parts)


def output_format(path: str | Path) -> str:
    """The picture format of a file name: ``.html``, ``.png`` or ``.svg``.

    Examples
    --------
    >>> output_format("graph.PNG")
    '.png'
    >>> output_format("graph.pdf")
    Traceback (most recent call last):
    kg.errors.HrkgError: graph.pdf: write the picture as .html, .png or .svg
    """
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise HrkgError(f"{path}: write the picture as .html, .png or .svg")
    return suffix


def draw(
    graph: nx.Graph,
    path: str | Path,
    *,
    title: str | None = None,
    top: int | None = None,
    labels: int = IMAGE_LABELS,
) -> Path:
    """:func:`to_html` or :func:`to_image` by the suffix of ``path``; ``top=None`` takes
    the format's default (:data:`HTML_TOP` or :data:`IMAGE_TOP`)."""
    if output_format(path) == ".html":
        return to_html(graph, path, title=title, top=HTML_TOP if top is None else top)
    limit = IMAGE_TOP if top is None else top
    return to_image(graph, path, title=title, top=limit, labels=labels)


@dataclass(frozen=True)
class Picture:
    """What :func:`render` wrote: the file, how many nodes it shows, of how many."""

    path: Path
    nodes: int
    total: int


def render(
    store: Store,
    path: str | Path,
    *,
    view_name: str = DEFAULT_VIEW,
    filters: Filters | None = None,
    query: str | None = None,
    params: dict[str, str] | None = None,
    top: int | None = None,
    labels: int = IMAGE_LABELS,
) -> Picture:
    """Draw a view of ``store`` (or the result of a named query) to ``path``.

    The suffix of ``path`` picks the format (:func:`output_format`); ``top``
    defaults to the format's own limit.
    """
    fmt = output_format(path)
    limit = (HTML_TOP if fmt == ".html" else IMAGE_TOP) if top is None else top
    facts = load_facts(store)
    if query:
        graph = graph_of_result(run_query(store, query, params or {}), facts, "query")
        given = " ".join(f"{k}={v}" for k, v in (params or {}).items())
        title = f"query {_short(query, 60)}" + (f" ({given})" if given else "")
    else:
        graph = view(facts, view_name, filters)
        title = describe(view_name, filters)
    drawn = draw(graph, path, title=title, top=limit, labels=labels)
    total = graph.number_of_nodes()
    return Picture(drawn, min(limit, total) if limit else total, total)
