"""End to end on the bundled seed article: what the foundation issue promises."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import XSD

from kg.graph import to_networkx
from kg.ingest import build
from kg.query import run_query
from kg.validate import validate_store
from tests.conftest import SEED

SEED_COUNTRIES = {
    "Austria": "AT",
    "Belgium": "BE",
    "Bermuda": "BM",
    "Bulgaria": "BG",
    "Canada": "CA",
    "Cyprus": "CY",
    "the Czech Republic": "CZ",
    "Finland": "FI",
    "Ghana": "GH",
    "Iceland": "IS",
    "Ireland": "IE",
    "Italy": "IT",
    "Japan": "JP",
    "Latvia": "LV",
    "Luxembourg": "LU",
    "Mali": "ML",
    "Malta": "MT",
    "Moldova": "MD",
    "Mongolia": "MN",
    "Paraguay": "PY",
    "Poland": "PL",
    "Portugal": "PT",
    "Puerto Rico": "PR",
    "Romania": "RO",
    "Russia": "RU",
    "Slovakia": "SK",
    "Slovenia": "SI",
    "South Korea": "KR",
    "Sweden": "SE",
    "Switzerland": "CH",
    "Taiwan": "TW",
    "Togo": "TG",
    "Tunis": "TN",
    "Ukraine": "UA",
    "Venezuela": "VE",
    "the UK": "GB",
}


def select(store, sparql):
    return [
        tuple(str(t) if t is not None else None for t in row) for row in store.query(sparql).rows
    ]


def person(store, name):
    rows = select(
        store,
        f"""SELECT DISTINCT ?p WHERE {{ ?p a hr:Person .
            {{ ?p rdfs:label ?n }} UNION {{ ?p skos:altLabel ?n }} FILTER(STR(?n) = "{name}") }}""",
    )
    return [r[0] for r in rows]


def test_bialiatski_is_one_person_with_his_aliases(seed_store):
    (iri,) = person(seed_store, "Ales Byalyatski")
    assert person(seed_store, "Ales") == [iri]
    assert select(
        seed_store,
        "SELECT DISTINCT ?p WHERE { ?p a hr:Person ; rdfs:label ?l FILTER(CONTAINS(?l, 'Ales')) }",
    ) == [(iri,)]


def test_bialiatski_leads_viasna_and_is_a_member_of_fidh(seed_store):
    (iri,) = person(seed_store, "Ales Byalyatski")
    rows = select(
        seed_store,
        f"""SELECT ?rel ?org ?role WHERE {{
            ?r a hr:RelationAssertion ; rdf:subject <{iri}> ; rdf:predicate ?rel ;
               rdf:object ?o ; hr:role ?role .
            ?o a hr:Organisation ; rdfs:label ?org }}""",
    )
    relations = {(rel.rsplit("#")[-1], org): role for rel, org, role in rows}
    assert relations[("leaderOf", "Viansa")] == "head"
    assert relations[("memberOf", "International Federation for Human Rights")] == "vice president"
    fidh = select(
        seed_store,
        "SELECT ?a WHERE { ?o rdfs:label 'International Federation for Human Rights' ;"
        " skos:altLabel ?a }",
    )
    assert ("FIDH",) in fidh
    assert seed_store.query(f"ASK {{ <{iri}> hr:leaderOf ?o . ?o rdfs:label 'Viansa' }}").boolean


def test_amnesty_organises_letter_writing_for_him_on_december_7_2012(seed_store):
    (iri,) = person(seed_store, "Ales Byalyatski")
    rows = select(
        seed_store,
        f"""SELECT ?e ?date WHERE {{
            ?e a hr:LetterWriting ; hr:organiser ?o ; hr:target <{iri}> .
            ?o rdfs:label "Amnesty International" .
            OPTIONAL {{ ?e hr:date ?date }} }}""",
    )
    assert rows, "no letter-writing event organised by Amnesty International targeting him"
    dates = {r[1] for r in rows}
    assert "2012-12-07" in dates
    typed = seed_store.query("SELECT ?d WHERE { ?e a hr:LetterWriting ; hr:date ?d }").rows
    assert Literal("2012-12-07", datatype=XSD.date) in {r[0] for r in typed}
    assert seed_store.query(
        f"ASK {{ ?o rdfs:label 'Amnesty International' ; hr:supports <{iri}> }}"
    ).boolean


def test_all_36_countries_of_the_list_with_their_iso_codes(seed_store):
    rows = dict(
        select(
            seed_store,
            "SELECT ?code ?label WHERE { ?c a hr:Country ; hr:countryCode ?code ;"
            " rdfs:label ?label }",
        )
    )
    assert set(SEED_COUNTRIES.values()) <= set(rows), sorted(
        set(SEED_COUNTRIES.values()) - set(rows)
    )
    assert "KP" not in rows  # "South Korea" is not North Korea
    assert rows["RU"] == "Russia" and rows["GB"] == "United Kingdom" and rows["KR"] == "South Korea"
    assert "BY" in rows  # "Belarusian authorities", "the Belarusian human rights activist"


@pytest.mark.parametrize("amount", [104731, 30894])
def test_counts_are_attached_to_events(seed_store, amount):
    rows = select(
        seed_store,
        f"""SELECT ?e ?text WHERE {{ ?e a hr:Event ; hr:quantity ?q .
            ?q hr:amount {amount} ; hr:anchorText ?text }}""",
    )
    assert rows, f"{amount} is not attached to any event"
    assert any(f"{amount:,}" in text for _, text in rows)


def test_every_entity_and_event_traces_back_to_a_span_of_the_article(seed_store):
    text = SEED.read_text(encoding="utf-8")
    import json

    article = json.loads(text)["text"]
    rows = select(
        seed_store,
        """SELECT ?x ?start ?end ?anchor WHERE { ?x hr:hasMention ?m .
           ?m hr:startChar ?start ; hr:endChar ?end ; hr:anchorText ?anchor }""",
    )
    assert len(rows) > 50
    for _, start, end, anchor in rows:
        assert article[int(start) : int(end)] == anchor
    orphans = select(
        seed_store,
        """SELECT ?x WHERE { { ?x a hr:Person } UNION { ?x a hr:Organisation }
           UNION { ?x a hr:Country }
           UNION { ?x a hr:Event } FILTER NOT EXISTS { ?x hr:hasMention ?m } }""",
    )
    assert orphans == []


def test_the_graph_conforms_to_the_shapes(seed_store):
    report = validate_store(seed_store)
    assert report.conforms, "\n".join(map(str, report.violations[:10]))


def test_named_queries_answer_about_the_seed(seed_store):
    orgs = run_query(seed_store, "organisations-acting-for", {"person": "Ales"}).dicts()
    assert {"organisation": "Amnesty International"}.items() <= orgs[0].items()
    timeline = run_query(seed_store, "person-timeline", {"person": "Ales Byalyatski"}).dicts()
    assert {row["type"] for row in timeline} >= {"LetterWriting"}
    assert any(row["date"] == "2012-12-07" for row in timeline)
    actors = run_query(seed_store, "most-mentioned-actors", {"kind": "Person"}).dicts()
    assert actors[0]["actor"] == "Ales Byalyatski"
    facts = run_query(seed_store, "facts-with-sources", {"entity": "FIDH"}).dicts()
    assert any("vice president" in row["sentence"] for row in facts)
    countries = run_query(
        seed_store, "campaign-countries", {"organisation": "Amnesty International"}
    )
    assert countries.variables[:2] == ["country", "code"]


def test_networkx_view_has_typed_nodes_and_role_labelled_edges(seed_store):
    graph = to_networkx(seed_store)
    (ales,) = person(seed_store, "Ales Byalyatski")
    assert graph.nodes[ales]["type"] == "Person"
    assert graph.nodes[ales]["label"] == "Ales Byalyatski"
    amnesty = next(n for n, a in graph.nodes(data=True) if a["label"] == "Amnesty International")
    assert graph.nodes[amnesty]["type"] == "Organisation"
    letter = [n for n, a in graph.nodes(data=True) if a.get("type") == "LetterWriting"]
    assert letter
    relations = {
        d["relation"]
        for _, target, d in graph.out_edges(letter[0], data=True)
        if target in (ales, amnesty)
    }
    assert relations == {"organiser", "target"}
    assert graph.has_edge(
        ales, next(n for n, a in graph.nodes(data=True) if a["label"] == "Viansa"), key="leaderOf"
    )
    countries = [n for n, a in graph.nodes(data=True) if a["type"] == "Country"]
    assert len(countries) >= 36 and all(graph.nodes[c]["country_code"] for c in countries)


def test_rebuilding_changes_nothing(nlp, store):
    first = build([SEED], store, nlp)
    size = len(store)
    again = build([SEED], store, nlp, force=True)
    assert first.articles == again.articles == 1
    assert len(store) == size
