"""``hrkg serve`` under load while ``hrkg build --endpoint`` writes through it.

Fifty clients (threads, each with its own connection) run the named queries and
two consistency queries against a real ``hrkg serve`` on 127.0.0.1 for
``HRKG_LOAD_SECONDS`` (default 60) seconds, while a real ``hrkg build --endpoint
... --token ...`` subprocess writes some 150 generated articles through the
server.  No request may fail, no answer may be cut, the number of articles a
client sees never goes down, and no article is ever half visible: every graph
a client counts holds all of that article's quads.  Afterwards the endpoint
answers every named query with the rows of an embedded store built from the
same input without the server.  ``HRKG_LOAD_CLIENTS`` sets the number of clients.

Also here: building through the server splits batches to its ``--max-body``,
and the errors of a build beside a running server are one line each.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.ingest import build
from kg.query import load_queries, prepare, run_query
from kg.registry import REGISTRY
from kg.remote import remote_query
from kg.remote_store import EndpointStore
from kg.serve.backend import free_port
from kg.serve.background import serve_in_background
from kg.store import Store

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
HRKG = Path(sys.executable).parent / "hrkg"
SECONDS = float(os.environ.get("HRKG_LOAD_SECONDS", "60"))
CLIENTS = int(os.environ.get("HRKG_LOAD_CLIENTS", "50"))
ARTICLES = 150
TOKEN = "load-test-token"
BUILD_LIMIT_S = 600  # the build must end within this, load or not
ARTICLE_COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a hr:Article }"
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

# Invented people, places and groups: the sentences below are written for this test.
PEOPLE = [
    "Anna Petrova",
    "Tomasz Wierzbicki",
    "Elena Sokolova",
    "Yusuf Demirel",
    "Lina Haddad",
    "Marek Zielinski",
    "Olga Marchenko",
    "Dmitri Antonov",
    "Sara Karimi",
    "Ivan Lutsenko",
]
GROUPS = [
    "the Free Voices Association",
    "the Committee for Detained Journalists",
    "the Eastern Rights Centre",
    "the Legal Aid Network",
]
PLACES = [
    ("Minsk", "Belarus"),
    ("Warsaw", "Poland"),
    ("Kyiv", "Ukraine"),
    ("Tbilisi", "Georgia"),
    ("Vilnius", "Lithuania"),
]
ROLES = ["journalist", "lawyer", "human rights defender", "student", "trade unionist"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September"]


def sentences(rng: random.Random) -> tuple[str, list[str]]:
    """A title and three to five sentences about one invented case."""
    person, other = rng.sample(PEOPLE, 2)
    group, second = rng.sample(GROUPS, 2)
    city, country = rng.choice(PLACES)
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.choice([2022, 2023, 2024])
    years = rng.randint(2, 9)
    role = rng.choice(ROLES)
    lines = [
        f"{person}, a {role} from {country}, was arrested in {city} on {day} {month} {year}.",
        f"{group.capitalize()} said the detention of {person} was unlawful and called for "
        f"the release of {person}.",
        f"A court in {city} sentenced {person} to {years} years in prison.",
        f"{second.capitalize()} organised a petition signed by {rng.randint(200, 9000)} people "
        f"in support of {person}.",
        f"{other} told reporters that {rng.randint(3, 60)} activists remain in custody in "
        f"{country}.",
    ]
    chosen = lines[:2] + rng.sample(lines[2:], rng.randint(1, 3))
    return f"{person} arrested in {city}", chosen


def write_articles(path: Path, count: int) -> Path:
    """The seed article and ``count`` generated ones, as JSONL."""
    rng = random.Random(20240503)
    lines = [(ROOT / "examples" / "seed.jsonl").read_text(encoding="utf-8").strip()]
    for number in range(count):
        title, body = sentences(rng)
        record = {
            "id": f"load-{number:03d}",
            "title": title,
            "date": f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "publisher": "hrkg load test",
            "text": title + "\n\n" + " ".join(body),
        }
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def sorted_rows(rows: list[tuple]) -> list[tuple[str, ...]]:
    """Rows of rdflib terms in a stable order, as N3 text."""
    return sorted(tuple("" if t is None else t.n3() for t in row) for row in rows)


def graph_sizes(data: dict, registry: bool = False) -> dict[str, int]:
    """``GRAPH_SIZES`` answers as {graph IRI: quads}, the registry left out unless asked for."""
    sizes = {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"] if "g" in b}
    if not registry:
        sizes.pop(str(REGISTRY), None)
    return sizes


@dataclass
class Client:
    """What one client saw: latencies, failures, article counts and graph sizes."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    sizes: list[dict[str, int]] = field(default_factory=list)


