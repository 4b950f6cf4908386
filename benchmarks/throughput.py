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
make the timings stable.  Figures are printed; nothing is asserted.
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
from kg.ingest import BuildReport, ingest
from kg.io import read_articles
from kg.query import bind, load_queries, with_values
from kg.store import PREFIXES, Store

ROOT = Path(__file__).resolve().parents[1]


def timed(label: str, words: int, articles: int, run) -> float:
    """Run ``run()``, print articles/s and words/s, return seconds."""
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(
        f"{label:42} {seconds:8.2f} s {articles / seconds:9.1f} articles/s "
        f"{words / seconds:10.0f} words/s"
    )
    return seconds


def build_once(articles: list[Article], processes: int) -> tuple[float, BuildReport]:
    """Seconds for a fresh build of ``articles`` with ``processes``, model loading included."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = ingest(articles, Store(Path(tmp) / "store"), processes=processes)
        return time.perf_counter() - start, report


def compare_processes(articles: list[Article], words: int, counts: list[int]) -> None:
    """Print the build's words/s with each number of processes, and the speed-up over the first."""
    print(
        f"{'processes':>9} {'total s':>8} {'start-up s':>10} {'words/s':>9} {'steady w/s':>10}"
        f" {'speed-up':>8} {'steady speed-up':>15}"
    )
    base: tuple[float, float] | None = None
    for n in counts:
        startup, _ = build_once(articles[:1], n)
        total, report = build_once(articles, n)
        assert not report.failures, report.failures[:3]
        steady = words / max(total - startup, 1e-9)
        base = base or (words / total, steady)
        print(
            f"{n:9d} {total:8.2f} {startup:10.2f} {words / total:9.0f} {steady:10.0f}"
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
    t_raw = timed(
        "baseline: spaCy model alone (nlp.pipe)",
        words,
        len(articles),
        lambda: list(raw.pipe(texts, batch_size=16)),
    )
    t_full = timed(
        "hrkg pipeline (model + our components)",
        words,
        len(articles),
        lambda: list(pipe_docs(nlp, ((a.text, a.date) for a in articles))),
    )
    print(f"{'  our components cost':42} {100 * (t_full / t_raw - 1):8.1f} % over the model\n")

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "store")
        t_build = timed(
            "hrkg build: extract + RDF + store",
            words,
            len(articles),
            lambda: ingest(articles, store, nlp, force=True),
        )
        print(f"{'  build words/s / bare model words/s':42} {t_raw / t_build:8.2f} (target 0.85)")
        quads = len(store)
        print(f"{'  quads stored':42} {quads:8d}\n")
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
