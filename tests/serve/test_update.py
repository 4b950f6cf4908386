"""SPARQL Update through ``hrkg serve``: refused unless allowed, and then only with the token."""

from __future__ import annotations

import pytest

TOKEN = "s3cret-token"  # the token of the writable_endpoint fixture
INSERT = 'INSERT DATA { GRAPH <urn:test> { <urn:s> rdfs:label "added by update" } }'
ASK = 'ASK { <urn:s> rdfs:label "added by update" }'


def ask(http, base: str) -> bool:
    return http.get(f"{base}/sparql", params={"query": ASK}).json()["boolean"]


@pytest.mark.parametrize("headers", [{}, {"Authorization": f"Bearer {TOKEN}"}])
def test_read_only_endpoint_refuses_updates_even_with_a_token(hrkg_endpoint, http, headers):
    response = http.post(f"{hrkg_endpoint}/update", data={"update": INSERT}, headers=headers)
    assert response.status_code == 403
    assert "read-only" in response.json()["error"] and "--allow-update" in response.json()["error"]
    assert not ask(http, hrkg_endpoint)


def test_update_needs_the_right_token(writable_endpoint, http):
    url = f"{writable_endpoint}/update"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        response = http.post(url, data={"update": INSERT}, headers=headers)
        assert response.status_code == 403
        assert "Authorization: Bearer" in response.json()["error"]
    assert not ask(http, writable_endpoint)
    response = http.post(url, data={"update": INSERT}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 204, response.text
    assert ask(http, writable_endpoint)


def test_update_as_sparql_update_body_and_its_errors(writable_endpoint, http):
    url = f"{writable_endpoint}/update"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    direct = {**auth, "Content-Type": "application/sparql-update"}
    assert http.post(url, content=INSERT, headers=direct).status_code == 204
    assert ask(http, writable_endpoint)
    bad = http.post(url, content="INSERT DATA { <urn:s> ", headers=direct)
    assert bad.status_code == 400 and bad.json()["error"].startswith("invalid SPARQL: error at 1:")
    federated = "INSERT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert http.post(url, content=federated, headers=direct).status_code == 403
