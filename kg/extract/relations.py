"""``hrkg_relations``: relations between entities, from the parse and from events.

From the parse, around each person mention:

* appositions and copulas: "X, the jailed head of Viasna and vice president
  of FIDH" / "X is director of Y" -> ``leader_of`` Viasna, ``member_of`` FIDH,
  with the title kept as the relation's role and the person's ``hr:role``;
  which relation a title implies comes from ``titles.csv``;
* titles before a name: "Human Rights Watch researcher X", "Viasna's head X";
* statuses in the same places ("prisoner of conscience") become ``hr:status``;
* a demonym in the person's description ("Azerbaijani journalist X") gives
  ``nationality``;
* "City (Country)" and "City, Country" give ``located_in``.

From events (``doc._.hr_events``): the targets of arrests, detentions and
imprisonments are ``detained_by`` the agent; of sentencing,
``sentenced_by``; organisers of campaigns, petitions and letter writing,
and organisations whose statements call for something on a person's
behalf, ``supports`` the target; award givers ``awarded`` the recipient.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteers import GAZETTEER_DIR, load_gazetteer
from kg.extract.records import EntityRecord, Mention, RelationRecord, register_extensions

DESCRIPTION_DEPS = {"appos", "attr", "acl", "relcl"}
ORG_PREPS = {"of", "at", "for", "with", "in"}
DETAINING = {"arrest", "detention", "imprisonment"}
SUPPORTING = {"campaign", "petition", "letter_writing"}
CALLS = {"urge", "call", "demand", "appeal", "press", "ask", "campaign", "support", "defend"}


class RelationExtractor:
    """Fill ``doc._.hr_relations`` and add roles and statuses to persons."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        register_extensions()
        gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.titles = gazetteer.titles
        self.statuses = gazetteer.statuses
        self.longest = max((len(t.split()) for t in [*self.titles, *self.statuses]), default=1)

    def __call__(self, doc: Doc) -> Doc:
        entities = {e.key: e for e in doc._.hr_entities or []}
        token_entity: dict[int, str] = doc._.hr_token_entity or {}
        found: dict[tuple[str, str, str], RelationRecord] = {}

        def relate(subject: str, predicate: str, obj: str, span: Span, role: str | None = None) -> None:
            if subject != obj and (subject, predicate, obj) not in found:
                mention = Mention(span.start_char, span.end_char, span.text)
                found[(subject, predicate, obj)] = RelationRecord(subject, predicate, obj, mention, role)

        for record in entities.values():
            if record.kind == "person":
                for mention in record.mentions:
                    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                    if span is not None:
                        self._describe(record, span, token_entity, entities, relate)
            elif record.kind == "place":
                self._located(record, doc, token_entity, entities, relate)
        self._from_events(doc, entities, relate)
        doc._.hr_relations = list(found.values())
        return doc

    # -- descriptions of a person -------------------------------------------------------
    def _describe(self, person: EntityRecord, span: Span, token_entity, entities, relate) -> None:  # noqa: ANN001
        root = span.root
        descriptions: list[Token] = []
        for child in root.children:
            if child.dep_ in DESCRIPTION_DEPS or (child.dep_ == "compound" and child.i < span.start):
                descriptions.append(child)
        if root.dep_ == "appos" and root.head.i not in token_entity:
            descriptions.append(root.head)
        if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in {"be", "become", "remain"}:
            descriptions += [c for c in root.head.children if c.dep_ in {"attr", "acomp", "oprd"}]
        # "Human Rights Watch researcher X": compounds left of the name.
        left = [t for t in root.lefts if t.i < span.start]
        for head in descriptions:
            nouns = [head, *[c for c in head.conjuncts]]
            for noun in nouns:
                self._noun(person, noun, span, token_entity, entities, relate)
        for token in left:
            self._noun(person, token, span, token_entity, entities, relate)

    def _noun(self, person, noun: Token, span: Span, token_entity, entities, relate) -> None:  # noqa: ANN001
        """Read one describing noun phrase: titles, statuses, the organisation, a nationality."""
        if noun.i in token_entity and not entities[token_entity[noun.i]].kind == "organisation":
            return
        phrase = [t for t in noun.subtree if t.i not in range(span.start, span.end)]
        if not phrase or len(phrase) > 40:
            return
        words = [t.lower_ for t in phrase]
        title = self._longest(words, noun, phrase, self.titles)
        status = self._longest(words, noun, phrase, self.statuses)
        if status:
            person.statuses.add(status)
        orgs = []
        for t in phrase:
            key = token_entity.get(t.i)
            if key and key not in orgs and entities[key].kind == "organisation":
                orgs.append(key)
            if key and entities[key].kind == "country" and t.dep_ in {"amod", "compound", "nmod"}:
                if t.head.i == noun.i or t.head.head.i == noun.i:
                    relate(person.key, "nationality", key, span.doc[min(t.i, span.start) : max(t.i + 1, span.end)])
        if not title:
            return
        person.roles.add(title)
        relation = self.titles.get(title, "none")
        if relation != "none" and orgs:
            # The organisation attached to this title noun, else the first in its phrase.
            org = next((token_entity[t.i] for t in noun.subtree if t.i in token_entity and token_entity[t.i] in orgs), orgs[0])
            start, end = min(span.start, phrase[0].i), max(span.end, phrase[-1].i + 1)
            relate(person.key, relation, org, span.doc[start:end], title)

    def _longest(self, words: list[str], noun: Token, phrase: list[Token], table) -> str | None:  # noqa: ANN001
        """The longest entry of ``table`` in the phrase that ends at or right before ``noun``."""
        best = None
        index = {t.i: n for n, t in enumerate(phrase)}
        end = index.get(noun.i)
        if end is None:
            return None
        for size in range(1, self.longest + 1):
            for stop in (end + 1, end + 3):  # "head of X", "prisoner of conscience"
                start = stop - size
                if start >= 0 and stop <= len(words):
                    candidate = " ".join(words[start:stop])
                    if candidate in table and (best is None or len(candidate) > len(best)):
                        best = candidate
        return best

    # -- places -------------------------------------------------------------------------
    def _located(self, place: EntityRecord, doc: Doc, token_entity, entities, relate) -> None:  # noqa: ANN001
        for mention in place.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or span.end + 1 >= len(doc):
                continue
            after = doc[span.end]
            nxt = token_entity.get(span.end + 1)
            if after.text in {"(", ","} and nxt and entities[nxt].kind == "country":
                relate(place.key, "located_in", nxt, doc[span.start : span.end + 2])

    # -- from events ----------------------------------------------------------------------
    def _from_events(self, doc: Doc, entities, relate) -> None:  # noqa: ANN001
        for event in doc._.hr_events or []:
            if not event.mentions:
                continue
            first = event.mentions[0]
            span = doc.char_span(first.start, first.end, alignment_mode="expand") or doc[:1]
            by_role: dict[str, list[str]] = {}
            for argument in event.arguments:
                by_role.setdefault(argument.role, []).append(argument.entity)
            targets = [t for t in by_role.get("target", []) if entities.get(t, None) and entities[t].kind == "person"]
            agents = by_role.get("agent", [])
            if event.type in DETAINING or event.type == "sentencing":
                predicate = "sentenced_by" if event.type == "sentencing" else "detained_by"
                for target in targets:
                    for agent in agents:
                        if entities[agent].kind in {"organisation", "country"}:
                            relate(target, predicate, agent, span)
            supporters = by_role.get("organiser", []) if event.type in SUPPORTING else []
            if event.type == "statement" and span.root.lemma_ in CALLS:
                supporters = [a for a in agents if entities[a].kind == "organisation"]
            if event.type == "award":
                for giver in agents:
                    for target in targets:
                        relate(giver, "awarded", target, span)
            for supporter in supporters:
                for target in targets:
                    relate(supporter, "supports", target, span)


@Language.factory("hrkg_relations", default_config={"gazetteer_dir": str(GAZETTEER_DIR)})
def make_relation_extractor(nlp: Language, name: str, gazetteer_dir: str) -> RelationExtractor:
    """Create the ``hrkg_relations`` component."""
    return RelationExtractor(nlp, gazetteer_dir)
