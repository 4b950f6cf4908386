"""``hrkg serve`` over real HTTP on 127.0.0.1: the Oxigraph subprocess behind the Starlette app."""

from __future__ import annotations

import csv
import io
import json
import time
import xml.etree.ElementTree as ET

import pytest
import rdflib
from rdflib import Literal, URIRef
from SPARQLWrapper import JSON, XML, SPARQLWrapper

from kg.query import load_queries, prepare, run_query
from kg.serve.backend import free_port

SRX = "{http://www.w3.org/2005/sparql-results#}"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
PERSONS = "SELECT ?p ?name WHERE { ?p a hr:Person ; rdfs:label ?name }"
PERSON_GRAPH = (
    "CONSTRUCT { ?p a hr:Person ; rdfs:label ?name } WHERE { ?p a hr:Person ; rdfs:label ?name }"
)
# About 10^9 solutions on the seed store: far more than a second of work.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
NAMED = [
    ("person-timeline", {}),
    ("person-timeline", {"person": "Ales"}),
    ("most-mentioned-actors", {"kind": "Person"}),
    ("events-by-country", {}),
    ("organisations-acting-for", {}),
]


def term(binding: dict[str, str]) -> str:
    """A SPARQL JSON binding as the N3 text of the equal rdflib term."""
    if binding["type"] == "uri":
        return URIRef(binding["value"]).n3()
    if binding["type"] == "literal":
        datatype = binding.get("datatype")
        return Literal(
            binding["value"], lang=binding.get("xml:lang"), datatype=datatype and URIRef(datatype)
        ).n3()
    return "_:"


def json_rows(data: dict) -> list[tuple[str, ...]]:
    variables = data["head"]["vars"]
    return sorted(
        tuple(term(b[v]) if v in b else "" for v in variables) for b in data["results"]["bindings"]
    )


def local_rows(store, name: str, params: dict[str, str]) -> list[tuple[str, ...]]:
    result = run_query(store, name, params)
    return sorted(tuple("" if t is None else t.n3() for t in row) for row in result.rows)


@pytest.mark.parametrize(("name", "params"), NAMED)
def test_get_and_post_answer_the_rows_of_the_embedded_store(
    hrkg_endpoint, hrkg_endpoint_data, http, name, params
):
    expected = local_rows(hrkg_endpoint_data, name, params)
    text = prepare(name, params)
    url = f"{hrkg_endpoint}/sparql"
    answers = [
        http.get(url, params={"query": text}),
        http.post(url, data={"query": text}),
        http.post(url, content=text, headers={"Content-Type": "application/sparql-query"}),
    ]
    for response in answers:
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/sparql-results+json")
        assert json_rows(response.json()) == expected
    if name == "person-timeline":
        assert expected


def test_hrkg_prefixes_are_predeclared(hrkg_endpoint, http):
    response = http.get(f"{hrkg_endpoint}/sparql", params={"query": "ASK { ?p a hr:Person }"})
    assert response.json() == {"head": {}, "boolean": True}


