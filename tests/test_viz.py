"""Pictures of the graph (``kg.viz``, ``hrkg viz``): HTML pages, PNG and SVG figures.

The small hand-made store of ``test_views`` gives known labels and evidence;
the HTML page is opened from disk in a real headless chromium (Debian's, via
Playwright) with every network request refused.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from jinja2.utils import htmlsafe_json_dumps
from PIL import Image
from test_views import three_articles
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import HrkgError
from kg.graph import Facts, actor_network, full_graph, load_facts
from kg.query import run_query
from kg.store import Store
from kg.viz import (
    display_label,
    graph_of_result,
    ranking,
    to_html,
    to_image,
    top_nodes,
)

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
# A resource the browser would fetch: <script src>, <link href>, <img src>, CSS url() or @import.
REMOTE = re.compile(
    r"""<(script|link|img|iframe|source)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//"""
    r"""|url\(\s*["']?\s*(https?:)?//|@import""",
    re.IGNORECASE,
)
SVG_TEXT = "{http://www.w3.org/2000/svg}text"
HOSTILE = """</script><img src=x onerror=alert(1)> "Tom" & O'Neil"""
EVIDENCE = "Police arrested Jane Doe in Minsk."
runner = CliRunner()


@pytest.fixture(scope="module")
def facts() -> Facts:
    return load_facts(three_articles())


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    """The three articles in a store directory, for the command line."""
    return _on_disk(three_articles(), tmp_path_factory.mktemp("viz") / "store")


@pytest.fixture(scope="module")
def seed_dir(seed_store, tmp_path_factory) -> Path:
    """A copy of the seed store in a directory of its own, for the command line."""
    return _on_disk(seed_store, tmp_path_factory.mktemp("viz-seed") / "store")


