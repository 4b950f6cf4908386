"""The query library of ``queries/``: every named query documented, runnable and safe.

Each query is checked for its header (title, description, typed and described
parameters, an example that binds), for running on the seed store built by the
real pipeline, for what it finds there (only what the seed extraction genuinely
yields), and for treating hostile parameter values as plain values.
"""

from __future__ import annotations

import shlex
from itertools import pairwise

import pytest

from kg.errors import QueryError
from kg.query import TYPES, bind, load_queries, run_query

QUERIES = load_queries()

# the queries other code relies on: their parameters and leading columns stay as they are
STABLE = {
    "campaign-countries": (["organisation"], ["country", "code", "actions", "events"]),
    "co-participation": (["minimum"], ["actor1", "kind1", "actor2", "kind2", "events"]),
    "events-by-country": (
        ["country"],
        ["code", "countryName", "type", "date", "trigger", "article"],
    ),
    "facts-with-sources": (
        ["entity"],
        ["name", "fact", "value", "article", "start", "end", "sentence"],
    ),
    "most-mentioned-actors": (["kind"], ["actor", "type", "articles", "mentions"]),
    "organisations-acting-for": (["person"], ["organisation", "how", "times", "articles"]),
    "person-timeline": (
        ["person"],
        ["name", "date", "type", "role", "trigger", "others", "article"],
    ),
}

HOSTILE = ['" . } ; DROP ALL #', "<http://x>", "a\nb", "'", "}", "\\", "?person"]


def example_params(name: str) -> dict[str, str]:
    words = shlex.split(QUERIES[name].example)
    assert words[:3] == ["hrkg", "query", name]
    params = {}
    for before, word in pairwise(words):
        if before in ("--param", "-p"):
            key, _, value = word.partition("=")
            params[key] = value
    return params


def test_the_library_covers_an_analysts_questions():
    assert len(QUERIES) >= 16
    assert set(STABLE) <= set(QUERIES)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_query_has_a_complete_header(name):
    query = QUERIES[name]
    assert query.title and query.description and query.example
    for param in query.params:
        assert param.type in TYPES
        assert param.description, f"{name}: parameter {param.name} has no description"
        assert f"?{param.name}" in query.text, f"{name}: parameter {param.name} is not used"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_query_is_portable_and_ordered(name):
    text = "\n".join(
        line for line in QUERIES[name].text.splitlines() if not line.lstrip().startswith("#")
    )
    assert "ORDER BY" in text, "rows in a deterministic order on every engine"
    assert "UNDEF" not in text


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_example_binds_and_runs_on_the_seed(seed_store, name):
    params = example_params(name)
    bind(QUERIES[name], params)
    result = run_query(seed_store, name, params)
    assert result.variables
    assert result.rows == run_query(seed_store, name, params).rows, "a stable row order"


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_query_runs_with_its_defaults(seed_store, name):
    assert run_query(seed_store, name).variables


@pytest.mark.parametrize("name", sorted(STABLE))
def test_the_established_queries_keep_their_parameters_and_columns(seed_store, name):
    params, columns = STABLE[name]
    assert [p.name for p in QUERIES[name].params] == params
    assert run_query(seed_store, name).variables[: len(columns)] == columns


# --- what the queries find in the seed ----------------------------------------------------


def rows(store, name, **params):
    return run_query(store, name, params).dicts()


def pick(row, columns):
    return tuple(row[c] for c in columns)


