"""JSONL articles, plain or gzip-compressed: one JSON object per line."""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

from kg.article import Article
from kg.errors import InputError

#: What a damaged gzip stream raises while it is read (``BadGzipFile`` is an ``OSError``).
GZIP_ERRORS = (OSError, EOFError, zlib.error)


def parse_date(value: object, where: str) -> date | None:
    """Parse an ISO date (``2023-03-03`` or a timestamp starting with one).

    Examples
    --------
    >>> parse_date("2023-03-03T10:00:00Z", "x")
    datetime.date(2023, 3, 3)
    >>> parse_date(None, "x") is None
    True
    """
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{where}: 'date' is not an ISO date: {value!r}; use YYYY-MM-DD") from None


def article_from_record(record: object, where: str) -> Article:
    """Turn one decoded JSON record into an :class:`Article`, checking its fields."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    ident = record.get("id")
    if ident is None or str(ident).strip() == "":
        raise InputError(f"{where}: missing 'id'; every article needs a unique id")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: article {ident!r} has no 'text' string")
    if not text.strip():
        raise InputError(f"{where}: article {ident!r} is empty")
    meta = {k: record.get(k) for k in ("url", "title", "publisher")}
    for name, value in {"id": ident, "text": text, **meta}.items():
        try:
            str(value).encode("utf-8")
        except UnicodeEncodeError as exc:  # JSON can spell lone surrogates ("\ud800")
            raise InputError(
                f"{where}: {name!r} holds a lone surrogate at character {exc.start}, "
                "which is not text; fix the \\u escape"
            ) from None
    return Article(
        id=str(ident),
        text=text,
        date=parse_date(record.get("date"), f"{where}: article {ident!r}"),
        source=where,
        **{k: (str(v) if v not in (None, "") else None) for k, v in meta.items()},
    )


def jsonl_items(lines: Iterable[bytes], path: Path) -> Iterator[Article | InputError]:
    """Yield the article, or an :class:`InputError`, of each non-blank line of ``path``.

    Examples
    --------
    >>> from pathlib import Path
    >>> [type(i).__name__ for i in jsonl_items([b'{"id": "a", "text": "Hi."}', b"{"], Path("x"))]
    ['Article', 'InputError']
    """
    for number, raw in enumerate(lines, start=1):
        where = f"{path} line {number}"
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(f"{where}: not UTF-8 (byte {exc.start}); re-encode the file as UTF-8")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        try:
            yield article_from_record(record, where)
        except InputError as exc:
            yield exc


def _open(path: Path, opener=open) -> IO[bytes]:
    try:
        return opener(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles of a JSONL file, or an :class:`InputError` per bad line."""
    with _open(path) as handle:
        yield from jsonl_items(handle, path)


def _gzip_lines(handle: IO[bytes], path: Path) -> Iterator[bytes]:
    """The lines of a gzip stream; a damaged stream raises one :class:`InputError`."""
    number = 0
    try:
        for number, raw in enumerate(handle, start=1):  # noqa: B007 (number is read below)
            yield raw
    except GZIP_ERRORS as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise InputError(
            f"{path}: corrupt gzip data at line {number + 1} ({reason}); the lines before it "
            "were read, the rest is skipped; re-compress or re-download the file"
        ) from None


def read_jsonl_gz(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles of a gzip-compressed JSONL file (``.jsonl.gz``), streaming.

    Bad lines come out as in :func:`read_jsonl`; a corrupt or truncated gzip stream
    ends the file with one :class:`InputError` after the articles read before it.

    Examples
    --------
    >>> import gzip, tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "a.jsonl.gz"
    >>> _ = path.write_bytes(gzip.compress(b'{"id": "x", "text": "Hi."}\\n')[:-4])  # truncated
    >>> [type(i).__name__ for i in read_jsonl_gz(path)]
    ['Article', 'InputError']
    """
    with _open(path, gzip.open) as handle:
        try:
            yield from jsonl_items(_gzip_lines(handle, path), path)
        except InputError as exc:
            yield exc
