"""Read articles from JSONL (plain or ``.jsonl.gz``), ``.txt``, HTML and WARC files.

The readers live in :mod:`kg.readers`, one module per kind of input; this module
keeps the names the rest of hrkg (and its users) import.  Readers are
generators: they hold one article in memory at a time.  A bad document does not
stop a batch: it is yielded as an :class:`InputError` so the caller can report
it and go on.

Examples
--------
>>> SUFFIXES
('.jsonl', '.jsonl.gz', '.txt', '.html', '.htm', '.warc', '.warc.gz')
"""

from __future__ import annotations

from kg.errors import InputError
from kg.readers import (
    SUFFIXES,
    article_from_record,
    extract_html,
    input_suffix,
    parse_date,
    read_articles,
    read_html,
    read_jsonl,
    read_jsonl_gz,
    read_text,
    read_warc,
    warc_article_id,
)

__all__ = [
    "SUFFIXES",
    "InputError",
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
