"""HTML pages: the main text and metadata of a page, extracted with trafilatura.

Navigation, scripts, styles, footers and comment threads are dropped; what is
left is the article's text, which mention offsets then refer to.  One ``.html``
or ``.htm`` file is one article, named like a ``.txt`` file by its stem.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import NamedTuple

from kg.article import Article
from kg.errors import InputError

NO_TEXT = (
    "no article text found in the HTML; give the page of one article "
    "(not an index, a redirect or a page that builds its text with scripts)"
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
# What a page shows without scripts ("enable JavaScript"): never the article, but
# trafilatura's fallback extractors take it for text when nothing else is left.
_NOSCRIPT = re.compile(r"<noscript\b.*?</noscript\s*>", re.I | re.S)


class Page(NamedTuple):
    """What :func:`extract_html` takes from a page: its main text and metadata."""

    text: str
    title: str | None
    url: str | None
    date: date | None


def _iso_date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _codec(name: str | bytes | None) -> str | None:
    if isinstance(name, bytes):
        name = name.decode("ascii", "replace")
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def decode_html(content: bytes, charset: str | None = None) -> str:
    """Decode an HTML page: by its byte order mark, as UTF-8, by ``charset``, or by guessing.

    ``charset`` is the one an HTTP header declared; without it a ``<meta charset>``
    near the top of the page is used.  Undecodable bytes become U+FFFD.

    Examples
    --------
    >>> decode_html("<meta charset='windows-1251'><p>Минск</p>".encode("cp1251"))
    "<meta charset='windows-1251'><p>Минск</p>"
    >>> decode_html(b"<p>caf\\xc3\\xa9</p>", charset="latin-1")  # valid UTF-8 wins
    '<p>café</p>'
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content.decode(codec, errors="replace")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    meta = _META_CHARSET.search(content[:4096])
    declared = _codec(charset) or _codec(meta and meta.group(1))
    if declared:
        return content.decode(declared, errors="replace")
    from trafilatura.utils import decode_file  # guesses with charset_normalizer

    return decode_file(content)


def _document(html: str) -> str:
    """The page as trafilatura takes it: no XML declaration and no ``<noscript>``, an
    ``<html>`` tag near the top."""
    html = _NOSCRIPT.sub("", _XML_DECLARATION.sub("", html, count=1))
    return html if "html" in html[:50].lower() else "<html>" + html


def extract_html(html: bytes | str, url: str | None = None) -> Page | None:
    """Extract the main text, title, URL and date of an HTML page.

    Parameters
    ----------
    html : the page, a fragment or a whole document; bytes are decoded by
        :func:`decode_html`.
    url : where the page came from, if known (helps find its date).

    Returns
    -------
    A :class:`Page`, or ``None`` when the page holds no article text.  ``url`` is
    the page's canonical link (or ``og:url``), else the ``url`` given; ``date`` is
    its publication date from its metadata, else ``None``.

    Examples
    --------
    >>> page = extract_html(
    ...     "<html><head><title>Arrest</title><script>var x = 1;</script></head>"
    ...     "<body><nav><a href='/'>Home</a></nav><article>"
    ...     "<p>Police arrested the lawyer in Minsk on Friday.</p></article></body></html>"
    ... )
    >>> page.text, page.title
    ('Police arrested the lawyer in Minsk on Friday.', 'Arrest')
    >>> extract_html("<html><body><script>var x = 1;</script></body></html>") is None
    True
    >>> extract_html("<body><script>load()</script><noscript>Enable JavaScript.</noscript>")
    """
    import trafilatura  # imported here: it is slow to import and only HTML inputs need it

    if isinstance(html, bytes):
        html = decode_html(html)
    document = trafilatura.bare_extraction(
        _document(html),
        url=url,
        with_metadata=True,
        include_comments=False,
        favor_precision=True,  # a "related stories" headline left in would become an event
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    text = (getattr(document, "text", None) or "").strip()
    if not text:
        return None
    return Page(
        text=text,
        title=document.title or None,
        url=document.url or url,
        date=_iso_date(document.date),
    )


def read_html(path: Path) -> Iterator[Article | InputError]:
    """Yield the one article of an HTML file; its id is the file name's stem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "empty.html"
    >>> _ = path.write_text("<html><body><script>var x;</script></body></html>", encoding="utf-8")
    >>> [str(e).endswith(NO_TEXT) for e in read_html(path)]
    [True]
    """
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None
    page = extract_html(content)
    if page is None:
        yield InputError(f"{path}: {NO_TEXT}")
        return
    yield Article(
        id=path.stem,
        text=page.text,
        url=page.url,
        title=page.title,
        date=page.date,
        source=str(path),
    )
