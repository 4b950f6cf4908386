"""Peak memory of ``hrkg build`` as the corpus grows: is it flat in the number of articles?

For each size (``--sizes``, default 1,000 and 10,000 articles) a corpus is
generated with ``benchmarks/corpus.py`` from real source articles and built into
a fresh store by ``hrkg build`` in a fresh child process.  A baseline child
only imports what ``hrkg build`` imports, loads the model and the hrkg
pipeline, opens an empty store and parses one sentence, so the growth per
article is visible above it.

Measured per child: wall seconds, words/s, the peak resident set of the
largest process (``ru_maxrss`` from ``os.wait4``, which covers the child and the
processes it waited for) and the peak of the whole process tree's summed RSS
(polled with psutil every 0.1 s; it differs only with ``--processes`` > 1).
Then the ratio of the largest to the smallest size's peak RSS is printed
against the target: flat, i.e. within 10%.  Nothing is asserted.

Generated articles keep only their template's first ``--sentences`` sentences
(default 6, about 150 words instead of about 250) so the default run (11,000
articles, about 1.7M words at 2,000-2,600 words/s on one process) takes 11-13
minutes on 2 cores; ``--sentences 0`` keeps full-length articles (about 10
minutes more).  Memory growth depends on the number of articles and entities more than
on their length.

Usage::

    .venv/bin/python benchmarks/memory.py [SOURCE.jsonl] [--sizes 1000 10000] [--sentences 6]
        [--processes N] [--seed 1]

SOURCE defaults to the development corpus ``../shared/corpus/dev/articles.jsonl``
(read at run time, not part of this repository).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev" / "articles.jsonl"
CORPUS_SCRIPT = Path(__file__).resolve().parent / "corpus.py"
HRKG = Path(sys.executable).parent / "hrkg"
FLAT = 1.10
BASELINE_CODE = """
import sys
import kg.cli  # everything hrkg build imports
from kg.extract.pipeline import load_pipeline
from kg.store import Store
nlp = load_pipeline()
store = Store(sys.argv[1])
nlp("The court sentenced the activist on Friday.")
store.flush()
"""


@dataclass
class Run:
    """What one child process did."""

    label: str
    articles: int
    words: int
    seconds: float
    peak_mib: float
    tree_mib: float


def tree_rss(process: psutil.Process) -> int:
    """Summed RSS of ``process`` and its descendants, in bytes (0 once it is gone)."""
    try:
        family = [process, *process.children(recursive=True)]
    except psutil.Error:
        return 0
    total = 0
    for member in family:
        try:
            total += member.memory_info().rss
        except psutil.Error:
            continue
    return total


def poll_tree(pid: int, peak: list[int], stop: threading.Event, interval: float = 0.1) -> None:
    """Keep ``peak[0]`` at the largest summed RSS of ``pid``'s tree until ``stop`` is set."""
    try:
        process = psutil.Process(pid)
    except psutil.Error:
        return
    while not stop.is_set():
        peak[0] = max(peak[0], tree_rss(process))
        stop.wait(interval)


def measure(command: list[str], log: Path) -> tuple[float, float, float]:
    """Run ``command``; return (seconds, peak RSS MiB, peak tree RSS MiB).

    Raises ``RuntimeError`` with the end of its output if it fails.
    """
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        peak, stop = [0], threading.Event()
        poller = threading.Thread(target=poll_tree, args=(process.pid, peak, stop), daemon=True)
        poller.start()
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stop.set()
        poller.join()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"{command[0]} failed ({process.returncode}): " + " | ".join(tail))
    return seconds, usage.ru_maxrss / 1024, peak[0] / 2**20


def generate(source: Path, size: int, args: argparse.Namespace, out: Path) -> None:
    """Write ``size`` generated articles to ``out`` with benchmarks/corpus.py."""
    command = [sys.executable, str(CORPUS_SCRIPT), str(source), "--articles", str(size)]
    command += ["--seed", str(args.seed), "-o", str(out)]
    if args.sentences:
        command += ["--sentences", str(args.sentences)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)


