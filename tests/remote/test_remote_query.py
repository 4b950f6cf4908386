"""``kg.remote.remote_query`` and ``hrkg query --endpoint`` against a real Virtuoso."""

from __future__ import annotations

import http.server
import socket
import threading
from collections import Counter

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import QueryError, StoreError
from kg.query import run_query
from kg.remote import remote_query
from tests.remote.conftest import assert_one_line_error, free_port

runner = CliRunner()
XSD = "http://www.w3.org/2001/XMLSchema#"
# Virtuoso's default graph also holds its own system graphs: look at the articles' graphs only
ALL = (
    "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
    'FILTER(STRSTARTS(STR(?g), "https://w3id.org/hrkg/id/article/")) }'
)


def test_terms_come_back_as_the_embedded_store_gives_them(virtuoso_sparql, served_store):
    remote = remote_query(virtuoso_sparql, ALL)
    local = served_store.query(ALL)
    assert remote.variables == local.variables == ["s", "p", "o"]
    assert Counter(remote.rows) == Counter(local.rows)  # same rdflib terms, datatypes included
    objects = {row[2] for row in remote.rows}
    assert any(isinstance(o, Literal) and o.datatype == URIRef(XSD + "date") for o in objects)
    assert any(isinstance(o, Literal) and o.datatype == URIRef(XSD + "integer") for o in objects)
    assert all(o.datatype != URIRef(XSD + "string") for o in objects if isinstance(o, Literal))


def test_ask_and_construct(virtuoso_sparql, served_store):
    assert remote_query(virtuoso_sparql, "ASK { ?p a hr:Person }").boolean is True
    assert remote_query(virtuoso_sparql, "ASK { ?p a hr:Nothing }").boolean is False
    construct = "CONSTRUCT { ?c hr:countryCode ?code } WHERE { ?c hr:countryCode ?code }"
    remote, local = remote_query(virtuoso_sparql, construct), served_store.query(construct)
    assert len(remote.graph) > 0
    assert set(remote.graph) == set(local.graph)


def test_parameters_are_bound_as_on_the_store(virtuoso_sparql, served_store):
    params = {"person": "ales byalyatski"}
    remote = remote_query(virtuoso_sparql, "person-timeline", params)
    local = run_query(served_store, "person-timeline", params)
    assert remote.rows and Counter(remote.rows) == Counter(local.rows)
    hostile = {"person": '" . } ; DROP ALL #'}
    assert remote_query(virtuoso_sparql, "person-timeline", hostile).rows == []


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_hrkg_query_endpoint_prints_what_the_store_prints(fmt, virtuoso_sparql, served_dir):
    args = ["query", "most-mentioned-actors", "-p", "kind=Person", "--format", fmt]
    local = runner.invoke(app, [*args, "--store", str(served_dir)])
    remote = runner.invoke(app, [*args, "--endpoint", virtuoso_sparql])
    assert remote.exit_code == local.exit_code == 0, remote.output
    assert remote.stdout == local.stdout
    assert remote.stdout.count("\n") > 3


def test_a_bad_query_is_a_one_line_query_error(virtuoso_sparql):
    with pytest.raises(QueryError, match=r"HTTP 400 .*Virtuoso 37000 .*syntax error"):
        remote_query(virtuoso_sparql, "SELECT * WHERE { ?s ?p }")
    result = runner.invoke(app, ["query", "SELECT * WHERE { ?s ?p }", "-e", virtuoso_sparql])
    assert_one_line_error(result, virtuoso_sparql, "HTTP 400")


def test_an_unknown_named_query_fails_before_any_request():
    with pytest.raises(QueryError, match="not a named query"):
        remote_query("http://127.0.0.1:9/sparql", "no-such-query")


def test_a_dead_endpoint_is_a_one_line_error():
    dead = f"http://127.0.0.1:{free_port()}/sparql"
    result = runner.invoke(app, ["query", "most-mentioned-actors", "--endpoint", dead])
    assert_one_line_error(result, dead, "cannot connect (Connection refused)")


def test_wrong_credentials_are_a_one_line_error(virtuoso):
    endpoint = f"{virtuoso}/sparql-auth"
    result = runner.invoke(
        app, ["query", "ASK {}", "-e", endpoint, "-u", "dba", "--password", "wrong"]
    )
    assert_one_line_error(result, endpoint, "HTTP 401")


def test_a_wrong_url_on_the_server_is_a_one_line_error(virtuoso):
    with pytest.raises(StoreError, match="HTTP 404 Not Found; check the endpoint URL"):
        remote_query(f"{virtuoso}/no-such-path", "ASK {}")


class _Page(http.server.BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.end_headers()
        self.wfile.write(b"<html><body>a web page, not an endpoint</body></html>")

    def log_message(self, *args) -> None:
        pass


def test_an_answer_that_is_not_sparql_results_is_a_one_line_error():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
        with pytest.raises(StoreError, match="not SPARQL JSON results") as error:
            remote_query(url, "SELECT * WHERE { ?s ?p ?o }")
        assert url in str(error.value) and "\n" not in str(error.value)
    finally:
        server.shutdown()
        server.server_close()


def test_an_endpoint_that_never_answers_times_out():
    with socket.socket() as silent:  # accepts connections (backlog) but never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(StoreError, match=r"no answer in 1 s"):
            remote_query(url, "ASK {}", timeout=1)
