"""``hrkg_organisations``: known organisations from the gazetteer, and acronyms in parentheses.

Names and aliases of human-rights NGOs, UN bodies, courts and media
(``organisations.jsonl``) become ``ORG`` entities whose ``kb_id_`` is
the canonical name.  A match replaces a shorter or equal NER entity and
the NER's ``ORG``/``FAC`` spans that merely extend it ("Amnesty
International Secretariat"), but never a longer person name.

An acronym in parentheses right after an organisation ("International
Federation for Human Rights (FIDH)") is recorded in
``doc._.hr_acronyms`` (acronym -> the organisation's text) and its later
bare uses become ``ORG`` entities too.
"""

from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.extract.gazetteers import GAZETTEER_DIR, load_gazetteer
from kg.extract.spans import merge_into_ents

ACRONYM = re.compile(r"^[A-Z][A-Za-z&\-]{1,9}$")
PROTECTING_LABELS = {"PERSON", "WORK_OF_ART", "LAW", "EVENT"}

if not Doc.has_extension("hr_acronyms"):
    Doc.set_extension("hr_acronyms", default=None)


class OrganisationMatcher:
    """Mark known organisations and parenthesised acronyms in ``doc.ents``."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for org in gazetteer.organisations:
            for form in (org.name, *org.aliases):
                # Long names match in other casings ("Human rights watch"), short ones don't.
                target = self.lower_matcher if len(form.split()) >= 3 else self.matcher
                target.add(org.name, [nlp.make_doc(form)])

    def __call__(self, doc: Doc) -> Doc:
        spans = [
            Span(doc, start, end, label="ORG", kb_id=doc.vocab.strings[match_id])
            for matcher in (self.matcher, self.lower_matcher)
            for match_id, start, end in matcher(doc)
            # Other casings only count when the name starts with a capital: not "save the children".
            if doc[start].text[:1].isupper()
        ]
        merge_into_ents(doc, spans, self._may_replace)
        # A match blocked by an NER span that another match then replaced gets a second
        # chance: "Amnesty International and Human Rights Watch" tagged as one ORG.
        placed = {(e.start, e.end) for e in doc.ents}
        again = [s for s in spans if (s.start, s.end) not in placed]
        if again:
            merge_into_ents(doc, again, lambda m, e: not e.kb_id_ and self._may_replace(m, e))
        acronyms = self._acronyms(doc)
        doc._.hr_acronyms = acronyms
        if acronyms:
            bare = [
                Span(doc, t.i, t.i + 1, label="ORG", kb_id=acronyms[t.text])
                for t in doc
                if t.text in acronyms and not t.ent_type_
            ]
            merge_into_ents(doc, bare, lambda m, e: False)
        return doc

    @staticmethod
    def _may_replace(match: Span, ent: Span) -> bool:
        longer = len(ent) > len(match)
        if ent.label_ in PROTECTING_LABELS and longer:
            return False
        # A longer ORG/FAC only gives way when it starts with the match ("X Secretariat"),
        # an article aside ("The Amnesty International Secretariat").
        start = ent.start
        while start < match.start and ent.doc[start].lower_ in {"the", "a", "an"}:
            start += 1
        return not (longer and ent.label_ in {"ORG", "FAC", "GPE"} and start < match.start)

    @staticmethod
    def _acronyms(doc: Doc) -> dict[str, str]:
        """Map "FIDH" to "International Federation for Human Rights" from "Name (FIDH)"."""
        found: dict[str, str] = {}
        for ent in doc.ents:
            if ent.label_ != "ORG" or ent.end + 2 >= len(doc):
                continue
            opening, inner, closing = doc[ent.end], doc[ent.end + 1], doc[ent.end + 2]
            bracketed = opening.text == "(" and closing.text == ")" and ACRONYM.match(inner.text)
            capitals = inner.text.isupper() or sum(c.isupper() for c in inner.text) >= 2
            if bracketed and capitals:
                found.setdefault(inner.text, ent.kb_id_ or ent.text)
        return found


@Language.factory("hrkg_organisations", default_config={"gazetteer_dir": str(GAZETTEER_DIR)})
def make_organisation_matcher(nlp: Language, name: str, gazetteer_dir: str) -> OrganisationMatcher:
    """Create the ``hrkg_organisations`` component."""
    return OrganisationMatcher(nlp, gazetteer_dir)
