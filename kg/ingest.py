"""Ingest articles: read, extract, build triples, store.  The work behind ``hrkg build``.

A document that cannot be read or processed is reported and skipped; the
batch goes on, and what is already stored stays intact.  An article whose
text is unchanged since it was stored is skipped; a changed one replaces
its named graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from kg.article import Article
from kg.build import build_article_graph, extractor_name
from kg.errors import HrkgError, InputError
from kg.extract.pipeline import DEFAULT_MODEL, load_pipeline, pipe_docs
from kg.io import read_articles
from kg.store import Store


@dataclass
class BuildReport:
    """What a build did: counts, and one line per document that failed."""

    articles: int = 0
    skipped: int = 0
    entities: int = 0
    events: int = 0
    relations: int = 0
    triples: int = 0
    failures: list[str] = field(default_factory=list)


def _fresh(
    items: Iterable[Article | InputError], known: dict[str, str], report: BuildReport, force: bool
) -> Iterator[Article]:
    seen: set[str] = set()
    for item in items:
        if isinstance(item, InputError):
            report.failures.append(str(item))
            continue
        if item.id in seen:
            report.failures.append(f"{item.source}: duplicate article id {item.id!r}; skipped")
            continue
        seen.add(item.id)
        if not force and known.get(item.id) == item.content_hash:
            report.skipped += 1
            continue
        yield item


def ingest(
    articles: Iterable[Article | InputError],
    store: Store,
    nlp: Language | None = None,
    *,
    model: str = DEFAULT_MODEL,
    force: bool = False,
    batch_size: int = 16,
    on_article: Callable[[Article], None] | None = None,
) -> BuildReport:
    """Extract and store ``articles``; return what was done.

    Parameters
    ----------
    articles : articles (and reading errors, which are reported) to process.
    store : where the graphs go.
    nlp : a pipeline from :func:`kg.extract.pipeline.load_pipeline` (loaded when ``None``).
    force : rebuild articles even when their text is unchanged.
    on_article : called after each article is stored (for progress bars).
    """
    report = BuildReport()
    nlp = nlp or load_pipeline(model)
    extractor = extractor_name(f"{nlp.meta.get('name', model)} {nlp.meta.get('version', '')}")
    todo = list(_fresh(articles, store.article_hashes(), report, force))
    docs = pipe_docs(nlp, ((a.text, a.date) for a in todo), batch_size=batch_size)
    for article, doc in zip(todo, docs, strict=True):
        try:
            graph = build_article_graph(article, doc, extractor)
            store.replace_graph(graph)
        except HrkgError as exc:
            report.failures.append(f"{article.source}: article {article.id!r}: {exc}")
            continue
        report.articles += 1
        report.entities += len(doc._.hr_entities or [])
        report.events += len(doc._.hr_events or [])
        report.relations += len(doc._.hr_relations or [])
        report.triples += len(graph)
        if on_article:
            on_article(article)
    store.flush()
    return report


def build(
    inputs: Iterable[str | Path], store: Store, nlp: Language | None = None, **options: object
) -> BuildReport:
    """Read articles from files and directories and :func:`ingest` them."""
    return ingest(read_articles(inputs), store, nlp, **options)  # type: ignore[arg-type]
