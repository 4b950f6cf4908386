"""JSONL articles, plain or gzip-compressed: one JSON object per line."""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import chain
from pathlib import Path
from typing import IO

from kg.article import Article
from kg.errors import InputError
from kg.readers.text import SNIFF_BYTES, binary_offset, wide_codec

#: What a damaged gzip stream raises while it is read (``BadGzipFile`` is an ``OSError``).
GZIP_ERRORS = (OSError, EOFError, zlib.error)
#: After this many lines in a row that are not UTF-8 JSON, the rest of a file is skipped.
MAX_BAD_RUN = 10


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
        raise InputError(
            f"{where}: expected a JSON object, got {type(record).__name__}; "
            'write one object per line, like {"id": "a1", "text": "..."}'
        )
    ident = record.get("id")
    if ident is None or str(ident).strip() == "":
        raise InputError(f"{where}: missing 'id'; every article needs a unique id")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(
            f"{where}: article {ident!r} has no 'text' string; give the article's text in 'text'"
        )
    if not text.strip():
        raise InputError(f"{where}: article {ident!r} is empty; give its text or drop the line")
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


def _record(raw: bytes, number: int, where: str) -> object:
    """The JSON value of one line.

    Raises
    ------
    InputError
        If the line is not UTF-8 or not JSON.
    """
    try:
        line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not UTF-8 (byte {exc.start}); re-encode the file as UTF-8"
        ) from None
    try:
        return json.loads(line)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{where}: not valid JSON ({exc.msg} at column {exc.colno}); fix or remove the line"
        ) from None
    except (ValueError, RecursionError) as exc:  # a 5000-digit number, arrays nested too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else "a number too long"
        raise InputError(f"{where}: unreadable JSON ({reason}); fix or remove the line") from None


def jsonl_items(lines: Iterable[bytes], path: Path) -> Iterator[Article | InputError]:
    """Yield the article, or an :class:`InputError`, of each non-blank line of ``path``.

    After :data:`MAX_BAD_RUN` lines in a row that are not UTF-8 JSON, one more
    error says the rest of the file is skipped: it is not JSONL.

    Examples
    --------
    >>> from pathlib import Path
    >>> [type(i).__name__ for i in jsonl_items([b'{"id": "a", "text": "Hi."}', b"{"], Path("x"))]
    ['Article', 'InputError']
    >>> print(list(jsonl_items([b"a,b,c"] * 12, Path("x.jsonl")))[-1])
    x.jsonl: lines 1 to 10 are not UTF-8 JSON; the rest of the file is skipped; give a JSONL file
    """
    bad_run = 0
    for number, raw in enumerate(lines, start=1):
        where = f"{path} line {number}"
        if not raw.strip():
            continue
        try:
            record = _record(raw, number, where)
        except InputError as exc:
            yield exc
            bad_run += 1
            if bad_run >= MAX_BAD_RUN:
                yield InputError(
                    f"{path}: lines {number - bad_run + 1} to {number} are not UTF-8 JSON; "
                    "the rest of the file is skipped; give a JSONL file"
                )
                return
            continue
        bad_run = 0
        try:
            yield article_from_record(record, where)
        except InputError as exc:
            yield exc


def _head(lines: Iterator[bytes]) -> tuple[list[bytes], InputError | None]:
    """The first lines, at least :data:`SNIFF_BYTES` unless fewer, and the error that cut them.

    A damaged stream (a corrupt gzip) raises :class:`InputError` while it is read:
    it is returned, to be raised after the lines read before it.
    """
    head: list[bytes] = []
    size = 0
    try:
        for raw in lines:
            head.append(raw)
            size += len(raw)
            if size >= SNIFF_BYTES:
                break
    except InputError as exc:
        return head, exc
    return head, None


def _wide_lines(chunks: Iterable[bytes], codec: str, path: Path) -> Iterator[bytes]:
    """The lines of a UTF-16 or UTF-32 byte stream (given in any chunks), as UTF-8."""
    decoder = codecs.getincrementaldecoder(codec)()
    pending, number = "", 0
    try:
        for chunk in chain(chunks, [None]):
            pending += decoder.decode(chunk or b"", final=chunk is None)
            *complete, pending = pending.split("\n")
            for line in complete:
                number += 1
                yield (line + "\n").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path} line {number + 1}: not {codec.upper()} ({exc.reason}); "
            "re-encode the file as UTF-8"
        ) from None
    if pending:
        yield pending.encode("utf-8")


def utf8_lines(lines: Iterable[bytes], path: Path) -> Iterator[bytes]:
    """The lines of a JSONL byte stream, as UTF-8: UTF-16 and UTF-32 with a byte order mark
    are decoded, and binary data is refused.

    Raises
    ------
    InputError
        If the stream starts with binary data (a NUL byte in its first
        :data:`SNIFF_BYTES`), or is not the UTF-16 or UTF-32 its byte order mark says.

    Examples
    --------
    >>> from pathlib import Path
    >>> list(utf8_lines(['{"id": 1}\\n{}'.encode("utf-16")], Path("x")))
    [b'{"id": 1}\\n', b'{}']
    """
    lines = iter(lines)
    head, damage = _head(lines)
    start = b"".join(head)[:SNIFF_BYTES]
    if codec := wide_codec(start):
        yield from _wide_lines(chain(head, lines), codec, path)
    elif (offset := binary_offset(start)) is not None:
        raise InputError(
            f"{path}: binary data, not JSONL (a NUL byte at byte {offset}); "
            "the file is skipped; give a UTF-8 JSONL file"
        )
    else:
        yield from chain(head, lines)
    if damage is not None:
        raise damage


def _open(path: Path, opener=open) -> IO[bytes]:
    try:
        return opener(path, "rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles of a JSONL file, or an :class:`InputError` per bad line.

    The file is UTF-8, or UTF-16 or UTF-32 with a byte order mark; a binary file
    is one :class:`InputError`.
    """
    with _open(path) as handle:
        try:
            yield from jsonl_items(utf8_lines(handle, path), path)
        except InputError as exc:
            yield exc


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
            yield from jsonl_items(utf8_lines(_gzip_lines(handle, path), path), path)
        except InputError as exc:
            yield exc
