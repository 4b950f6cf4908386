"""``hrkg_countries``: find every country mention and resolve it to ISO 3166-1 alpha-2.

Names, short forms and demonyms come from pycountry and the gazetteer
(``country_aliases.csv``, ``demonyms.csv``).  A match becomes a ``GPE``
entity (``NORP`` for a demonym) whose ``kb_id_`` is the ISO code, so the
NER's misses ("Togo", "Tunis" tagged NORP) are fixed.  A name that is
part of a longer person, organisation or work title ("Radio Free Asia",
"Michael Jordan") stays what the NER said it was, and the few names that
are also common words or given names ("Chad", "Jordan", "Turkey") are
accepted only where the NER or a list of countries around them says so.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from kg.extract.gazetteers import GAZETTEER_DIR, load_gazetteer
from kg.extract.spans import merge_into_ents

PROTECTING_LABELS = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"}
PLACE_LABELS = {"GPE", "LOC", "NORP"}
# An "ORG" that is only a country's generic body ("Belarusian authorities") yields to the country.
GENERIC_BODIES = {"authorities", "government", "police", "regime", "army", "military", "forces"}


class CountryMatcher:
    """Mark country names and demonyms in ``doc.ents`` with their ISO code."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        self.gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        for label, table in (
            ("GPE", self.gazetteer.country_names),
            ("NORP", self.gazetteer.demonyms),
        ):
            for name, code in table.items():
                self.matcher.add(f"{label}:{code}", [nlp.make_doc(name)])
        self.ambiguous = self.gazetteer.ambiguous_countries

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            label, code = key.split(":")
            span = Span(doc, start, end, label=label, kb_id=code)
            if span.text in self.ambiguous and not self._confirmed(doc, span):
                continue
            spans.append(span)
        merge_into_ents(doc, spans, self._may_replace)
        return doc

    @staticmethod
    def _may_replace(match: Span, ent: Span) -> bool:
        inside_longer = ent.start <= match.start and match.end <= ent.end and len(ent) > len(match)
        if ent.label_ in PROTECTING_LABELS and inside_longer:
            return ent.label_ == "ORG" and ent[-1].lower_ in GENERIC_BODIES
        return True

    def _confirmed(self, doc: Doc, span: Span) -> bool:
        """An ambiguous name counts if the NER calls it a place or it stands in a list."""
        for ent in doc.ents:
            if ent.start <= span.start < ent.end:
                return ent.label_ in PLACE_LABELS and len(ent) <= len(span) + 1
        before = doc[span.start - 2] if span.start >= 2 else None
        after = doc[span.end + 1] if span.end + 1 < len(doc) else None
        listed = [t for t in (before, after) if t is not None and t.ent_type_ == "GPE"]
        return bool(listed) and any(
            doc[i].text in {",", "and"} for i in (span.start - 1, span.end) if 0 <= i < len(doc)
        )


@Language.factory("hrkg_countries", default_config={"gazetteer_dir": str(GAZETTEER_DIR)})
def make_country_matcher(nlp: Language, name: str, gazetteer_dir: str) -> CountryMatcher:
    """Create the ``hrkg_countries`` component."""
    return CountryMatcher(nlp, gazetteer_dir)
