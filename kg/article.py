"""The unit of input: one article with its text and metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Article:
    """A news article or report to extract from.

    Parameters
    ----------
    id : the article's identifier, unique within a corpus.
    text : the full text; character offsets of mentions refer to it.
    url, title, publisher : optional metadata.
    date : publication date, the reference for relative dates ("on Friday").
    source : where the article was read from (``file:line``), for messages.

    Examples
    --------
    >>> a = Article(id="a1", text="Police arrested him.")
    >>> a.content_hash[:12]
    'a57f39d42e96'
    """

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: date | None = None
    source: str = field(default="", compare=False)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text, to tell whether an article changed since it was stored."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()
