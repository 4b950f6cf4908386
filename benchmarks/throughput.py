"""Throughput and memory of hrkg against its baselines, measured in one run.

Compares, on the same articles:

* extraction: the bare spaCy model (``nlp.pipe``) vs. the full hrkg pipeline;
* building: extraction + RDF build + pyoxigraph store, per article and per word,
  as a ratio of the bare model's words/s;
* processes: the build with 1, 2 ... local processes (``--processes 1 2``), end to
  end and in steady state (less the start-up: spawning, importing, loading the
  model, measured on a one-article build), with the speed-up over 1 process;
* querying: every named query on the pyoxigraph store vs. the same queries on
  an rdflib in-memory ``Dataset`` holding the same quads.

Usage::

    .venv/bin/python benchmarks/throughput.py [ARTICLES.jsonl ...] [--repeat N]
        [--processes 1 2] [--no-queries]

Without arguments it uses the bundled ``examples/seed.jsonl``, repeated to
make the timings stable.  Each figure is the best of three runs, and CPU
seconds are printed beside wall-clock ones: on a shared machine, trust ratios
of CPU seconds.  Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import spacy
from rdflib import Dataset

from kg.article import Article
from kg.extract.pipeline import DEFAULT_MODEL, load_pipeline, pipe_docs
from kg.ingest import BuildReport, GraphWriter, ingest
from kg.io import read_articles
from kg.parallel import chunked, extract_batch
from kg.query import bind, load_queries, with_values
from kg.store import PREFIXES, Store

ROOT = Path(__file__).resolve().parents[1]


ROUNDS = 3  # each figure is the best of this many runs: the machine may be shared


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def best_of(run, rounds: int = ROUNDS) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of ``rounds`` runs of ``run()``.

    CPU seconds do not grow when other programs share the cores, so ratios of
    them are the figures to trust on a busy machine; wall-clock speed-ups are not.
    """
    runs = []
    for _ in range(rounds):
        cpu, start = cpu_seconds(), time.perf_counter()
        run()
        runs.append((time.perf_counter() - start, cpu_seconds() - cpu))
    return min(runs)


def timed(label: str, words: int, articles: int, run) -> tuple[float, float]:
    """Run ``run()`` (best of :data:`ROUNDS`), print its rates; return (wall, CPU) seconds."""
    wall, cpu = best_of(run)
    print(
        f"{label:42} {wall:7.2f} s {articles / wall:7.1f} articles/s "
        f"{words / wall:7.0f} words/s {words / cpu:7.0f} words/CPU-s"
    )
    return wall, cpu


def time_writes(nlp, articles: list[Article]) -> float:
    """Seconds to write the articles' built graphs into a fresh store, batch by batch.

    This is what the one process that owns the store does for a cluster: its
    articles/s is the ceiling of a cluster build, however many workers extract.
    """
    results = [r for batch in chunked(articles, 8) for r in extract_batch(nlp, batch)]
    report = BuildReport()
    with tempfile.TemporaryDirectory() as tmp:
        writer = GraphWriter(Store(Path(tmp) / "store"), report)
        start = time.perf_counter()
        for article, result in zip(articles, results, strict=True):
            writer.add(article, result)
        writer.flush()
        seconds = time.perf_counter() - start
    assert report.articles == len(articles), report.failures[:3]
    return seconds


def build_once(articles: list[Article], processes: int) -> BuildReport:
    """A fresh build of ``articles`` with ``processes``, model loading included."""
    with tempfile.TemporaryDirectory() as tmp:
        report = ingest(articles, Store(Path(tmp) / "store"), processes=processes)
    assert not report.failures, report.failures[:3]
    return report


