"""``hrkg serve`` under attack: expensive queries, floods of them, oversized and forbidden requests.

The served store is the test data plus a chain of 3000 nodes, so that an
unbounded property path has some 4.5 million pairs to walk.  The time limit is
2 s, the server's memory limit 1 GB.  Oxigraph cancels some expensive shapes
itself; others (a cartesian product of VALUES blocks, any update) it lets
run: the app gives up on them at the deadline and restarts the server if it
keeps a core busy.  A sort of a cartesian product fills a gigabyte a second:
the app restarts the server when it passes its memory limit.  Either way the
client gets a one-line 503 in time, the server keeps answering other queries
meanwhile, and no process is left burning CPU.
"""

from __future__ import annotations

import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from kg.serve.app import GRACE_S
from kg.serve.background import serve_in_background
from kg.serve.supervisor import cpu_seconds, resident_bytes

pytestmark = pytest.mark.slow

TIMEOUT_S = 2
MAX_MEMORY = 1_000_000_000
IN_TIME_S = TIMEOUT_S + GRACE_S + 3  # a 503 must come within this
TOKEN = "attack-test-token"
NORMAL = "ASK { ?p a hr:Person }"
CARTESIAN = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i"
PATH = "?a (<urn:p>|!<urn:q>)* ?b"
NUMBERS = " ".join(map(str, range(1000)))
VALUES = f"VALUES ?x {{ {NUMBERS} }} VALUES ?y {{ {NUMBERS} }} VALUES ?z {{ {NUMBERS} }}"
# Measured on this store: Oxigraph cancels the property paths at its timeout (in the middle of
# a 200 answer, which the app turns into a 503); it lets the VALUES product, the sort and
# often the GROUP_CONCAT run on: the app stops them (time limit, memory limit).
EXPENSIVE = {
    "unbounded property path": f"SELECT * WHERE {{ {PATH} }}",
    "joined property paths": (
        "SELECT (COUNT(*) AS ?n) WHERE { ?a (<urn:p>|!<urn:q>)* ?b . "
        "?c (<urn:p>|!<urn:q>)* ?d . ?e (<urn:p>|!<urn:q>)* ?f }"
    ),
    "huge GROUP_CONCAT": f"SELECT (GROUP_CONCAT(?c) AS ?all) WHERE {{ {CARTESIAN} }}",
    "cartesian product of VALUES": f"SELECT (COUNT(*) AS ?n) WHERE {{ {VALUES} }}",
    "sorted cartesian product": f"SELECT * WHERE {{ {CARTESIAN} }} ORDER BY ?a ?i LIMIT 5",
}
RUNAWAY = "cartesian product of VALUES"  # no timeout checks there: a core busy, no memory
HOARDER = "sorted cartesian product"  # a sort holds every row: about a gigabyte a second