def count_words(path: Path) -> tuple[int, int]:
    """(articles, words) of a JSONL file, read line by line."""
    opener = gzip.open if path.name.endswith(".gz") else open
    articles = words = 0
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                articles += 1
                words += len(json.loads(line)["text"].split())
    return articles, words


def baseline(work: Path) -> Run:
    """Load the model and pipeline, open an empty store: no articles."""
    command = [sys.executable, "-c", BASELINE_CODE, str(work / "baseline-store")]
    seconds, peak, tree = measure(command, work / "baseline.log")
    return Run("baseline: model + pipeline + store", 0, 0, seconds, peak, tree)


def build(corpus: Path, work: Path, args: argparse.Namespace) -> Run:
    """``hrkg build`` of ``corpus`` into a new store in a child process."""
    articles, words = count_words(corpus)
    store = work / f"store-{articles}"
    command = [str(HRKG), "build", str(corpus), "--store", str(store)]
    if args.processes is not None:
        command += ["--processes", str(args.processes)]
    seconds, peak, tree = measure(command, work / f"build-{articles}.log")
    return Run(f"hrkg build {articles} articles", articles, words, seconds, peak, tree)


def print_table(runs: list[Run]) -> None:
    """One row per run, with the growth over the baseline."""
    base = runs[0].peak_mib
    print(
        f"{'':36} {'articles':>8} {'words':>10} {'seconds':>8} {'words/s':>8} "
        f"{'peak RSS':>9} {'tree RSS':>9} {'over base':>9}"
    )
    for run in runs:
        rate = f"{run.words / run.seconds:8.0f}" if run.words else f"{'':8}"
        print(
            f"{run.label:36} {run.articles:8d} {run.words:10d} {run.seconds:8.1f} {rate} "
            f"{run.peak_mib:7.0f}Mi {run.tree_mib:7.0f}Mi {run.peak_mib - base:+7.0f}Mi"
        )


def print_verdict(runs: list[Run]) -> None:
    """Ratio of the largest to the smallest build's peak RSS against the flat target."""
    builds = runs[1:]
    if len(builds) < 2:
        return
    small, large = builds[0], builds[-1]
    ratio = large.peak_mib / small.peak_mib
    tree = large.tree_mib / small.tree_mib if small.tree_mib else float("nan")
    verdict = "flat" if ratio <= FLAT else "grows"
    print(
        f"\npeak RSS {large.articles}/{small.articles} articles: {ratio:.2f} "
        f"(tree {tree:.2f}); target flat, <= {FLAT:.2f}: {verdict}"
    )
    base = runs[0].peak_mib
    per_k = (large.peak_mib - small.peak_mib) / ((large.articles - small.articles) / 1000)
    print(
        f"above the baseline: {small.peak_mib - base:+.0f} MiB at {small.articles}, "
        f"{large.peak_mib - base:+.0f} MiB at {large.articles} "
        f"({per_k:+.1f} MiB per 1,000 articles)"
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEV_CORPUS)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000])
    parser.add_argument("--sentences", type=int, default=6, help="per article; 0 = full length")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--processes", type=int, help="passed to hrkg build --processes")
    parser.add_argument("--keep", type=Path, help="keep corpora, stores and logs in this directory")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Generate, build, measure, print."""
    args = parse_args(argv)
    if not args.source.exists():
        sys.exit(f"{args.source}: no such file; pass a JSONL file of source articles")
    with tempfile.TemporaryDirectory(prefix="hrkg-memory-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        runs = [baseline(work)]
        for size in sorted(args.sizes):
            corpus = work / f"gen-{size}.jsonl"
            generate(args.source, size, args, corpus)
            runs.append(build(corpus, work, args))
            print(f"done: {runs[-1].label} in {runs[-1].seconds:.0f} s", flush=True)
    print()
    print_table(runs)
    print_verdict(runs)


if __name__ == "__main__":
    main()
