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
    # Fold case before decomposing too: some capitals decompose differently from their
    # lower case ("ᾈ"), and some compatibility forms decompose to capitals ("℡").
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold().translate(_FOLD)
    text = _POSSESSIVE.sub("", text)
    text = _NON_WORD.sub(" ", text).strip()
    while text.startswith("the "):  # every leading "the", so a second pass changes nothing
        text = text[4:]
    return text


def slug(text: str) -> str:
    """A readable IRI segment for a name.

    Examples
    --------
    >>> slug("Ales Byalyatski")
    'ales-byalyatski'
    >>> slug("Алесь Бяляцкі")
    'unnamed'
    """
    ascii_only = normalise_name(text).encode("ascii", "ignore").decode("ascii")
    return "-".join(ascii_only.split()) or "unnamed"


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
