"""Crash safety of ``hrkg build``: SIGKILL in the middle of a run, then the same command again.

A build is killed (``SIGKILL``: no ``finally``, no flush) while it writes a
corpus of short articles written here, then:

1. the store opens read-write;
2. every article in it equals the same article of an uninterrupted build
   (no half article), whole write batches only, and the entity registry is
   the one a rebuild from exactly those articles gives;
3. running the same command again stores the rest, and the final store's
   quads equal the uninterrupted build's.

The writer holds the store's lock, so the killed run is watched from
outside: the size of the store directory, which passes a few MB once the
first batch is committed (RocksDB's write-ahead log), then a random share of
the reference build's writing time.  A kill that misses (nothing or
everything stored) is retried with another delay, up to three times.

The texts are hand-written for these tests; the names are made up.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.ingest import ingest
from kg.registry import REGISTRY
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
N_ARTICLES = 200
WRITE_BATCH = inspect.signature(ingest).parameters["write_batch"].default
COMMITTED_BYTES = 1 << 20  # a batch of these articles adds about 4 MB to the store directory
TIMEOUT = 300.0  # seconds any one build may take before the test gives up
ATTEMPTS = 3

FIRST = ["Anna", "Pavel", "Leyla", "Tomas", "Irina", "Giorgi", "Nadia", "Arman", "Olga", "Dmitri"]
FIRST += ["Mariam", "Viktor", "Sofia", "Rustam", "Elena", "Karim", "Daria", "Levan", "Yulia"]
LAST = ["Kovalenko", "Petrosyan", "Aliyeva", "Novak", "Sokolova", "Beridze", "Hasanov", "Marchenko"]
LAST += ["Gelashvili", "Tkachenko", "Ismailova", "Horvath", "Lebedeva", "Karimov", "Zhukova"]
LAST += ["Melnyk", "Abashidze", "Rahimov", "Volkova", "Sargsyan", "Orlova", "Danielyan", "Tursunov"]
PLACES = [
    ("Minsk", "Belarus"),
    ("Tbilisi", "Georgia"),
    ("Baku", "Azerbaijan"),
    ("Yerevan", "Armenia"),
    ("Almaty", "Kazakhstan"),
    ("Tashkent", "Uzbekistan"),
    ("Bishkek", "Kyrgyzstan"),
    ("Ankara", "Turkey"),
    ("Cairo", "Egypt"),
    ("Caracas", "Venezuela"),
    ("Manila", "the Philippines"),
    ("Harare", "Zimbabwe"),
    ("Dhaka", "Bangladesh"),
]
ORGS = [
    "Amnesty International",
    "Human Rights Watch",
    "The United Nations",
    "Reporters Without Borders",
    "The Committee to Protect Journalists",
    "The European Union",
    "The Council of Europe",
]
JOBS = ["journalist", "lawyer", "activist", "blogger", "opposition leader", "trade unionist"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CHARGES = ["extremism", "treason", "organising mass riots", "spreading false information"]


# --- the corpus and the command -------------------------------------------------------------


def article_text(i: int) -> str:
    """The ``i``-th article: an arrest, a sentence, a reaction, a witness (names vary with i)."""
    accused = f"{FIRST[i % len(FIRST)]} {LAST[(i * 7) % len(LAST)]}"
    witness = f"{FIRST[(i * 3 + 5) % len(FIRST)]} {LAST[(i * 11 + 3) % len(LAST)]}"
    city, country = PLACES[i % len(PLACES)]
    org = ORGS[(i * 5) % len(ORGS)]
    years = 2 + i % 9
    return (
        f"Police in {city} arrested the {JOBS[i % len(JOBS)]} {accused} on {DAYS[i % 7]} "
        f"after a protest outside the parliament. A court in {country} later sentenced "
        f"{accused} to {years} years in prison on charges of {CHARGES[i % len(CHARGES)]}. "
        f"{org} condemned the verdict and called for the release of {accused}. "
        f"The {JOBS[(i + 3) % len(JOBS)]} {witness}, who defended {accused}, said security "
        f"forces had beaten detainees in {city}."
    )


def write_corpus(path: Path, n: int = N_ARTICLES) -> Path:
    """Write ``n`` articles as JSONL to ``path``."""
    lines = [
        json.dumps(
            {"id": f"crash-{i:04d}", "date": f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}"}
            | {"text": article_text(i)}
        )
        for i in range(n)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def build_command(corpus: Path, store: Path, processes: int) -> list[str]:
    """``hrkg build CORPUS --store STORE --processes N`` run by this interpreter."""
    cli = [sys.executable, "-c", "from kg.cli import app; app()"]
    return [*cli, "build", str(corpus), "--store", str(store), "--processes", str(processes)]


# --- running and killing builds -------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """How a build ended: exit code (``-9`` when killed), stderr, timings in seconds."""

    returncode: int
    stderr: str
    seconds: float
    first_commit: float | None  # when the store directory passed COMMITTED_BYTES


def directory_size(path: Path) -> int:
    """Bytes in the files of ``path`` (0 while it does not exist); never opens the store."""
    try:
        return sum(f.stat().st_size for f in path.iterdir() if f.is_file())
    except FileNotFoundError:  # not created yet, or a file went away while listing
        return 0


def wait_for_commit(proc: subprocess.Popen, store: Path, timeout: float) -> float | None:
    """Poll until the first batch seems committed; seconds waited, ``None`` if it did not."""
    start = time.monotonic()
    while proc.poll() is None and time.monotonic() - start < timeout:
        if directory_size(store) >= COMMITTED_BYTES:
            return time.monotonic() - start
        time.sleep(0.02)
    return None


def start(command: list[str], log: Path) -> subprocess.Popen:
    """Start a build in a session of its own (so that its workers can be cleaned up)."""
    with log.open("wb") as err:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=err,
            start_new_session=True,
        )


def session_ended(proc: subprocess.Popen, within: float = 10.0) -> bool:
    """Whether every process of the build's session is gone within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.2)
    return False


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL what is left of the build's session (worker processes orphaned by a kill)."""
    with contextlib.suppress(ProcessLookupError):  # nothing left
        os.killpg(proc.pid, signal.SIGKILL)


