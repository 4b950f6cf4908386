"""Precision on a text that reports no event: legal commentary with bylines and ad lines."""

from __future__ import annotations

from kg.build import build_article_graph
from kg.io import read_articles
from kg.ontology import HR
from tests.conftest import ROOT

COMMENTARY = ROOT / "tests" / "data" / "commentary.txt"
ACTS = {
    "arrest",
    "detention",
    "imprisonment",
    "sentencing",
    "trial",
    "release",
    "killing",
    "torture",
    "disappearance",
}


def test_commentary_yields_no_act_against_anyone(parse):
    (article,) = list(read_articles([COMMENTARY]))
    doc = parse(article.text)
    found = [(e.type, e.triggers) for e in doc._.hr_events if e.type in ACTS]
    assert found == []


def test_commentary_still_finds_its_people_and_no_junk(parse):
    (article,) = list(read_articles([COMMENTARY]))
    doc = parse(article.text)
    persons = {e.label for e in doc._.hr_entities if e.kind == "person"}
    assert {"Maria Keller", "Tomasz Wren"} <= persons
    labels = {e.label.casefold() for e in doc._.hr_entities}
    assert "advertisement" not in labels and "getty images" not in labels | persons


def test_commentary_graph_has_no_event_nodes_of_those_types(parse):
    (article,) = list(read_articles([COMMENTARY]))
    graph = build_article_graph(article, parse(article.text))
    for kind in (HR.Arrest, HR.Detention, HR.Imprisonment, HR.Sentencing, HR.Release):
        assert not list(graph.subjects(None, kind))
