"""The web page of ``hrkg serve`` in a real headless browser (Debian's chromium, via Playwright).

An analyst picks a named query, fills a parameter, runs it, sorts the table,
downloads CSV and looks at the graph; hostile values stay text.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(
        "/usr/bin/chromium is missing: `make test` installs Debian's chromium package",
        allow_module_level=True,
    )

from playwright.sync_api import Browser, Page, expect, sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow

ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HOSTILE = "<img src=x onerror=alert(1)>"
SCREENSHOT = Path("/tmp/hrkg-page.png")
GRAPH_SCREENSHOT = Path("/tmp/hrkg-page-graph.png")
GRAPH_DRAWN = "() => window.hrkgGraph && window.hrkgGraph.nodes().length > 0"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Browser, hrkg_endpoint: str) -> Iterator[Page]:
    """A fresh page at 1280x800 that fails the test on a dialog, a script error or a
    request leaving the server."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    problems: list[str] = []

    def on_dialog(dialog) -> None:
        problems.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def on_request(route) -> None:
        if route.request.url.startswith(hrkg_endpoint):
            route.continue_()
        else:
            problems.append(f"external request {route.request.url}")
            route.abort()

    page.on("dialog", on_dialog)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.route("**/*", on_request)
    page.goto(hrkg_endpoint + "/")
    expect(page.locator("#query-picker option[value='person-timeline']")).to_have_count(1)
    yield page
    context.close()
    assert not problems, problems


def run(page: Page) -> None:
    """Press Run and wait until the answer (rows or an error) is on the page."""
    page.get_by_role("button", name="Run", exact=True).click()
    expect(page.locator("#run")).to_be_enabled()
    expect(page.locator("#status")).not_to_contain_text("Running")


def pick(page: Page, name: str) -> None:
    page.get_by_label("Named query").select_option(name)
    expect(page.locator("#run-mode")).to_contain_text(name)


def column(page: Page, name: str) -> list[str]:
    """The texts of one column of the table, in the order shown."""
    headers = page.locator("#results-table thead th")
    index = [headers.nth(i).get_attribute("data-var") for i in range(headers.count())].index(name)
    return page.locator(f"#results-table tbody tr td:nth-child({index + 1})").all_inner_texts()


def table(page: Page) -> tuple[list[str], list[list[str]]]:
    """The variables and the full values of every cell, as CSV writes them."""
    return page.evaluate(
        """() => {
            const t = document.getElementById("results-table");
            const head = [...t.tHead.rows[0].cells].map((th) => th.dataset.var);
            const cells = (tr) => [...tr.cells].map((td) => td.dataset.value ?? "");
            const rows = [...t.tBodies[0].rows].map(cells);
            return [head, rows];
        }"""
    )


def test_named_query_table_sort_and_csv(page: Page, tmp_path: Path) -> None:
    pick(page, "most-mentioned-actors")
    query = page.locator("#query-picker option[value='most-mentioned-actors']")
    expect(query).to_have_text("Most mentioned actors (most-mentioned-actors)")
    expect(page.locator("#query-description")).to_contain_text("ranked by how many articles")
    served = page.evaluate(
        """async () => (await (await fetch("/queries")).json())
            .find((q) => q.name === "most-mentioned-actors").text"""
    )
    expect(page.locator("#editor")).to_have_value(served)
    kind = page.get_by_label("kind")
    expect(kind).to_have_value("")  # no default: every kind
    kind.fill("Person")
    run(page)

    expect(page.locator("#error")).to_be_hidden()
    expect(page.locator("#status")).to_contain_text("most-mentioned-actors (kind = Person)")
    expect(page.locator("#status")).to_contain_text(" ms")
    actors = column(page, "actor")
    assert "Ales Byalyatski" in actors
    assert set(column(page, "type")) == {"Person"}
    count = len(actors)
    expect(page.locator("#status")).to_contain_text(f"{count} rows")
    page.screenshot(path=str(SCREENSHOT))

    # numbers sort as numbers, and a second click reverses the order
    before = column(page, "mentions")
    page.locator("#results-table thead th[data-var=mentions] button").click()
    ascending = column(page, "mentions")
    assert [int(m) for m in ascending] == sorted(int(m) for m in before)
    assert ascending != before
    header = page.locator("#results-table thead th[data-var=mentions]")
    expect(header).to_have_attribute("aria-sort", "ascending")
    page.locator("#results-table thead th[data-var=mentions] button").click()
    expect(header).to_have_attribute("aria-sort", "descending")
    assert [int(m) for m in column(page, "mentions")] == sorted(map(int, before), reverse=True)
    assert column(page, "actor")[0] == "Ales Byalyatski"  # the most mentioned person

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    download = info.value
    assert download.suggested_filename == "most-mentioned-actors.csv"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    raw = saved.read_bytes()
    assert b"\r\n" in raw
    with saved.open(newline="", encoding="utf-8") as f:
        header_row, *rows = list(csv.reader(f))
    variables, cells = table(page)
    assert header_row == variables
    assert rows == cells  # the same rows, in the order shown
    assert len(rows) == count