def run_to_end(command: list[str], store: Path, log: Path) -> Run:
    """Run a build to its end, noting when its first batch was committed."""
    began = time.monotonic()
    proc = start(command, log)
    try:
        first = wait_for_commit(proc, store, TIMEOUT)
        proc.wait(timeout=TIMEOUT)
    finally:
        kill_group(proc)
    seconds = time.monotonic() - began
    return Run(proc.returncode, log.read_text(errors="replace"), seconds, first)


def run_and_kill(
    command: list[str], store: Path, log: Path, delay: float, watch: bool = True
) -> tuple[Run, subprocess.Popen]:
    """Start a build, SIGKILL its main process ``delay`` s after its first commit.

    Without ``watch``, ``delay`` s after its start.  Only the main process is
    killed, as the kernel's OOM killer would: its workers (``--processes``)
    are orphaned, and left for the caller to :func:`kill_group` once it has
    checked that they do not keep the store from opening.
    """
    began = time.monotonic()
    proc = start(command, log)
    try:
        first = wait_for_commit(proc, store, TIMEOUT if watch else 0.0)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)  # os.kill, unless the run has ended (then: a miss)
        proc.wait(timeout=TIMEOUT)
    except BaseException:
        kill_group(proc)
        raise
    seconds = time.monotonic() - began
    return Run(proc.returncode, log.read_text(errors="replace"), seconds, first), proc


# --- reading stores -------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """A store's contents: each named graph's quads (N-Quads lines), and its registry rebuilt."""

    graphs: dict[str, frozenset[str]]
    rebuilt_registry: frozenset[str]

    @property
    def articles(self) -> dict[str, frozenset[str]]:
        """The article graphs: every named graph but the registry."""
        return {name: quads for name, quads in self.graphs.items() if name != str(REGISTRY)}

    @property
    def registry(self) -> frozenset[str]:
        """The registry graph's quads, as stored."""
        return self.graphs.get(str(REGISTRY), frozenset())

    @property
    def quads(self) -> frozenset[str]:
        """Every quad of the store."""
        return frozenset().union(*self.graphs.values())


def grouped(quads: list[ox.Quad]) -> dict[str, frozenset[str]]:
    """Quads as N-Quads lines grouped by graph name."""
    graphs: dict[str, set[str]] = defaultdict(set)
    for quad in quads:
        graphs[str(quad.graph_name.value)].add(f"{quad} .")
    return {name: frozenset(lines) for name, lines in graphs.items()}


def snapshot(path: Path) -> Snapshot:
    """Open the store at ``path`` read-write (as the next build will), read it, close it.

    The registry is also rebuilt from the article graphs on an in-memory copy.
    """
    store = Store(path)  # raises StoreError if the crash left it unopenable
    quads = list(store.dataset_quads())
    copy = Store(None)
    copy.oxigraph.load(store.dump("nq"), format=ox.RdfFormat.N_QUADS)
    del store  # closes it: the rerun must be able to take the lock
    copy.rebuild_registry()
    rebuilt = grouped(list(copy.dataset_quads())).get(str(REGISTRY), frozenset())
    return Snapshot(grouped(quads), rebuilt)


