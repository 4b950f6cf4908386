"""``kg.remote.push`` and ``hrkg push`` against a real Virtuoso on loopback."""

from __future__ import annotations

import math

import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import HrkgError, StoreError
from kg.remote import RemoteAuth, push, remote_query
from kg.store import Store
from tests.remote.conftest import DBA, assert_one_line_error, free_port

runner = CliRunner()
PATHS = {"update": "/sparql-auth", "gsp": "/sparql-graph-crud-auth"}
COUNTS = (
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
    'FILTER(STRSTARTS(STR(?g), "https://w3id.org/hrkg/id/")) } GROUP BY ?g'
)


def hrkg(*args, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


def counts(result) -> dict[str, int]:
    return {str(g): int(n) for g, n in result.rows}


def remote_counts(virtuoso: str) -> dict[str, int]:
    return counts(remote_query(f"{virtuoso}/sparql", COUNTS))


@pytest.mark.parametrize("protocol", ["update", "gsp"])
def test_push_writes_every_graph_and_pushing_twice_changes_nothing(
    protocol, virtuoso, served_store
):
    local = counts(served_store.query(COUNTS))
    endpoint = virtuoso + PATHS[protocol]
    first = push(served_store, endpoint, protocol=protocol, auth=DBA, chunk_triples=100)
    assert remote_counts(virtuoso) == local
    second = push(served_store, endpoint, protocol=protocol, auth=DBA, chunk_triples=100)
    assert remote_counts(virtuoso) == local
    assert first.graphs == second.graphs == len(local)
    assert first.triples == second.triples == sum(local.values())
    assert first.requests == sum(math.ceil(n / 100) for n in local.values())


@pytest.mark.parametrize("protocol", ["update", "gsp"])
def test_push_replaces_what_the_remote_graph_held(protocol, virtuoso, served_store, tmp_path):
    graph = next(iter(counts(served_store.query(COUNTS))))
    stale = Store(tmp_path / "stale")
    stale.oxigraph.update(
        f'INSERT DATA {{ GRAPH <{graph}> {{ <urn:x:stale> <urn:x:p> "left over" }} }}'
    )
    push(stale, virtuoso + PATHS[protocol], protocol=protocol, auth=DBA)
    assert remote_query(f"{virtuoso}/sparql", "ASK { <urn:x:stale> ?p ?o }").boolean
    push(served_store, virtuoso + PATHS[protocol], protocol=protocol, auth=DBA)
    assert not remote_query(f"{virtuoso}/sparql", "ASK { <urn:x:stale> ?p ?o }").boolean
    assert remote_counts(virtuoso) == counts(served_store.query(COUNTS))


def test_hrkg_push_reports_a_summary_line(served_dir, virtuoso, served_store):
    result = hrkg(
        "push",
        "-e",
        f"{virtuoso}/sparql-auth",
        "-u",
        "dba",
        "--password",
        "dba",
        "--chunk",
        "500",
        "--store",
        served_dir,
    )
    assert result.exit_code == 0, result.output
    total = sum(counts(served_store.query(COUNTS)).values())
    assert f"{total} triples to {virtuoso}/sparql-auth (update," in result.stderr


def test_hrkg_push_takes_credentials_from_the_environment(served_dir, virtuoso, served_store):
    result = hrkg(
        "push",
        "-e",
        f"{virtuoso}/sparql-graph-crud-auth",
        "--protocol",
        "gsp",
        "--store",
        served_dir,
        env={"HRKG_ENDPOINT_USER": "dba", "HRKG_ENDPOINT_PASSWORD": "dba"},
    )
    assert result.exit_code == 0, result.output
    assert "(gsp, " in result.stderr


@pytest.mark.parametrize("protocol", ["update", "gsp"])
@pytest.mark.parametrize("scheme", ["digest", "basic"])
def test_a_wrong_password_is_a_one_line_error(served_dir, protocol, scheme, virtuoso, served_store):
    result = hrkg(
        "push",
        "-e",
        virtuoso + PATHS[protocol],
        "--protocol",
        protocol,
        "-u",
        "dba",
        "--password",
        "wrong",
        "--auth",
        scheme,
        "--store",
        served_dir,
    )
    assert_one_line_error(result, virtuoso + PATHS[protocol], "401", "--password")


def test_writing_to_the_public_endpoint_is_refused_in_one_line(virtuoso, served_store):
    with pytest.raises(StoreError, match=r"HTTP 500 .*No permission") as error:
        push(served_store, f"{virtuoso}/sparql", protocol="update")
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("protocol", ["update", "gsp"])
def test_a_dead_endpoint_is_a_one_line_error(served_dir, protocol, served_store):
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    result = hrkg("push", "-e", dead, "--protocol", protocol, "--store", served_dir)
    assert_one_line_error(result, dead, "cannot connect")


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"protocol": "ftp"}, "choose gsp or update"),
        ({"chunk_triples": 0}, "choose 1 to 100000"),
        ({"auth": None, "chunk_triples": 100_001}, "choose 1 to 100000"),
    ],
)
def test_bad_options_are_refused_before_any_request(options, fragment, served_store):
    with pytest.raises(HrkgError, match=fragment):
        push(served_store, "http://127.0.0.1:9/never", **options)


def test_credentials_never_show_their_password():
    assert "secret" not in repr(RemoteAuth("me", "secret"))