def compare_processes(articles: list[Article], words: int, counts: list[int]) -> None:
    """Print the build's words/s with each number of processes, and the speed-up over the first.

    *Steady* figures leave out the start-up (spawning, imports, loading the
    model), measured as a build of one article with the same processes.
    """
    print(
        f"{'processes':>9} {'total s':>8} {'start-up s':>10} {'CPU s':>7} {'words/s':>8}"
        f" {'steady w/s':>10} {'speed-up':>8} {'steady speed-up':>15}"
    )
    base: tuple[float, float] | None = None
    for n in counts:
        startup, _ = best_of(lambda n=n: build_once(articles[:1], n))
        total, cpu = best_of(lambda n=n: build_once(articles, n))
        steady = words / max(total - startup, 1e-9)
        base = base or (words / total, steady)
        print(
            f"{n:9d} {total:8.2f} {startup:10.2f} {cpu:7.2f} {words / total:8.0f} {steady:10.0f}"
            f" {words / total / base[0]:7.2f}x {steady / base[1]:14.2f}x"
        )


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "examples" / "seed.jsonl"])
    parser.add_argument("--repeat", type=int, default=20, help="copies of the corpus to process")
    parser.add_argument(
        "--processes", type=int, nargs="*", default=[1, 2], help="process counts to compare"
    )
    parser.add_argument("--no-queries", action="store_true", help="skip the query timings")
    args = parser.parse_args()

    base = [a for a in read_articles(args.inputs) if isinstance(a, Article)]
    articles = [replace(a, id=f"{a.id}#{n}") for n in range(args.repeat) for a in base]
    words = sum(len(a.text.split()) for a in articles)
    print(f"{len(articles)} articles ({len(base)} distinct x {args.repeat}), {words} words")
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}\n")

    raw = spacy.load(DEFAULT_MODEL, exclude=["senter"])
    nlp = load_pipeline()
    texts = [a.text for a in articles]
    t_raw, c_raw = timed(
        "baseline: spaCy model alone (nlp.pipe)",
        words,
        len(articles),
        lambda: list(raw.pipe(texts, batch_size=16)),
    )
    t_full, _ = timed(
        "hrkg pipeline (model + our components)",
        words,
        len(articles),
        lambda: list(pipe_docs(nlp, ((a.text, a.date) for a in articles))),
    )
    print(f"{'  our components cost':42} {100 * (t_full / t_raw - 1):8.1f} % over the model\n")

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        t_build, c_build = timed(
            "hrkg build: extract + RDF + store",
            words,
            len(articles),
            lambda: ingest(articles, store, nlp, force=True),
        )
        print(
            f"{'  build words/s / bare model words/s':42} {t_raw / t_build:7.2f} "
            f"(per CPU-s: {c_raw / c_build:.2f}; target 0.85)"
        )
        quads = len(store)
        print(f"{'  quads stored':42} {quads:8d}")
        writes = time_writes(nlp, articles)
        print(
            f"{'  store writes alone (one writer)':42} {writes:7.2f} s "
            f"{len(articles) / writes:7.0f} articles/s {words / writes:7.0f} words/s\n"
        )
        if args.processes:
            compare_processes(articles, words, args.processes)
            print()
        if not args.no_queries:
            compare_queries(store)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {peak:.0f} MiB")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def compare_queries(store: Store) -> None:
    """Time every named query on the pyoxigraph store and on an rdflib Dataset."""
    dataset = Dataset(default_union=True)
    dataset.parse(data=store.dump("nq"), format="nquads")
    init_ns = {k: v for k, v in PREFIXES.items()}
    print(f"{'query':28} {'pyoxigraph':>12} {'rdflib':>12} {'rows':>6}")
    for name, query in load_queries().items():
        text = with_values(query.text, bind(query, {}))
        start = time.perf_counter()
        ox_rows = store.query(text).rows
        t_ox = time.perf_counter() - start
        start = time.perf_counter()
        try:
            rdflib_rows = list(dataset.query(text, initNs=init_ns))
        except Exception as exc:
            print(
                f"{name:28} {t_ox * 1000:10.1f}ms {'failed':>12} {len(ox_rows):6d}"
                f"  (rdflib: {type(exc).__name__})"
            )
            continue
        t_rdflib = time.perf_counter() - start
        same = len(ox_rows) == len(rdflib_rows)
        print(
            f"{name:28} {t_ox * 1000:10.1f}ms {t_rdflib * 1000:10.1f}ms {len(ox_rows):6d}"
            + ("" if same else f"  (rdflib: {len(rdflib_rows)} rows)")
        )


if __name__ == "__main__":
    main()
