"""Protect the people in the data: pseudonymised copies, and erasure.

* :func:`pseudonymise` makes an in-memory copy of a store in which every
  person (except those on an allow-list, such as public officials) gets a
  stable pseudonym from a keyed HMAC: their IRI, labels, aliases, mention
  texts, and every occurrence of their names in sentences and titles are
  replaced, while the graph's structure (who took part in which event, in
  which article) is kept.  The same key gives the same pseudonyms, so two
  exports can be joined; without the key they cannot be reversed.
* :func:`forget_article` removes an article: its named graph holds every
  statement read from it, so the entities no other article mentions go too.
* :func:`forget_person` removes every statement and mention about a person
  from every article, and blanks their names out of the sentences kept as
  evidence.

Both erasures run as one SPARQL update: atomic, nothing half removed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg.errors import HrkgError
from kg.ontology import DATA, HR
from kg.store import Store

KEY_ENV = "HRKG_PSEUDONYM_KEY"
REDACTED = "[name removed]"
PERSON = ox.NamedNode(str(HR.Person))
TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
ALT = ox.NamedNode("http://www.w3.org/2004/02/skos/core#altLabel")
HAS_MENTION = ox.NamedNode(str(HR.hasMention))
ANCHOR = ox.NamedNode(str(HR.anchorText))
IDENTIFIER = ox.NamedNode("http://purl.org/dc/terms/identifier")  # article ids stay as they are
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")


@dataclass
class People:
    """The persons of a store: each one's names (labels, aliases, mention texts) and mentions."""

    names: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    mentions: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def iris(self) -> list[str]:
        """The persons' IRIs, sorted."""
        return sorted(self.names)


def people(quads: Iterable[ox.Quad]) -> People:
    """Collect the persons of ``quads`` with every name they are given."""
    quads = list(quads)
    found = People()
    persons = {q.subject.value for q in quads if q.predicate == TYPE and q.object == PERSON}
    anchors: dict[str, str] = {}
    for q in quads:
        subject = q.subject.value
        if subject in persons and q.predicate in (LABEL, ALT):
            found.names[subject].add(q.object.value)
        elif subject in persons and q.predicate == HAS_MENTION:
            found.mentions[subject].add(q.object.value)
        elif q.predicate == ANCHOR:
            anchors[subject] = q.object.value
    for person, mentions in found.mentions.items():
        found.names[person] |= {anchors[m] for m in mentions if m in anchors}
    for names in found.names.values():
        names |= {s for s in map(_surname, list(names)) if s}
    return found


def _surname(name: str) -> str | None:
    """The last word of a name of two words or more ("Bialiatski"), when it can stand alone.

    Examples
    --------
    >>> _surname("Ales Bialiatski"), _surname("Jo"), _surname("Jane Li"), _surname("Jan K.")
    ('Bialiatski', None, 'Li', None)
    """
    words = name.split()
    last = words[-1] if len(words) > 1 else ""
    return last if len(last) >= 2 and last.isalpha() and last[0].isupper() else None


def pseudonym(iri: str, key: bytes) -> str:
    """A person's stable pseudonym: ``Person`` and 8 hex digits of HMAC-SHA256(key, IRI).

    Examples
    --------
    >>> pseudonym("https://w3id.org/hrkg/id/person/jane-doe", b"k")
    'Person F9FF56C1'
    """
    digest = hmac.new(key, iri.encode("utf-8"), hashlib.sha256).hexdigest()[:8]
    return f"Person {digest.upper()}"


def _key(key: str | bytes | None) -> bytes:
    if not key:
        raise HrkgError(
            f"pseudonymising needs a secret key: pass --key or set {KEY_ENV} "
            "(keep it: the same key gives the same pseudonyms)"
        )
    return key.encode("utf-8") if isinstance(key, str) else key


