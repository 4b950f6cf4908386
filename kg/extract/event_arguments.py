"""Read the arguments of an event trigger off the dependency parse.

:class:`ArgumentReader` answers, for one trigger token of a parsed and
entity-resolved ``Doc``: who acted (agent), who was acted upon (target),
where (location), when (date), how many (quantities), and whether the
trigger reports a concrete event at all (not negated, not hypothetical,
not requested).  :mod:`kg.extract.events` decides what to do with the
answers; this module only reads the parse.

Entity keys come from ``doc._.hr_token_entity``; a noun phrase that names
no entity may still resolve through a pronoun (the latest person or
organisation of the last two sentences), a title that one person of the
article carries ("the journalist", from ``EntityRecord.roles``), or, for an
unnamed authority ("the authorities", "a court"), the country that
modifies it ("Azerbaijani authorities", "a court in Belarus") or else the
article's clearly dominant country.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc, Span, Token

from kg.extract.dates import normalise_date
from kg.extract.records import DateValue, Mention, Quantity

SUBJECTS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "dative", "attr", "oprd"}
GROUPS = {
    "number",
    "dozen",
    "dozens",
    "hundreds",
    "thousands",
    "group",
    "some",
    "many",
    "most",
    "all",
    "several",
    "scores",
    "handful",
    "few",
}
PERSONAL = {"he": "person", "him": "person", "she": "person", "her": "person", "it": "organisation"}
RELATIVE = {"who", "whom", "that", "which"}
# Dates governed by these words bound the event ("arrested since April 3"): not its date.
NOT_THE_DATE = {"until", "till", "by", "before", "since", "after"}
NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
} | {"dozens": 24, "hundreds": 200, "thousands": 2000, "dozen": 12, "hundred": 100}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
QUALIFIERS = {
    "more than",
    "over",
    "at least",
    "as many as",
    "about",
    "around",
    "nearly",
    "almost",
    "up to",
    "some",
    "fewer than",
    "less than",
    "roughly",
    "approximately",
}


@dataclass
class Lexicon:
    """Word lists that qualify triggers, read from the trigger file's ``lexicon`` lines."""

    people: frozenset[str] = frozenset()
    authorities: frozenset[str] = frozenset()
    facilities: frozenset[str] = frozenset()
    requests: frozenset[str] = frozenset()
    blockers: frozenset[str] = frozenset()
    future: frozenset[str] = frozenset()
    modals: frozenset[str] = frozenset()
    undergoer_subjects: frozenset[str] = frozenset()  # "X remained in prison": X is the target
    intransitive_undergoers: frozenset[str] = frozenset()  # "X disappeared", not "Y shut X down"
    conducting: frozenset[str] = frozenset()  # "X staged a protest": X takes part
    campaign_units: frozenset[str] = frozenset()  # "104,731 actions": tallies of a campaign


@dataclass
class Reading:
    """What the parse says around one trigger."""

    agents: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    people_target: bool = False  # the target is a people noun or pronoun, even unresolved
    location: str | None = None
    date: DateValue | None = None
    future: bool = False
    quantities: list[Quantity] = field(default_factory=list)