def run_client(
    base: str, index: int, queries: list[tuple[str, str]], stop: threading.Event, seen: Client
) -> None:
    """Query until ``stop``, in turn, starting at a different query for each client."""
    turn = index
    with httpx.Client(base_url=base, trust_env=False, timeout=120) as http:
        while not stop.is_set():
            name, text = queries[turn % len(queries)]
            turn += 1
            started = time.perf_counter()
            try:
                response = http.post("/sparql", data={"query": text})
                seen.latencies.append(time.perf_counter() - started)
                data = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                seen.errors.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            if response.status_code != 200 or "x-hrkg-truncated" in response.headers:
                seen.errors.append(f"{name}: HTTP {response.status_code} {response.text[:200]}")
            elif name == "article-count":
                seen.counts.append(int(data["results"]["bindings"][0]["n"]["value"]))
            elif name == "graph-sizes":
                seen.sizes.append(graph_sizes(data))


def start_server(store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``hrkg serve --allow-update`` on ``store``, answering."""
    command = [str(HRKG), "serve", "--store", str(store), "--port", str(port), "--allow-update"]
    env = {**os.environ, "HRKG_UPDATE_TOKEN": TOKEN}
    with log.open("wb") as output:
        server = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 60
    while True:
        try:
            url = f"http://127.0.0.1:{port}/sparql"
            httpx.get(url, params={"query": "ASK {}"}, trust_env=False)
            return server
        except httpx.TransportError:
            assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "hrkg serve did not answer within 60 s"
            time.sleep(0.2)


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


@pytest.fixture(scope="module")
def reference(nlp, tmp_path_factory):
    """The input file, and the embedded store built from it without a server."""
    folder = tmp_path_factory.mktemp("load")
    articles = write_articles(folder / "articles.jsonl", ARTICLES)
    store = Store(folder / "reference")
    report = build([articles], store, nlp)
    assert report.articles == ARTICLES + 1 and not report.failures
    return articles, store


@dataclass
class Run:
    """A load run: what each client saw, the build's output, and times."""

    clients: list[Client]
    build_output: str
    build_code: int
    elapsed: float
    built_after: float
    final: dict[str, list[tuple]]
    final_sizes: dict[str, int]
    rebuild_output: str

    def summary(self) -> str:
        """Requests, errors and latency percentiles, in one line."""
        latencies = [t for seen in self.clients for t in seen.latencies]
        errors = sum(len(seen.errors) for seen in self.clients)
        ms = {share: percentile(latencies, share) * 1000 for share in (0.5, 0.95, 0.99, 1.0)}
        return (
            f"{len(latencies)} requests from {len(self.clients)} clients in {self.elapsed:.0f} s "
            f"({len(latencies) / self.elapsed:.0f}/s), {errors} errors; build done after "
            f"{self.built_after:.0f} s; latency p50 {ms[0.5]:.0f} ms, p95 {ms[0.95]:.0f} ms, "
            f"p99 {ms[0.99]:.0f} ms, max {ms[1.0]:.0f} ms"
        )


def build_through(base: str, articles: Path) -> subprocess.CompletedProcess[str]:
    """``hrkg build ARTICLES --endpoint BASE --token TOKEN``."""
    command = [str(HRKG), "build", str(articles), "--endpoint", base, "--token", TOKEN]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=BUILD_LIMIT_S, check=False
    )


def load(base: str, articles: Path) -> Run:
    """Query with ``CLIENTS`` clients for ``SECONDS`` s while the articles are built through."""
    queries = [(name, prepare(name, {})) for name in load_queries()]
    queries += [("article-count", ARTICLE_COUNT), ("graph-sizes", GRAPH_SIZES)]
    stop = threading.Event()
    clients = [Client() for _ in range(CLIENTS)]
    threads = [
        threading.Thread(target=run_client, args=(base, i, queries, stop, seen), daemon=True)
        for i, seen in enumerate(clients)
    ]
    started = time.monotonic()
    try:
        for thread in threads:
            thread.start()
        time.sleep(min(2.0, SECONDS / 4))
        built = build_through(base, articles)
        built_after = time.monotonic() - started
        time.sleep(max(0.0, SECONDS - built_after))
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=150)
    elapsed = time.monotonic() - started
    assert all(not thread.is_alive() for thread in threads)
    final = {name: remote_query(f"{base}/sparql", name).rows for name in load_queries()}
    answer = httpx.post(f"{base}/sparql", data={"query": GRAPH_SIZES}, trust_env=False)
    sizes = graph_sizes(answer.json(), registry=True)
    again = build_through(base, articles)  # every article unchanged: all skipped
    output = built.stdout + built.stderr
    return Run(clients, output, built.returncode, elapsed, built_after, final, sizes, again.stderr)