@pytest.mark.parametrize(
    ("name", "params", "columns", "expected"),
    [
        (
            "person-timeline",
            {"person": "Ales"},
            ["name", "type", "date", "role"],
            ("Ales Byalyatski", "LetterWriting", "2012-12-07", "target"),
        ),
        (
            "relations-of-organisation",
            {"organisation": "FIDH"},
            ["subjectLabel", "relation", "objectLabel", "role"],
            (
                "Ales Byalyatski",
                "memberOf",
                "International Federation for Human Rights",
                "vice president",
            ),
        ),
        (
            "relations-with-evidence",
            {"entity": "Ales Byalyatski", "property": "LEADEROF"},
            ["subjectLabel", "relation", "objectLabel", "role"],
            ("Ales Byalyatski", "leaderOf", "Viansa", "head"),
        ),
        (
            "persons-with-status",
            {"status": "political prisoner"},
            ["personLabel", "statusText"],
            ("Andrei Sannikov", "former political prisoner"),
        ),
        ("countries-mentioned", {}, ["countryName", "code"], ("Belarus", "BY")),
        ("countries-mentioned", {}, ["countryName", "code", "events"], ("Paraguay", "PY", "1")),
        (
            "events-with-quantities",
            {"type": "letterwriting", "minimum": "100000"},
            ["eventType", "amount", "qualifier"],
            ("LetterWriting", "104731", "as many as"),
        ),
        (
            "event-sources",
            {},
            ["article", "title", "publisher", "words"],
            (
                "seed",
                "100,000 people across the world support Ales Byalyatski",
                "Charter 97",
                "Letter Writing",
            ),
        ),
        (
            "articles-mentioning-both",
            {"actor1": "ales byalyatski", "actor2": "AMNESTY INTERNATIONAL"},
            ["article", "name1", "name2"],
            ("seed", "Ales Byalyatski", "Amnesty International"),
        ),
        (
            "acted-for-or-against",
            {"person": "Ales Byalyatski"},
            ["side", "how", "actorLabel", "actorKind"],
            ("for", "supports", "Amnesty International", "Organisation"),
        ),
        (
            "acted-for-or-against",
            {"person": "Ales Byalyatski"},
            ["side", "how", "actorLabel"],
            ("for", "organiser of LetterWriting", "Amnesty International"),
        ),
        (
            "organisation-campaigns",
            {"organisation": "Amnesty International"},
            ["organisationLabel", "eventType", "date", "targetLabel"],
            ("Amnesty International", "LetterWriting", "2012-12-07", "Ales Byalyatski"),
        ),
        (
            "events-by-type",
            {"type": "petition"},
            ["eventType", "countries", "article"],
            ("Petition", "PY", "seed"),
        ),
        (
            "events-by-type",
            {"year": "2012"},
            ["eventType", "date"],
            ("LetterWriting", "2012-12-07"),
        ),
        (
            "event-counts",
            {"by": "month"},
            ["period", "eventType", "events"],
            ("2012-12", "LetterWriting", "1"),
        ),
        ("event-counts", {}, ["period", "eventType"], ("undated", "Imprisonment")),
        (
            "campaign-countries",
            {"organisation": "amnesty international"},
            ["country", "code", "actions"],
            ("Paraguay", "PY", "Petition"),
        ),
        (
            "co-participation",
            {},
            ["actor1", "actor2", "events"],
            ("Amnesty International", "Ales Byalyatski", "1"),
        ),
        (
            "facts-with-sources",
            {"entity": "FIDH"},
            ["name", "fact", "value"],
            (
                "International Federation for Human Rights",
                "inverse memberOf",
                "Ales Byalyatski",
            ),
        ),
        (
            "organisations-acting-for",
            {"person": "ALES BYALYATSKI"},
            ["organisation", "how"],
            ("Amnesty International", "supports"),
        ),
        ("events-by-country", {"country": "py"}, ["code", "type"], ("PY", "Petition")),
    ],
)
def test_queries_find_what_the_seed_holds(seed_store, name, params, columns, expected):
    found = [pick(row, columns) for row in rows(seed_store, name, **params)]
    assert expected in found


def test_most_mentioned_actors_rank_the_seeds_subject_first(seed_store):
    ranked = rows(seed_store, "most-mentioned-actors", kind="Person")
    assert ranked[0]["actor"] == "Ales Byalyatski"
    assert {r["type"] for r in ranked} == {"Person"}
    mentions = [(int(r["articles"]), int(r["mentions"])) for r in ranked]
    assert mentions == sorted(mentions, reverse=True)


def test_a_timeline_is_in_date_order_with_undated_events_last(seed_store):
    dates = [r["date"] for r in rows(seed_store, "person-timeline", person="Ales Byalyatski")]
    dated = [d for d in dates if d]
    assert dated == sorted(dated)
    assert dates == dated + [None] * (len(dates) - len(dated))


def test_filters_narrow_and_unknown_values_find_nothing(seed_store):
    everything = rows(seed_store, "events-by-type")
    assert {r["eventType"] for r in everything} >= {"LetterWriting", "Petition", "Imprisonment"}
    assert rows(seed_store, "events-by-type", year="1999") == []
    assert rows(seed_store, "events-by-type", country="GE") == []
    assert rows(seed_store, "persons-with-status", status="no such status") == []
    assert rows(seed_store, "relations-of-organisation", organisation="No Such NGO") == []


def test_event_sources_give_offsets_inside_their_sentence(seed_store):
    found = rows(seed_store, "event-sources")
    assert found
    for row in found:
        assert int(row["start"]) < int(row["end"])
        assert row["words"] in row["sentence"]


def test_counts_of_co_mentions_agree_with_the_mentions(seed_store):
    (both,) = rows(seed_store, "articles-mentioning-both")
    actors = {r["actor"]: int(r["mentions"]) for r in rows(seed_store, "most-mentioned-actors")}
    assert int(both["mentions1"]) == actors["Ales Byalyatski"]
    assert int(both["mentions2"]) == actors["Amnesty International"]


# --- hostile parameter values ----------------------------------------------------------


PARAMS = [(name, p.name) for name in sorted(QUERIES) for p in QUERIES[name].params]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(("name", "param"), PARAMS)
def test_hostile_values_change_nothing(seed_store, name, param, value):
    before = len(seed_store)
    try:
        run_query(seed_store, name, {param: value})
    except QueryError as exc:  # a value that does not fit its type (int, iri) is refused
        assert "not a valid" in str(exc)
    assert len(seed_store) == before
