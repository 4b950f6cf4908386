"""Person names: titles stripped (and kept as roles), non-persons dropped, aliases merged.

A name's core is what remains of an NER ``PERSON`` span once leading
titles ("president", "Bishop"), articles and a trailing possessive are
removed.  Within a document, full names (two or more words) are the
canonical persons; a one-word mention ("Ales", "Byalyatski") joins the
full name whose first or last word it is, preferring the nearest one
before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from kg.extract.gazetteers import Gazetteer
from kg.extract.names import normalise_name

PARTICLES = {
    "al",
    "el",
    "bin",
    "ibn",
    "de",
    "da",
    "do",
    "dos",
    "van",
    "von",
    "der",
    "la",
    "le",
    "y",
}
NAME_WORD = re.compile(r"^[A-Z\u00C0-\u024F\u0400-\u04FF][\w'’\-.]*$")
MAX_TITLE_WORDS = 4


@dataclass
class PersonGroup:
    """The mentions of one person within a document."""

    words: list[str]
    forms: dict[str, int] = field(default_factory=dict)  # surface form -> count
    spans: list[Span] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """The most frequent full form (first seen on a tie)."""
        full = [f for f in self.forms if len(f.split()) > 1] or list(self.forms)
        return max(full, key=lambda f: (self.forms[f], len(f.split()), -full.index(f)))

    def add(self, span: Span) -> None:
        """Record one mention of this person."""
        self.forms[span.text] = self.forms.get(span.text, 0) + 1
        self.spans.append(span)


def title_at(doc: Doc, start: int, end: int, titles: dict[str, str]) -> int:
    """Length of the longest title in ``titles`` beginning at token ``start`` (0 if none)."""
    for size in range(min(MAX_TITLE_WORDS, end - start), 0, -1):
        if doc[start : start + size].text.casefold() in titles:
            return size
    return 0


def title_before(doc: Doc, start: int, titles: dict[str, str]) -> str | None:
    """The title that ends right before token ``start`` ("president" in "president X Y")."""
    for size in range(min(MAX_TITLE_WORDS, start), 0, -1):
        phrase = doc[start - size : start].text.casefold()
        if phrase in titles:
            return phrase
    return None


def person_core(span: Span, gazetteer: Gazetteer) -> tuple[Span | None, list[str]]:
    """Strip titles, "the" and a possessive from a ``PERSON`` span.

    Returns the remaining name span (``None`` if nothing name-like is left)
    and the titles found, in order.
    """
    doc, start, end = span.doc, span.start, span.end
    roles = []
    while start < end:
        if doc[start].lower_ in {"the", "a", "an", "former", "late", "jailed"}:
            start += 1
            continue
        size = title_at(doc, start, end, gazetteer.titles)
        if size == 0 or size == end - start:
            break
        roles.append(doc[start : start + size].text.casefold())
        start += size
    while end > start and (doc[end - 1].is_punct or doc[end - 1].lower_ in {"'s", "’s", "'"}):
        end -= 1
    if start >= end:
        return None, roles
    before = title_before(doc, start, gazetteer.titles)
    if before and before not in roles:
        roles.insert(0, before)
    core = doc[start:end]
    return (core if is_person_name(core, gazetteer) else None), roles


def is_person_name(core: Span, gazetteer: Gazetteer) -> bool:
    """Whether a cleaned span looks like a person's name and is no known non-person."""
    text = core.text
    if "\n" in text or len(core) > 6 or any(c.isdigit() for c in text):
        return False
    if text.casefold() in gazetteer.non_persons or text.casefold() in gazetteer.titles:
        return False
    if gazetteer.country_code(text) and text not in gazetteer.ambiguous_countries:
        return False  # "Chad", "Jordan": hrkg_countries has declined them as countries already
    words = [t for t in core if not t.is_punct]
    if not words or not all(NAME_WORD.match(t.text) or t.lower_ in PARTICLES for t in words):
        return False
    if any(t.lower_ in gazetteer.non_persons for t in words):
        return False
    if len(words) == 1:
        # A lone capitalised word must be tagged as a proper noun, not "Waterproof".
        word = words[0]
        if word.tag_ not in {"NNP", "NNPS"} or word.is_upper or word.dep_ == "amod":
            return False
        # "Waterproof lanterns were ...": a modifier of a common noun, not a name.
        modifies_noun = word.dep_ in {"compound", "nmod"} and word.head.is_lower
        return not (word.is_sent_start and modifies_noun)
    return True


def weak_single(span: Span, gazetteer: Gazetteer) -> Span | None:
    """A lone capitalised word the tagger did not call a proper noun ("Santos" as NNS).

    Such a word is no name on its own, but may still be a known person's
    surname or first name: :func:`group_persons` callers join it to a full name
    found elsewhere in the document, and drop it otherwise.
    """
    words = [t for t in span if not t.is_punct and t.lower_ not in {"'s", "’s"}]
    if len(words) != 1:
        return None
    word = words[0]
    if not (word.is_title and word.is_alpha) or word.lower_ in gazetteer.non_persons:
        return None
    if word.lower_ in gazetteer.titles or gazetteer.country_code(word.text):
        return None
    return span.doc[word.i : word.i + 1]


def name_words(core: Span) -> list[str]:
    """The comparable words of a name ("Ales Byalyatski" -> ["ales", "byalyatski"])."""
    return [w for w in normalise_name(core.text).split() if w not in PARTICLES] or [
        normalise_name(core.text)
    ]


def group_persons(cores: list[tuple[Span, list[str]]]) -> list[PersonGroup]:
    """Merge person mentions of one document into people.

    Full names first: two full names are one person when they share their
    first and last words ("Rolando Álvarez", "Rolando José Álvarez").  Then
    each one-word mention joins the full name it is part of, preferring the
    nearest full name before it; otherwise it stands alone.
    """
    groups: list[PersonGroup] = []
    singles: list[tuple[Span, list[str]]] = []
    for core, roles in cores:
        words = name_words(core)
        if len(words) < 2:
            singles.append((core, roles))
            continue
        group = next(
            (g for g in groups if g.words[0] == words[0] and words[-1] in g.words[1:]),
            None,
        ) or next((g for g in groups if words[0] == g.words[0] and g.words[-1] in words[1:]), None)
        if group is None:
            group = PersonGroup(words=words)
            groups.append(group)
        elif len(words) > len(group.words):
            group.words = words
        group.add(core)
        group.roles.update(roles)
    for core, roles in singles:
        word = name_words(core)[0]
        candidates = [g for g in groups if len(g.words) > 1 and word in (g.words[0], g.words[-1])]
        if candidates:
            before = [g for g in candidates if g.spans[0].start < core.start]
            group = max(before or candidates, key=lambda g: max(s.start for s in g.spans))
        else:
            group = next((g for g in groups if g.words == [word]), None)
            if group is None:
                group = PersonGroup(words=[word])
                groups.append(group)
        group.add(core)
        group.roles.update(roles)
    return groups
