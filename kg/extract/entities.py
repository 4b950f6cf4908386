"""``hrkg_entities``: turn ``doc.ents`` into resolved persons, organisations, countries, places.

Reads what the NER, ``hrkg_countries`` and ``hrkg_organisations`` left in
``doc.ents`` and writes ``doc._.hr_entities`` (one :class:`EntityRecord`
per real-world entity, with every mention's character offsets) and
``doc._.hr_token_entity`` (token index -> entity key).

* Countries: entities carrying an ISO code, keyed ``country:BY``.
* Places: other ``GPE``/``LOC`` entities (cities, regions).
* Organisations: gazetteer entries under their canonical name; other
  ``ORG`` entities under their own name, merged with their acronym
  ("International Federation for Human Rights" / "FIDH").
* Persons: see :mod:`kg.extract.persons`.  An entity the NER mislabelled
  ("Ales" as ORG) joins the person whose name it is, and a bare surname
  the NER missed is still linked to its person.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.gazetteers import GAZETTEER_DIR, Gazetteer, load_gazetteer
from kg.extract.names import initials, normalise_name
from kg.extract.persons import PersonGroup, group_persons, person_core
from kg.extract.records import EntityRecord, Mention, register_extensions

ORG_STRIP_END = {"'s", "’s", "'", ".", ","}
MAX_ORG_WORDS = 10
REASSIGNABLE = {"ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LOC"}


class EntityResolver:
    """Resolve entity spans into :class:`EntityRecord` objects."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        register_extensions()
        self.gazetteer: Gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.known_orgs = {normalise_name(o.name): o.name for o in self.gazetteer.organisations}
        for org in self.gazetteer.organisations:
            for alias in org.aliases:
                self.known_orgs.setdefault(normalise_name(alias), org.name)

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

        persons = self._persons(doc)
        person_of: dict[str, PersonGroup] = {}
        for group in persons:
            for word in (group.words[0], group.words[-1]):
                person_of.setdefault(word, group)
            person_of[" ".join(group.words)] = group
        person_keys = {id(g): f"person:{normalise_name(g.label)}" for g in persons}

        for ent in doc.ents:
            if ent.label_ == "PERSON":
                continue
            code = ent.kb_id_ if len(ent.kb_id_) == 2 and ent.kb_id_.isupper() else None
            if code is None and ent.label_ in {"GPE", "NORP"}:
                code = self.gazetteer.country_code(ent.text)
            if code:
                add(f"country:{code}", "country", self.gazetteer.country_label(code), ent, code)
                continue
            group = person_of.get(normalise_name(ent.text)) if ent.label_ in REASSIGNABLE else None
            if group is not None and not ent.kb_id_:
                group.add(ent)
            elif ent.label_ == "ORG":
                self._organisation(doc, ent, add)
            elif ent.label_ in {"GPE", "LOC"} and "\n" not in ent.text:
                core = _strip(ent)
                if core is not None:
                    add(f"place:{normalise_name(core.text)}", "place", core.text, core)

        self._bare_surnames(doc, persons, token_entity)
        for group in persons:
            key = person_keys[id(group)]
            for span in sorted(group.spans, key=lambda s: s.start):
                add(key, "person", group.label, span)
            records[key].roles.update(group.roles)
        entities, folded = merge_acronym_orgs(list(records.values()))
        doc._.hr_entities = entities
        doc._.hr_token_entity = {i: folded.get(k, k) for i, k in token_entity.items()}
        return doc

    def _persons(self, doc: Doc) -> list[PersonGroup]:
        cores = []
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                core, roles = person_core(ent, self.gazetteer)
                if core is not None and normalise_name(core.text) not in self.known_orgs:
                    cores.append((core, roles))
        return group_persons(cores)

    def _bare_surnames(self, doc: Doc, persons: list[PersonGroup], taken: dict[int, str]) -> None:
        """Link proper nouns outside any entity to the full-named person they name."""
        surnames = {
            g.words[-1]: g for g in persons if len(g.words) > 1 and len(g.words[-1]) > 2
        }
        owned = {i for ent in doc.ents for i in range(ent.start, ent.end)} | set(taken)
        for token in doc:
            if token.i in owned or token.tag_ not in {"NNP", "NNPS"}:
                continue
            group = surnames.get(normalise_name(token.text))
            if group is not None:
                group.add(doc[token.i : token.i + 1])

    def _organisation(self, doc: Doc, ent: Span, add) -> None:  # noqa: ANN001
        core = _strip(ent)
        if core is None or len(core) > MAX_ORG_WORDS or "\n" in core.text:
            return
        if not any(c.isupper() for c in core.text) or core.text.casefold() in self.gazetteer.non_persons:
            return
        canonical = ent.kb_id_ or self.known_orgs.get(normalise_name(core.text)) or core.text
        acronyms = doc._.hr_acronyms or {}
        canonical = acronyms.get(canonical, canonical)
        canonical = self.known_orgs.get(normalise_name(canonical), canonical)
        canonical = _strip_text(canonical)
        add(f"organisation:{normalise_name(canonical)}", "organisation", canonical, core)


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
    while end > start and (doc[end - 1].text in ORG_STRIP_END or doc[end - 1].is_punct):
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