def described(registry: frozenset[str]) -> set[str]:
    """The subjects of registry lines."""
    return {line.split(" ", 1)[0] for line in registry}


def subjects(graphs: dict[str, frozenset[str]]) -> set[str]:
    """The subjects of every line of ``graphs``."""
    return {line.split(" ", 1)[0] for quads in graphs.values() for line in quads}


# --- the reference --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The uninterrupted build: its corpus, what it stored, how long it wrote."""

    corpus: Path
    store: Snapshot
    run: Run

    @property
    def writing_seconds(self) -> float:
        """From its first committed batch to its end (the whole run if that was not seen)."""
        return self.run.seconds - (self.run.first_commit or 0.0)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Reference:
    """The corpus, built once without interruption by the same command."""
    work = tmp_path_factory.mktemp("crash-reference")
    corpus = write_corpus(work / "articles.jsonl")
    store = work / "store"
    run = run_to_end(build_command(corpus, store, 1), store, work / "stderr.txt")
    assert run.returncode == 0, run.stderr
    assert f"built {N_ARTICLES} articles (0 unchanged, 0 failed)" in run.stderr, run.stderr
    built = snapshot(store)
    assert len(built.articles) == N_ARTICLES
    return Reference(corpus, built, run)


# --- the test -------------------------------------------------------------------------------


def killed_mid_run(
    reference: Reference, tmp_path: Path, processes: int, rng: random.Random
) -> tuple[Path, list[str], Snapshot, list[str]]:
    """Kill a build until a kill lands mid-run; its store, command, snapshot and the attempts.

    Each attempt has a store of its own.  The delay after the first commit is
    a random share of the reference's writing time (if the store directory
    showed no commit in the reference run: of its whole run, from the start),
    smaller after a kill came too late, larger after one came too early.
    """
    watch = reference.run.first_commit is not None
    share = (0.1, 0.6) if watch else (0.4, 0.7)
    attempts: list[str] = []
    for attempt in range(ATTEMPTS):
        store = tmp_path / f"store-{attempt}"
        command = build_command(reference.corpus, store, processes)
        delay = rng.uniform(*share) * reference.writing_seconds
        log = tmp_path / f"stderr-{attempt}.txt"
        run, proc = run_and_kill(command, store, log, delay, watch)
        try:
            got = snapshot(store)  # check 1: it opens read-write, orphaned workers or not
            # orphaned workers notice their parent is gone and exit by themselves
            assert session_ended(proc), "worker processes outlived the killed build"
        finally:
            kill_group(proc)
        stored = len(got.articles)
        attempts.append(f"delay {delay:.2f} s, exit {run.returncode}: {stored} stored")
        if run.returncode == -signal.SIGKILL and 0 < stored < N_ARTICLES:
            return store, command, got, attempts
        too_late = stored == N_ARTICLES or run.returncode == 0
        share = (share[0] / 4, share[0]) if too_late else (share[1], min(share[1] + 0.3, 1.0))
    pytest.fail(f"no kill landed mid-run: {'; '.join(attempts)}")


@pytest.mark.parametrize(
    "processes", [1, pytest.param(2, marks=pytest.mark.slow, id="processes-2")]
)
def test_sigkill_mid_build_leaves_whole_articles_and_rerun_completes(
    reference: Reference, tmp_path: Path, processes: int
) -> None:
    """A SIGKILLed build leaves whole articles, whole batches, a true registry; a rerun ends it."""
    rng = random.Random()
    store, command, got, attempts = killed_mid_run(reference, tmp_path, processes, rng)
    where = f"(attempts: {'; '.join(attempts)})"
    print(f"killed with {len(got.articles)} of {N_ARTICLES} articles stored {where}")

    # 2. whole articles only, in whole write batches, each equal to the uninterrupted build's
    stored = got.articles
    expected = reference.store.articles
    assert set(stored) <= set(expected), where
    differing = sorted(name for name, quads in stored.items() if quads != expected[name])
    assert not differing, f"half-written or wrong articles {differing[:5]} {where}"
    assert len(stored) % WRITE_BATCH == 0, f"{len(stored)} articles: a batch was split {where}"
    # the registry is the one a clean build of exactly these articles gives
    assert got.registry == got.rebuilt_registry, where
    assert described(got.registry) <= subjects(stored), where

    # 3. the same command again finishes the rest
    log = tmp_path / "stderr-rerun.txt"
    rerun = run_to_end(command, store, log)
    assert rerun.returncode == 0, rerun.stderr
    summary = f"built {N_ARTICLES - len(stored)} articles ({len(stored)} unchanged, 0 failed)"
    assert summary in rerun.stderr, rerun.stderr
    final = snapshot(store)
    assert final.quads == reference.store.quads, where
