"""The one-object Python API, end to end on the seed article."""

from __future__ import annotations

import pytest

from kg.api import KnowledgeGraph
from tests.conftest import SEED


@pytest.fixture(scope="module")
def graph(nlp, tmp_path_factory):
    kg = KnowledgeGraph(tmp_path_factory.mktemp("api") / "store")
    kg._nlp = nlp  # share the session's pipeline instead of loading a second one
    report = kg.add([SEED])
    assert report.articles == 1
    return kg


def test_query_with_keyword_parameters_into_a_dataframe(graph):
    frame = graph.query("person-timeline", person="Ales").to_dataframe()
    columns = ["name", "date", "type", "role", "trigger", "others", "article"]
    assert list(frame.columns)[: len(columns)] == columns
    assert set(frame["name"]) == {"Ales Byalyatski"}
    assert "2012-12-07" in set(frame["date"].dropna())
    assert not frame.duplicated().any()  # one row per event and role


def test_networkx_stats_validation_and_export_agree(graph):
    nxg = graph.to_networkx()
    stats = graph.stats()
    persons = sum(1 for _, a in nxg.nodes(data=True) if a["type"] == "Person")
    assert persons == stats["persons"]
    assert graph.validate().conforms
    assert graph.export("nq").count(b"\n") == stats["quads"]


def test_adding_the_same_article_again_is_skipped(graph):
    before = graph.stats()["quads"]
    report = graph.add([SEED])
    assert (report.articles, report.skipped) == (0, 1)
    assert graph.stats()["quads"] == before
