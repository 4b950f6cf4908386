"""Normalise names into keys, so that spelling variants of one name compare equal."""

from __future__ import annotations

import re
import unicodedata

_FOLD = str.maketrans({"ı": "i", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae"})
_POSSESSIVE = re.compile(r"['\u2019]s\b")
_NON_WORD = re.compile(r"[^\w]+")


def normalise_name(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name.

    A leading "the" and a trailing possessive are dropped.

    Examples
    --------
    >>> normalise_name("The Álvarez's")
    'alvarez'
    >>> normalise_name("Viasna  Human-Rights Centre")
    'viasna human rights centre'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_FOLD)
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" ", text).strip()
    return text.removeprefix("the ")


def slug(text: str) -> str:
    """A readable IRI segment for a name.

    Examples
    --------
    >>> slug("Ales Byalyatski")
    'ales-byalyatski'
    """
    return normalise_name(text).replace(" ", "-") or "unnamed"


def initials(name: str) -> str:
    """The acronym a name would have ("Human Rights Watch" -> "HRW").

    Examples
    --------
    >>> initials("International Federation for Human Rights")
    'IFHR'
    """
    small = {"of", "for", "the", "and", "on", "in", "de", "des", "du", "la", "le", "et", "to"}
    words = [w for w in re.split(r"[\s\-]+", name) if w and w.lower() not in small]
    return "".join(w[0].upper() for w in words if w[0].isalpha())