def _on_disk(source: Store, path: Path) -> Path:
    store = Store(path)
    store.oxigraph.load(source.dump("nq"), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store  # closed: the command opens it read-only
    return path


def vis_data(page: str, name: str) -> list[dict]:
    """The node or edge list pyvis wrote into the page (``nodes = new vis.DataSet([...])``)."""
    found = re.search(rf"{name} = new vis\.DataSet\((\[.*?\])\);\n", page)
    assert found, f"no {name} in the page"
    return json.loads(found.group(1))


def hrkg(*args: str | Path):
    return runner.invoke(app, ["viz", *map(str, args)])


def assert_one_line_error(result, fragment: str) -> None:
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("error: ") and "\n" not in message, message
    assert fragment in message
    assert "Traceback" not in result.output


# --- HTML -----------------------------------------------------------------------------------


def test_html_shows_every_label_the_legend_and_evidence(facts, tmp_path):
    graph = actor_network(facts)
    page = to_html(graph, tmp_path / "actors.html").read_text(encoding="utf-8")
    nodes = vis_data(page, "nodes")
    assert {n["id"] for n in nodes} == set(graph)
    for node, attrs in graph.nodes(data=True):
        assert htmlsafe_json_dumps(attrs["label"])[1:-1] in page
        assert display_label(attrs, node) in {n["label"] for n in nodes}
    legend = re.search(r'<div id="hrkg-legend">.*?</div></div>', page, re.S)
    assert legend and all(t in legend.group(0) for t in ("Person", "Organisation", "Country"))
    assert any(EVIDENCE in n["title"] for n in nodes)
    assert any(EVIDENCE in e["title"] for e in vis_data(page, "edges"))
    colours = {(graph.nodes[n["id"]]["type"], n["color"]) for n in nodes}
    assert len(colours) == len({kind for kind, _ in colours}) == len({c for _, c in colours})


def test_html_loads_nothing_from_the_network(facts, tmp_path):
    page = to_html(full_graph(facts), tmp_path / "full.html").read_text(encoding="utf-8")
    assert not REMOTE.search(page)
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*https?:""", page, re.IGNORECASE)
    assert "vis.Network" in page  # the library itself is inlined


def test_html_escapes_labels_and_title(tmp_path):
    graph = nx.Graph(view="test")
    graph.add_node("x", kind="entity", type="Person", label=HOSTILE)
    graph.add_node("y", kind="entity", type="Country", label="A & B <c>")
    graph.add_edge("x", "y", weight=1, evidence=HOSTILE)
    page = to_html(graph, tmp_path / "hostile.html", title=HOSTILE).read_text(encoding="utf-8")
    assert "<img src=x" not in page and "</script><img" not in page
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in page  # the heading
    assert htmlsafe_json_dumps(HOSTILE)[1:-1] in page  # the tooltip


def test_top_keeps_the_most_central_nodes(facts, tmp_path):
    graph = full_graph(facts)
    best = [node for node, _ in ranking(graph)[:3]]
    assert set(top_nodes(graph, 3)) == set(best)
    page = to_html(graph, tmp_path / "top.html", top=3).read_text(encoding="utf-8")
    assert {n["id"] for n in vis_data(page, "nodes")} == set(best)
    assert top_nodes(graph, 0).number_of_nodes() == graph.number_of_nodes()


def test_an_empty_graph_is_an_error(tmp_path):
    with pytest.raises(HrkgError, match="nothing to draw"):
        to_html(nx.Graph(), tmp_path / "empty.html")


# --- in a browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


PAINTED = """() => {
  const canvas = document.querySelector('#mynetwork canvas');
  if (!canvas || !canvas.width) return 0;
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
  return painted;
}"""


def open_page(browser, path: Path) -> tuple[object, list[str]]:
    """The page at ``path`` in a fresh 1280x800 context, and the problems it reports."""
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    problems: list[str] = []

    def on_request(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            problems.append(f"request to {route.request.url}")
            route.abort()

    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("dialog", lambda dialog: (problems.append("dialog"), dialog.dismiss()))
    page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
    page.route("**/*", on_request)
    page.goto(path.as_uri())
    return page, problems


@pytest.mark.slow
def test_the_page_draws_the_network_offline(browser, facts, tmp_path):
    graph = full_graph(facts)
    path = to_html(graph, tmp_path / "full.html", top=8)
    page, problems = open_page(browser, path)
    page.wait_for_function("() => window.network && network.body.data.nodes.length > 0")
    assert page.evaluate("network.body.data.nodes.length") == 8
    assert page.evaluate("network.body.data.edges.length") == top_nodes(graph, 8).number_of_edges()
    page.wait_for_function(f"() => ({PAINTED})() > 500", timeout=15_000)
    page.screenshot(path=str(tmp_path / "full.png"))
    assert page.locator("#hrkg-legend").is_visible()
    page.context.close()
    assert not problems, problems


@pytest.mark.slow
def test_hostile_labels_stay_text_in_the_browser(browser, tmp_path):
    graph = nx.Graph(view="test")
    graph.add_node("x", kind="entity", type="Person", label=HOSTILE)
    graph.add_node("y", kind="entity", type="Place", label="Y")
    graph.add_edge("x", "y")
    page, problems = open_page(browser, to_html(graph, tmp_path / "h.html", title=HOSTILE))
    page.wait_for_function("() => window.network && network.body.data.nodes.length == 2")
    labels = page.evaluate("network.body.data.nodes.get().map(n => n.label)")
    assert display_label({"label": HOSTILE}) in labels
    assert page.title() == HOSTILE
    assert page.locator("img").count() == 0
    page.context.close()
    assert not problems, problems


# --- PNG and SVG ----------------------------------------------------------------------------


def test_png_has_the_asked_size(facts, tmp_path):
    path = to_image(actor_network(facts), tmp_path / "actors.png", size=(6, 4), dpi=150)
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.size == (900, 600)


def test_svg_labels_exactly_the_most_central_nodes(facts, tmp_path):
    graph = full_graph(facts)
    path = to_image(graph, tmp_path / "full.svg", labels=3)
    texts = {"".join(e.itertext()).strip() for e in ET.parse(path).iter(SVG_TEXT)}
    ranked = [node for node, _ in ranking(graph)]
    chosen = {display_label(graph.nodes[n], n, limit=28) for n in ranked[:3]}
    others = {display_label(graph.nodes[n], n, limit=28) for n in ranked[3:]} - chosen
    assert chosen <= texts
    assert not others & texts
    assert "full view" in texts


def test_figure_suffix_must_be_png_or_svg(facts, tmp_path):
    with pytest.raises(HrkgError, match=r"\.png or \.svg"):
        to_image(actor_network(facts), tmp_path / "actors.pdf")


# --- query results --------------------------------------------------------------------------


def test_a_timeline_links_the_person_to_the_events(seed_store):
    result = run_query(seed_store, "person-timeline", {"person": "Ales Byalyatski"})
    graph = graph_of_result(result, load_facts(seed_store))
    column = result.variables.index("personIri")
    person = str(result.rows[0][column])
    events = set(graph[person])
    assert events and all(graph.nodes[e]["kind"] == "event" for e in events)
    assert {str(row[result.variables.index("event")]) for row in result.rows} == events
    assert all("role=" in graph.edges[person, e]["values"] for e in events)


def test_a_result_without_graph_iris_is_an_error(facts):
    result = run_query(three_articles(), "SELECT ?name WHERE { ?p rdfs:label ?name }")
    with pytest.raises(HrkgError, match="no entity or event IRIs"):
        graph_of_result(result, facts)


# --- command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["graph.html", "graph.png", "graph.svg"])
def test_viz_writes_each_format(store_dir, tmp_path, name):
    out = tmp_path / name
    result = hrkg("-o", out, "--store", store_dir, "--view", "full")
    assert result.exit_code == 0, result.output
    assert out.stat().st_size > 1000
    assert result.stderr.strip() == f"wrote {out} (11 nodes)"


def test_viz_top_limits_the_nodes(store_dir, tmp_path):
    out = tmp_path / "top.html"
    result = hrkg("-o", out, "--store", store_dir, "--top", "2")
    assert result.exit_code == 0, result.output
    assert len(vis_data(out.read_text(encoding="utf-8"), "nodes")) == 2
    assert "the 2 most central of" in result.stderr


def test_viz_draws_a_named_query(seed_dir, tmp_path):
    out = tmp_path / "timeline.svg"
    args = ["--query", "person-timeline", "--param", "person=Ales Byalyatski"]
    result = hrkg("-o", out, "--store", seed_dir, *args)
    assert result.exit_code == 0, result.output
    assert "Ales Byalyatski" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "args", "fragment"),
    [
        ("graph.pdf", [], "write the picture as .html, .png or .svg"),
        ("graph.png", ["--country", "Belarus"], "unknown country code 'Belarus'"),
        ("graph.png", ["--from", "May"], "not a date"),
        ("graph.png", ["--view", "nope"], "unknown view 'nope'"),
        ("graph.png", ["--type", "protest", "--country", "FR"], "nothing to draw"),
        ("graph.png", ["--top", "-1"], "--top -1"),
        ("graph.html", ["--query", "person-timeline", "-c", "BY"], "do not apply"),
        ("graph.html", ["--param", "person=X"], "--param goes with --query"),
        ("graph.svg", ["--query", "SELECT ?n WHERE { ?p rdfs:label ?n }"], "no entity"),
    ],
)
def test_viz_errors_are_one_line(store_dir, tmp_path, name, args, fragment):
    out = tmp_path / name
    assert_one_line_error(hrkg("-o", out, *args, "--store", store_dir), fragment)
    assert not out.exists()
