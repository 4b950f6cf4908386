"""``hrkg_entities``: turn ``doc.ents`` into resolved persons, organisations, countries, places.

Reads what the NER, ``hrkg_countries`` and ``hrkg_organisations`` left in
``doc.ents`` and writes ``doc._.hr_entities`` (one :class:`EntityRecord`
per real-world entity, with every mention's character offsets) and
``doc._.hr_token_entity`` (token index -> entity key).

* Countries: entities carrying an ISO code, keyed ``country:BY``.
* Places: other ``GPE``/``LOC`` entities, and names of large cities the
  NER took for a person or an organisation ("Nairobi", "Nuevo Laredo").
* Organisations: gazetteer entries under their canonical name; other
  ``ORG`` entities under their own name, cleaned ("Viasna chair" ->
  "Viasna"), merged with their acronym ("FIDH"); facilities ("Highlands
  Police Station"), laws ("... Act") and bare generic bodies ("the
  Government") are dropped.
* Persons: see :mod:`kg.extract.persons`.  A name the NER mislabelled as
  an organisation joins the persons when a title or a description marks
  it as one ("Bishop Rolando Álvarez", "Oleg Orlov, co-chair of ..."), or
  when it is a known person's name; a bare surname the NER missed is
  still linked to its person.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.gazetteers import GAZETTEER_DIR, Gazetteer, load_gazetteer
from kg.extract.names import initials, normalise_name
from kg.extract.persons import (
    NAME_WORD,
    PersonGroup,
    group_persons,
    person_core,
    title_before,
    weak_single,
)
from kg.extract.places import city_country
from kg.extract.records import EntityRecord, Mention, register_extensions

MAX_ORG_WORDS = 10
PLACE_LABELS = {"GPE", "LOC"}
# Labels the NER gives to names that may turn out to be persons (places only when described).
PERSON_LIKE_LABELS = {"ORG", "FAC", "PRODUCT", "WORK_OF_ART", "NORP"} | PLACE_LABELS
REASSIGNABLE = PERSON_LIKE_LABELS
LOCATIVE = {"in", "from", "to", "at", "near", "of"}

Add = Callable[[str, str, str, Span, "str | None"], None]


class EntityResolver:
    """Resolve entity spans into :class:`EntityRecord` objects."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        register_extensions()
        self.gazetteer: Gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.known_orgs = {normalise_name(o.name): o.name for o in self.gazetteer.organisations}
        for org in self.gazetteer.organisations:
            for alias in org.aliases:
                self.known_orgs.setdefault(normalise_name(alias), org.name)
        words = [*self.gazetteer.titles, *self.gazetteer.statuses]
        self.description_heads = {w.split()[-1] for w in words}
        self.single_titles = {t for t in self.gazetteer.titles if " " not in t}

    def __call__(self, doc: Doc) -> Doc:
        records: dict[str, EntityRecord] = {}
        token_entity: dict[int, str] = {}

        def add(key: str, kind: str, label: str, span: Span, code: str | None = None) -> None:
            record = records.get(key)
            if record is None:
                record = records[key] = EntityRecord(key, kind, label, country_code=code)
            record.mentions.append(Mention(span.start_char, span.end_char, span.text))
            if span.text != record.label:
                record.alt_labels.add(span.text)
            for i in range(span.start, span.end):
                token_entity[i] = key

        cores, others = self._split(doc)
        persons = group_persons(cores)
        self._join_weak(persons)
        person_of: dict[str, PersonGroup] = {}
        for group in persons:
            for word in (group.words[0], group.words[-1]):
                person_of.setdefault(word, group)
        for group in persons:  # full names win over first names and surnames
            person_of[" ".join(group.words)] = group

        for ent in others:
            code = ent.kb_id_ if len(ent.kb_id_) == 2 and ent.kb_id_.isupper() else None
            # Ambiguous names ("Georgia", "Jordan") were settled by hrkg_countries.
            settled = ent.text in self.gazetteer.ambiguous_countries
            if code is None and ent.label_ in {"GPE", "NORP"} and not settled:
                code = self.gazetteer.country_code(ent.text)
            if code:
                add(f"country:{code}", "country", self.gazetteer.country_label(code), ent, code)
                continue
            group = person_of.get(normalise_name(ent.text)) if ent.label_ in REASSIGNABLE else None
            if group is not None and not ent.kb_id_:
                group.add(ent)
            elif (
                ent.label_ in {"ORG", "FAC"}  # "Kharkiv" as ORG, "Nuevo Laredo" as FAC
                and not ent.kb_id_
                and city_country(_strip(ent).text if _strip(ent) else "")
            ):
                self._place(ent, add)
            elif ent.label_ == "ORG":
                self._organisation(doc, ent, persons, add)
            elif ent.label_ in {"GPE", "LOC", "PLACE"}:
                self._place(ent, add)

        self._bare_surnames(doc, persons, token_entity)
        for group in persons:
            key = f"person:{normalise_name(group.label)}"
            for span in sorted(group.spans, key=lambda s: s.start):
                add(key, "person", group.label, span)
            records[key].roles.update(group.roles)
        entities, folded = merge_acronym_orgs(list(records.values()))
        doc._.hr_entities = entities
        doc._.hr_token_entity = {i: folded.get(k, k) for i, k in token_entity.items()}
        return doc

    # -- sorting entity spans -------------------------------------------------------------
    def _split(self, doc: Doc) -> tuple[list[tuple[Span, list[str]]], list[Span]]:
        """Person name cores (with their titles) and the other entity spans.

        Lone words that are names only if a full name explains them are kept
        in ``self._weak`` for :meth:`_join_weak`.
        """
        cores: list[tuple[Span, list[str]]] = []
        others: list[Span] = []
        self._weak = []
        for ent in doc.ents:
            if ent.label_ == "PERSON" or self._person_like(ent):
                core, roles = person_core(ent, self.gazetteer)
                if core is None and ent.label_ == "PERSON":
                    weak = weak_single(ent, self.gazetteer)
                    if weak is not None:
                        self._weak.append(weak)
                if core is None or normalise_name(core.text) in self.known_orgs:
                    continue
                if self._city_not_person(core):
                    others.append(Span(doc, core.start, core.end, label="PLACE"))
                    continue
                cores.append((core, roles))
            else:
                others.append(ent)
        return cores, others

    def _join_weak(self, persons: list[PersonGroup]) -> None:
        """Join each weak lone word to the full name whose first or last word it is."""
        for span in self._weak:
            word = normalise_name(span.text)
            for group in persons:
                if len(group.words) > 1 and word in (group.words[0], group.words[-1]):
                    group.add(span)
                    break

    def _person_like(self, ent: Span) -> bool:
        """An ``ORG`` (or similar) that is really a person: titled or described as one."""
        if ent.label_ not in PERSON_LIKE_LABELS or ent.kb_id_:
            return False
        words = [t for t in ent if not t.is_punct and t.lower_ not in {"'s", "’s"}]
        if not 1 <= len(words) <= 5 or not all(NAME_WORD.match(t.text) for t in words):
            return False
        if any(t.lower_ in self.gazetteer.org_words for t in words):
            return False
        if self.gazetteer.country_code(ent.text) or city_country(ent.text):
            return False
        titled = words[0].lower_ in self.single_titles or title_before(
            ent.doc, ent.start, self.gazetteer.titles
        )
        if titled and ent.label_ not in PLACE_LABELS:
            return len(words) >= 2
        root = ent.root
        described = [c for c in root.children if c.dep_ == "appos"]
        if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ == "be":
            described += [c for c in root.head.children if c.dep_ == "attr"]
        return len(words) >= 2 and any(
            t.lower_ in self.description_heads
            for d in described
            for t in d.subtree
            if t.i < d.i + 6
        )

    def _city_not_person(self, core: Span) -> bool:
        """A name the NER called a person that is a city.

        "Nuevo Laredo" (a name of several words), "in Kampala" (after a
        locative preposition) and "Tunis and Rabat" (coordinated with a place).
        """
        if city_country(core.text) is None:
            return False
        before = core.doc[core.start - 1].lower_ if core.start > 0 else ""
        root = core.root
        partners = [*root.conjuncts] + ([root.head] if root.dep_ == "conj" else [])
        coordinated = any(
            t.ent_type_ in {"GPE", "LOC"} or city_country(t.text) for t in partners if t != root
        )
        return len(core) > 1 or before in LOCATIVE or coordinated

    # -- organisations, places, persons ---------------------------------------------------
    def _organisation(self, doc: Doc, ent: Span, persons: list[PersonGroup], add: Add) -> None:
        core = _strip(ent)
        if core is None or "\n" in core.text:
            return
        core = self._split_person(core, persons)
        if core is None:
            return
        while len(core) > 1 and core[-1].lower_ in self.single_titles and not ent.kb_id_:
            core = core[:-1]  # "Viasna chair" -> "Viasna"
        words = [t.lower_ for t in core if not t.is_punct]
        if not words or len(words) > MAX_ORG_WORDS or not any(c.isupper() for c in core.text):
            return
        kinds = self.gazetteer.org_words
        if not ent.kb_id_:
            if len(core) > 1 and self.gazetteer.country_code(core[0].text):
                rest = core[1:]  # "Tunisian Femen" -> Femen, not "Thai Lawyers for Human Rights"
                if len(rest) == 1 or normalise_name(rest.text) in self.known_orgs:
                    core, words = rest, words[1:]
            last = kinds.get(words[-1], frozenset())
            prize = any("prize" in kinds.get(w, ()) for w in words)
            if prize or last & {"facility", "law", "event"}:
                return  # "Highlands Police Station", "... Act", "Letter Writing Marathon", awards
            if "place" in last and core[-1].is_lower:
                self._place(core, add)  # "Guerrero state"
                return
            if all("generic" in kinds.get(w, ()) or self.gazetteer.country_code(w) for w in words):
                return  # "the Government", "Armed Forces", "Russian army"
            if core.text.casefold() in self.gazetteer.non_persons:
                return
        canonical = (
            ent.kb_id_ or self.known_orgs.get(normalise_name(core.text)) or _strip_text(core.text)
        )
        acronyms = doc._.hr_acronyms or {}
        canonical = acronyms.get(canonical, canonical)
        canonical = _strip_text(self.known_orgs.get(normalise_name(canonical), canonical))
        add(f"organisation:{normalise_name(canonical)}", "organisation", canonical, core, None)

    @staticmethod
    def _split_person(core: Span, persons: list[PersonGroup]) -> Span | None:
        """Cut a known person's full name off the end of an organisation span."""
        for group in persons:
            size = len(group.words)
            if len(group.words) > 1 and len(core) > size:
                tail = core[-size:]
                if normalise_name(tail.text).split() == group.words:
                    group.add(tail)
                    return core[:-size]
        return core

    def _place(self, ent: Span, add: Add) -> None:
        core = _strip(ent)
        if core is not None and "\n" not in core.text:
            add(f"place:{normalise_name(core.text)}", "place", core.text, core, None)

    def _bare_surnames(self, doc: Doc, persons: list[PersonGroup], taken: dict[int, str]) -> None:
        """Link proper nouns outside any entity to the full-named person they name."""
        surnames = {g.words[-1]: g for g in persons if len(g.words) > 1 and len(g.words[-1]) > 2}
        owned = {i for g in persons for s in g.spans for i in range(s.start, s.end)}
        owned |= {i for ent in doc.ents for i in range(ent.start, ent.end)} | set(taken)
        for token in doc:
            if token.i in owned or token.tag_ not in {"NNP", "NNPS"}:
                continue
            group = surnames.get(normalise_name(token.text))
            if group is not None:
                group.add(doc[token.i : token.i + 1])


