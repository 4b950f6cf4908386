"""Ingest articles: read, extract, build triples, store.  The work behind ``hrkg build``.

Articles stream through: they are read lazily, extracted in small batches
(in this process, in ``processes`` local processes, or on a Dask cluster;
see :mod:`kg.parallel` and :mod:`kg.distributed`), and their graphs are
written in batches of ``write_batch`` articles, each batch one SPARQL
update, so memory stays bounded whatever the size of the corpus.  A
transaction holds whole articles: an article is never half written.

A document that cannot be read or processed is reported and skipped; the
batch goes on, and what is already stored stays intact.  If a batch of
graphs cannot be written, its articles are written one by one, so only the
bad one is lost.  An article whose text is unchanged since it was stored is
skipped, and a changed one replaces its named graph; so an interrupted
build, run again, continues where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from spacy.language import Language

from kg.article import Article, size_error
from kg.errors import InputError
from kg.extract.pipeline import DEFAULT_MODEL, load_pipeline
from kg.io import read_articles
from kg.parallel import (
    Batch,
    BuiltGraph,
    Failure,
    Result,
    Runner,
    chunked,
    inline_runner,
    process_runner,
    resolve_processes,
    word_count,
)
from kg.store import GraphSink

if TYPE_CHECKING:
    from distributed import Client

#: What a failed SPARQL update raises (bad data: ``SyntaxError``; the disk: ``OSError``).
WRITE_ERRORS = (OSError, SyntaxError, RuntimeError, ValueError)


@dataclass
class BuildReport:
    """What a build did: counts, and one line per document that failed.

    ``processed`` counts the input documents handled so far (stored, failed
    or skipped); ``words`` those of the articles extracted; ``seconds`` the
    time the build took.

    Examples
    --------
    >>> BuildReport(words=1200, seconds=2.0).words_per_second
    600.0
    """

    articles: int = 0
    skipped: int = 0
    entities: int = 0
    events: int = 0
    relations: int = 0
    triples: int = 0
    failures: list[str] = field(default_factory=list)
    processed: int = 0
    words: int = 0
    seconds: float = 0.0

    @property
    def words_per_second(self) -> float:
        """Words of the extracted articles per second of the build."""
        return self.words / self.seconds if self.seconds > 0 else 0.0


def replace_graphs(store: GraphSink, graphs: Iterable[BuiltGraph]) -> None:
    """Replace each graph's named graph with its triples, all in one transaction.

    Raises
    ------
    OSError, SyntaxError, RuntimeError, ValueError
        As ``pyoxigraph.Store.update``; then nothing was written.
    """
    store.replace_graphs([(str(g.iri), g.ntriples) for g in graphs])


class GraphWriter:
    """Writes built graphs to the store in batched transactions, counting them in ``report``.

    Parameters
    ----------
    store : where the graphs go.
    report : counts of the articles stored, lines of those that could not be.
    max_articles, max_triples : a batch is written when it reaches either.
    flush_triples : the store is flushed after this many triples: pyoxigraph holds
        written data in memory until then, so without it memory grows with the corpus.
    on_article : called after each article is stored.
    """

    def __init__(
        self,
        store: GraphSink,
        report: BuildReport,
        *,
        max_articles: int = 32,
        max_triples: int = 200_000,
        flush_triples: int = 50_000,
        on_article: Callable[[Article], None] | None = None,
    ) -> None:
        self.store = store
        self.flush_triples = flush_triples
        self._unflushed = 0
        self.report = report
        self.max_articles = max_articles
        self.max_triples = max_triples
        self.on_article = on_article
        self.pending: list[tuple[Article, BuiltGraph]] = []
        self._triples = 0

    def add(self, article: Article, graph: BuiltGraph) -> None:
        """Queue one article's graph; write the batch when it is full."""
        self.pending.append((article, graph))
        self._triples += graph.triples
        if len(self.pending) >= self.max_articles or self._triples >= self.max_triples:
            self.flush()

    def flush(self) -> None:
        """Write the queued graphs (one transaction; one per article if that fails)."""
        batch, self.pending, self._triples = self.pending, [], 0
        if not batch:
            return
        stored = self._write(batch)
        for _, graph in stored:
            self._count(graph)
        self._unflushed += sum(graph.triples for _, graph in stored)
        if self._unflushed >= self.flush_triples:
            self.store.flush()
            self._unflushed = 0
        if self.on_article:
            for article, _ in stored:
                self.on_article(article)

    def _write(self, batch: list[tuple[Article, BuiltGraph]]) -> list[tuple[Article, BuiltGraph]]:
        try:
            replace_graphs(self.store, (graph for _, graph in batch))
            return batch
        except WRITE_ERRORS as exc:
            if len(batch) > 1:
                return [item for one in batch for item in self._write([one])]
            article, graph = batch[0]
            reason = " ".join(str(exc).split())[:300]
            self.report.failures.append(
                f"{article.source}: article {article.id!r}: cannot write graph <{graph.iri}>: "
                f"{reason}"
            )
            return []

    def _count(self, graph: BuiltGraph) -> None:
        report = self.report
        report.articles += 1
        report.entities += graph.entities
        report.events += graph.events
        report.relations += graph.relations
        report.triples += graph.triples


