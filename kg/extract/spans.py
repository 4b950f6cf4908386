"""Put gazetteer matches into ``doc.ents`` without losing what the NER got right."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from spacy.tokens import Doc, Span

# Decide whether ``match`` may replace the entity ``ent`` it overlaps.
Policy = Callable[[Span, Span], bool]


def merge_into_ents(doc: Doc, matches: Iterable[Span], may_replace: Policy) -> None:
    """Add ``matches`` to ``doc.ents``, replacing overlapped entities where the policy allows.

    Matches are taken longest first; a match that overlaps an entity the policy
    protects, or an already accepted match, is dropped.  Linear in the number
    of tokens plus matches.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> doc = nlp("Schoolchildren from Togo wrote letters.")
    >>> doc.ents = [Span(doc, 2, 3, label="NORP")]
    >>> merge_into_ents(doc, [Span(doc, 2, 3, label="GPE")], lambda m, e: True)
    >>> [(e.text, e.label_) for e in doc.ents]
    [('Togo', 'GPE')]
    """
    owner: dict[int, Span] = {}
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            owner[i] = ent
    taken: set[int] = set()
    removed: set[tuple[int, int]] = set()
    accepted: list[Span] = []
    for match in sorted(matches, key=lambda s: (s.start - s.end, s.start)):
        span = range(match.start, match.end)
        if any(i in taken for i in span):
            continue
        overlapped = {(e.start, e.end): e for i in span if (e := owner.get(i)) is not None}
        if not all(may_replace(match, ent) for ent in overlapped.values()):
            continue
        removed.update(overlapped)
        taken.update(span)
        accepted.append(match)
    kept = [e for e in doc.ents if (e.start, e.end) not in removed]
    doc.ents = sorted(kept + accepted, key=lambda s: s.start)