def _matcher(replacements: dict[str, str]) -> re.Pattern[str] | None:
    """One regex for every name, longest first, matching whole words only."""
    names = sorted((n for n in replacements if n.strip()), key=len, reverse=True)
    if not names:
        return None
    alternatives = "|".join(re.escape(n) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _rewrite(text: str, pattern: re.Pattern[str] | None, replacements: dict[str, str]) -> str:
    if pattern is None:
        return text
    lowered = {k.casefold(): v for k, v in replacements.items()}
    return pattern.sub(lambda m: lowered[m.group(0).casefold()], text)


def pseudonymise(store: Store, key: str | bytes | None, keep: Iterable[str] = ()) -> Store:
    """An in-memory copy of ``store`` with persons pseudonymised (see the module docstring).

    ``keep`` lists persons to leave named, by IRI or by any of their names
    (case-insensitive), e.g. public officials.

    Raises
    ------
    HrkgError
        If no key is given.
    """
    secret = _key(key)
    quads = list(store.dataset_quads())
    found = people(quads)
    kept = {k.casefold() for k in keep}
    iri_map: dict[str, str] = {}
    names: dict[str, str] = {}
    for person in found.iris():
        if person.casefold() in kept or {n.casefold() for n in found.names[person]} & kept:
            continue
        alias = pseudonym(person, secret)
        iri_map[person] = str(DATA["person/" + alias.split()[1].lower()])
        for name in found.names[person]:
            names.setdefault(name, alias)
    pattern = _matcher(names)
    copy = Store(None)
    copy.oxigraph.extend(_pseudonymised(q, iri_map, pattern, names) for q in quads)
    return copy


def _pseudonymised(
    quad: ox.Quad, iri_map: dict[str, str], pattern: re.Pattern[str] | None, names: dict[str, str]
) -> ox.Quad:
    def term(t):
        if isinstance(t, ox.NamedNode) and t.value in iri_map:
            return ox.NamedNode(iri_map[t.value])
        if isinstance(t, ox.Literal) and quad.predicate != IDENTIFIER:
            text = _rewrite(t.value, pattern, names)
            if text != t.value:
                return ox.Literal(text, language=t.language) if t.language else ox.Literal(text)
        return t

    return ox.Quad(term(quad.subject), quad.predicate, term(quad.object), quad.graph_name)


def forget_article(store: Store, article_id: str) -> int:
    """Remove an article's named graph; return the number of quads removed.

    Raises
    ------
    HrkgError
        If no article has that id.
    """
    rows = store.query(
        "SELECT ?g WHERE { GRAPH ?g { ?g dcterms:identifier ?id } "
        f"FILTER(STR(?id) = {ox.Literal(article_id)}) }}"
    ).rows
    if not rows:
        raise HrkgError(f"no article with id {article_id!r} in the store")
    graph = ox.NamedNode(str(rows[0][0]))
    count = sum(1 for _ in store.oxigraph.quads_for_pattern(None, None, None, graph))
    store.remove_graph(graph.value)
    store.flush()
    return count


def forget_person(store: Store, name: str) -> tuple[str, int]:
    """Remove a person (by IRI or any of their names) from every article; return (IRI, quads).

    Removed: every triple with the person as subject or object, their mentions,
    the relation assertions about them (and those assertions' mentions); kept
    but rewritten: sentences and titles that name them, with each of their
    names replaced by ``[name removed]``.

    Raises
    ------
    HrkgError
        If no person or several persons answer to ``name``.
    """
    quads = list(store.dataset_quads())
    found = people(quads)
    wanted = name.strip().casefold()
    matches = [
        p for p in found.iris() if p == name or wanted in {n.casefold() for n in found.names[p]}
    ]
    if not matches:
        raise HrkgError(f"no person named {name!r} in the store")
    if len(matches) > 1:
        raise HrkgError(
            f"{name!r} names {len(matches)} persons ({', '.join(matches)}); give the IRI"
        )
    person = matches[0]
    doomed = {person} | found.mentions[person]
    assertions = {
        q.subject.value
        for q in quads
        if q.predicate in (RDF_SUBJECT, RDF_OBJECT) and q.object.value == person
    }
    doomed |= assertions
    doomed |= {
        q.object.value
        for q in quads
        if q.subject.value in assertions and q.predicate == HAS_MENTION
    }
    replacements = dict.fromkeys(found.names[person], REDACTED)
    pattern = _matcher(replacements)
    removed, added = [], []
    for q in quads:
        if q.subject.value in doomed or q.object.value in doomed:
            removed.append(q)
        elif isinstance(q.object, ox.Literal):
            text = _rewrite(q.object.value, pattern, replacements)
            if text != q.object.value:
                removed.append(q)
                added.append(ox.Quad(q.subject, q.predicate, ox.Literal(text), q.graph_name))
    _apply(store, removed, added)
    return person, len(removed)


def _apply(store: Store, removed: list[ox.Quad], added: list[ox.Quad]) -> None:
    """Delete and insert quads in one update (one transaction)."""

    def block(quads: list[ox.Quad]) -> str:
        return " ".join(
            f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads
        )

    parts = []
    if removed:
        parts.append(f"DELETE DATA {{ {block(removed)} }}")
    if added:
        parts.append(f"INSERT DATA {{ {block(added)} }}")
    if parts:
        store.oxigraph.update(" ; ".join(parts))
        store.flush()