def test_graph_view_draws_actors_and_events(page: Page) -> None:
    pick(page, "person-timeline")
    expect(page.get_by_label("person")).to_have_value("Ales Byalyatski")  # the default
    run(page)
    assert set(column(page, "name")) == {"Ales Byalyatski"}

    page.get_by_role("tab", name="Graph").click()
    expect(page.locator("#panel-graph")).to_be_visible()
    expect(page.locator("#panel-table")).to_be_hidden()
    page.wait_for_function(GRAPH_DRAWN)
    nodes = dict(
        page.evaluate(
            "() => window.hrkgGraph.nodes().map((n) => [n.data('label'), n.data('kind')])"
        )
    )
    edges = page.evaluate("() => window.hrkgGraph.edges().length")
    assert nodes["Ales Byalyatski"] == "Person"
    assert nodes["Amnesty International"] == "Organisation"
    assert "Event" in nodes.values()
    assert edges > 0
    expect(page.locator("#graph-status")).to_contain_text(f"{len(nodes)} nodes")
    expect(page.locator("#graph canvas").first).to_be_visible()

    # the node list is the keyboard way into the graph
    page.get_by_label("Find a node").select_option(label="Ales Byalyatski (Person)")
    expect(page.locator("#detail-kind")).to_have_text("Person")
    expect(page.locator("#detail-iri")).to_contain_text("https://w3id.org/hrkg/id/person/")
    page.screenshot(path=str(GRAPH_SCREENSHOT))


def test_hostile_values_are_shown_as_text(page: Page) -> None:
    pick(page, "person-timeline")
    page.get_by_label("person").fill(HOSTILE)
    run(page)
    expect(page.locator("#status")).to_contain_text("0 rows · ")
    expect(page.locator("#status")).to_contain_text(f"person = {HOSTILE}")

    pick(page, "co-participation")
    page.get_by_label("minimum").fill(HOSTILE)
    run(page)
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(HOSTILE)
    expect(error).to_contain_text("400")
    assert "\n" not in error.inner_text()

    # edited text runs through /sparql; a value in the data is text in the table and graph
    page.locator("#editor").fill(f'SELECT ?x WHERE {{ BIND("{HOSTILE}" AS ?x) }}')
    expect(page.locator("#run-mode")).to_contain_text("/sparql")
    expect(page.get_by_label("minimum")).to_be_disabled()  # parameters do not apply
    run(page)
    expect(page.locator("#error")).to_be_hidden()
    assert column(page, "x") == [HOSTILE]
    assert page.locator("img").count() == 0
    page.get_by_role("tab", name="Graph").click()
    page.wait_for_function(GRAPH_DRAWN)
    assert page.evaluate("() => window.hrkgGraph.nodes().map((n) => n.data('label'))") == [HOSTILE]
    assert page.locator("img").count() == 0

    with page.expect_download() as info:
        page.get_by_role("button", name="Download CSV").click()
    assert info.value.suggested_filename == "sparql-query.csv"


def test_errors_are_one_line_and_the_named_text_comes_back(page: Page) -> None:
    pick(page, "events-by-country")
    named_text = page.locator("#editor").input_value()
    page.locator("#editor").fill("SELECT ?x WHERE { ?x a hr:Person ")
    page.locator("#editor").press("Control+Enter")
    error = page.locator("#error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("400")
    assert "\n" not in error.inner_text()
    expect(page.locator("#download-csv")).to_be_disabled()

    page.get_by_role("button", name="Restore the named query's text").click()
    expect(page.locator("#editor")).to_have_value(named_text)
    country = page.get_by_label("country")
    expect(country).to_be_enabled()
    country.fill("by")
    run(page)
    expect(error).to_be_hidden()
    assert set(column(page, "code")) <= {"BY"}


def test_keyboard_and_labels(page: Page) -> None:
    unlabelled = page.evaluate(
        """() => [...document.querySelectorAll("input, select, textarea")]
                .filter((e) => !e.labels || e.labels.length === 0).map((e) => e.id)"""
    )
    assert unlabelled == []
    table_tab = page.get_by_role("tab", name="Table")
    table_tab.focus()
    page.keyboard.press("ArrowRight")
    graph_tab = page.get_by_role("tab", name="Graph")
    expect(graph_tab).to_be_focused()
    expect(graph_tab).to_have_attribute("aria-selected", "true")
    page.keyboard.press("ArrowLeft")
    expect(table_tab).to_have_attribute("aria-selected", "true")

    pick(page, "most-mentioned-actors")
    page.locator("#editor").focus()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#status")).to_contain_text("rows")
    sort_button = page.locator("#results-table thead th button").first
    sort_button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#results-table thead th").first).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.locator("#results-table thead th button").first).to_be_focused()
