"""Tests for builds on a Dask cluster (``kg.distributed``, ``hrkg build --cluster``).

A real two-worker ``LocalCluster`` on 127.0.0.1 runs the extraction; each
worker loads the model once.  The texts are hand-written for these tests.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import Future
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.article import Article
from kg.cli import app
from kg.distributed import cluster_runner
from kg.ingest import build, ingest
from kg.parallel import BuiltGraph, Failure
from kg.store import Store

distributed = pytest.importorskip("distributed")

TEXTS = {
    "minsk": "Police in Minsk arrested the journalist Ales Byalyatski on Friday.",
    "tbilisi": "Thousands protested in Tbilisi against the new law on foreign agents.",
    "moscow": "A court in Moscow sentenced Oleg Orlov to two and a half years in prison.",
    "baku": "Amnesty International condemned the detention of three reporters in Baku.",
}


@pytest.fixture(scope="module")
def cluster():
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as local,
        distributed.Client(local, set_as_default=False) as client,
    ):
        yield client


@pytest.fixture()
def corpus(tmp_path) -> Path:
    path = tmp_path / "corpus.jsonl"
    lines = [json.dumps({"id": k, "text": t, "date": "2024-05-03"}) for k, t in TEXTS.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def nquads(store: Store) -> set[bytes]:
    return set(store.dump("nq").splitlines())


def test_a_cluster_build_stores_the_same_quads_as_a_local_one(cluster, nlp, corpus, tmp_path):
    local, remote = Store(tmp_path / "local"), Store(tmp_path / "remote")
    expected = build([corpus], local, nlp)
    report = build([corpus], remote, cluster=cluster, batch_size=1, write_batch=3)
    assert (report.articles, report.failures) == (4, [])
    assert (report.entities, report.triples) == (expected.entities, expected.triples)
    assert nquads(remote) == nquads(local) and nquads(local)

    again = build([corpus], remote, cluster=cluster.scheduler.address)  # by address too
    assert (again.articles, again.skipped) == (0, 4)


def test_an_article_that_fails_on_a_worker_is_reported_and_the_rest_stored(cluster, store):
    items = [Article(id=k, text=t, source=f"line {i}") for i, (k, t) in enumerate(TEXTS.items())]
    broken = Article(id="broken", text=None, source="line 9")  # type: ignore[arg-type]
    report = ingest([items[0], broken, items[1]], store, cluster=cluster, force=True)
    assert report.articles == 2
    assert len(report.failures) == 1 and report.failures[0].startswith("line 9: article 'broken'")
    assert sorted(store.article_hashes()) == ["minsk", "tbilisi"]


class FakeClient:
    """Just enough of ``distributed.Client``: a batch task fails, single articles run here."""

    def __init__(self, nlp) -> None:
        self.nlp = nlp

    def submit(self, function, articles, *args, **kwargs) -> Future:
        future: Future = Future()
        if len(articles) > 1:
            future.set_exception(RuntimeError("worker died"))
        elif articles[0].id == "poison":
            future.set_exception(RuntimeError("worker died again"))
        else:
            from kg.parallel import extract_batch

            future.set_result(extract_batch(self.nlp, articles))
        return future

    def cancel(self, futures) -> None:
        pass


def test_a_failed_batch_is_retried_article_by_article(nlp):
    items = [Article(id=k, text=t) for k, t in TEXTS.items()][:2]
    poison = Article(id="poison", text="Police arrested him.", source="p line 1")
    with cluster_runner(FakeClient(nlp), window=2) as run:  # type: ignore[arg-type]
        [(_, results)] = list(run([[items[0], poison, items[1]]]))
    assert [type(r) for r in results] == [BuiltGraph, Failure, BuiltGraph]
    assert results[1].message == (
        "p line 1: article 'poison': worker failed: RuntimeError: worker died again"
    )


def test_no_scheduler_is_a_one_line_error_within_seconds(corpus, tmp_path):
    store = tmp_path / "store"
    start = time.monotonic()
    result = CliRunner().invoke(
        app, ["build", str(corpus), "--store", str(store), "--cluster", "tcp://127.0.0.1:1"]
    )
    assert time.monotonic() - start < 10
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:1")
    assert "\n" not in message and "Traceback" not in result.output
    assert not store.exists()
