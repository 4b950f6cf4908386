"""Read articles from files and directories, one reader per kind of input.

=================  ==========================================  ==========================
suffix             one article per                             article id
=================  ==========================================  ==========================
``.jsonl``         line (a JSON object, see ``jsonl``)         the record's ``id``
``.jsonl.gz``      line of the gzip-compressed JSONL           the record's ``id``
``.txt``           file                                        the file name's stem
``.html``, .htm    file (main text extracted, see ``html``)    the file name's stem
``.warc[.gz]``     HTML response or resource record            ``warc-`` + SHA-1 of URI
=================  ==========================================  ==========================

Readers are generators: they hold one article in memory at a time.  A bad
document does not stop a batch: it is yielded as an :class:`InputError` so the
caller can report it and go on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.article import Article, size_error
from kg.errors import InputError
from kg.readers.html import extract_html, read_html
from kg.readers.jsonl import article_from_record, parse_date, read_jsonl, read_jsonl_gz
from kg.readers.text import read_text
from kg.readers.warc import read_warc, warc_article_id

Reader = Callable[[Path], Iterator[Article | InputError]]

READERS: dict[str, Reader] = {
    ".jsonl": read_jsonl,
    ".jsonl.gz": read_jsonl_gz,
    ".txt": read_text,
    ".html": read_html,
    ".htm": read_html,
    ".warc": read_warc,
    ".warc.gz": read_warc,
}

#: The file name endings read, as files given or inside directories (case matters).
SUFFIXES = tuple(READERS)

__all__ = [
    "READERS",
    "SUFFIXES",
    "article_from_record",
    "extract_html",
    "input_suffix",
    "parse_date",
    "read_articles",
    "read_html",
    "read_jsonl",
    "read_jsonl_gz",
    "read_text",
    "read_warc",
    "warc_article_id",
]


def input_suffix(path: Path) -> str | None:
    """The suffix in :data:`SUFFIXES` that ``path``'s name ends with (the longest), else ``None``.

    Examples
    --------
    >>> from pathlib import Path
    >>> [input_suffix(Path(n)) for n in ("a.jsonl.gz", "crawl.warc.gz", "b.htm", "c.gz", ".txt")]
    ['.jsonl.gz', '.warc.gz', '.htm', None, None]
    """
    name = path.name
    endings = [s for s in SUFFIXES if name.endswith(s) and len(name) > len(s)]
    return max(endings, key=len, default=None)


def _sized(items: Iterable[Article | InputError]) -> Iterator[Article | InputError]:
    """``items``, with an :class:`InputError` in place of each article too long to extract."""
    for item in items:
        yield (size_error(item) or item) if isinstance(item, Article) else item


def read_articles(paths: Iterable[str | Path]) -> Iterator[Article | InputError]:
    """Yield the articles of files and directories (recursively), in a stable order.

    Parameters
    ----------
    paths : files with a suffix in :data:`SUFFIXES` (JSONL, gzipped JSONL, text,
        HTML, WARC), or directories holding them; other files in directories are
        ignored.  A directory's files are read in sorted path order.

    Returns
    -------
    An iterator of :class:`Article` and, for each document that cannot be
    read or is longer than :data:`kg.article.MAX_CHARS`, an :class:`InputError`
    in its place.

    Raises
    ------
    InputError
        If a path does not exist or, given as a file, has an unsupported suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"id": "x", "text": "Hi."}\\n{bad\\n')
    >>> [type(a).__name__ for a in read_articles([d])]
    ['Article', 'InputError']
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and input_suffix(p))
            yield from read_articles(files)
        elif not path.exists():
            raise InputError(f"{path}: no such file or directory")
        elif suffix := input_suffix(path):
            yield from _sized(READERS[suffix](path))
        else:
            raise InputError(
                f"{path}: unsupported input; give .jsonl, .jsonl.gz, .txt, .html, .htm, .warc "
                "or .warc.gz files or directories"
            )
