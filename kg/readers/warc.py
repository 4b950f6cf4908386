"""WARC files (``.warc``, ``.warc.gz``): the HTML pages of a web crawl, one record at a time.

Each successful (2xx) ``response`` record with an HTML content type, and each
HTML ``resource`` record, is one article; requests, metadata, revisits, images
and the like are skipped silently.  The article's id is :func:`warc_article_id`
of its WARC-Target-URI, so a page crawled again replaces its earlier version on
a rebuild; its url is that URI and its date the page's own, else the WARC-Date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from kg.article import Article
from kg.errors import InputError
from kg.readers.html import NO_TEXT, decode_html, extract_html
from kg.readers.jsonl import parse_date

HTML_TYPES = ("text/html", "application/xhtml+xml")


def warc_article_id(uri: str) -> str:
    """The article id of a crawled page: ``warc-`` and 16 hex digits of the SHA-1 of its URI.

    Examples
    --------
    >>> warc_article_id("https://example.org/news/1")
    'warc-b497a004fd93ba4f'
    """
    return "warc-" + hashlib.sha1(uri.encode("utf-8")).hexdigest()[:16]


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    """``text/html; charset=utf-8`` -> ``("text/html", "utf-8")``."""
    kind, _, params = (content_type or "").partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return kind.strip().lower(), charset


def _html_content_type(record: Any) -> str | None:
    """The content type of an article record's HTML, or ``None`` for any other record."""
    if record.rec_type == "response":
        headers = record.http_headers
        status = headers.get_statuscode() if headers else ""
        if not (status or "").startswith("2"):
            return None
        content_type = headers.get_header("Content-Type")
    elif record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type")
    else:
        return None
    return content_type if _media_type(content_type)[0] in HTML_TYPES else None


def _damage(record: Any) -> str | None:
    """What is wrong with a record read to its end, or ``None`` if it is whole."""
    if record.format != "warc":
        return "is not a WARC record (ARC files and other data are not read)"
    declared = (record.rec_headers.get_header("Content-Length") or "").strip()
    if not declared.isdigit() or int(declared) != record.length:  # cut inside the header
        return "has no valid Content-Length (the file may be cut inside the record's header)"
    if getattr(record.raw_stream, "limit", 0) > 0:
        return "is truncated (shorter than its Content-Length)"
    return None


def _article(record: Any, html: str, where: str) -> Article | InputError:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    if not uri:
        return InputError(f"{where}: HTML record without a WARC-Target-URI; skipped")
    where = f"{where} <{uri}>"
    page = extract_html(html, url=uri)
    if page is None:
        return InputError(f"{where}: {NO_TEXT}")
    try:
        crawled = parse_date(record.rec_headers.get_header("WARC-Date"), where)
    except InputError:
        crawled = None
    return Article(
        id=warc_article_id(uri),
        text=page.text,
        url=uri,
        title=page.title,
        date=page.date or crawled,
        source=where,
    )


def _corrupt(path: Path, number: int, end: int, exc: Exception) -> InputError:
    """The error for a record warcio cannot parse (``end``: where the last good one ended)."""
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if "non-chunked gzip" in reason:
        return InputError(
            f"{path}: compressed as one gzip stream, not one gzip member per record as WARC "
            f"requires; the records before record {number} were read; recompress it with "
            f"`warcio recompress {path} FIXED.warc.gz`"
        )
    return InputError(
        f"{path}: corrupt WARC at record {number} (after byte {end}): {reason[:200]}; "
        "the records before it were read, re-download or repair the file"
    )


def _leftover(handle: IO[bytes], end: int) -> bool:
    """Whether bytes other than blank lines follow the last complete record (ending at ``end``).

    warcio takes a file cut inside a record's headers for a clean end of file.
    """
    handle.seek(end)
    return bool(handle.read(4096).strip())


def _next_record(records: ArchiveIterator) -> tuple[Any, str | None, bytes, int, int]:
    """The next record, its HTML content type and content (if an article), offset and length."""
    record = next(records)
    content_type = _html_content_type(record)
    content = record.content_stream().read() if content_type else b""
    offset = records.get_record_offset()  # reads the rest of the record
    return record, content_type, content, offset, records.get_record_length()


def _records(handle: IO[bytes], path: Path) -> Iterator[Article | InputError]:
    records = ArchiveIterator(handle)
    number, end = 0, 0
    while True:
        number += 1
        try:
            record, content_type, content, offset, length = _next_record(records)
        except StopIteration:
            if _leftover(handle, end):
                yield InputError(
                    f"{path}: truncated or corrupt WARC record {number} at byte {end}; "
                    "the records before it were read, re-download or repair the file"
                )
            return
        except Exception as exc:  # warcio raises anything on damaged bytes (AttributeError...)
            yield _corrupt(path, number, end, exc)
            return
        end = offset + length
        if damage := _damage(record):
            yield InputError(
                f"{path}: record {number} at byte {offset} {damage}; "
                "the records before it were read, re-download or repair the file"
            )
            return
        if content_type:
            html = decode_html(content, _media_type(content_type)[1])
            yield _article(record, html, f"{path} record {number}")


def read_warc(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles of a WARC file, plain or gzip-compressed, one record at a time.

    A page without article text comes out as an :class:`InputError` naming the file,
    the record number and the URI; a truncated or corrupt file ends with one
    :class:`InputError` naming the record number and byte offset, after the
    articles before it.
    """
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None
    with handle:
        yield from _records(handle, path)
