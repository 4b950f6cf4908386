"""The unit of input: one article with its text and metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from kg.errors import InputError

#: The longest article text hrkg extracts from, in characters: the spaCy pipeline's own
#: limit (``Language.max_length``), past which it refuses a text.  Split longer documents.
MAX_CHARS = 1_000_000


def surrogate_at(value: object) -> int | None:
    """Where the first lone surrogate of a string is (which UTF-8 cannot encode), if any.

    Examples
    --------
    >>> surrogate_at("Minsk 😀"), surrogate_at("bad \\ud800"), surrogate_at(None)
    (None, 4, None)
    """
    if not isinstance(value, str):
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


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

    Raises
    ------
    InputError
        If a string field holds a lone surrogate (``"\\ud800"``): that is not text,
        and could be neither hashed nor stored.

    Examples
    --------
    >>> a = Article(id="a1", text="Police arrested him.")
    >>> a.content_hash[:12]
    'a57f39d42e96'
    >>> Article(id="a2", text="Police arrested \\udc00him.")
    Traceback (most recent call last):
    kg.errors.InputError: article 'a2': 'text' holds a lone surrogate at character 16, which is not text; fix the text
    """  # noqa: E501

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    publisher: str | None = None
    date: date | None = None
    source: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        for name in ("id", "text", "url", "title", "publisher"):
            at = surrogate_at(getattr(self, name))
            if at is not None:
                where = f"{self.source}: " if self.source else ""
                ident = str(self.id).encode("utf-8", "replace").decode("utf-8")
                raise InputError(
                    f"{where}article {ident!r}: {name!r} holds a lone surrogate at character "
                    f"{at}, which is not text; fix the text"
                )

    @property
    def content_hash(self) -> str:
        """SHA-256 of the text, to tell whether an article changed since it was stored."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def size_error(article: Article) -> InputError | None:
    """An :class:`InputError` if ``article``'s text is longer than :data:`MAX_CHARS`.

    Examples
    --------
    >>> size_error(Article(id="a1", text="Police arrested him.")) is None
    True
    >>> print(size_error(Article(id="big", text="x" * 1_000_001, source="a.jsonl line 3")))
    a.jsonl line 3: article 'big' has 1,000,001 characters, more than the 1,000,000 hrkg extracts from; split it into several articles
    """  # noqa: E501
    size = len(article.text) if isinstance(article.text, str) else 0
    if size <= MAX_CHARS:
        return None
    where = f"{article.source}: " if article.source else ""
    return InputError(
        f"{where}article {article.id!r} has {size:,} characters, more than the "
        f"{MAX_CHARS:,} hrkg extracts from; split it into several articles"
    )
