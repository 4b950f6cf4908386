"""Median latency of every named query on a graph of a million triples or more.

Builds the input articles with the real pipeline, replicates their graphs
(:mod:`benchmarks.synthetic`) up to ``--triples``, bulk-loads them into a
pyoxigraph store on disk, then times every named query (default
parameters) three ways on the same data:

* the embedded store (``kg.store.Store.query``);
* the served endpoint (``hrkg serve``: the Oxigraph server behind hrkg's app), over HTTP;
* rdflib's in-memory engine (in a child process, each query cut off at ``--rdflib-timeout``).

Usage::

    .venv/bin/python benchmarks/query_latency.py [ARTICLES.jsonl ...] [--triples 1000000]

Figures are printed; nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import httpx
from synthetic import replicate

from kg.ingest import build
from kg.query import load_queries, prepare
from kg.serve.background import serve_in_background
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]


def median_ms(run, repeat: int) -> float:
    """Median wall time of ``run()`` in milliseconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def rdflib_worker(nquads: Path, texts: dict[str, str], timeout: int, out) -> None:
    """Load the dump into rdflib and time each query (child process)."""
    from rdflib import Dataset

    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(nquads, format="nquads")
    out.put(("load", (time.perf_counter() - start) * 1000))

    def alarm(*_):
        raise TimeoutError

    signal.signal(signal.SIGALRM, alarm)
    for name, text in texts.items():
        signal.alarm(timeout)
        try:
            out.put((name, median_ms(lambda t=text: list(dataset.query(t)), 1)))
        except TimeoutError:
            out.put((name, None))
        except Exception as exc:
            out.put((name, type(exc).__name__))
        finally:
            signal.alarm(0)
    out.put(("done", None))


def embedded_latencies(location: Path, texts: dict[str, str], repeat: int) -> dict[str, float]:
    """Median latency of each query on the embedded store (opened, then closed again)."""
    store = Store(location)
    return {name: median_ms(lambda t=text: store.query(t), repeat) for name, text in texts.items()}


def endpoint_latencies(location: Path, texts: dict[str, str], repeat: int) -> dict[str, float]:
    """Median latency of each query through ``hrkg serve`` over HTTP."""
    results = {}
    with (
        serve_in_background(location, timeout_s=300, max_rows=1_000_000) as base,
        httpx.Client(timeout=600) as client,
    ):
        for name, text in texts.items():

            def run(text: str = text) -> None:
                response = client.post(
                    f"{base}/sparql",
                    data={"query": text},
                    headers={"Accept": "application/sparql-results+json"},
                )
                response.raise_for_status()

            results[name] = median_ms(run, repeat)
    return results


def main() -> None:
    """Build, replicate, load, measure, print."""
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "examples" / "seed.jsonl"])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--rdflib-timeout", type=int, default=120, help="seconds per query; 0 skips the rdflib leg"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        base = Store(Path(tmp) / "base")
        build(args.inputs, base)
        quads = list(base.dataset_quads())
        copies = max(1, -(-args.triples // len(quads)))
        location = Path(tmp) / "big"
        store = ox.Store(str(location))
        start = time.perf_counter()
        store.bulk_extend(replicate(quads, copies))
        store.flush()
        seconds = time.perf_counter() - start
        total = len(store)
        print(
            f"{len(quads)} quads built from {len(args.inputs)} input(s), x{copies} copies = "
            f"{total} quads; bulk load {seconds:.1f} s ({total / seconds:,.0f} quads/s)\n"
        )
        nquads = Path(tmp) / "big.nq"
        store.dump(str(nquads), ox.RdfFormat.N_QUADS)
        del store

        texts = {name: prepare(name) for name in load_queries()}
        embedded = embedded_latencies(location, texts, args.repeat)
        served = endpoint_latencies(location, texts, args.repeat)

        rdflib_times: dict[str, object] = {}
        if args.rdflib_timeout > 0:
            queue: mp.Queue = mp.Queue()
            child = mp.Process(
                target=rdflib_worker, args=(nquads, texts, args.rdflib_timeout, queue)
            )
            child.start()
            while True:
                key, value = queue.get()
                if key == "done":
                    break
                rdflib_times[key] = value
            child.join()
            print(f"rdflib load of the same quads: {rdflib_times.pop('load') / 1000:.1f} s\n")
        print(f"{'query':30} {'embedded':>10} {'endpoint':>10} {'rdflib':>12} {'speed-up':>9}")
        for name in texts:
            slow = rdflib_times.get(name)
            if not args.rdflib_timeout:
                rdflib_text = "skipped"
            elif isinstance(slow, float):
                rdflib_text = f"{slow:10.0f}ms"
            else:
                rdflib_text = f">{args.rdflib_timeout}s" if slow is None else str(slow)
            ratio = f"{slow / embedded[name]:8.0f}x" if isinstance(slow, float) else ""
            served_text = f"{served[name]:8.1f}ms" if name in served else "n/a"
            print(
                f"{name:30} {embedded[name]:8.1f}ms {served_text:>10} {rdflib_text:>12} {ratio:>9}"
            )


if __name__ == "__main__":
    main()