@pytest.mark.parametrize(
    "accept",
    [
        "application/sparql-results+json",
        "application/sparql-results+xml",
        "text/csv",
        "text/tab-separated-values",
    ],
)
def test_select_answers_in_each_results_format(hrkg_endpoint, hrkg_endpoint_data, http, accept):
    expected = hrkg_endpoint_data.query(PERSONS).dicts()
    response = http.get(
        f"{hrkg_endpoint}/sparql", params={"query": PERSONS}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    if accept.endswith("json"):
        got = [{v: b[v]["value"] for v in b} for b in response.json()["results"]["bindings"]]
    elif accept.endswith("xml"):
        results = ET.fromstring(response.content).iter(f"{SRX}result")
        got = [{b.get("name"): b[0].text for b in r.iter(f"{SRX}binding")} for r in results]
    elif accept == "text/csv":
        got = list(csv.DictReader(io.StringIO(response.text)))
    else:
        lines = [line.split("\t") for line in response.text.splitlines()]
        assert lines[0] == ["?p", "?name"]
        got = [{"p": p.strip("<>"), "name": json.loads(name)} for p, name in lines[1:]]
    key = sorted(expected, key=str)
    assert sorted(got, key=str) == key


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
    ],
)
def test_construct_answers_in_each_graph_format(
    hrkg_endpoint, hrkg_endpoint_data, http, accept, rdflib_format
):
    expected = hrkg_endpoint_data.query(PERSON_GRAPH).graph
    response = http.get(
        f"{hrkg_endpoint}/sparql", params={"query": PERSON_GRAPH}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(accept)
    got = rdflib.Graph().parse(data=response.text, format=rdflib_format)
    assert len(expected) > 0 and set(got) == set(expected)


def test_format_parameter_stands_for_accept(hrkg_endpoint, http):
    url = f"{hrkg_endpoint}/sparql"
    response = http.get(url, params={"query": PERSONS, "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    response = http.get(url, params={"query": PERSONS, "format": "png"})
    assert response.status_code == 400 and "format 'png'" in response.json()["error"]


def test_sparqlwrapper_reads_json_and_xml(hrkg_endpoint, hrkg_endpoint_data):
    expected = len(hrkg_endpoint_data.query(PERSONS).rows)
    client = SPARQLWrapper(f"{hrkg_endpoint}/sparql")
    client.setQuery(PERSONS)
    client.setReturnFormat(JSON)
    assert len(client.query().convert()["results"]["bindings"]) == expected
    client.setReturnFormat(XML)
    assert len(client.query().convert().getElementsByTagName("result")) == expected


def test_service_description_names_the_endpoint(hrkg_endpoint, http):
    response = http.get(f"{hrkg_endpoint}/sparql")
    assert response.headers["content-type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    service = graph.value(predicate=rdflib.RDF.type, object=SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(f"{hrkg_endpoint}/sparql")
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph


def test_cors_headers(hrkg_endpoint, http):
    origin = {"Origin": "https://analyst.example"}
    response = http.get(f"{hrkg_endpoint}/sparql", params={"query": PERSONS}, headers=origin)
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = http.options(
        f"{hrkg_endpoint}/sparql",
        headers={**origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


def test_service_is_refused_without_contacting_anyone(hrkg_endpoint, http):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    started = time.monotonic()
    response = http.post(f"{hrkg_endpoint}/sparql", data={"query": query})
    assert response.status_code == 403
    assert "SERVICE" in response.json()["error"] and time.monotonic() - started < 1
    quoted = 'SELECT * WHERE { ?s rdfs:label "SERVICE" } # SERVICE'
    assert http.get(f"{hrkg_endpoint}/sparql", params={"query": quoted}).status_code == 200


def test_an_error_in_the_middle_of_a_query_is_a_500_not_a_truncated_200(limited_endpoint, http):
    # Allowed here, the SERVICE call fails after Oxigraph has begun its 200 answer.
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{free_port()}/sparql> {{ ?s ?p ?o }} }}"
    response = http.get(f"{limited_endpoint}/sparql", params={"query": query})
    assert response.status_code == 500
    assert response.json()["error"].startswith("the query failed while running: ")


def test_invalid_query_is_a_400_with_a_one_line_error(hrkg_endpoint, http):
    response = http.get(f"{hrkg_endpoint}/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    message = response.json()["error"]
    assert message.startswith("invalid SPARQL: error at 1:") and "\n" not in message


def test_unsupported_post_body_is_a_415(hrkg_endpoint, http):
    response = http.post(
        f"{hrkg_endpoint}/sparql", content=PERSONS, headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 415 and "application/sparql-query" in response.json()["error"]


def test_body_over_the_limit_is_a_413(hrkg_endpoint, limited_endpoint, http):
    padding = "#" + "x" * 1_000_000 + "\n"
    response = http.post(
        f"{hrkg_endpoint}/sparql",
        content=padding + PERSONS,
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413 and "1000000 bytes" in response.json()["error"]

    def chunked():  # no Content-Length: the limit holds while reading
        for _ in range(10):
            yield b"#" + b"x" * 500 + b"\n"

    response = http.post(
        f"{limited_endpoint}/sparql",
        content=chunked(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 413


def test_timeout_is_a_503_and_the_server_keeps_serving(limited_endpoint, http):
    started = time.monotonic()
    response = http.get(f"{limited_endpoint}/sparql", params={"query": SLOW})
    assert response.status_code == 503
    assert "time limit of 1 s" in response.json()["error"]
    assert time.monotonic() - started < 5
    response = http.get(f"{limited_endpoint}/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.json()["boolean"] is True


def test_row_limit_truncates_with_a_header(limited_endpoint, http):
    url = f"{limited_endpoint}/sparql"
    for accept in ("application/sparql-results+json", "text/csv"):
        response = http.get(url, params={"query": PERSONS}, headers={"Accept": accept})
        assert response.headers["x-hrkg-truncated"] == "true"
        lines = response.text.strip().splitlines()
        if accept == "text/csv":
            assert len(lines) == 1 + 3
        else:
            assert len(response.json()["results"]["bindings"]) == 3
    graph = http.get(url, params={"query": PERSON_GRAPH}, headers={"Accept": "text/turtle"})
    assert graph.headers["x-hrkg-truncated"] == "true"
    assert len(rdflib.Graph().parse(data=graph.text, format="turtle")) == 3
    small = http.get(url, params={"query": "SELECT ?x WHERE { VALUES ?x { 1 2 3 } }"})
    assert "x-hrkg-truncated" not in small.headers
    assert len(small.json()["results"]["bindings"]) == 3


def test_queries_lists_every_named_query(hrkg_endpoint, http):
    listing = http.get(f"{hrkg_endpoint}/queries").json()
    assert [q["name"] for q in listing] == list(load_queries())
    timeline = next(q for q in listing if q["name"] == "person-timeline")
    assert timeline["title"] and "SELECT" in timeline["text"]
    assert timeline["params"][0] == {
        "name": "person",
        "type": "name",
        "default": "Ales Byalyatski",
        "description": "the person's name or any other surface form of it",
    }
    assert set(listing[0]) == {"name", "title", "description", "example", "text", "params"}


def test_named_query_runs_bound_on_the_server(hrkg_endpoint, hrkg_endpoint_data, http):
    response = http.get(f"{hrkg_endpoint}/queries/person-timeline", params={"person": "Ales"})
    assert response.status_code == 200
    rows = json_rows(response.json())
    assert rows and rows == local_rows(hrkg_endpoint_data, "person-timeline", {"person": "Ales"})
    csv_answer = http.get(
        f"{hrkg_endpoint}/queries/person-timeline", params={"person": "Ales", "format": "csv"}
    )
    assert len(list(csv.reader(io.StringIO(csv_answer.text)))) == 1 + len(rows)


@pytest.mark.parametrize(
    "value", ['" . } ; DROP ALL #', "Ales' }", 'a"b\nc', "} UNION { ?p ?q ?r", "<urn:x>"]
)
def test_hostile_parameter_values_stay_literals(hrkg_endpoint, hrkg_endpoint_data, http, value):
    response = http.get(f"{hrkg_endpoint}/queries/person-timeline", params={"person": value})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []
    count = http.get(
        f"{hrkg_endpoint}/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"}
    )
    assert int(count.json()["results"]["bindings"][0]["n"]["value"]) == len(hrkg_endpoint_data)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/queries/no-such-query", "unknown query 'no-such-query'"),
        ("/queries/person-timeline?colour=red", "has no parameter 'colour'"),
        ("/queries/events-by-type?year=soon", "parameter 'year'"),
    ],
)
def test_bad_named_query_requests_are_400(hrkg_endpoint, http, path, message):
    response = http.get(hrkg_endpoint + path)
    assert response.status_code == 400
    assert message in response.json()["error"]
