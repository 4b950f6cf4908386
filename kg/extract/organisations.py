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
from kg.extract.names import initials
from kg.extract.spans import merge_into_ents

ACRONYM = re.compile(r"^[A-Z][A-Za-z&\-]{1,9}$")
PROTECTING_LABELS = {"PERSON", "WORK_OF_ART", "LAW", "EVENT"}

if not Doc.has_extension("hr_acronyms"):
    Doc.set_extension("hr_acronyms", default=None)


class OrganisationMatcher:
    """Mark known organisations and parenthesised acronyms in ``doc.ents``."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.org_words = set(gazetteer.org_words)
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
            if _capitalised_like_a_name(doc[start:end])
        ]
        before = [e for e in doc.ents if e.label_ == "ORG"]
        merge_into_ents(doc, spans, self._may_replace)
        self._name_after_org(doc, before)
        merge_into_ents(doc, self._names_before_acronyms(doc), self._may_replace)
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

    def _name_after_org(self, doc: Doc, ner_orgs: list[Span]) -> None:
        """Keep the person in an NER span that ran on past a known organisation.

        "the group Memorial Oleg Orlov" comes out of the NER as one ``ORG``;
        once the gazetteer has claimed "Memorial", a name-like rest ("Oleg
        Orlov": two to four capitalised words, none an organisation word)
        becomes a ``PERSON`` span.
        """
        kept = {(e.start, e.end) for e in doc.ents}
        owned = {i for e in doc.ents for i in range(e.start, e.end)}
        names = []
        for ent in ner_orgs:
            if (ent.start, ent.end) in kept:
                continue
            rest = [t for t in ent if t.i not in owned]
            if not 2 <= len(rest) <= 4 or rest[-1].i != ent.end - 1:
                continue
            if rest[-1].i - rest[0].i + 1 != len(rest):
                continue
            if all(t.is_title and t.is_alpha and t.lower_ not in self.org_words for t in rest):
                names.append(Span(doc, rest[0].i, rest[-1].i + 1, label="PERSON"))
        merge_into_ents(doc, names, lambda m, e: False)

    @staticmethod
    def _names_before_acronyms(doc: Doc) -> list[Span]:
        """Names the NER missed, found by their acronym: "Coalition for Free Speech (CFS)"."""
        found = []
        for token in doc[2:-1]:
            opening, closing = doc[token.i - 1], doc[token.i + 1]
            if opening.text != "(" or closing.text != ")" or not token.text.isupper():
                continue
            if token.ent_type_ == "ORG" or doc[token.i - 2].ent_type_ == "ORG":
                continue  # the NER has the name already
            for start in range(opening.i - 1, max(opening.i - 12, -1), -1):
                name = doc[start : opening.i]
                if doc[start].is_title and initials(name.text) == token.text:
                    if len(name) > 1 and not any(t.ent_type_ == "PERSON" for t in name):
                        found.append(Span(doc, start, opening.i, label="ORG"))
                    break
        return found

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


def _capitalised_like_a_name(span: Span) -> bool:
    """Whether a span is written like a name: every word of four letters or more capitalised.

    "Save the Children" and "Human rights Watch" pass; a sentence-initial
    phrase such as "Save the children from hunger" or "People in need" does not.
    """
    return all(t.text[:1].isupper() for t in span if len(t.text) >= 4 or t.i == span.start)


@Language.factory("hrkg_organisations", default_config={"gazetteer_dir": str(GAZETTEER_DIR)})
def make_organisation_matcher(nlp: Language, name: str, gazetteer_dir: str) -> OrganisationMatcher:
    """Create the ``hrkg_organisations`` component."""
    return OrganisationMatcher(nlp, gazetteer_dir)
