"""``hrkg_events``: find the human-rights events an article reports.

The component runs last, after the entity components have filled
``doc._.hr_entities``, ``doc._.hr_token_entity`` and
``doc._.hr_reference_date``, and leaves ``doc._.hr_events``: one
:class:`~kg.extract.records.EventRecord` per real-world event.

How it works, in one pass over the matches of one ``Matcher``:

1. **Triggers.**  ``pipelines/patterns/event_triggers.jsonl`` holds token
   patterns (on ``LEMMA``, ``LOWER`` and ``POS``), one JSON object a line:
   ``{"label": <event type>, "pattern": [...], "id": ...}`` with optional
   qualifiers: ``needs`` (what the mention must have: ``person``, ``entity``,
   ``concrete``, ``speaker``, ``organisation_speaker``, ``organiser``,
   ``visitor``, ``facility``, ``organisation_target``), ``state`` (the type
   when the verb describes a state), ``speech`` (a reporting verb: needs a
   reported clause) and ``governors`` (a verb that turns the mention into
   another type: "sent X behind bars" is a sentencing).  Verbs are matched
   by their inflected forms (robust to lemmatiser slips), nouns by lemma.
   Overlapping matches keep the longest ("letter-writing campaign" is
   letter writing, not a campaign; "pre-trial detention" is no trial).
   Lines of the form ``{"lexicon": <name>, "words": [...]}`` hold the word
   lists that qualify triggers (people nouns, authorities, request verbs,
   blockers such as "risk of", modals...; see
   :class:`~kg.extract.event_arguments.Lexicon`).
2. **Concrete events only.**  A verb trigger must report a fact: past,
   perfect or passive (the present for ongoing states, statements and
   headlines), not negated, not under a modal or "to", not requested
   ("urged the authorities to release X" is a statement, not a release).
   A noun trigger must not be hypothetical ("risk of arrest", "any
   arrest"), requested ("called for the release of X") or the subject of a
   modal ("arrests should be conducted"), and must have a concrete
   argument (an entity, a date; per pattern ``needs``).  People in general
   ("Journalists who are imprisoned ...") are no argument; "five
   activists", "the journalist" and "he" are.  An event dated after the
   article is a plan, not an event.  A pattern's ``state`` label
   replaces its own when the verb describes a state ("is being detained",
   "activists detained in India" are detention; "police detained him on
   Monday" is an arrest).
3. **Arguments** come from the parse (:mod:`kg.extract.event_roles` over
   :mod:`kg.extract.event_arguments`):
   subject of an active verb -> agent, passive subject or object -> target,
   "by" phrase -> agent; for nouns "arrest of X" and "X's arrest" -> target;
   unnamed authorities become their country ("Azerbaijani authorities").
   Protest subjects are participants; campaign, petition and letter-writing
   subjects are organisers (organisations) or participants (people).  A
   statement needs a named speaker; "say" and its kin need an organisation
   among the speaker's words ("said Jane Doe, director at Amnesty"), not in
   its relative clauses ("X, who worked with AP, said").
   Plural people resolve to the latest named group ("Stern, Hillier and
   Markmann ... The activists were arrested"); "he" to the latest person
   within two sentences; "who" to its whole antecedent list; a people noun
   to the subjects of its copula ("X and Y are bloggers who were
   arrested"); "it"/"they" reporting to the speaker ("the government said
   it released X").  Dates come from a DATE attached to the trigger (or,
   failing that, the sentence's only DATE attached to no other verb; or,
   in an "as/while/when" clause, its main clause's date), normalised by
   :func:`kg.extract.dates.normalise_date`; coordinated dates read as one
   ("June and July 2022"), and "since/after/until X" is no event date.
   Locations come from "in/at" phrases (appositions included: "in the
   capital Harare"), from the authority ("a Moscow court"), or from a
   fronted phrase shared by coordinated verbs ("In Togo, volunteers held a
   concert and collected signatures").
4. **Once per real-world event.**  Mentions of one type merge when their
   targets overlap (statements: when their speakers overlap); a mention
   without a target joins the latest event of its type, and so does "Y was
   also arrested" on the same day.  A campaign, petition, letter-writing or
   protest mention placed elsewhere than the events so far is a local
   action, an event of its own (one per place).  Triggers, mentions and arguments
   accumulate; the first date and location stay.  Statement targets are
   kept only when other events (or requests: "called for the release of
   X") are about them, or when they are countries addressed.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from kg.extract.event_arguments import ArgumentReader, Lexicon, Reading
from kg.extract.event_roles import ACTED_ON, ORGANISED, noun_roles, prep_objects, verb_roles
from kg.extract.records import Argument, EventRecord, Mention, register_extensions
from kg.ontology import EVENT_TYPES

PATTERNS_PATH = (
    Path(__file__).resolve().parents[2] / "pipelines" / "patterns" / "event_triggers.jsonl"
)
PRESENT_OK = {"statement", "detention", "imprisonment"}
VERB_TAGS = {"VBD", "VBN"}
# Types whose location may come from the only country or place of the sentence.
SENTENCE_LOCATION = ("protest", "killing", "election", "visit", "torture", "disappearance")
# Actions a campaign runs locally; one with a place of its own is a local event of the campaign
# ("In Togo, volunteers collected 22,000 signatures"), kept apart from the global campaign.
LOCAL_ACTIONS = ("campaign", "letter_writing", "petition", "protest")
LOCAL_ACTION_VERBS = {"collect", "gather", "sign", "write", "deliver", "hand", "submit"}


@dataclass(frozen=True)
class TriggerRule:
    """The metadata of one trigger pattern."""

    label: str
    id: str
    needs: str | None = None
    state: str | None = None
    speech: bool = False
    governors: tuple[tuple[str, str], ...] = ()


@dataclass
class Candidate:
    """One trigger mention with its arguments, before merging."""

    label: str
    span: Span
    reading: Reading
    roles: dict[str, list[str]] = field(default_factory=dict)
    also: bool = False  # "Y was also arrested": the same event as the latest one
    local: str | None = None  # the place of a local action of a campaign ("in Togo")


class EventExtractor:
    """Fill ``doc._.hr_events`` from trigger patterns and the dependency parse.

    Parameters
    ----------
    nlp : the pipeline (for its vocabulary).
    patterns_path : the JSONL file of trigger patterns and lexicons.
    sentence_location : the event types whose location falls back to the only
        country or place of the sentence when no "in/at" phrase gives one.

    Examples
    --------
    >>> import spacy
    >>> nlp = spacy.blank("en")
    >>> extractor = EventExtractor(nlp)
    >>> sorted({r.label for r in extractor.rules.values()})[:3]
    ['arrest', 'award', 'campaign']
    """

    def __init__(
        self,
        nlp: Language,
        patterns_path: str | Path = PATTERNS_PATH,
        sentence_location: Iterable[str] = SENTENCE_LOCATION,
    ) -> None:
        register_extensions()
        self.matcher = Matcher(nlp.vocab)
        self.rules: dict[str, TriggerRule] = {}
        lexicon: dict[str, frozenset[str]] = {}
        path = Path(patterns_path)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            entry = json.loads(line)
            if "lexicon" in entry:
                lexicon[entry["lexicon"]] = frozenset(w.casefold() for w in entry["words"])
                continue
            if entry["label"] not in EVENT_TYPES:
                raise ValueError(f"{path}:{number}: unknown event type {entry['label']!r}")
            key = f"{entry['label']}#{number}"
            self.rules[key] = TriggerRule(
                entry["label"],
                entry.get("id", key),
                entry.get("needs"),
                entry.get("state"),
                bool(entry.get("speech")),
                tuple(entry.get("governors", {}).items()),
            )
            self.matcher.add(key, [entry["pattern"]], greedy="LONGEST")
        known = {f.name for f in fields(Lexicon)}
        self.lexicon = Lexicon(**{k: v for k, v in lexicon.items() if k in known})
        self.sentence_location = frozenset(sentence_location)

    def __call__(self, doc: Doc) -> Doc:
        if doc._.hr_token_entity is None:
            doc._.hr_token_entity = {}
        reader = ArgumentReader(doc, self.lexicon)
        spans = [Span(doc, s, e, label=m) for m, s, e in self.matcher(doc)]
        merger = _Merger()
        requested: set[str] = set()  # people whose release etc. someone asks for
        for span in sorted(filter_spans(spans), key=lambda s: s.start):
            rule = self.rules[span.label_]
            candidate = self._read(span, rule, reader, requested)
            if candidate is not None:
                merger.add(candidate)
        events = _focus_statements(merger.events, reader, requested)
        _attach_tallies(doc, events, reader, self.lexicon.campaign_units)
        doc._.hr_events = events
        return doc

    # ------------------------------------------------------------------ reading
    def _read(
        self, span: Span, rule: TriggerRule, r: ArgumentReader, requested: set[str]
    ) -> Candidate | None:
        anchor = _anchor(span)
        label = rule.label
        verbal = anchor.pos_ in ("VERB", "AUX")
        if not verbal and rule.governors:  # "sent X behind bars" is a sentencing
            verb = r.governor(anchor)
            label = dict(rule.governors).get(verb.lemma_, label) if verb is not None else label
            if verb is not None and label != rule.label:
                anchor, verbal = verb, True
        if verbal:
            if not self._reports(anchor, label, r):
                if label in ACTED_ON:
                    requested.update(verb_roles(anchor, label, r)[0].get("target", []))
                return None
            if rule.speech and not _speech_act(anchor):
                return None
            if rule.state and _is_state(anchor):
                label = rule.state
            roles, people, extra = verb_roles(anchor, label, r)
        else:
            purpose = anchor.dep_ == "pobj" and anchor.head.lower_ == "for"
            if r.noun_blocked(anchor) or (purpose and label in ACTED_ON):
                if label in ACTED_ON:
                    requested.update(noun_roles(anchor, label, r)[0].get("target", []))
                return None
            roles, people, extra = noun_roles(anchor, label, r)
        reading = Reading(people_target=people)
        used = {k for keys in roles.values() for k in keys}
        reading.date, reading.future = r.date([anchor, *extra], anchor.sent)
        during = _simultaneous_with(anchor)
        if reading.date is None and during is not None:  # "arrested May 29 as they protested"
            reading.date, reading.future = r.date([during], anchor.sent)
        if reading.future:
            return None
        reading.location = r.location([anchor, *extra], used) or r.authority_place(extra)
        if reading.location is None and anchor.dep_ == "conj":  # "In Togo, they held ... and
            reading.location = r.location([anchor.head], used, fronted=True)  # collected ..."
        stated = reading.location  # from the clause itself, not the sentence at large
        fallback = r.sentence_location(anchor.sent, used) if reading.location is None else None
        if fallback and label in self.sentence_location:
            reading.location, fallback = fallback, None
        if not self._satisfied(rule.needs, verbal, roles, reading, anchor, r, fallback):
            return None
        nouns = [t for t in (anchor, *anchor.children) if t.pos_ in ("NOUN", "PROPN")]
        reading.quantities = list(r.quantities(nouns))
        also = any(c.lower_ in ("also", "too") for c in anchor.children if c.dep_ == "advmod")
        local = stated if label in LOCAL_ACTIONS else None
        return Candidate(label, span, reading, roles, also, local)

    @staticmethod
    def _reports(verb: Token, label: str, r: ArgumentReader) -> bool:
        """A verb that states a fact: tense, negation, modality, requests."""
        if label == "statement":
            if any(c.dep_ == "neg" or c.lemma_ in r.lexicon.modals for c in verb.children):
                return False
            return verb.tag_ in ("VBD", "VBN", "VBZ", "VBP")
        if r.blocked(verb):
            return False
        passive = any(c.dep_ == "auxpass" for c in verb.children)
        if verb.tag_ in VERB_TAGS:
            return True
        if verb.tag_ in ("VBZ", "VBP"):
            return label in PRESENT_OK or passive or verb.sent.start == 0
        if verb.tag_ == "VBG":
            return passive or verb.dep_ == "pcomp" or label in ORGANISED or label == "protest"
        return False

    @staticmethod
    def _satisfied(
        needs: str | None,
        verbal: bool,
        roles: dict[str, list[str]],
        reading: Reading,
        anchor: Token,
        r: ArgumentReader,
        place: str | None = None,
    ) -> bool:
        entities = any(roles.values())
        if needs == "speaker":
            return bool(roles.get("agent"))
        if needs == "organisation_speaker":
            return any(r.kind(k) == "organisation" for k in roles.get("agent", []))
        if needs == "organiser":
            return bool(roles.get("organiser"))
        if needs == "visitor":
            return bool(roles.get("agent"))
        if needs == "organisation_target":
            return any(r.kind(k) == "organisation" for k in roles.get("target", []))
        if needs == "person":
            return bool(roles.get("target")) or reading.people_target
        if needs == "entity":
            return entities
        if needs == "concrete":
            return entities or reading.date is not None or (reading.location or place) is not None
        if needs == "facility":
            places = [p for c in anchor.children if c.dep_ == "prep" for p in r._pobjs(c)]
            return any(
                r.entity(p) or p.lemma_.casefold() in r.lexicon.facilities for p in places
            ) and bool(roles.get("target") or reading.people_target)
        if verbal:
            local = anchor.lemma_ in LOCAL_ACTION_VERBS and reading.location is not None
            return entities or reading.people_target or reading.date is not None or local
        return entities or reading.date is not None


# ---------------------------------------------------------------------- helpers
def _simultaneous_with(verb: Token) -> Token | None:
    """The main verb of a temporal clause sharing its time ("arrested ... as they protested")."""
    if verb.dep_ != "advcl" or verb.head is verb:
        return None
    marks = {c.lower_ for c in verb.children if c.dep_ == "mark"}
    return verb.head if marks & {"as", "while", "when"} else None


def _anchor(span: Span) -> Token:
    """The token that carries a match: its syntactic root, or its main verb or noun."""
    root = span.root
    if root.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
        return root
    verbs = [t for t in span if t.pos_ == "VERB"]
    nouns = [t for t in span if t.pos_ in ("NOUN", "PROPN")]
    return verbs[0] if verbs else (nouns[-1] if nouns else root)


def _is_state(verb: Token) -> bool:
    """A state, not an act: "is being held", "activists detained in India", "remain detained"."""
    if verb.dep_ in ("acl", "amod") or verb.head.lemma_ in ("remain", "stay"):
        return True
    return any(c.dep_ == "auxpass" and c.tag_ in ("VBZ", "VBP", "VBG") for c in verb.children)


def _speech_act(verb: Token) -> bool:
    """Speech: "said that ...", "..., X said", "said in a statement"; not "added X to a list"."""
    if verb.dep_ in ("parataxis", "ccomp") or any(
        c.dep_ in ("ccomp", "parataxis") for c in verb.children
    ):
        return True
    return any(
        p.lemma_ in ("statement", "interview", "tweet", "post", "briefing", "conference", "release")
        for p in prep_objects(verb, ("in", "on", "at", "during"))
    )


def _attach_tallies(
    doc: Doc, events: list[EventRecord], r: ArgumentReader, units: frozenset[str]
) -> None:
    """Give the article's main campaign the tallies reported apart from any trigger.

    Campaign reports count their actions in sentences of their own ("As many as
    104,731 actions were taken"); such a count of campaign units (actions,
    letters, signatures ...) goes to the campaign, letter-writing or petition
    event mentioned most, when the article has one.
    """
    campaigns = [e for e in events if e.type in CAMPAIGN_TYPES]
    if not campaigns or not units:
        return
    main = max(campaigns, key=lambda e: (len(e.mentions), e.type == "letter_writing"))
    taken = {q.mention for e in events for q in e.quantities}
    nouns = [t for t in doc if t.lemma_.casefold() in units or t.lower_ in units]
    for quantity in r.quantities(nouns):
        if quantity.mention not in taken:
            main.quantities.append(quantity)
            taken.add(quantity.mention)


def _focus_statements(
    events: list[EventRecord], r: ArgumentReader, requested: set[str]
) -> list[EventRecord]:
    """Keep as statement targets only countries and the people events or requests are about."""
    victims = requested | {
        a.entity for e in events if e.type != "statement" for a in e.arguments if a.role == "target"
    }
    for event in events:
        if event.type == "statement":
            event.arguments = [
                a
                for a in event.arguments
                if a.role != "target" or a.entity in victims or r.kind(a.entity) == "country"
            ]
    return events


CAMPAIGN_TYPES = ("campaign", "letter_writing", "petition")


class _Merger:
    """Merge candidates into one event per real-world event (dict lookups, no pairwise pass)."""

    def __init__(self) -> None:
        self.events: list[EventRecord] = []
        self._by_key: dict[tuple[str, str], EventRecord] = {}
        self._latest: dict[str, EventRecord] = {}
        self._untargeted: dict[str, EventRecord] = {}
        self._local: dict[tuple[str, str], EventRecord] = {}  # (type, place)

    def add(self, c: Candidate) -> None:
        agents = list(dict.fromkeys(c.roles.get("agent", [])))
        targets = [k for k in dict.fromkeys(c.roles.get("target", [])) if k not in agents]
        c.roles["target"] = targets
        keys = agents if c.label == "statement" else targets
        event = next((e for k in keys if (e := self._by_key.get((c.label, k)))), None)
        place = (c.label, c.local or "")
        if c.local is not None:  # a local action of a campaign: one event per place
            local = self._local.get(place)
            if local is None and c.label in self._latest:  # elsewhere than the events so far
                local = EventRecord(type=c.label)
                self.events.append(local)
            if local is not None:
                self._local[place] = local
                self._absorb(local, c)
                return
        if event is None and c.label != "statement":
            event = self._untargeted.get(c.label) if targets else self._latest.get(c.label)
            latest = self._latest.get(c.label)
            if event is None and c.also and latest is not None:
                same_day = (
                    not c.reading.date
                    or not latest.date
                    or c.reading.date.value == latest.date.value
                )
                event = latest if same_day else None
        if event is None:
            event = EventRecord(type=c.label)
            self.events.append(event)
        if targets and self._untargeted.get(c.label) is event:
            del self._untargeted[c.label]
        elif not targets and not any(a.role == "target" for a in event.arguments):
            self._untargeted[c.label] = event
        for k in keys:
            self._by_key.setdefault((c.label, k), event)
        self._latest[c.label] = event
        if c.local is not None:
            self._local[place] = event
        self._absorb(event, c)

    @staticmethod
    def _absorb(event: EventRecord, c: Candidate) -> None:
        text = c.span.text
        if text not in event.triggers:
            event.triggers.append(text)
        event.mentions.append(Mention(c.span.start_char, c.span.end_char, text))
        present = {a.entity for a in event.arguments}
        for role in ("agent", "organiser", "target", "participant"):
            for key in c.roles.get(role, []):
                if key not in present:
                    event.arguments.append(Argument(role, key))
                    present.add(key)
        event.location = event.location or c.reading.location
        event.date = event.date or c.reading.date
        event.quantities.extend(q for q in c.reading.quantities if q not in event.quantities)


@Language.factory(
    "hrkg_events",
    default_config={
        "patterns_path": str(PATTERNS_PATH),
        "sentence_location": list(SENTENCE_LOCATION),
    },
)
def make_event_extractor(
    nlp: Language, name: str, patterns_path: str, sentence_location: list[str]
) -> EventExtractor:
    """Create the ``hrkg_events`` component."""
    return EventExtractor(nlp, patterns_path, sentence_location)