@contextmanager
def served_empty_store(tmp_path: Path) -> Iterator[str]:
    """``hrkg serve --allow-update`` (a subprocess) on a new empty store; yield its base URL."""
    served = tmp_path / "served"
    Store(served).flush()  # an empty store, closed at once: the server must own it
    port = free_port()
    server = start_server(served, port, tmp_path / "serve.log")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def test_queries_under_load_while_building_through_the_server(reference, tmp_path):
    articles, expected_store = reference
    answer = expected_store.oxigraph.query(GRAPH_SIZES)
    everything = graph_sizes(json.loads(answer.serialize(format=ox.QueryResultsFormat.JSON)), True)
    expected = {g: n for g, n in everything.items() if g != str(REGISTRY)}
    with served_empty_store(tmp_path) as base:
        run = load(base, articles)
    print("\n" + run.summary())  # the figures of the run, shown with pytest -s
    assert run.build_code == 0, run.build_output
    assert f"built {ARTICLES + 1} articles (0 unchanged, 0 failed)" in run.build_output
    assert f"built 0 articles ({ARTICLES + 1} unchanged, 0 failed)" in run.rebuild_output
    errors = [error for seen in run.clients for error in seen.errors]
    assert not errors, errors[:5]

    counts = [seen.counts for seen in run.clients]
    assert all(c == sorted(c) for c in counts), "a client saw the number of articles go down"
    observed = {n for c in counts for n in c}
    assert len(observed) > 2 and max(observed) == ARTICLES + 1, sorted(observed)
    for seen in run.clients:
        for sizes in seen.sizes:
            half = {g: (n, expected.get(g)) for g, n in sizes.items() if expected.get(g) != n}
            assert not half, f"graphs seen with (quads, instead of): {half}"

    assert run.final_sizes == everything  # every article graph, and the registry, in full
    for name, rows in run.final.items():
        assert len(rows) < 10_000  # the row limit of the server: no answer was cut
        assert sorted_rows(rows) == sorted_rows(run_query(expected_store, name, {}).rows), name
    assert sum(map(bool, run.final.values())) > len(run.final) / 2


def test_batches_are_split_to_the_body_limit_of_the_server(nlp, tmp_path):
    articles = write_articles(tmp_path / "few.jsonl", 12)
    Store(tmp_path / "served").flush()
    with (
        serve_in_background(
            tmp_path / "served", allow_update=True, token=TOKEN, max_body=60_000
        ) as base,
        EndpointStore(base, TOKEN) as remote,
    ):
        report = build([articles], remote, nlp)
        assert remote.limit is not None  # a 413 was answered: the batch was split
        again = build([articles], remote, nlp)
        count = remote_query(f"{base}/sparql", ARTICLE_COUNT).rows[0][0]
    # The seed article alone is more than 60 kB of update: reported, not stored.
    assert report.articles == 12 and len(report.failures) == 1
    assert "seed" in report.failures[0] and "--max-body" in report.failures[0]
    assert again.skipped == 12 and again.articles == 0
    assert int(count) == 12


def test_build_errors_beside_a_server_are_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("HRKG_UPDATE_TOKEN", raising=False)
    articles = write_articles(tmp_path / "one.jsonl", 1)
    location = tmp_path / "served"
    Store(location).flush()
    runner = CliRunner()
    with serve_in_background(location, allow_update=True, token=TOKEN) as base:
        cases = {
            ("--store", str(location)): "--endpoint http://127.0.0.1:7878 --token",
            ("--endpoint", base): "--endpoint needs the server's token",
            ("--endpoint", base, "--token", "wrong"): "HTTP 403",
            ("--endpoint", "http://127.0.0.1:9", "--token", TOKEN): "cannot connect",
        }
        for options, message in cases.items():
            result = runner.invoke(app, ["build", str(articles), *options])
            assert result.exit_code == 1, result.output
            lines = result.output.strip().splitlines()
            assert len(lines) == 1 and message in lines[0], result.output