class ArgumentReader:
    """Per-document state for reading event arguments (built once per Doc)."""

    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.doc = doc
        self.lexicon = lexicon
        self.token_entity: dict[int, str] = doc._.hr_token_entity or {}
        self.kinds = {e.key: e.kind for e in doc._.hr_entities or []}
        self.reference: date | None = doc._.hr_reference_date
        # DATE entities by sentence start, read once: Span.ents scans the whole document
        self._dates: dict[int, list[Span]] = {}
        for ent in doc.ents:
            if ent.label_ == "DATE":
                self._dates.setdefault(ent.sent.start, []).append(ent)
        self._by_role: dict[str, list[str]] = {}
        mentions: Counter[str] = Counter()
        for ent in doc._.hr_entities or []:
            for role in ent.roles:
                self._by_role.setdefault(role.casefold(), []).append(ent.key)
            if ent.kind == "country":
                mentions[ent.key] = len(ent.mentions)
        ranked = mentions.most_common(2)
        self.dominant_country = None
        if ranked and ranked[0][1] >= 2 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
            self.dominant_country = ranked[0][0]
        # first token of each person/organisation mention, for pronouns
        starts: dict[str, list[tuple[int, str]]] = {"person": [], "organisation": []}
        previous: str | None = None
        for i in sorted(self.token_entity):
            key = self.token_entity[i]
            kind = self.kinds.get(key, key.split(":", 1)[0])
            if kind in starts and (key != previous or i - 1 not in self.token_entity):
                starts[kind].append((i, key))
            previous = key
        self._starts = starts
        self._start_index = {k: [i for i, _ in v] for k, v in starts.items()}
        self._sents = [s.start for s in doc.sents]
        # named groups ("X, Y and Z"), for "they" and "the three activists"
        self._groups: list[tuple[int, list[str]]] = []
        for i, key in self.token_entity.items():
            tok = doc[i]
            if tok.dep_ == "conj" or self.kind(key) != "person" or tok.head.i in self.token_entity:
                continue
            members = [key] + [
                k
                for c in tok.conjuncts
                if (k := self.token_entity.get(c.i)) and self.kind(k) == "person"
            ]
            if len(set(members)) >= 2:
                self._groups.append((max(c.i for c in (tok, *tok.conjuncts)), members))
        for tok in doc:
            if tok.tag_ == "NNS" and (members := self._included(tok)) and len(members) >= 2:
                self._groups.append((max(t.i for t in tok.subtree), members))
        self._groups.sort()
        self._group_index = [i for i, _ in self._groups]

    # ----------------------------------------------------------------- entities
    def kind(self, key: str) -> str:
        return self.kinds.get(key, key.split(":", 1)[0])

    def entity(self, tok: Token) -> str | None:
        """The entity a token belongs to, directly or through its compound/flat children."""
        key = self.token_entity.get(tok.i)
        if key is None:
            for child in tok.children:
                if child.dep_ in ("compound", "flat") and child.i in self.token_entity:
                    return self.token_entity[child.i]
        return key

    def pronoun(self, tok: Token) -> str | None:
        """The latest person (organisation for "it") mentioned before ``tok`` nearby."""
        kind = PERSONAL.get(tok.lower_)
        if kind is None:
            return None
        index = self._start_index[kind]
        pos = bisect.bisect_left(index, tok.i) - 1
        if pos < 0:
            return None
        start, key = self._starts[kind][pos]
        here = bisect.bisect_right(self._sents, tok.i) - 1
        there = bisect.bisect_right(self._sents, start) - 1
        return key if here - there <= 2 else None

    def group(self, tok: Token) -> list[str]:
        """The latest named group of people before ``tok`` within two sentences, for "they"."""
        plural_noun = (
            tok.tag_ == "NNS"
            and tok.lemma_.casefold() in self.lexicon.people
            and any(c.lower_ in ("the", "these", "those") for c in tok.children)
        )
        if tok.lower_ not in ("they", "them") and not plural_noun:
            return []
        pos = bisect.bisect_left(self._group_index, tok.i) - 1
        if pos < 0:
            return []
        end, members = self._groups[pos]
        here = bisect.bisect_right(self._sents, tok.i) - 1
        there = bisect.bisect_right(self._sents, end) - 1
        return members if here - there <= 2 else []

    def phrase(self, tok: Token, kinds: tuple[str, ...] = ("person", "organisation")) -> list[str]:
        """Entities a noun phrase names: itself, appositions, conjuncts, "including" lists."""
        antecedent = self._antecedent(tok)
        if antecedent is not None:  # "X and Y, who were arrested": the whole list
            return self.phrase(antecedent, kinds)
        out: list[str] = []
        for head in (tok, *tok.conjuncts):
            key = self._one(head, kinds)
            if key is not None:
                out.append(key)
            elif "person" in kinds:
                out += self.group(head) or self._included(head) or self._predicated(head)
            for child in head.children:
                if child.dep_ == "appos" or (
                    child.dep_ == "prep" and child.lower_ in ("including", "among", "like")
                ):
                    for sub in (child, *self._pobjs(child)):
                        for sub_head in (sub, *sub.conjuncts):
                            key = self._one(sub_head, kinds)
                            if key is not None:
                                out.append(key)
        return list(dict.fromkeys(out))

    @staticmethod
    def _antecedent(tok: Token) -> Token | None:
        """The noun a relative pronoun stands for ("the women who were ...": women)."""
        if tok.lower_ in RELATIVE and tok.head.dep_ == "relcl" and tok.head.head is not tok.head:
            return tok.head.head
        return None

    def _predicated(self, tok: Token) -> list[str]:
        """People a copula says a people noun is: "X and Y are journalists" -> X, Y."""
        verb = tok.head
        if tok.dep_ != "attr" or verb.lemma_ != "be" or not self.is_people_word(tok):
            return []
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        return [k for s in subjects for k in self.phrase(s, ("person",))]

    def is_people_word(self, tok: Token) -> bool:
        """A noun of the people lexicon ("journalists", "activist")."""
        return tok.lemma_.casefold() in self.lexicon.people

    def _one(self, tok: Token, kinds: tuple[str, ...]) -> str | None:
        key = self.entity(tok)
        if key is None and tok.lower_ in PERSONAL:
            key = self.pronoun(tok)
        if key is None and tok.lower_ in RELATIVE and tok.head.dep_ == "relcl":
            return self._one(tok.head.head, kinds)
        if key is None and tok.dep_ == "appos" and tok.head.i in self.token_entity:
            key = self.token_entity[tok.head.i]  # "X, the jailed head of Y"
        if key is None and tok.pos_ == "NOUN" and tok.tag_ == "NN":
            candidates = self._by_role.get(tok.lemma_.casefold(), [])
            if len(candidates) == 1 and any(c.lower_ == "the" for c in tok.children):
                key = candidates[0]
        if key is not None and self.kind(key) in kinds:
            return key
        return None

    def _included(self, tok: Token) -> list[str]:
        """People named inside a plural people noun's phrase ("the women -- X, Y and Z --")."""
        if tok.tag_ != "NNS" or tok.lemma_.casefold() not in self.lexicon.people:
            return []
        out: list[str] = []
        stack = list(tok.children)
        while stack:
            sub = stack.pop()
            if sub.dep_ in ("relcl", "acl", "advcl") or (
                sub.dep_ == "prep" and sub.lower_ not in ("including", "among", "like")
            ):
                continue
            key = self.token_entity.get(sub.i)
            if key is not None and self.kind(key) == "person":
                out.append(key)
            stack.extend(sub.children)
        if not out:  # an "including" list anywhere in the phrase
            for sub in tok.subtree:
                if sub.dep_ == "prep" and sub.lower_ in ("including", "among"):
                    for pobj in self._pobjs(sub):
                        for member in (pobj, *pobj.conjuncts):
                            key = self.entity(member)
                            if key is not None and self.kind(key) == "person":
                                out.append(key)
        return sorted(set(out), key=out.index)

    @staticmethod
    def _pobjs(prep: Token) -> list[Token]:
        return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]

    def is_people(self, tok: Token) -> bool:
        """Particular people: a person, a pronoun, "five activists", "the journalist".

        A bare plural ("Journalists who are imprisoned ...") speaks of people in
        general and does not count.
        """
        if tok.lower_ in ("he", "him", "she", "her", "they", "them"):
            return True
        if tok.lower_ in ("who", "whom") and tok.head.dep_ == "relcl":
            return self.is_people(tok.head.head)
        if tok.lemma_.casefold() in GROUPS:  # "a number of priests", "dozens of activists"
            return any(self.is_people(p) or p.tag_ == "NNS" for p in self._prep_of(tok))
        key = self.entity(tok)
        if key is not None:
            return self.kind(key) == "person"
        if tok.lemma_.casefold() not in self.lexicon.people:
            return False
        return tok.tag_ != "NNS" or any(
            c.dep_ in ("det", "poss", "nummod", "amod") and (c.dep_ != "amod" or c.like_num)
            for c in tok.children
        )

    def _prep_of(self, tok: Token) -> list[Token]:
        return [
            p for c in tok.children if c.dep_ == "prep" and c.lower_ == "of" for p in self._pobjs(c)
        ]

    def authority(self, tok: Token) -> tuple[str | None, str | None]:
        """(agent, location) for an actor noun: a named actor, or an authority's country."""
        speaker = self._reporter(tok)
        if speaker is not None:  # "the government said it released X"
            return self.authority(speaker)
        is_authority = tok.lemma_.casefold() in self.lexicon.authorities or tok.lower_ in (
            self.lexicon.authorities
        )
        key = self.token_entity.get(tok.i) if is_authority else self.entity(tok)
        if key is not None:
            return (None, key) if self.kind(key) == "place" else (key, None)
        if not is_authority:
            return None, None
        place = None
        modifiers = [c for c in tok.children if c.dep_ in ("amod", "compound", "poss", "nmod")]
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("of", "in", "from"):
                modifiers += self._pobjs(prep)
        for child in modifiers:
            key = self.entity(child)
            if key is None:
                continue
            kind = self.kind(key)
            if kind in ("country", "organisation") or (kind == "person" and child.dep_ == "poss"):
                return key, None
            if kind == "place":
                place = place or key
        if place is not None:
            return None, place
        return self.dominant_country, None

    @staticmethod
    def _reporter(tok: Token) -> Token | None:
        """The subject of the speech verb whose report ``tok`` ("it", "they") is the subject of.

        "The government said it released X": "it" is the government.  Only
        "it"/"they"/"we" and only when the reported clause is the speech verb's
        complement; the speaker must not be a pronoun itself.
        """
        if tok.lower_ not in ("it", "they", "we") or tok.dep_ not in ("nsubj", "nsubjpass"):
            return None
        clause = tok.head
        if clause.dep_ != "ccomp" or clause.head is clause:
            return None
        speakers = [c for c in clause.head.children if c.dep_ == "nsubj" and c.pos_ != "PRON"]
        return speakers[0] if speakers else None

    # ----------------------------------------------------------------- context
    def blocked(self, tok: Token) -> bool:
        """Negated, modal, conditional, requested or merely possible: no event."""
        if any(
            c.dep_ == "neg"
            or (c.dep_ == "aux" and (c.lemma_ in self.lexicon.modals or c.lower_ == "to"))
            or (c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether"))
            for c in tok.children
        ):
            return True
        hops, cur = 0, tok
        while cur.dep_ in ("xcomp", "ccomp", "pcomp", "pobj", "prep", "dobj", "conj") and hops < 4:
            cur = cur.head
            hops += 1
            if cur.lemma_ in self.lexicon.requests or cur.lemma_ in self.lexicon.blockers:
                return True
        return False

    def governor(self, noun: Token) -> Token | None:
        """The verb a noun trigger hangs from (through prepositions), if any."""
        cur = noun
        for _ in range(4):
            if cur.dep_ == "ROOT" or cur.head is cur:
                return None
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                return cur
            if cur.pos_ == "NOUN" and cur.dep_ not in ("pobj",):
                return None
        return None

    def noun_blocked(self, noun: Token) -> bool:
        """No event: "any arrest", "risk of arrest", "arrests should be made", "call for it"."""
        if any(
            c.lower_ in ("any", "no", "every", "each") for c in noun.children if c.dep_ == "det"
        ):
            return True
        if noun.head.lemma_.casefold() in self.lexicon.blockers and noun.head.i != noun.i:
            return True
        if any(c.lemma_.casefold() in self.lexicon.future for c in noun.children):
            return True
        verb = self.governor(noun)
        if verb is None:
            return False
        if verb.lemma_ in self.lexicon.requests or verb.lemma_ in self.lexicon.blockers:
            return True
        direct = noun.head.i == verb.i or (noun.head.head.i == verb.i and noun.head.dep_ == "prep")
        return direct and self.blocked(verb)

    # ----------------------------------------------------------------- arguments
    def location(self, tokens: list[Token], exclude: set[str], fronted: bool = False) -> str | None:
        """A country or place in an "in/at" phrase of one of ``tokens``.

        With ``fronted``, only phrases before the token count: "In Togo, volunteers
        held a concert and collected signatures" places both verbs.
        """
        for tok in tokens:
            for child in tok.children:
                if child.dep_ != "prep" or child.lower_ not in ("in", "at", "across", "throughout"):
                    continue
                if fronted and child.i > tok.i:
                    continue
                for pobj in self._pobjs(child):
                    for name in (pobj, *(c for c in pobj.children if c.dep_ == "appos")):
                        key = self.entity(name)  # "in the capital Addis Ababa"
                        if key and self.kind(key) in ("country", "place") and key not in exclude:
                            return key
        return None

    def authority_place(self, tokens: list[Token]) -> str | None:
        """The place an unnamed authority is of: "a Moscow court", "Minsk police" -> the city."""
        for tok in tokens:
            if tok.lemma_.casefold() not in self.lexicon.authorities:
                continue
            for child in tok.children:
                key = self.entity(child) if child.dep_ in ("compound", "amod", "nmod") else None
                if key is not None and self.kind(key) == "place":
                    return key
        return None

    def sentence_location(self, sent: Span, exclude: set[str]) -> str | None:
        """The one country or place in the sentence, if there is exactly one."""
        found = {
            k
            for i in range(sent.start, sent.end)
            if (k := self.token_entity.get(i)) and self.kind(k) in ("country", "place")
        }
        found -= exclude
        return found.pop() if len(found) == 1 else None

    def date(self, anchors: list[Token], sent: Span) -> tuple[DateValue | None, bool]:
        """(date, is_future): a DATE attached to the anchors, else the sentence's only free one."""
        attached, others = [], []
        anchor_ids = {a.i for a in anchors}
        for ent in self._dates.get(sent.start, []):
            if ent.end > sent.end or ent.root.head.lower_ in NOT_THE_DATE:
                continue
            if ent.root.dep_ == "conj" and ent.root.head.ent_type_ == "DATE":
                continue  # read with the first date of the coordination
            ent = _coordinated(ent)
            cur, hops, hit, verb = ent.root, 0, False, False
            while cur.head.i != cur.i and hops < 4:
                cur, hops = cur.head, hops + 1
                if cur.i in anchor_ids:
                    hit = True
                    break
                if cur.pos_ in ("VERB", "AUX"):
                    verb = True
                    break
            if hit:
                attached.append(ent)
            elif not verb and ent.root.pos_ != "VERB":  # not another clause's date
                others.append(ent)
        for ents, exclusive in ((attached, False), (others, True)):
            values = [(e, v) for e in ents if (v := normalise_date(e.text, self.reference))]
            if values and (not exclusive or len(values) == 1):
                ent, (value, granularity) = values[0]
                future = bool(self.reference and value > self.reference.isoformat()[: len(value)])
                mention = Mention(ent.start_char, ent.end_char, ent.text)
                return DateValue(value, granularity, mention), future and not exclusive
        return None, False

    def quantities(self, nouns: list[Token]) -> Iterator[Quantity]:
        """Counts on nouns: "more than 1000 lanterns" -> Quantity(1000, "lanterns", "more than")."""
        for noun in nouns:
            if noun.ent_type_ in ("DATE", "TIME"):  # "May 29", "10 years": no count
                continue
            for num in noun.children:
                if num.dep_ != "nummod" or not num.like_num or num.ent_type_ in ("DATE", "TIME"):
                    continue
                amount = parse_amount(num)
                if amount is None:
                    continue
                first = num.i
                if num.lower_ in SCALES and num.i > 0 and num.nbor(-1).like_num:
                    first = num.i - 1  # "1.4 million"
                qualifier, start = None, first
                for width in (3, 2, 1):  # "as many as", "more than", "over"
                    words = self.doc[first - width : first].text.casefold()
                    if first - width >= 0 and words in QUALIFIERS:
                        qualifier, start = words, first - width
                        break
                span = self.doc[min(start, noun.i) : max(num.i, noun.i) + 1]
                yield Quantity(
                    amount, noun.text, qualifier, Mention(span.start_char, span.end_char, span.text)
                )


def _coordinated(ent: Span) -> Span:
    """A DATE entity with the dates coordinated after it ("June" and "July 2022": one range)."""
    doc, end = ent.doc, ent.end
    for conj in ent.root.conjuncts:
        if conj.i >= ent.end and conj.ent_type_ == "DATE":
            other = next((e for e in doc.ents if e.start <= conj.i < e.end), None)
            end = max(end, other.end) if other is not None else end
    return ent if end == ent.end else Span(doc, ent.start, end, label=ent.label)


def parse_amount(num: Token) -> int | None:
    """The integer a number token (with its scale word) stands for.

    Examples
    --------
    >>> import spacy
    >>> doc = spacy.blank("en")("over 22,000 signatures and 1.4 million messages")
    >>> parse_amount(doc[1]), parse_amount(doc[4]), parse_amount(doc[5])
    (22000, 1400000, 1400000)
    """
    text = num.lower_.replace(",", "")
    if text in SCALES and num.i > 0 and num.nbor(-1).like_num:
        return parse_amount(num.nbor(-1))
    scale = 1
    nxt = num.nbor(1) if num.i + 1 < len(num.doc) else None
    if nxt is not None and nxt.lower_ in SCALES:
        scale = SCALES[nxt.lower_]
    if text in NUMBER_WORDS:
        return NUMBER_WORDS[text] * scale
    if re.fullmatch(r"\d+(\.\d+)?", text):
        return int(float(text) * scale)
    return None
