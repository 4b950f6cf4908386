"""Tests for ``kg.query`` and ``queries/*.rq``: named queries and safe parameter binding.

The named queries run on two stores: the seed store built by the real pipeline
(they must run there without error), and a small store built by ``kg.build`` from
hand-written extraction records, where every query has something to find.
"""

from __future__ import annotations

import re
import shlex
from datetime import date

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg.article import Article
from kg.build import build_article_graph
from kg.errors import QueryError
from kg.extract.records import (
    Argument,
    DateValue,
    EntityRecord,
    EventRecord,
    Mention,
    RelationRecord,
    register_extensions,
)
from kg.iris import article_iri, entity_iri, event_iri
from kg.ontology import HR
from kg.query import (
    QUERIES_DIR,
    NamedQuery,
    Param,
    bind,
    load_queries,
    parse_named_query,
    resolve,
    run_query,
    to_term,
    with_values,
)
from kg.store import Store

QUERIES = load_queries()
TEXT = (
    "Police in Minsk arrested Franz Strauß on 3 March 2023. "
    "Amnesty International organised a letter writing marathon and a campaign for Strauss. "
    "Amnesty International supports him."
)
HOSTILE = [
    '"',
    "'",
    "}",
    "a\nb",
    '" . } ; DROP ALL #',
    "') } UNION { ?x ?y ?z } #",
    "<http://x>",
    "\\",
    "a\\",
    '\\"',
    '"""',
    "\\u0022 } #",
    "?person",
    "$x",
    "\x00",
]


def mention(phrase: str, occurrence: int = 0) -> Mention:
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(phrase, start + 1)
    return Mention(start, start + len(phrase), phrase)


