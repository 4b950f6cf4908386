"""Who did what to whom: the roles of an event trigger's arguments.

:func:`verb_roles` and :func:`noun_roles` turn the dependency parse around
one trigger into role lists (``agent``, ``target``, ``organiser``,
``participant`` -> entity keys), using an
:class:`~kg.extract.event_arguments.ArgumentReader` for the entities a
noun phrase names.  :mod:`kg.extract.events` decides whether the trigger
reports an event at all and merges the mentions; this module only assigns
roles:

- verbs: the subject of an active verb acts (agent), the passive subject
  or the object undergoes (target), a "by" phrase acts; protest subjects
  take part; campaign, petition and letter-writing subjects organise
  (organisations) or take part (people); "X remained in prison", "X won a
  prize" make the subject the target;
- nouns: "arrest of X" and "X's arrest" name the target, "by Y" the agent;
- statements: the speaker and the organisations in its phrase ("said Jane
  Doe, director at Amnesty") are agents, the people the statement is about
  its targets.
"""

from __future__ import annotations

from spacy.tokens import Token

from kg.extract.event_arguments import ArgumentReader

ACTED_ON = {
    "arrest",
    "detention",
    "imprisonment",
    "sentencing",
    "trial",
    "release",
    "killing",
    "torture",
    "disappearance",
    "other",
}
ORGANISED = {"campaign", "petition", "letter_writing"}
SPEAKER_LINKS = {"poss", "pobj", "compound", "appos", "nsubj"}  # "X, director at HRW"

Roles = dict[str, list[str]]


def verb_roles(verb: Token, label: str, r: ArgumentReader) -> tuple[Roles, bool, list[Token]]:
    """Roles of a verb trigger's arguments.

    Returns
    -------
    ``(roles, people, extra)``: role -> entity keys; whether the undergoer is
    particular people even if unnamed ("five activists", "he"); and the
    argument tokens whose "in/at" phrases and dates also belong to the event.
    """
    subjects, passive, objects, by = _verb_slots(verb)
    roles: dict[str, list[str]] = {}
    people = False
    extra: list[Token] = []
    if label == "statement":
        roles["agent"] = _speakers(subjects, r)
        roles["target"] = _about(verb, subjects, r)
        return roles, False, extra
    if label in ACTED_ON or label in ("award", "visit"):
        undergoers = passive or objects
        if verb.dep_ in ("acl", "amod") and not passive:
            undergoers = [verb.head]
        if label == "award":
            undergoers = undergoers + prep_objects(verb, ("to",))
        winner = label == "award" and verb.lemma_ in ("win", "receive", "accept", "collect")
        undergoes = verb.lemma_ in r.lexicon.undergoer_subjects or (
            verb.lemma_ in r.lexicon.intransitive_undergoers and not objects
        )
        if winner or (undergoes and not passive):
            undergoers, subjects = subjects, []  # "X won a prize", "X remained in prison"
        agents = [k for t in subjects + by if (k := r.authority(t)[0])]
        if label == "visit":
            agents = [k for t in subjects for k in r.phrase(t)]
        roles["agent"] = agents
        roles["target"] = [k for t in undergoers for k in r.phrase(t)]
        people = any(r.is_people(t) for t in undergoers)
        extra = subjects + by + undergoers
    elif label == "protest":
        roles["participant"] = [k for t in subjects for k in r.phrase(t)]
        people = any(r.is_people(t) for t in subjects)
    elif label in ORGANISED:
        _organisers(subjects, r, roles)
        roles.setdefault("target", []).extend(_for_whom(verb, r))
    else:  # election
        roles["participant"] = [k for t in subjects + objects for k in r.phrase(t, ("person",))]
    return roles, people, extra


def noun_roles(noun: Token, label: str, r: ArgumentReader) -> tuple[Roles, bool, list[Token]]:
    """Roles of a noun trigger's arguments ("the arrest of X by Y"); as :func:`verb_roles`."""
    roles: dict[str, list[str]] = {}
    poss = [c for c in noun.children if _possessor(c)]
    of = prep_objects(noun, ("of",))
    by = prep_objects(noun, ("by",))
    verb = r.governor(noun)
    extra = [verb] if verb is not None else []
    subjects = [c for c in verb.children if c.dep_ in ("nsubj",)] if verb is not None else []
    if label == "statement":
        speakers = poss + by + of + subjects
        roles["agent"] = _speakers(speakers, r)
        roles["target"] = _about(verb, speakers, r) if verb is not None else []
        return roles, False, extra
    via_prep = verb is not None and noun.dep_ in ("pobj", "attr", "acomp")
    doer = verb is not None and noun.dep_ == "dobj" and verb.lemma_ in r.lexicon.conducting
    if label in ACTED_ON or label in ("award", "visit"):
        targets = [k for t in poss + of for k in r.phrase(t)]
        if via_prep and verb is not None and verb.lemma_ in r.lexicon.undergoer_subjects:
            targets += [k for t in subjects for k in r.phrase(t)]
        if label == "award":
            targets += [k for t in prep_objects(noun, ("to",)) for k in r.phrase(t)]
            if noun.dep_ == "appos":
                targets += r.phrase(noun.head)
        agents = [k for t in by if (k := r.authority(t)[0])]
        if doer:
            agents += [k for t in subjects if (k := r.authority(t)[0])]
        roles["agent"], roles["target"] = agents, targets
    elif label == "protest":
        roles["participant"] = [k for t in poss + by for k in r.phrase(t)]
        if via_prep or doer:
            roles["participant"] += [k for t in subjects for k in r.phrase(t)]
        roles["target"] = [k for t in prep_objects(noun, ("against",)) for k in r.phrase(t)]
    elif label in ORGANISED:
        _organisers(poss + by + (subjects if doer else []), r, roles)
        if not roles.get("organiser"):
            clause = _clause_verb(noun)
            subjects = [c for c in clause.children if c.dep_ == "nsubj"] if clause else []
            roles["organiser"] = [
                k for t in subjects for k in r.phrase(t) if r.kind(k) == "organisation"
            ]
        for child in noun.children:
            key = r.entity(child) if child.dep_ in ("compound", "amod", "nmod") else None
            if key and r.kind(key) == "organisation":
                roles.setdefault("organiser", []).append(key)
        roles.setdefault("target", []).extend(_for_whom(noun, r))
    else:  # election
        people = [t for t in subjects if verb is not None]
        if verb is not None:
            people += [p for c in verb.children if c.dep_ == "prep" for p in r._pobjs(c)]
        roles["participant"] = [k for t in people for k in r.phrase(t, ("person",))]
    return roles, False, extra


