"""Store benchmark: bulk load rate and every named query's median latency at 1M, 10M ... triples.

Builds the input articles with the real pipeline, replicates their graphs
(:mod:`benchmarks.synthetic`) up to each ``--triples`` size, bulk-loads them
into a pyoxigraph store on disk (quads/s printed), then times every named
query (default parameters) three ways on the same data:

* the embedded store (``kg.store.Store.query``);
* the served endpoint (``hrkg serve``: the Oxigraph server behind hrkg's app), over HTTP;
* rdflib's in-memory engine (in a child process, each query cut off at ``--rdflib-timeout``).

Usage::

    .venv/bin/python benchmarks/store.py [ARTICLES.jsonl ...] [--triples 1000000 10000000]

rdflib is only tried up to ``--rdflib-max`` triples (loading 1M quads into it
takes ~40 s and several GB); a query it does not finish within
``--rdflib-timeout`` gives a lower bound on the speed-up ("≥20x").

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


def measure(quads: list, size: int, args: argparse.Namespace, tmp: Path) -> None:
    """Replicate ``quads`` to ``size`` triples, load, time every query, print a table."""
    copies = max(1, -(-size // len(quads)))
    location = tmp / f"big-{size}"
    store = ox.Store(str(location))
    start = time.perf_counter()
    store.bulk_extend(replicate(quads, copies))
    store.flush()
    seconds = time.perf_counter() - start
    total = len(store)
    print(
        f"== {size:,} triples asked: {len(quads)} quads x{copies} copies = {total:,} quads; "
        f"bulk load {seconds:.1f} s ({total / seconds:,.0f} quads/s)\n"
    )
    nquads = tmp / f"big-{size}.nq"
    try_rdflib = args.rdflib_timeout > 0 and total <= args.rdflib_max
    if try_rdflib:
        store.dump(str(nquads), ox.RdfFormat.N_QUADS)
    del store

    texts = {name: prepare(name) for name in load_queries()}
    embedded = embedded_latencies(location, texts, args.repeat)
    served = endpoint_latencies(location, texts, args.repeat)
    rdflib_times = rdflib_latencies(nquads, texts, args.rdflib_timeout) if try_rdflib else {}
    if try_rdflib:
        print(f"rdflib load of the same quads: {rdflib_times.pop('load') / 1000:.1f} s\n")
    print(f"{'query':30} {'embedded':>10} {'endpoint':>10} {'rdflib':>12} {'speed-up':>9}")
    for name in texts:
        slow = rdflib_times.get(name)
        if not try_rdflib:
            rdflib_text, ratio = "not tried", ""
        elif isinstance(slow, float):
            rdflib_text, ratio = f"{slow:10.0f}ms", f"{slow / embedded[name]:8.0f}x"
        elif slow is None:
            bound = args.rdflib_timeout * 1000 / embedded[name]
            rdflib_text, ratio = f">{args.rdflib_timeout}s", f">={bound:.0f}x"
        else:
            rdflib_text, ratio = str(slow), ""
        print(
            f"{name:30} {embedded[name]:8.1f}ms {served[name]:8.1f}ms {rdflib_text:>12} {ratio:>9}"
        )
    print()


def rdflib_latencies(nquads: Path, texts: dict[str, str], timeout: int) -> dict[str, object]:
    """Run :func:`rdflib_worker` in a child process and collect its timings."""
    queue: mp.Queue = mp.Queue()
    child = mp.Process(target=rdflib_worker, args=(nquads, texts, timeout, queue))
    child.start()
    times: dict[str, object] = {}
    while True:
        key, value = queue.get()
        if key == "done":
            break
        times[key] = value
    child.join()
    return times


def main() -> None:
    """Build, then for each size: replicate, load, measure, print."""
    sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "examples" / "seed.jsonl"])
    parser.add_argument("--triples", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--rdflib-timeout", type=int, default=120, help="seconds per query; 0 skips the rdflib leg"
    )
    parser.add_argument(
        "--rdflib-max", type=int, default=2_000_000, help="largest graph rdflib is tried on"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Store(Path(tmp) / "base")
        build(args.inputs, base)
        quads = list(base.dataset_quads())
        print(f"{len(quads)} quads built from {len(args.inputs)} input(s)\n")
        for size in args.triples:
            measure(quads, size, args, Path(tmp))


if __name__ == "__main__":
    main()
