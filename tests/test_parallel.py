"""Tests for streaming, batched, resumable and multi-process builds (kg.parallel, kg.ingest).

The texts are hand-written for these tests.  Stores are compared as sets of
N-Quads lines: the same input must give the same quads however it is built.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.article import Article
from kg.errors import HrkgError
from kg.ingest import BuildReport, GraphWriter, build, ingest, replace_graphs
from kg.parallel import BuiltGraph, Failure, extract_batch, resolve_processes
from kg.store import Store

TEXTS = [
    "Police in Minsk arrested the journalist Ales Byalyatski on Friday.",
    "Thousands protested in Tbilisi against the new law on foreign agents.",
    "A court in Moscow sentenced Oleg Orlov to two and a half years in prison.",
    "Amnesty International called for the release of all detained protesters in Belarus.",
    "Human Rights Watch said security forces beat demonstrators in Yerevan.",
    "The authorities in Baku detained three reporters and searched their homes.",
]


def articles(n: int = len(TEXTS)) -> list[Article]:
    """``n`` short hand-written articles (texts repeat with a numbered suffix past six)."""
    return [
        Article(
            id=f"a{i}",
            text=f"{TEXTS[i % len(TEXTS)]} Report {i}.",
            source=f"test line {i + 1}",
        )
        for i in range(n)
    ]


def write_jsonl(path: Path, items: list[Article]) -> Path:
    lines = [json.dumps({"id": a.id, "text": a.text}) for a in items]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def nquads(store: Store) -> set[bytes]:
    return set(store.dump("nq").splitlines())


def graph(iri: str, triple: str) -> BuiltGraph:
    return BuiltGraph(iri, triple, triples=1, entities=0, events=0, relations=0)


GOOD = "<https://example.org/s> <https://example.org/p> <https://example.org/o> ."
BAD = "<https://example.org/s> <https://example.org/p> not-a-term ."


# --- streaming ------------------------------------------------------------------------------


def test_articles_are_read_lazily_not_all_at_once(nlp, tmp_path):
    pulled: list[str] = []

    def source() -> Iterator[Article]:
        for article in articles(12):
            pulled.append(article.id)
            yield article

    first: list[int] = []
    store = Store(tmp_path / "store")
    report = ingest(
        source(),
        store,
        nlp,
        batch_size=2,
        write_batch=2,
        on_article=lambda a: first.append(len(pulled)) if not first else None,
    )
    assert report.articles == 12
    assert first and first[0] <= 4, "the first graphs are stored before the input is read"


def test_progress_counts_every_document_and_the_words(nlp, store):
    items = [*articles(3), articles(1)[0]]  # the last repeats an id
    seen: list[int] = []
    report = ingest(items, store, nlp, on_progress=lambda r: seen.append(r.processed))
    assert report.processed == 4 and seen[-1] == 4
    assert report.words == sum(len(a.text.split()) for a in items[:3])
    assert report.seconds > 0 and report.words_per_second > 0


# --- batched writes -------------------------------------------------------------------------


def test_a_batch_of_graphs_is_one_transaction(store):
    replace_graphs(store, [graph("https://example.org/g1", GOOD)])
    with pytest.raises(SyntaxError):
        replace_graphs(
            store, [graph("https://example.org/g1", ""), graph("https://example.org/g2", BAD)]
        )
    assert len(store) == 1, "the first graph was neither dropped nor rewritten"


def test_a_bad_graph_in_a_batch_fails_alone(store):
    report = BuildReport()
    stored: list[str] = []
    writer = GraphWriter(store, report, max_articles=3, on_article=lambda a: stored.append(a.id))
    for name, triple in (("a", GOOD), ("b", BAD), ("c", GOOD)):
        article = Article(id=name, text="x", source=f"{name}.jsonl line 1")
        writer.add(article, graph(f"https://example.org/{name}", triple))
    assert stored == ["a", "c"] and report.articles == 2
    assert len(report.failures) == 1
    assert report.failures[0].startswith("b.jsonl line 1: article 'b': cannot write graph")
    assert len(store) == 2


def test_an_article_that_breaks_the_pipeline_fails_alone(nlp):
    batch = articles(3)
    broken = Article(id="broken", text=None, source="x line 2")  # type: ignore[arg-type]
    results = extract_batch(nlp, [batch[0], broken, batch[1]])
    assert [type(r) for r in results] == [BuiltGraph, Failure, BuiltGraph]
    assert results[1].message.startswith("x line 2: article 'broken': extraction failed: ")


# --- resuming -------------------------------------------------------------------------------


class Interrupted(Exception):
    pass


def test_an_interrupted_build_continues_where_it_stopped(nlp, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", articles(7))
    clean = Store(None)
    build([path], clean, nlp)

    def stop_after_three(article: Article, done: list[str] = []) -> None:  # noqa: B006
        done.append(article.id)
        if len(done) == 3:
            raise Interrupted

    store = Store(tmp_path / "store")
    with pytest.raises(Interrupted):
        build([path], store, nlp, batch_size=2, write_batch=2, on_article=stop_after_three)
    committed = set(store.article_hashes())
    assert 3 <= len(committed) < 7, "whole batches were committed, not the rest"

    report = build([path], store, nlp, batch_size=2, write_batch=2)
    assert (report.skipped, report.articles, report.failures) == (
        len(committed),
        7 - len(committed),
        [],
    )
    assert nquads(store) == nquads(clean)


def test_building_half_then_the_whole_gives_the_clean_build(nlp, tmp_path):
    items = articles(6)
    half, whole = (
        write_jsonl(tmp_path / "half.jsonl", items[:3]),
        write_jsonl(tmp_path / "whole.jsonl", items),
    )
    store, clean = Store(tmp_path / "store"), Store(None)
    build([whole], clean, nlp)
    assert build([half], store, nlp).articles == 3
    report = build([whole], store, nlp)
    assert (report.skipped, report.articles) == (3, 3)
    assert nquads(store) == nquads(clean)


# --- processes ------------------------------------------------------------------------------


def test_two_processes_build_the_same_quads_as_one(nlp, tmp_path):
    path = write_jsonl(tmp_path / "in.jsonl", articles(6))
    one, two = Store(tmp_path / "one"), Store(tmp_path / "two")
    first = build([path], one, nlp, batch_size=2)
    second = build([path], two, processes=2, batch_size=2)
    assert (second.articles, second.failures) == (6, [])
    assert (second.entities, second.events, second.triples) == (
        first.entities,
        first.events,
        first.triples,
    )
    assert nquads(two) == nquads(one) and nquads(one)


def test_processes_zero_means_one_per_core_and_negative_is_refused():
    assert resolve_processes(0) >= 1
    with pytest.raises(HrkgError, match="--processes -1"):
        resolve_processes(-1)