def _possessor(tok: Token) -> bool:
    """ "X's" before a noun, however the parser labelled it ("Swamy's arrest" as amod)."""
    if tok.dep_ == "poss":
        return True
    return tok.dep_ in ("amod", "compound", "nmod") and any(
        c.dep_ == "case" and c.tag_ == "POS" for c in tok.children
    )


def _verb_slots(verb: Token) -> tuple[list[Token], list[Token], list[Token], list[Token]]:
    """(active subjects, passive subjects, objects, by-agents), inherited along conj."""
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    passive = [c for c in verb.children if c.dep_ == "nsubjpass"]
    objects = [c for c in verb.children if c.dep_ in ("dobj", "dative")]
    by = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    head = verb
    while (
        not subjects
        and not passive
        and head.dep_ in ("conj", "advcl", "xcomp")
        and head.head != head
    ):
        head = head.head
        subjects = [c for c in head.children if c.dep_ == "nsubj"]
        passive = [c for c in head.children if c.dep_ == "nsubjpass"]
    if not subjects and not passive and verb.dep_ == "relcl":
        passive = [verb.head]  # "the activists who were arrested" parses who as nsubjpass
    if not subjects and not passive and verb.dep_ == "pcomp" and verb.head.head != verb.head:
        main = [c for c in verb.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        if any(c.dep_ == "auxpass" for c in verb.children):  # "X ... after being convicted"
            passive = main
        else:
            subjects = main
    return subjects, passive, objects, by


def _clause_verb(tok: Token) -> Token | None:
    """The nearest verb above ``tok``."""
    cur = tok
    for _ in range(6):
        if cur.head is cur:
            return None
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return None


def prep_objects(tok: Token, preps: tuple[str, ...]) -> list[Token]:
    return [
        p
        for c in tok.children
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps
        for p in c.children
        if p.dep_ == "pobj"
    ]


def _speakers(tokens: list[Token], r: ArgumentReader) -> list[str]:
    """A speaker and the organisations named in its phrase ("X, director at HRW")."""
    out: list[str] = []
    for tok in tokens:
        out += [k for k in r.phrase(tok, ("person", "organisation", "country"))]
        for sub in _phrase_proper(tok):
            key = r.entity(sub)
            if key and r.kind(key) == "organisation" and sub.dep_ in SPEAKER_LINKS:
                out.append(key)
    return list(dict.fromkeys(out))


def _phrase_proper(tok: Token) -> list[Token]:
    """A noun phrase without its clauses: "X, who has worked with AP" -> "X"."""
    out, stack = [], [tok]
    while stack:
        cur = stack.pop()
        out.append(cur)
        stack.extend(c for c in cur.children if c.dep_ not in ("relcl", "acl", "advcl", "ccomp"))
    return out


def _about(verb: Token, speakers: list[Token], r: ArgumentReader) -> list[str]:
    """Whom a statement is about: people named in its complements, countries it addresses."""
    skip = {t.i for s in speakers for t in s.subtree}
    out: list[str] = []
    for child in verb.children:
        if child.dep_ in ("nsubj", "punct", "aux", "neg") or child.i in skip:
            continue
        for tok in child.subtree:
            key = r.entity(tok) if tok.i not in skip else None
            if key is None:
                continue
            if r.kind(key) == "person" or (r.kind(key) == "country" and tok.dep_ == "dobj"):
                out.append(key)
    return list(dict.fromkeys(out))


def _organisers(subjects: list[Token], r: ArgumentReader, roles: dict[str, list[str]]) -> None:
    for tok in subjects:
        for key in r.phrase(tok):
            role = "organiser" if r.kind(key) == "organisation" else "participant"
            roles.setdefault(role, []).append(key)


def _for_whom(tok: Token, r: ArgumentReader) -> list[str]:
    """The people an organised action supports: "campaign for X", "letters to X"."""
    heads = [tok, *(c for c in tok.children if c.dep_ == "dobj")]
    return [
        k
        for h in heads
        for t in prep_objects(h, ("for", "on", "to", "about"))
        for k in r.phrase(t, ("person",))
    ]