def _fresh(
    items: Iterable[Article | InputError],
    known: dict[str, str],
    report: BuildReport,
    force: bool,
    notify: Callable[[], None] = lambda: None,
) -> Iterator[Article]:
    """The articles to extract: not unreadable, not a repeated id, changed (or ``force``)."""
    seen: set[str] = set()
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(str(item))
        elif item.id in seen:
            report.failures.append(
                f"{item.source}: duplicate article id {item.id!r}; skipped: give every article "
                "a unique id"
            )
        elif (too_long := size_error(item)) is not None:
            report.failures.append(str(too_long))
        elif not force and known.get(item.id) == item.content_hash:
            seen.add(item.id)
            report.skipped += 1
        else:
            seen.add(item.id)
            yield item
            continue
        report.processed += 1
        notify()


def _take(batch: Batch, results: list[Result], writer: GraphWriter, report: BuildReport) -> None:
    """Queue the graphs of one extracted batch and report its failures."""
    for article, result in zip(batch, results, strict=True):
        report.processed += 1
        if isinstance(result, Failure):
            report.failures.append(result.message)
            continue
        report.words += word_count(article.text)
        writer.add(article, result)


def extraction_runner(
    nlp: Language | None,
    model: str = DEFAULT_MODEL,
    verify: bool | None = None,
    processes: int = 1,
    cluster: str | Client | None = None,
) -> AbstractContextManager[Runner]:
    """Where to extract: on ``cluster``, in ``processes`` processes, or here with ``nlp``."""
    if cluster is not None:
        from kg.distributed import cluster_runner

        return cluster_runner(cluster, model, verify)
    processes = resolve_processes(processes)
    if processes > 1:
        return process_runner(processes, model, verify)
    return nullcontext(inline_runner(nlp or load_pipeline(model, verify=verify), model))


def ingest(
    articles: Iterable[Article | InputError],
    store: GraphSink,
    nlp: Language | None = None,
    *,
    model: str = DEFAULT_MODEL,
    verify: bool | None = None,
    force: bool = False,
    batch_size: int = 8,
    write_batch: int = 32,
    processes: int = 1,
    cluster: str | Client | None = None,
    on_article: Callable[[Article], None] | None = None,
    on_progress: Callable[[BuildReport], None] | None = None,
) -> BuildReport:
    """Extract and store ``articles``; return what was done.

    Parameters
    ----------
    articles : articles (and reading errors, which are reported) to process, read lazily.
    store : where the graphs go: a :class:`~kg.store.Store` only this process writes, or
        ``hrkg serve`` through :class:`kg.remote_store.EndpointStore`.
    nlp : a pipeline from :func:`kg.extract.pipeline.load_pipeline` (loaded when ``None``);
        used when extracting in this process only.
    model, verify : the pipeline that worker processes and cluster workers load.
    force : rebuild articles even when their text is unchanged.
    batch_size : articles per extraction batch (one task of a worker).
    write_batch : articles per write transaction.
    processes : local processes extracting (``0``: one per CPU core); ``1`` extracts here.
    cluster : a Dask scheduler address (``tcp://HOST:8786``) or ``distributed.Client``
        to extract on instead.
    on_article : called after each article is stored.
    on_progress : called with the report whenever documents have been handled.
    """
    start = time.perf_counter()
    report = BuildReport()

    def notify() -> None:
        if on_progress:
            on_progress(report)

    writer = GraphWriter(store, report, max_articles=write_batch, on_article=on_article)
    with extraction_runner(nlp, model, verify, processes, cluster) as run:
        fresh = _fresh(articles, store.article_hashes(), report, force, notify)
        try:
            for batch, results in run(chunked(fresh, batch_size)):
                _take(batch, results, writer, report)
                notify()
        finally:
            writer.flush()  # what was extracted before an interruption is kept
    store.flush()
    report.seconds = time.perf_counter() - start
    return report


def build(
    inputs: Iterable[str | Path], store: GraphSink, nlp: Language | None = None, **options: object
) -> BuildReport:
    """Read articles from files and directories and :func:`ingest` them."""
    return ingest(read_articles(inputs), store, nlp, **options)  # type: ignore[arg-type]


UNCOUNTED = (".jsonl.gz", ".warc", ".warc.gz")  # counting would mean reading them twice
ONE_ARTICLE = (".txt", ".html", ".htm")


def _count_file(path: Path) -> int | None:
    name = path.name
    if name.endswith(UNCOUNTED):
        return None
    if name.endswith(".jsonl"):
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    return 1 if name.endswith(ONE_ARTICLE) else 0


def count_documents(inputs: Iterable[str | Path]) -> int | None:
    """How many documents ``inputs`` hold, for a progress bar's ETA; ``None`` if unknown.

    Non-blank JSONL lines are counted (a fast scan); a text or HTML file is
    one document; compressed and WARC files make the total unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"id": 1}\\n\\n{"id": 2}\\n')
    >>> _ = (d / "b.txt").write_text("Hi.")
    >>> count_documents([d]), count_documents([d / "a.jsonl"])
    (3, 2)
    """
    total = 0
    for given in inputs:
        path = Path(given)
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            count = _count_file(file) if file.exists() else 0
            if count is None:
                return None
            total += count
    return total