def oxigraph_over(location: Path) -> list[int]:
    """Ids of the ``oxigraph serve`` processes over ``location``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command[0].endswith(b"oxigraph") and str(location).encode() in command:
            found.append(int(entry.name))
    return found


def busy_cores(location: Path, window: float = 1.0) -> float:
    """Cores the Oxigraph server over ``location`` keeps busy, measured over ``window`` s."""
    pids = oxigraph_over(location)
    before = [cpu_seconds(pid) or 0.0 for pid in pids]
    time.sleep(window)
    after = [cpu_seconds(pid) or 0.0 for pid in pids]
    return sum(b - a for a, b in zip(before, after, strict=True)) / window


def assert_goes_idle(location: Path, within: float = 12.0) -> None:
    """Within ``within`` seconds, the server over ``location`` stops burning CPU."""
    deadline = time.monotonic() + within
    while (busy := busy_cores(location)) > 0.2:
        assert time.monotonic() < deadline, f"the SPARQL server still keeps {busy:.2f} cores busy"


@contextmanager
def normal_queries(base: str) -> Iterator[list[int]]:
    """Run ``NORMAL`` over and over in a thread while the block runs; yield the statuses."""
    statuses: list[int] = []
    stop = threading.Event()

    def loop() -> None:
        with httpx.Client(trust_env=False, timeout=30) as http:
            while not stop.is_set():
                response = http.get(f"{base}/sparql", params={"query": NORMAL})
                ok = response.status_code == 200 and response.json()["boolean"] is True
                statuses.append(200 if ok else response.status_code)
                time.sleep(0.1)

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield statuses
    finally:
        stop.set()
        thread.join(timeout=40)


TIME_LIMIT = f"ran past the time limit of {TIMEOUT_S} s"
MEMORY_LIMIT = f"went past its memory limit of {MAX_MEMORY / 1e6:.0f} MB"


def one_line_503(response: httpx.Response, what: str = "query", *reasons: str) -> None:
    """A 503 whose one-line error gives one of ``reasons`` (by default: a limit)."""
    assert response.status_code == 503, response.text[:300]
    message = response.json()["error"]
    assert message.startswith(f"the {what} "), message
    assert any(reason in message for reason in reasons or (TIME_LIMIT, MEMORY_LIMIT)), message
    assert "\n" not in message


@contextmanager
def peak_memory(location: Path) -> Iterator[list[int]]:
    """The most memory the server over ``location`` held while the block ran (in a list)."""
    peak = [0]
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            for pid in oxigraph_over(location):
                peak[0] = max(peak[0], resident_bytes(pid) or 0)
            time.sleep(0.02)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def attack_store(hrkg_store_dir) -> Path:
    """The served test data and a chain of 3000 nodes, in a closed store."""
    location = hrkg_store_dir()
    store = ox.Store(str(location))
    chain = ox.NamedNode("urn:test:chain")
    step = ox.NamedNode("urn:test:next")
    store.extend(
        ox.Quad(ox.NamedNode(f"urn:test:n{i}"), step, ox.NamedNode(f"urn:test:n{i + 1}"), chain)
        for i in range(3000)
    )
    store.flush()
    del store
    return location


@pytest.fixture(scope="module")
def attacked(attack_store):
    """``hrkg serve --timeout 2 --max-memory 1000 --max-body 20000 --allow-update ...`` on it."""
    with serve_in_background(
        attack_store,
        timeout_s=TIMEOUT_S,
        max_memory=MAX_MEMORY,
        max_body=20_000,
        allow_update=True,
        token=TOKEN,
    ) as base:
        yield base


@pytest.fixture()
def http():
    with httpx.Client(trust_env=False, timeout=60) as client:
        yield client


@pytest.mark.parametrize("shape", list(EXPENSIVE))
def test_expensive_query_is_a_one_line_503_in_time(attacked, attack_store, http, shape):
    with normal_queries(attacked) as statuses:
        started = time.monotonic()
        response = http.post(f"{attacked}/sparql", data={"query": EXPENSIVE[shape]})
        elapsed = time.monotonic() - started
        time.sleep(0.5)
    one_line_503(response)
    assert elapsed < IN_TIME_S, f"{shape}: 503 after {elapsed:.1f} s"
    assert statuses and set(statuses) == {200}, statuses
    assert http.get(f"{attacked}/sparql", params={"query": NORMAL}).json()["boolean"] is True
    assert_goes_idle(attack_store)


def test_a_runaway_query_gets_the_server_restarted(attacked, attack_store, http):
    before = oxigraph_over(attack_store)
    with normal_queries(attacked) as statuses:
        response = http.post(f"{attacked}/sparql", data={"query": EXPENSIVE[RUNAWAY]})
        one_line_503(response, "query", TIME_LIMIT)
        assert_goes_idle(attack_store)
    after = oxigraph_over(attack_store)
    assert len(before) == len(after) == 1 and before != after
    assert statuses and set(statuses) == {200}, statuses  # queries cut off were sent again


def test_a_query_past_the_memory_limit_gets_the_server_restarted(attacked, attack_store, http):
    before = oxigraph_over(attack_store)
    with normal_queries(attacked) as statuses, peak_memory(attack_store) as peak:
        started = time.monotonic()
        response = http.post(f"{attacked}/sparql", data={"query": EXPENSIVE[HOARDER]})
        one_line_503(response, "query", MEMORY_LIMIT)
        assert time.monotonic() - started < IN_TIME_S
        assert_goes_idle(attack_store)
    assert peak[0] < MAX_MEMORY + 500_000_000  # it grows about 100 MB per check of the watch
    assert oxigraph_over(attack_store) != before
    assert statuses and set(statuses) == {200}, statuses


def test_a_dead_server_is_restarted(attacked, attack_store):
    with normal_queries(attacked) as statuses:
        time.sleep(0.3)
        (pid,) = oxigraph_over(attack_store)
        os.kill(pid, signal.SIGKILL)
        time.sleep(2)
    assert len(oxigraph_over(attack_store)) == 1
    assert statuses and set(statuses) == {200}, statuses


def test_a_flood_of_expensive_queries(attacked, attack_store):
    shapes = [RUNAWAY, HOARDER, "joined property paths", "huge GROUP_CONCAT", RUNAWAY]
    answers: list[tuple[httpx.Response, float]] = []

    def attack(query: str) -> None:
        started = time.monotonic()
        with httpx.Client(trust_env=False, timeout=60) as client:
            response = client.post(f"{attacked}/sparql", data={"query": query})
        answers.append((response, time.monotonic() - started))

    with normal_queries(attacked) as statuses:
        threads = [threading.Thread(target=attack, args=(EXPENSIVE[s],)) for s in shapes]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert_goes_idle(attack_store)
    assert len(answers) == len(shapes)
    for response, elapsed in answers:
        one_line_503(response)
        assert elapsed < IN_TIME_S
    assert statuses and set(statuses) == {200}, statuses


@pytest.mark.parametrize(
    "query",
    [
        f"SELECT * WHERE {{ {CARTESIAN} }}",
        f"SELECT DISTINCT ?a ?i WHERE {{ {CARTESIAN} }}",
        f"CONSTRUCT {{ ?a ?b ?i }} WHERE {{ {CARTESIAN} }}",
    ],
)
def test_huge_answers_stop_at_the_row_limit_at_once(attacked, attack_store, http, query):
    started = time.monotonic()
    response = http.post(f"{attacked}/sparql", data={"query": query})
    assert response.status_code == 200
    assert response.headers["x-hrkg-truncated"] == "true"
    assert time.monotonic() - started < TIMEOUT_S
    if query.startswith("SELECT"):
        assert len(response.json()["results"]["bindings"]) == 10_000
    assert_goes_idle(attack_store, within=3)  # closing the connection stopped Oxigraph


def test_answer_size_limit(hrkg_store_dir, http):
    query = "SELECT ?a ?b ?c WHERE { ?a ?b ?c . ?d ?e ?f } LIMIT 5000"
    with serve_in_background(hrkg_store_dir(), timeout_s=TIMEOUT_S, max_answer=200_000) as base:
        response = http.post(f"{base}/sparql", data={"query": query})
        assert response.status_code == 503
        assert "grew past 0.2 MB" in response.json()["error"]
        small = http.post(f"{base}/sparql", data={"query": query.replace("5000", "5")})
        assert len(small.json()["results"]["bindings"]) == 5


def test_a_runaway_update_is_stopped_and_not_applied(attacked, attack_store, http):
    update = (
        "INSERT { GRAPH <urn:test:flood> { <urn:test:s> <urn:test:p> ?n } } WHERE { "
        f"{{ SELECT (COUNT(*) AS ?n) WHERE {{ {VALUES} }} }} }}"
    )
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with normal_queries(attacked) as statuses:
        started = time.monotonic()
        response = http.post(f"{attacked}/update", data={"update": update}, headers=auth)
        one_line_503(response, "update", TIME_LIMIT)
        assert time.monotonic() - started < IN_TIME_S
        assert_goes_idle(attack_store)
    written = "ASK { GRAPH <urn:test:flood> { ?s ?p ?o } }"
    assert http.get(f"{attacked}/sparql", params={"query": written}).json()["boolean"] is False
    assert statuses and set(statuses) == {200}, statuses


def test_oversized_requests_are_refused(attacked, http):
    big = "INSERT DATA { <urn:s> <urn:p> <urn:o> }" + " " * 30_000
    auth = {"Authorization": f"Bearer {TOKEN}"}
    headers = {"Content-Type": "application/sparql-update"}
    refused = http.post(f"{attacked}/update", content=big, headers=headers)
    assert refused.status_code == 403  # no token: refused before the body is read
    response = http.post(f"{attacked}/update", content=big, headers={**headers, **auth})
    assert response.status_code == 413 and "20000 bytes" in response.json()["error"]
    long_get = http.get(f"{attacked}/sparql", params={"query": "#" + "x" * 30_000 + "\n" + NORMAL})
    assert long_get.status_code == 414 and "by POST" in long_get.json()["error"]
    assert http.get(f"{attacked}/sparql", params={"query": NORMAL}).status_code == 200


@contextmanager
def listener() -> Iterator[tuple[int, list[object]]]:
    """A TCP port on 127.0.0.1 recording every connection made to it."""
    connections: list[object] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            connections.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], connections
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ service <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE# a comment\n<{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ OPTIONAL {{ {{ SELECT * WHERE "
        "{{ SeRvIcE <{url}> {{ ?s ?p ?o }} }} }} }} }}",
        "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    ],
)
def test_service_is_refused_however_it_is_written(attacked, http, template):
    with listener() as (port, connections):
        query = template.format(url=f"http://127.0.0.1:{port}/sparql")
        response = http.post(f"{attacked}/sparql", data={"query": query})
        update = "INSERT { <urn:s> <urn:p> ?o } WHERE " + query.split("WHERE", 1)[-1]
        auth = {"Authorization": f"Bearer {TOKEN}"}
        refused = http.post(f"{attacked}/update", data={"update": update}, headers=auth)
        time.sleep(0.3)
    assert response.status_code == 403 and "SERVICE" in response.json()["error"]
    assert refused.status_code == 403
    assert connections == []