def story_graph():
    """The graph ``kg.build`` makes of TEXT given these extraction records."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    register_extensions()
    doc = nlp(TEXT)
    person, amnesty = "person:franz strauß", "organisation:amnesty international"
    doc._.hr_entities = [
        EntityRecord(
            person,
            "person",
            "Franz Strauß",
            alt_labels={"Strauss"},
            mentions=[mention("Franz Strauß"), mention("Strauss")],
        ),
        EntityRecord(
            amnesty,
            "organisation",
            "Amnesty International",
            mentions=[mention("Amnesty International"), mention("Amnesty International", 1)],
        ),
        EntityRecord("organisation:police", "organisation", "Police", mentions=[mention("Police")]),
        EntityRecord(
            "country:BY", "country", "Belarus", country_code="BY", mentions=[mention("Minsk")]
        ),
    ]
    on = DateValue("2023-03-03", "date", mention("3 March 2023"))
    doc._.hr_events = [
        EventRecord(
            "arrest",
            ["arrested"],
            [mention("arrested")],
            [Argument("agent", "organisation:police"), Argument("target", person)],
            location="country:BY",
            date=on,
        ),
        EventRecord(
            "letter_writing",
            ["letter writing marathon"],
            [mention("letter writing marathon")],
            [Argument("organiser", amnesty), Argument("target", person)],
            location="country:BY",
        ),
        EventRecord(
            "campaign",
            ["campaign"],
            [mention("campaign")],
            [Argument("organiser", amnesty), Argument("target", person)],
        ),
    ]
    doc._.hr_relations = [RelationRecord(amnesty, "supports", person, mention("supports"))]
    return build_article_graph(Article(id="story", text=TEXT, date=date(2023, 3, 4)), doc)


@pytest.fixture(scope="module")
def story_store() -> Store:
    store = Store(None)
    store.replace_graph(story_graph())
    return store


# --- the query files -------------------------------------------------------------------


def test_the_named_queries_are_all_found():
    assert len(QUERIES) >= 5
    assert sorted(QUERIES) == sorted(p.stem for p in QUERIES_DIR.glob("*.rq"))


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_named_query_is_documented_with_a_runnable_example(name):
    query = QUERIES[name]
    assert query.title and query.description and query.example
    words = shlex.split(query.example)
    assert words[:3] == ["hrkg", "query", name]
    example_params = dict(w.split("=", 1) for w in words if "=" in w)
    bind(query, example_params)  # the example's parameters exist and fit their types
    for param in query.params:
        assert param.description, f"{name}: parameter {param.name} has no description"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_named_query_runs_on_the_seed_store(seed_store, name):
    result = run_query(seed_store, name)
    assert result.variables, "a SELECT with named columns"


# --- what the named queries find --------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "params", "expected"),
    [
        ("campaign-countries", {"organisation": "amnesty international"}, [("Belarus", "BY")]),
        ("events-by-country", {"country": "by"}, [("BY", "Arrest"), ("BY", "LetterWriting")]),
        ("events-by-country", {"country": "GE"}, []),
        ("events-by-country", {}, [("BY", "Arrest"), ("BY", "LetterWriting")]),
        ("most-mentioned-actors", {"kind": "Person"}, [("Franz Strauß", "Person")]),
        (
            "organisations-acting-for",
            {},  # the default person is not in this store
            [],
        ),
        (
            "organisations-acting-for",
            {"person": "Strauss"},
            [
                ("Amnesty International", "Campaign"),
                ("Amnesty International", "LetterWriting"),
                ("Amnesty International", "supports"),
            ],
        ),
        (
            "person-timeline",
            {"person": "franz strauß"},
            [
                ("Franz Strauß", "Arrest"),
                ("Franz Strauß", "Campaign"),
                ("Franz Strauß", "LetterWriting"),
            ],
        ),
    ],
)
def test_named_queries_find_what_the_store_holds(story_store, name, params, expected):
    rows = run_query(story_store, name, params).rows
    found = sorted({tuple(str(t) for t in row[:2]) for row in rows})
    if name in ("events-by-country", "person-timeline"):
        found = sorted({(str(row[0]), str(row[2])) for row in rows})
    if name == "organisations-acting-for":
        found = sorted({(str(row[0]), str(row[1])) for row in rows})
    assert found == sorted(expected)


@pytest.mark.parametrize(("minimum", "pairs"), [("1", 2), ("2", 1), ("3", 0)])
def test_co_participation_honours_its_minimum(story_store, minimum, pairs):
    rows = run_query(story_store, "co-participation", {"minimum": minimum}).dicts()
    assert len(rows) == pairs
    assert all(int(r["events"]) >= int(minimum) for r in rows)
    if pairs == 1:
        assert {rows[0]["actor1"], rows[0]["actor2"]} == {"Amnesty International", "Franz Strauß"}


def test_facts_come_with_their_source_sentence(story_store):
    rows = run_query(story_store, "facts-with-sources", {"entity": "Franz Strauß"}).dicts()
    facts = {(r["fact"], r["value"]) for r in rows}
    assert ("target of Arrest", "arrested") in facts
    assert ("inverse supports", "Amnesty International") in facts
    for row in rows:
        start, end = int(row["start"]), int(row["end"])
        assert TEXT[start:end] in row["sentence"]
        assert row["sentence"] in TEXT


@pytest.mark.parametrize("form", ["Franz Strauß", "  franz strauß ", "FRANZ STRAUß", "strauss"])
def test_names_match_any_case_of_any_label(story_store, form):
    rows = run_query(story_store, "person-timeline", {"person": form}).rows
    assert {str(r[0]) for r in rows} == {"Franz Strauß"}


# --- parameters -------------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("person-timeline", "person"),
        ("facts-with-sources", "entity"),
        ("most-mentioned-actors", "kind"),
        ("events-by-country", "country"),
        ("campaign-countries", "organisation"),
    ],
)
def test_hostile_values_are_plain_literals(seed_store, name, param, value):
    before = len(seed_store)
    result = run_query(seed_store, name, {param: value})
    assert result.rows == []
    assert len(seed_store) == before


@settings(max_examples=150)
@given(value=st.text(max_size=60))
def test_any_value_is_bound_as_the_literal_it_is(value):
    store = Store(None)
    query = NamedQuery(
        "echo", "SELECT ?got WHERE { BIND(?text AS ?got) }", params=(Param("text", "string"),)
    )
    bound = with_values(query.text, bind(query, {"text": value}))
    rows = store.query(bound).rows
    assert rows == ([(Literal(value),)] if value else [(None,)])


@settings(max_examples=60, deadline=None)
@given(label=st.text(min_size=1, max_size=40).map(str.strip).filter(bool))
def test_a_person_is_found_by_any_label(label):
    """Whatever a name holds, binding it finds the person labelled so, and only them."""
    article, person = article_iri("h"), entity_iri("person:someone")
    event = event_iri("h", 1, "arrest")
    graph = Graph(identifier=article)
    for triple in [
        (article, DCTERMS.identifier, Literal("h")),
        (person, RDF.type, HR.Person),
        (person, RDFS.label, Literal(label)),
        (event, RDF.type, HR.Event),
        (event, RDF.type, HR.Arrest),
        (event, HR.target, person),
        (event, HR.trigger, Literal("arrested")),
        (event, HR.mentionedIn, article),
    ]:
        graph.add(triple)
    store = Store(None)
    store.replace_graph(graph)
    rows = run_query(store, "person-timeline", {"person": label}).dicts()
    assert [(r["name"], r["type"], r["role"]) for r in rows] == [(label, "Arrest", "target")]


def test_an_unknown_parameter_names_the_valid_ones(seed_store):
    with pytest.raises(QueryError, match=r"no parameter 'persn' \(parameters: person\)"):
        run_query(seed_store, "person-timeline", {"persn": "x"})


def test_inline_sparql_takes_no_parameters(seed_store):
    with pytest.raises(QueryError, match=r"parameters: none"):
        run_query(seed_store, "SELECT ?x WHERE { ?x a hr:Person }", {"x": "1"})


@pytest.mark.parametrize(
    ("ptype", "value"),
    [
        ("int", "abc"),
        ("int", "1.5"),
        ("iri", "not an iri"),
        ("iri", "http://x/a b"),
        ("iri", "http://x/>"),
        ("date", "yesterday"),
        ("date", "2023-02-30"),
        ("year", "MMXXIII"),
    ],
)
def test_values_that_do_not_fit_their_type_are_rejected(ptype, value):
    with pytest.raises(QueryError, match=f"not a valid {ptype}"):
        to_term(Param("p", ptype), value)


def test_co_participation_rejects_a_non_integer_minimum(seed_store):
    with pytest.raises(QueryError, match="'minimum'"):
        run_query(seed_store, "co-participation", {"minimum": "abc"})


@pytest.mark.parametrize(
    ("ptype", "value", "term"),
    [
        ("code", " by ", Literal("BY")),
        ("name", " Franz Strauß ", Literal("Franz Strauß")),
        ("string", " as is ", Literal(" as is ")),
        ("int", "7", Literal(7)),
        ("date", "2023-03-03", Literal("2023-03-03", datatype=XSD.date)),
        ("year", "999", Literal("0999", datatype=XSD.gYear)),
        (
            "iri",
            "https://w3id.org/hrkg/id/country/BY",
            URIRef("https://w3id.org/hrkg/id/country/BY"),
        ),
    ],
)
def test_values_become_typed_terms(ptype, value, term):
    assert to_term(Param("p", ptype), value) == term


# --- binding into the query text --------------------------------------------------------


@pytest.mark.parametrize(
    "sparql",
    [
        "SELECT ?got WHERE { BIND(?v AS ?got) }",
        "# runs like: SELECT ?x WHERE { ... }\nSELECT ?got WHERE { BIND(?v AS ?got) }",
        "SELECT ?got  # a comment WHERE { would be a bad place\nWHERE { BIND(?v AS ?got) }",
        'SELECT ?got (CONCAT("WHERE {", "") AS ?s)\nWHERE { BIND(?v AS ?got) }',
        "PREFIX x: <http://x/#> SELECT ?got where\n{ BIND(?v AS ?got) }",
        "SELECT ?got WHERE { BIND(?v AS ?got) FILTER(1 < 2 || 3 > 4) }",
        "SELECT ?got WHERE {\n  { SELECT ?v2 WHERE { BIND(1 AS ?v2) } }\n  BIND(?v AS ?got)\n}",
    ],
)
def test_values_go_after_every_where_outside_comments_and_strings(sparql):
    bound = with_values(sparql, {"v": Literal("yes")})
    assert [row[0] for row in Store(None).query(bound).rows] == [Literal("yes")]
    assert bound.replace(' VALUES ?v { "yes" }\n', "") == sparql


def test_a_subquery_sees_the_parameter_too():
    sparql = "SELECT ?got WHERE { { SELECT ?got WHERE { BIND(?v AS ?got) } } }"
    bound = with_values(sparql, {"v": Literal("inner")})
    assert [row[0] for row in Store(None).query(bound).rows] == [Literal("inner")]


def test_a_query_without_where_cannot_be_bound():
    with pytest.raises(QueryError, match=re.escape("no `WHERE {`")):
        with_values("# WHERE {\nSELECT * { ?s ?p ?o }", {"v": Literal("x")})


def test_without_bindings_the_text_is_unchanged():
    assert with_values("SELECT * WHERE { }", {}) == "SELECT * WHERE { }"


# --- resolving and parsing --------------------------------------------------------------


def test_resolve_finds_names_files_and_inline_sparql(tmp_path):
    assert resolve("person-timeline") == QUERIES["person-timeline"]
    path = tmp_path / "mine.rq"
    path.write_text("# title: Mine\n# param: n (int) = 3\nSELECT ?n WHERE { }\n", encoding="utf-8")
    mine = resolve(str(path))
    assert (mine.name, mine.title, mine.params) == ("mine", "Mine", (Param("n", "int", "3"),))
    assert resolve("ask { ?s ?p ?o }").name == "inline"


@pytest.mark.parametrize(
    ("query", "complaint"),
    [
        ("person-timelin", "not a named query"),
        ("missing.rq", "no such query file"),
    ],
)
def test_resolve_explains_what_it_could_not_find(query, complaint):
    with pytest.raises(QueryError, match=complaint) as caught:
        resolve(query)
    if complaint == "not a named query":
        assert all(name in str(caught.value) for name in QUERIES)


def test_a_query_file_that_is_not_utf8_is_a_query_error(tmp_path):
    path = tmp_path / "latin1.rq"
    path.write_bytes(b"# title: caf\xe9\nSELECT * WHERE { }\n")
    with pytest.raises(QueryError, match="UTF-8"):
        resolve(str(path))


@pytest.mark.parametrize(
    "line",
    ["# param: country", "# param: country (colour) = red", "# param: (code) = BY"],
)
def test_a_bad_param_line_names_file_and_line(tmp_path, line):
    path = tmp_path / "bad.rq"
    path.write_text(f"# title: Bad\n{line}\nSELECT * WHERE {{ }}\n", encoding="utf-8")
    with pytest.raises(QueryError, match=re.escape("bad.rq line 2: bad parameter line")):
        parse_named_query(path)


def test_header_lines_accumulate():
    query = QUERIES["events-by-country"]
    assert query.title == "Events by country"
    assert query.description.startswith("Every extracted event located in a country")
    assert query.description.endswith("source article.")
    assert query.params == (
        Param(
            "country", "code", None, "ISO 3166-1 alpha-2 code, e.g. BY; every country when omitted"
        ),
    )
