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

from itertools import pairwise
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from kg.extract.gazetteers import GAZETTEER_DIR, load_gazetteer
from kg.extract.records import EntityRecord, Mention, RelationRecord, register_extensions

DESCRIPTION_DEPS = {"appos", "attr", "acl", "relcl"}
ORG_PREPS = {"of", "at", "for", "with", "in"}
DETAINING = {"arrest", "detention", "imprisonment"}
SUPPORTING = {"campaign", "petition", "letter_writing"}
# Titles that name the head of a country as well as of an organisation.
HEADS_OF_STATE = {"president"}
CLAUSE_VERBS = {
    "head": "leader_of",
    "lead": "leader_of",
    "chair": "leader_of",
    "direct": "leader_of",
    "found": "founded",
    "co-found": "founded",
    "establish": "founded",
    "join": "member_of",
}
CALLS = {"urge", "call", "demand", "appeal", "press", "ask", "campaign", "support", "defend"}


class RelationExtractor:
    """Fill ``doc._.hr_relations`` and add roles and statuses to persons."""

    def __init__(self, nlp: Language, gazetteer_dir: str | Path = GAZETTEER_DIR) -> None:
        register_extensions()
        gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.titles = gazetteer.titles
        self.title_kinds = gazetteer.title_kinds
        self.statuses = gazetteer.statuses
        # In tokens: "co-chair" is three ("co", "-", "chair").
        phrases = [*self.titles, *self.statuses]
        self.longest = max((len(nlp.make_doc(t)) for t in phrases), default=1)

    def __call__(self, doc: Doc) -> Doc:
        entities = {e.key: e for e in doc._.hr_entities or []}
        token_entity: dict[int, str] = doc._.hr_token_entity or {}
        found: dict[tuple[str, str, str], RelationRecord] = {}

        def relate(
            subject: str, predicate: str, obj: str, span: Span, role: str | None = None
        ) -> None:
            if subject != obj and (subject, predicate, obj) not in found:
                mention = Mention(span.start_char, span.end_char, span.text)
                found[(subject, predicate, obj)] = RelationRecord(
                    subject, predicate, obj, mention, role
                )

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
    def _describe(self, person: EntityRecord, span: Span, token_entity, entities, relate) -> None:
        """Read the phrases that describe one person mention."""
        root = span.root
        inside = set(range(span.start, span.end))
        phrases: list[tuple[Token, list[Token]]] = []
        for child in root.children:
            # "X, Viasna Chair and laureate, ..." is often parsed as a conjunct of the name.
            described = child.dep_ in DESCRIPTION_DEPS or (
                child.dep_ == "conj" and child.i not in token_entity and child.pos_ != "VERB"
            )
            if described and child.i not in inside:
                for noun in (child, *child.conjuncts):
                    if noun.i in token_entity and entities[token_entity[noun.i]].kind == "person":
                        continue  # "X and Y": another person, not a description
                    tokens = [*_hyphen_prefix(noun), *noun.subtree]
                    phrases.append((noun, [t for t in tokens if t.i not in inside]))
        # "X, the co-chair of Y": the parser may hang "of Y" on the name instead of the title.
        trailing = [c for c in root.rights if c.dep_ == "prep" and c.lower_ in ORG_PREPS]
        if root.dep_ == "appos" and root.head.i not in token_entity:
            head = root.head
            phrases.append(
                (
                    head,
                    [
                        t
                        for t in head.subtree
                        if t.i not in set(range(root.left_edge.i, root.right_edge.i + 1))
                    ],
                )
            )
        if root.dep_ in {"nsubj", "nsubjpass"} and root.head.lemma_ in {"be", "become", "remain"}:
            for attr in root.head.children:
                if attr.dep_ in {"attr", "oprd"}:
                    phrases.append((attr, [*_hyphen_prefix(attr), *attr.subtree]))
        left = [t for child in root.lefts if child.i < span.start for t in child.subtree]
        if left:
            nouns = [t for t in left if t.pos_ in {"NOUN", "PROPN"} and t.i not in token_entity]
            phrases.append((nouns[-1] if nouns else left[-1], left))
        for noun, tokens in phrases:
            if tokens and len(tokens) <= 40:
                if trailing and noun.dep_ == "appos":
                    tokens = tokens + [t for prep in trailing for t in prep.subtree]
                self._phrase(person, span, noun, tokens, token_entity, entities, relate)
        for child in root.children:
            if child.dep_ == "relcl":
                self._clause(person, span, child, token_entity, entities, relate)

    def _phrase(self, person, span, noun, tokens, token_entity, entities, relate) -> None:
        """One describing phrase: its title, status, the organisation or country, a nationality."""
        words = [t.lower_ for t in tokens]
        status = self._longest(words, noun, tokens, self.statuses)
        if status:
            person.statuses.add(status)
        title = self._title(words, noun, tokens)
        kind = self.title_kinds.get(title or "", "")
        doc = span.doc
        evidence = doc[min(span.start, tokens[0].i) : max(span.end, tokens[-1].i + 1)]
        if not title or not (kind == "political" or title in HEADS_OF_STATE):
            for t in tokens:
                key = token_entity.get(t.i)
                modifier = t.dep_ in {"amod", "compound", "nmod"} and t.head.i in {
                    noun.i,
                    span.root.i,
                }
                if key and modifier and entities[key].kind == "country":
                    relate(person.key, "nationality", key, evidence)
        if not title:
            return
        person.roles.add(title)
        relation = self.titles.get(title, "none")
        if relation == "none":
            return
        political = kind == "political" or title in HEADS_OF_STATE
        attached = (
            None
            if kind == "political"
            else self._attached(noun, tokens, token_entity, entities, "organisation")
        )
        if attached is None and political:
            # "Nicaraguan President X", "President of Y", or "President X" in an article
            # about one country.
            attached = (
                self._attached(noun, tokens, token_entity, entities, "country")
                or self._sentence_country(noun.sent, token_entity, entities)
                or self._dominant_country(entities)
            )
        if attached:
            relate(person.key, relation, attached, evidence, title)

    def _title(self, words: list[str], noun: Token, tokens: list[Token]) -> str | None:
        """The title a phrase gives, preferring a modified one ("associate ... director")."""
        title = self._longest(words, noun, tokens, self.titles)
        if title and " " not in title:
            for left in noun.lefts:
                combined = f"{left.lower_} {title}"
                if combined in self.titles:
                    return combined
            head = (
                self.titles.get(title) == "leader_of" and self.title_kinds.get(title) == "org_role"
            )
            regional = any(t.pos_ == "PROPN" and t.dep_ in {"compound", "nmod"} for t in noun.lefts)
            if head and regional and f"regional {title}" in self.titles:
                return f"regional {title}"  # "Asia director": a regional post, not the head
        return title

    @staticmethod
    def _dominant_country(entities: dict[str, EntityRecord]) -> str | None:
        """The country an article is about, if one clearly is.

        It must be the first country the article mentions and hold at least
        two thirds of all country mentions (two of them at least); otherwise
        none, so that "President X" in an article about two countries gets no
        leader_of.
        """
        countries = [e for e in entities.values() if e.kind == "country"]
        total = sum(len(e.mentions) for e in countries)
        if not countries or total < 2:
            return None
        first = min(countries, key=lambda e: min(m.start for m in e.mentions))
        return first.key if 3 * len(first.mentions) >= 2 * total else None

    @staticmethod
    def _sentence_country(sent: Span, token_entity, entities) -> str | None:
        """The only country a sentence mentions, if it mentions exactly one."""
        found = {
            key
            for t in sent
            if (key := token_entity.get(t.i)) is not None and entities[key].kind == "country"
        }
        return found.pop() if len(found) == 1 else None

    @staticmethod
    def _attached(
        noun: Token, tokens: list[Token], token_entity, entities, wanted: str
    ) -> str | None:
        """The entity of kind ``wanted`` the title noun is attached to ("head of X", "X's head")."""
        candidates: list[Token] = []
        for child in noun.children:
            prep = child.dep_ == "prep" and child.lower_ in ORG_PREPS
            if prep or child.dep_ in {"poss", "compound", "nmod", "amod"}:
                candidates += list(child.subtree)
        if noun.dep_ in {"compound", "nmod"}:  # "Human Rights Watch researcher X": left of the name
            candidates += [t for t in tokens if t.i < noun.i]
        for t in candidates:
            key = token_entity.get(t.i)
            if key and entities[key].kind == wanted:
                return key
        return None

    def _clause(self, person, span, verb, token_entity, entities, relate) -> None:
        """ "X, who heads Y" / "X, who founded Y"."""
        relation = CLAUSE_VERBS.get(verb.lemma_)
        if relation is None:
            return
        for child in verb.children:
            if child.dep_ in {"dobj", "attr"}:
                for t in child.subtree:
                    key = token_entity.get(t.i)
                    if key and entities[key].kind == "organisation":
                        doc, end = span.doc, t.i + 1
                        while end < len(doc) and token_entity.get(end) == key:
                            end += 1  # the evidence ends with the organisation's name
                        relate(
                            person.key,
                            relation,
                            key,
                            doc[span.start : max(span.end, end)],
                            verb.lemma_,
                        )
                        return

    def _longest(self, words: list[str], noun: Token, phrase: list[Token], table) -> str | None:
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
                    candidate = _text(phrase[start:stop])
                    if candidate in table and (best is None or len(candidate) > len(best)):
                        best = candidate
        return best

    # -- places -------------------------------------------------------------------------
    def _located(self, place: EntityRecord, doc: Doc, token_entity, entities, relate) -> None:
        for mention in place.mentions:
            span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
            if span is None or span.end + 1 >= len(doc):
                continue
            after = doc[span.end]
            nxt = token_entity.get(span.end + 1)
            if after.text in {"(", ","} and nxt and entities[nxt].kind == "country":
                end = span.end + 2
                while end < len(doc) and token_entity.get(end) == nxt:
                    end += 1  # "Gyumri (South Korea)": the whole country name
                if after.text == "(" and end < len(doc) and doc[end].text == ")":
                    end += 1
                relate(place.key, "located_in", nxt, doc[span.start : end])

    # -- from events ----------------------------------------------------------------------
    def _from_events(self, doc: Doc, entities, relate) -> None:
        for event in doc._.hr_events or []:
            if not event.mentions:
                continue
            first = event.mentions[0]
            span = doc.char_span(first.start, first.end, alignment_mode="expand") or doc[:1]
            by_role: dict[str, list[str]] = {}
            for argument in event.arguments:
                by_role.setdefault(argument.role, []).append(argument.entity)
            targets = [
                t
                for t in by_role.get("target", [])
                if entities.get(t, None) and entities[t].kind == "person"
            ]
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


def _hyphen_prefix(noun: Token) -> list[Token]:
    """The "co-" of "co-chair" when the parser hung "co" and "-" outside the noun's subtree."""
    doc, start = noun.doc, noun.left_edge.i
    while start > 0:
        before, here = doc[start - 1], doc[start]
        if before.whitespace_ or "-" not in {before.text, here.text}:
            break
        start -= 1
    return list(doc[start : noun.left_edge.i])


def _text(tokens: list[Token]) -> str:
    """Lower-case text of tokens, spaced as in the document ("co-chair", not "co - chair")."""
    parts = [t.lower_ + (t.whitespace_ if nxt.i == t.i + 1 else " ") for t, nxt in pairwise(tokens)]
    return "".join(parts) + (tokens[-1].lower_ if tokens else "")


@Language.factory("hrkg_relations", default_config={"gazetteer_dir": str(GAZETTEER_DIR)})
def make_relation_extractor(nlp: Language, name: str, gazetteer_dir: str) -> RelationExtractor:
    """Create the ``hrkg_relations`` component."""
    return RelationExtractor(nlp, gazetteer_dir)
