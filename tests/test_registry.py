"""Tests for the entity registry (``kg.registry``), kept in step with the article graphs.

The registry describes each entity once (type, labels, aliases, country
code), derived from the article graphs; named queries look names up there so
that their rows do not multiply with the number of articles.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from test_graph import JANE, POLICE, VIASNA, built
from test_views import three_articles

from kg.iris import entity_iri
from kg.privacy import forget_article
from kg.query import run_query
from kg.registry import REGISTRY
from kg.store import Store

IN_REGISTRY = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{REGISTRY}> {{ ?s ?p ?o }} }}"


def registry(store: Store) -> set[tuple[str, str, str]]:
    return {tuple(str(t) for t in row) for row in store.query(IN_REGISTRY).rows}


def labels(store: Store) -> set[str]:
    return {o for _, p, o in registry(store) if p.endswith(("#label", "#altLabel"))}


def jane_article(article_id: str, alias_text: str, alias: str) -> object:
    """An article where Jane Doe, also called ``alias``, is arrested by the police."""
    text = f"Police arrested Jane Doe. {alias_text}"
    return built(
        article_id,
        text,
        [(JANE, "Jane Doe", "Jane Doe"), (POLICE, "Police", "Police")],
        [("arrest", "arrested", [("agent", POLICE), ("target", JANE)], None)],
        aliases={JANE: [alias]} if alias else None,
    )


def test_each_entity_is_described_once_with_the_names_of_every_article():
    store = three_articles()
    jane = [t for t in registry(store) if t[0].endswith("/person/jane-doe")]
    assert sorted(p.rsplit("#", 1)[-1] for _, p, _ in jane) == ["label", "type"]
    assert {"Jane Doe", "Ivan Petrov", "KGB", "Ukraine", "Belarus"} <= labels(store)


def test_a_name_used_in_one_article_finds_facts_of_every_article():
    store = Store(None)
    store.replace_graph(jane_article("a1", "Doe is 30.", "Doe"))
    store.replace_graph(jane_article("a2", "She was freed later.", ""))
    rows = run_query(store, "person-timeline", {"person": "Doe"}).dicts()
    assert {r["article"] for r in rows} == {"a1", "a2"}  # "Doe" is only said in a1


def test_rows_grow_linearly_with_the_articles_that_repeat_a_fact():
    one, three = Store(None), Store(None)
    one.replace_graph(jane_article("a1", "Doe is 30.", "Doe"))
    for n in (1, 2, 3):
        three.replace_graph(jane_article(f"a{n}", "Doe is 30.", "Doe"))
    single = run_query(one, "person-timeline", {"person": "Jane Doe"}).rows
    triple = run_query(three, "person-timeline", {"person": "Jane Doe"}).rows
    assert len(triple) == 3 * len(single) > 0


def test_replacing_an_article_drops_names_no_article_gives_any_more():
    store = Store(None)
    store.replace_graph(jane_article("a1", "Doe is 30.", "Doe"))
    store.replace_graph(jane_article("a2", "Viasna said so.", ""))
    assert "Doe" in labels(store)
    store.replace_graph(jane_article("a1", "She is 30.", ""))
    assert "Doe" not in labels(store)
    assert "Jane Doe" in labels(store)


def test_forgetting_an_article_drops_the_entities_only_it_mentioned():
    store = three_articles()
    forget_article(store, "a3")
    assert "Ukraine" not in labels(store)
    assert "Ivan Petrov" in labels(store)  # a2 still names him


def test_a_store_written_without_a_registry_gets_one_when_opened(tmp_path):
    path = tmp_path / "old"
    old = Store(path)
    old.oxigraph.extend(three_articles().dataset_quads())
    old.oxigraph.update(f"DROP GRAPH <{REGISTRY}>")
    old.flush()
    expected_rows = len(run_query(three_articles(), "person-timeline", {"person": "Jane Doe"}).rows)
    del old
    reopened = Store(path)
    assert reopened.oxigraph.contains_named_graph(ox.NamedNode(str(REGISTRY)))
    assert labels(reopened) == labels(three_articles())
    assert len(run_query(reopened, "person-timeline", {"person": "Jane Doe"}).rows) == expected_rows


@pytest.mark.parametrize("name", ["viasna", "VIASNA"])
def test_names_match_case_insensitively_through_the_registry(name):
    rows = run_query(three_articles(), "organisation-campaigns", {"organisation": name}).dicts()
    assert {r["organisationIri"] for r in rows} == {str(entity_iri(VIASNA))}
