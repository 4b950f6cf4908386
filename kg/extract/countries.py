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
from kg.extract.places import city_country
from kg.extract.spans import merge_into_ents

PROTECTING_LABELS = {"PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"}
PLACE_LABELS = {"GPE", "LOC", "NORP"}
# An "ORG" that is only a country's generic body ("Belarusian authorities") yields to the country.
GENERIC_BODIES = {"authorities", "government", "police", "regime", "army", "military", "forces"}
# Words a longer place name may add to a country's and still mean it ("Northern Iraq").
COMPASS = {"north", "south", "east", "west", "central"}
COMPASS |= {"northern", "southern", "eastern", "western"}


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
        # Regions and groups whose names hold a demonym ("Latin American", "Indian Ocean").
        self.excluded = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.excluded.add("EXCLUDED", [nlp.make_doc(f) for f in self.gazetteer.excluded_demonyms])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        excluded = [(start, end) for _, start, end in self.excluded(doc)]
        for match_id, start, end in self.matcher(doc):
            key = doc.vocab.strings[match_id]
            label, code = key.split(":")
            span = Span(doc, start, end, label=label, kb_id=code)
            if span.text in self.ambiguous and not self._confirmed(doc, span):
                continue
            if any(s <= start and end <= e and e - s > end - start for s, e in excluded):
                continue
            spans.append(span)
        merge_into_ents(doc, spans, self._may_replace)
        return doc

    @staticmethod
    def _may_replace(match: Span, ent: Span) -> bool:
        inside_longer = ent.start <= match.start and match.end <= ent.end and len(ent) > len(match)
        if ent.label_ in PROTECTING_LABELS and inside_longer:
            return ent.label_ == "ORG" and ent[-1].lower_ in GENERIC_BODIES
        if ent.label_ in {"GPE", "LOC"} and inside_longer:
            # "New Jersey", "Mexico City" are other places; "northern Iraq" is still Iraq.
            extra = [t for t in ent if not match.start <= t.i < match.end]
            return all(t.is_lower or t.is_punct or t.lower_ in COMPASS | {"the"} for t in extra)
        return True

    def _confirmed(self, doc: Doc, span: Span) -> bool:
        """An ambiguous name counts if the NER calls it a place or it stands in a list.

        It never counts after "state of" or after "<city>," where the city lies
        in another country ("Atlanta, Georgia").
        """
        if doc[max(span.start - 2, 0) : span.start].text.casefold() == "state of":
            return False
        if span.start >= 2 and doc[span.start - 1].text == ",":
            city = city_country(doc[span.start - 2].text)
            if city is not None and city != span.kb_id_:
                return False
        for ent in doc.ents:
            if ent.start <= span.start < ent.end:
                if ent.label_ in PLACE_LABELS and len(ent) <= len(span) + 1:
                    return True
                if len(ent) > len(span):  # part of a longer name: "Chad Miller"
                    return False
                break  # the NER called it something else: a list of countries may still say so
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