def merge_acronym_orgs(
    records: list[EntityRecord],
) -> tuple[list[EntityRecord], dict[str, str]]:
    """Fold an organisation known only by an acronym into the one whose initials it is.

    Returns the remaining records and a map from each folded key to the key it joined.
    """
    orgs = [r for r in records if r.kind == "organisation"]
    by_initials: dict[str, EntityRecord] = {}
    for record in orgs:
        if len(record.label.split()) > 1:
            by_initials.setdefault(initials(record.label), record)
    folded = {}
    for record in orgs:
        target = by_initials.get(record.label) if record.label.isupper() else None
        if target is not None and target is not record:
            target.alt_labels.add(record.label)
            target.alt_labels.update(record.alt_labels)
            target.mentions.extend(record.mentions)
            folded[record.key] = target.key
    return [r for r in records if r.key not in folded], folded


def _strip(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].lower_ in {"the", "a", "an"}:
        start += 1
    for i in range(start + 1, end):  # "Zimbabwe Union of Journalists (ZUJ": the name ends at "("
        if doc[i].text == "(":
            end = i
            break
    while end > start and (doc[end - 1].lower_ in {"'s", "’s", "'"} or doc[end - 1].is_punct):
        end -= 1
    return doc[start:end] if start < end else None


def _strip_text(text: str) -> str:
    text = text.strip()
    for prefix in ("the ", "The "):
        text = text.removeprefix(prefix)
    for suffix in ("'s", "’s"):
        text = text.removesuffix(suffix)
    return text


@Language.factory("hrkg_entities", default_config={"gazetteer_dir": str(GAZETTEER_DIR)})
def make_entity_resolver(nlp: Language, name: str, gazetteer_dir: str) -> EntityResolver:
    """Create the ``hrkg_entities`` component."""
    return EntityResolver(nlp, gazetteer_dir)
