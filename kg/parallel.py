"""Where extraction runs: in this process, in a pool of local processes, or on workers.

Extraction is the costly part of a build, and it needs nothing but the
article: every worker turns a batch of articles into their graphs as
N-Triples text (:class:`BuiltGraph`), or says why one failed
(:class:`Failure`), one result per article and in the same order.  Only
the process that owns the store writes them (see :mod:`kg.ingest`).

The same function, :func:`extract_batch`, runs in every mode, on batches
formed the same way, so a build with one process, with many, or on a Dask
cluster (:mod:`kg.distributed`) stores the same quads.

A *runner* takes an iterable of article batches and yields each batch with
its results, in order, holding only a bounded number of batches in flight.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from typing import TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg.article import Article
from kg.build import build_article_graph, extractor_name
from kg.errors import HrkgError
from kg.extract.pipeline import DEFAULT_MODEL, load_pipeline

T = TypeVar("T")


@dataclass(frozen=True)
class BuiltGraph:
    """One article's graph, ready to store: its name, its triples as N-Triples, counts."""

    iri: str
    ntriples: str
    triples: int
    entities: int
    events: int
    relations: int


@dataclass(frozen=True)
class Failure:
    """Why one article could not be extracted (a line of the build report)."""

    message: str


Result = BuiltGraph | Failure
Batch = list[Article]
Runner = Callable[[Iterable[Batch]], Iterator[tuple[Batch, list[Result]]]]


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` items (the last may be shorter), read lazily.

    Examples
    --------
    >>> list(chunked(range(5), 2))
    [[0, 1], [2, 3], [4]]
    """
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def resolve_processes(processes: int) -> int:
    """The number of processes to use: ``0`` means one per CPU core.

    Examples
    --------
    >>> resolve_processes(2)
    2
    >>> resolve_processes(0) == (os.cpu_count() or 1)
    True
    """
    if processes < 0:
        raise HrkgError(f"--processes {processes}: give 1 or more, or 0 for one per CPU core")
    return processes or os.cpu_count() or 1


def word_count(text: str) -> int:
    """Whitespace-separated words, the unit of words/s figures.

    Examples
    --------
    >>> word_count("Police arrested  him.\\n")
    3
    """
    return len(text.split())


def pipeline_extractor(nlp: Language, model: str = DEFAULT_MODEL) -> str:
    """The ``hr:extractedBy`` value of graphs made with ``nlp``."""
    return extractor_name(f"{nlp.meta.get('name', model)} {nlp.meta.get('version', '')}")


def _doc(nlp: Language, article: Article) -> Doc:
    doc = nlp.make_doc(article.text)
    doc._.hr_reference_date = article.date  # relative dates resolve against it
    return doc


def _failure(article: Article, exc: Exception, stage: str) -> Failure:
    reason = str(exc) if isinstance(exc, HrkgError) else f"{type(exc).__name__}: {exc}"
    return Failure(f"{article.source}: article {article.id!r}: {stage}{' '.join(reason.split())}")


def _graph(article: Article, doc: Doc, extractor: str) -> Result:
    try:
        graph = build_article_graph(article, doc, extractor)
        ntriples = graph.serialize(format="nt", encoding="utf-8").decode("utf-8")
    except Exception as exc:  # one bad article must not stop the others
        return _failure(article, exc, "")
    return BuiltGraph(
        iri=str(graph.identifier),
        ntriples=ntriples,
        triples=len(graph),
        entities=len(doc._.hr_entities or []),
        events=len(doc._.hr_events or []),
        relations=len(doc._.hr_relations or []),
    )


def _extract_one(nlp: Language, article: Article, extractor: str) -> Result:
    try:
        doc = nlp(_doc(nlp, article))
    except Exception as exc:
        return _failure(article, exc, "extraction failed: ")
    return _graph(article, doc, extractor)


def extract_batch(nlp: Language, articles: Batch, extractor: str | None = None) -> list[Result]:
    """Extract and build the graphs of ``articles``: one result per article, in order.

    The batch goes through ``nlp.pipe``; if that fails, each article is run
    on its own, so only the article at fault is reported.

    Parameters
    ----------
    nlp : a pipeline from :func:`kg.extract.pipeline.load_pipeline`.
    articles : the batch (held in memory: keep it small).
    extractor : the ``hr:extractedBy`` text (from ``nlp``'s meta when ``None``).
    """
    extractor = extractor or pipeline_extractor(nlp)
    try:
        docs = list(nlp.pipe((_doc(nlp, a) for a in articles), batch_size=max(len(articles), 1)))
    except Exception:
        return [_extract_one(nlp, a, extractor) for a in articles]
    return [_graph(a, doc, extractor) for a, doc in zip(articles, docs, strict=True)]


_worker = threading.local()  # one pipeline per worker thread, loaded on first use


def worker_pipeline(model: str, verify: bool | None) -> Language:
    """The pipeline of this worker process (or thread), loaded once and kept."""
    pipelines: dict[tuple[str, bool | None], Language] = _worker.__dict__.setdefault(
        "pipelines", {}
    )
    if (model, verify) not in pipelines:
        pipelines[model, verify] = load_pipeline(model, verify=verify)
    return pipelines[model, verify]


def extract_articles(articles: Batch, model: str, verify: bool | None = None) -> list[Result]:
    """:func:`extract_batch` with this worker's own pipeline: the task run by workers.

    Raises
    ------
    ModelError
        If the worker cannot load ``model``.
    """
    nlp = worker_pipeline(model, verify)
    return extract_batch(nlp, articles, pipeline_extractor(nlp, model))


def inline_runner(nlp: Language, model: str = DEFAULT_MODEL) -> Runner:
    """A runner that extracts in this process with ``nlp``."""
    extractor = pipeline_extractor(nlp, model)

    def run(batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
        for batch in batches:
            yield batch, extract_batch(nlp, batch, extractor)

    return run


def windowed(
    batches: Iterable[Batch],
    submit: Callable[[Batch], Future],
    collect: Callable[[Batch, Future], list[Result]],
    window: int,
    cancel: Callable[[list[Future]], object],
) -> Iterator[tuple[Batch, list[Result]]]:
    """Submit batches with at most ``window`` in flight; yield their results in order.

    Parameters
    ----------
    submit : starts the work on one batch, returns its future.
    collect : waits for one future and returns its results.
    cancel : called with the futures left when the caller stops early.
    """
    pending: deque[tuple[Batch, Future]] = deque()
    try:
        for batch in batches:
            pending.append((batch, submit(batch)))
            if len(pending) >= window:
                done = pending.popleft()
                yield done[0], collect(*done)
        while pending:
            done = pending.popleft()
            yield done[0], collect(*done)
    finally:
        if pending:
            cancel([future for _, future in pending])


def _ignore_interrupts() -> None:
    """Leave Ctrl-C to the parent, which stops the pool and writes what it has.

    A worker also ends itself when the parent dies (killed, out of memory):
    nothing else would stop it, and it would hold its model's memory forever.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()


def _exit_with(parent: int, every_s: float = 1.0) -> None:
    """Exit this process once ``parent`` is no longer its parent."""
    while os.getppid() == parent:
        time.sleep(every_s)
    os._exit(1)


def _collect_local(batch: Batch, future: Future) -> list[Result]:
    try:
        return future.result()
    except BrokenProcessPool:
        raise HrkgError(
            "a worker process died (out of memory?); rerun the build to continue "
            "where it stopped, with fewer --processes"
        ) from None


@contextmanager
def process_runner(
    processes: int, model: str = DEFAULT_MODEL, verify: bool | None = None
) -> Iterator[Runner]:
    """A runner extracting in ``processes`` local processes, each loading ``model`` once.

    Processes are spawned (not forked), so they start clean on every
    platform; at most two batches per process are in flight.
    """
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_ignore_interrupts)

    def cancel(futures: list[Future]) -> None:
        for future in futures:
            future.cancel()

    def run(batches: Iterable[Batch]) -> Iterator[tuple[Batch, list[Result]]]:
        def submit(batch: Batch) -> Future:
            return pool.submit(extract_articles, batch, model, verify)

        yield from windowed(batches, submit, _collect_local, 2 * processes, cancel)

    try:
        yield run
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
