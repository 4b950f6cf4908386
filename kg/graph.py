"""The knowledge graph as NetworkX graphs: three views, each filterable.

:func:`load_facts` reads the store once, article graph by article graph, into
plain Python :class:`Facts`; the views are made from them:

* :func:`full_graph` (also :func:`to_networkx`): a ``MultiDiGraph`` of
  entities and events; edges go from an event to its actors, keyed by role
  (``agent``, ``target``, ``organiser``, ``participant``, ``location``), and
  between entities for relations (``memberOf``, ``leaderOf`` ...);
* :func:`actor_network`: an undirected, weighted ``Graph`` of persons,
  organisations and countries, linked when they take part in the same events
  or are related (``weight`` = shared events + relation statements);
* :func:`actor_event_graph`: the bipartite ``Graph`` of actors (``bipartite=0``)
  and events (``bipartite=1``), edges labelled with the roles.

Every node has ``kind`` (``entity`` or ``event``), ``type``, ``label``,
``country_code`` ("" when none), ``mentions`` and ``articles``; every edge
carries its evidence: ``events`` (event IRIs), ``articles`` (article ids) and
one ``evidence`` sentence.  All attributes are strings or numbers (lists are
space-separated), so every view writes to GraphML and GEXF unchanged.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import networkx as nx
import pycountry

from kg.errors import HrkgError
from kg.ontology import EVENT_TYPES, RELATIONS
from kg.store import Store

ACTOR_TYPES = ("Person", "Organisation", "Country")
ROLE_NAMES = ("agent", "target", "organiser", "participant", "location")
VIEWS = ("full", "actors", "bipartite")

ENTITIES = """
SELECT ?node ?class ?label ?code ?article (COUNT(DISTINCT ?m) AS ?mentions) WHERE {
  GRAPH ?g { ?node a ?class ; rdfs:label ?label ; hr:hasMention ?m .
             ?g dcterms:identifier ?article }
  VALUES ?class { hr:Person hr:Organisation hr:Country hr:Place }
  OPTIONAL { GRAPH ?g { ?node hr:countryCode ?code } }
} GROUP BY ?node ?class ?label ?code ?article
"""
ALIASES = "SELECT DISTINCT ?node ?alias WHERE { GRAPH ?g { ?node skos:altLabel ?alias } }"
EVENTS = """
SELECT ?node ?class ?date ?article (MIN(STR(?t)) AS ?trigger) (COUNT(DISTINCT ?m) AS ?mentions)
       (MIN(STR(?text)) AS ?sentence) WHERE {
  GRAPH ?g { ?node a hr:Event , ?class ; hr:trigger ?t ; hr:hasMention ?m .
             ?g dcterms:identifier ?article }
  FILTER(?class != hr:Event)
  OPTIONAL { GRAPH ?g { ?node hr:date ?date } }
  OPTIONAL { GRAPH ?g { ?m hr:inSentence ?s . ?s hr:text ?text } }
} GROUP BY ?node ?class ?date ?article
"""
ROLES_QUERY = """
SELECT DISTINCT ?event ?role ?actor WHERE {
  GRAPH ?g { ?event ?p ?actor }
  VALUES (?p ?role) { (hr:agent "agent") (hr:target "target") (hr:organiser "organiser")
                      (hr:participant "participant") (hr:location "location") }
}
"""
EVENT_COUNTRIES = """
SELECT DISTINCT ?event ?code WHERE {
  { GRAPH ?g { ?event hr:location|hr:agent|hr:participant ?c . ?c hr:countryCode ?code } }
  UNION { GRAPH ?g { ?event hr:location ?p . ?p hr:locatedIn ?c . ?c hr:countryCode ?code } }
}
"""
RELATIONS_QUERY = """
SELECT ?subject ?relation ?object ?article (COUNT(DISTINCT ?r) AS ?statements)
       (MIN(COALESCE(?held, "")) AS ?role) (MIN(STR(?text)) AS ?sentence) WHERE {
  GRAPH ?g { ?subject ?p ?object . ?g dcterms:identifier ?article }
  VALUES ?p { RELATION_PREDICATES }
  BIND(STRAFTER(STR(?p), "#") AS ?relation)
  OPTIONAL {
    GRAPH ?g { ?r rdf:subject ?subject ; rdf:predicate ?p ; rdf:object ?object }
    OPTIONAL { GRAPH ?g { ?r hr:role ?held } }
    OPTIONAL { GRAPH ?g { ?r hr:hasMention ?m . ?m hr:inSentence ?s . ?s hr:text ?text } }
  }
} GROUP BY ?subject ?relation ?object ?article
""".replace("RELATION_PREDICATES", " ".join(iri.n3() for iri in RELATIONS.values()))


@dataclass
class Node:
    """An entity or event as the views see it."""

    iri: str
    kind: str  # "entity" or "event"
    type: str
    labels: Counter = field(default_factory=Counter)
    mentions: int = 0
    articles: set[str] = field(default_factory=set)
    country_code: str = ""
    aliases: set[str] = field(default_factory=set)
    date: str = ""
    sentence: str = ""
    countries: set[str] = field(default_factory=set)  # events: where, or whose authorities

    @property
    def label(self) -> str:
        """The most frequent label (ties: the alphabetically first)."""
        return min(self.labels.items(), key=lambda kv: (-kv[1], kv[0]))[0] if self.labels else ""

    def attributes(self) -> dict[str, object]:
        """Scalar node attributes for NetworkX (and GraphML/GEXF)."""
        attrs: dict[str, object] = {
            "kind": self.kind,
            "type": self.type,
            "label": self.label,
            "country_code": self.country_code,
            "mentions": self.mentions,
            "articles": " ".join(sorted(self.articles)),
        }
        if self.kind == "entity":
            attrs["aliases"] = "; ".join(sorted(self.aliases - {self.label}))
        else:
            attrs["date"] = self.date
            attrs["sentence"] = self.sentence
        return attrs


@dataclass(frozen=True, order=True)
class Role:
    """An actor's role in an event."""

    event: str
    role: str
    actor: str


@dataclass
class Relation:
    """A relation between two entities, with every article that states it."""

    subject: str
    relation: str
    object: str
    articles: set[str] = field(default_factory=set)
    statements: int = 0
    role: str = ""
    sentence: str = ""


@dataclass
class Facts:
    """What the views are made of: entities, events, roles and relations."""

    nodes: dict[str, Node] = field(default_factory=dict)
    roles: list[Role] = field(default_factory=list)
    relations: dict[tuple[str, str, str], Relation] = field(default_factory=dict)

    def events(self) -> list[Node]:
        """The event nodes."""
        return [n for n in self.nodes.values() if n.kind == "event"]


def load_facts(store: Store) -> Facts:
    """Read entities, events, roles and relations from every article graph of ``store``.

    Examples
    --------
    >>> load_facts(Store(None)).nodes
    {}
    """
    facts = Facts()
    nodes = facts.nodes
    for node, cls, label, code, article, mentions in store.query(ENTITIES).rows:
        entry = nodes.setdefault(str(node), Node(str(node), "entity", _local(cls)))
        entry.labels[str(label)] += int(mentions)
        entry.mentions += int(mentions)
        entry.articles.add(str(article))
        entry.country_code = str(code) if code is not None else entry.country_code
    for node, alias in store.query(ALIASES).rows:
        if str(node) in nodes:
            nodes[str(node)].aliases.add(str(alias))
    for node, cls, when, article, trigger, mentions, sentence in store.query(EVENTS).rows:
        entry = nodes.setdefault(str(node), Node(str(node), "event", _local(cls)))
        entry.labels[str(trigger)] += int(mentions)
        entry.mentions += int(mentions)
        entry.articles.add(str(article))
        entry.date = str(when) if when is not None else entry.date
        entry.sentence = entry.sentence or _one_line(sentence)
    for event, code in store.query(EVENT_COUNTRIES).rows:
        if str(event) in nodes:
            nodes[str(event)].countries.add(str(code))
    facts.roles = sorted(
        Role(str(e), str(r), str(a))
        for e, r, a in store.query(ROLES_QUERY).rows
        if str(e) in nodes and str(a) in nodes
    )
    rows = store.query(RELATIONS_QUERY).rows
    for subject, relation, obj, article, statements, role, sentence in rows:
        key = (str(subject), str(relation), str(obj))
        if key[0] not in nodes or key[2] not in nodes:
            continue
        entry = facts.relations.setdefault(key, Relation(*key))
        entry.articles.add(str(article))
        entry.statements += max(int(statements), 1)  # stated without an assertion: once
        entry.role = entry.role or str(role)
        entry.sentence = entry.sentence or _one_line(sentence)
    _home_countries(facts)
    return facts


def _home_countries(facts: Facts) -> None:
    """Give persons and organisations the country code of their nationality or seat."""
    for (subject, relation, obj), _ in sorted(facts.relations.items()):
        if relation in ("nationality", "locatedIn"):
            node, country = facts.nodes[subject], facts.nodes[obj]
            if not node.country_code and country.type == "Country":
                node.country_code = country.country_code


def _one_line(text: object) -> str:
    """Evidence shown in tables and tooltips: one line, whitespace collapsed."""
    return " ".join(str(text).split()) if text is not None else ""


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1]


@dataclass(frozen=True)
class Filters:
    """Which events (and so which actors) a view keeps; empty fields keep everything.

    ``event_types`` are hrkg event types (``arrest`` or ``Arrest``), ``countries``
    ISO 3166-1 alpha-2 codes (an event is in a country when it happens there or
    that country's authorities act in it), ``start``/``end`` an inclusive date
    range (an event dated to a year or month is kept when it overlaps; undated
    events are dropped once a range is given), ``articles`` article ids.
    """

    event_types: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    start: date | None = None
    end: date | None = None
    articles: frozenset[str] = frozenset()

    @classmethod
    def parse(
        cls,
        event_types: Iterable[str] = (),
        countries: Iterable[str] = (),
        start: str | None = None,
        end: str | None = None,
        articles: Iterable[str] = (),
    ) -> Filters:
        """Filters from user input, checked; raises :class:`HrkgError` naming a bad value.

        Examples
        --------
        >>> Filters.parse(["arrest"], ["by"], "2022", "2023-06").event_types
        frozenset({'Arrest'})
        >>> Filters.parse(countries=["Belarus"])
        Traceback (most recent call last):
        kg.errors.HrkgError: unknown country code 'Belarus'; use ISO 3166-1 alpha-2 codes such as BY
        """
        return cls(
            frozenset(_event_type(t) for t in event_types),
            frozenset(_country(c) for c in countries),
            _bound(start, first=True),
            _bound(end, first=False),
            frozenset(str(a) for a in articles),
        )

    @property
    def on_events(self) -> bool:
        """Whether any filter other than the article set is set."""
        return bool(self.event_types or self.countries or self.start or self.end)

    def keeps(self, event: Node) -> bool:
        """Whether an event passes every filter."""
        if self.event_types and event.type not in self.event_types:
            return False
        if self.countries and not event.countries & self.countries:
            return False
        if self.articles and not event.articles & self.articles:
            return False
        if self.start or self.end:
            if not event.date:
                return False
            first, last = _interval(event.date)
            if (self.start and last < self.start) or (self.end and first > self.end):
                return False
        return True


def _event_type(name: str) -> str:
    by_name = {_local(iri).lower(): _local(iri) for iri in EVENT_TYPES.values()}
    by_name.update({key.replace("_", ""): _local(iri) for key, iri in EVENT_TYPES.items()})
    found = by_name.get(name.strip().lower().replace("_", "").replace("-", ""))
    if found is None:
        choices = ", ".join(sorted(EVENT_TYPES))
        raise HrkgError(f"unknown event type {name!r}; choose from {choices}")
    return found


def _country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code.strip().upper()) is None:
        raise HrkgError(f"unknown country code {code!r}; use ISO 3166-1 alpha-2 codes such as BY")
    return code.strip().upper()


def _bound(value: str | None, *, first: bool) -> date | None:
    if not value:
        return None
    try:
        low, high = _interval(value)
    except ValueError:
        raise HrkgError(f"not a date: {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD") from None
    return low if first else high


def _interval(value: str) -> tuple[date, date]:
    """The first and last day of ``2023``, ``2023-03`` or ``2023-03-05``."""
    parts = value.strip().split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 1, 1), date(int(parts[0]), 12, 31)
    if len(parts) == 2:
        year, month = int(parts[0]), int(parts[1])
        nxt = date(year + month // 12, month % 12 + 1, 1)
        return date(year, month, 1), date.fromordinal(nxt.toordinal() - 1)
    day = date.fromisoformat(value.strip())
    return day, day


@dataclass
class Selection:
    """The events a filter keeps, the entities they involve, and the roles between them."""

    events: list[Node]
    entities: list[Node]
    roles: list[Role]
    relations: list[Relation]


def select(facts: Facts, filters: Filters | None = None) -> Selection:
    """Apply ``filters``: the kept events, their entities, roles and relations.

    Without filters every entity is kept, also those in no event.  With an
    article set only, the entities mentioned in those articles are kept; with
    any event filter, the entities taking part in the kept events.  Relations
    are kept between kept entities when an article in the set states them.
    """
    filters = filters or Filters()
    events = [e for e in facts.events() if filters.keeps(e)]
    kept = {e.iri for e in events}
    roles = [r for r in facts.roles if r.event in kept]
    entities = [n for n in facts.nodes.values() if n.kind == "entity"]
    if filters.on_events:
        involved = {r.actor for r in roles}
        entities = [n for n in entities if n.iri in involved]
    elif filters.articles:
        entities = [n for n in entities if n.articles & filters.articles]
    names = {n.iri for n in entities}
    relations = [
        r
        for r in facts.relations.values()
        if r.subject in names
        and r.object in names
        and (not filters.articles or r.articles & filters.articles)
    ]
    return Selection(events, entities, roles, relations)


def edge_relations(data: dict) -> str:
    """What an edge of any view stands for: its ``relation`` (full view), ``roles``
    (bipartite) or ``relations`` (actor network; "" for a link by shared events only).

    Examples
    --------
    >>> edge_relations({"roles": "agent target"}), edge_relations({"relations": ""})
    ('agent target', '')
    """
    for name in ("relation", "roles", "relations"):
        if data.get(name):
            return str(data[name])
    return ""


def _facts(source: Store | Facts) -> Facts:
    return source if isinstance(source, Facts) else load_facts(source)


def full_graph(source: Store | Facts, filters: Filters | None = None) -> nx.MultiDiGraph:
    """Entities and events, edges keyed by role or relation, with their evidence.

    Examples
    --------
    >>> g = full_graph(Store(None))
    >>> g.number_of_nodes(), g.number_of_edges()
    (0, 0)
    """
    facts = _facts(source)
    chosen = select(facts, filters)
    graph = nx.MultiDiGraph(view="full")
    for node in [*chosen.entities, *chosen.events]:
        graph.add_node(node.iri, **node.attributes())
    for role in chosen.roles:
        event = facts.nodes[role.event]
        if role.actor in graph:
            graph.add_edge(
                role.event,
                role.actor,
                key=role.role,
                relation=role.role,
                events=role.event,
                articles=" ".join(sorted(event.articles)),
                evidence=event.sentence,
            )
    for rel in chosen.relations:
        graph.add_edge(
            rel.subject,
            rel.object,
            key=rel.relation,
            relation=rel.relation,
            events="",
            articles=" ".join(sorted(rel.articles)),
            evidence=rel.sentence,
            role=rel.role,
            statements=rel.statements,
        )
    return graph


def to_networkx(store: Store, filters: Filters | None = None) -> nx.MultiDiGraph:
    """The full typed view of the store (see :func:`full_graph`)."""
    return full_graph(store, filters)


def actor_network(source: Store | Facts, filters: Filters | None = None) -> nx.Graph:
    """Persons, organisations and countries linked by shared events and relations.

    Edge attributes: ``weight`` (shared events + relation statements),
    ``co_events``, ``relation_statements``, ``relations`` (names), ``events``,
    ``articles`` and one ``evidence`` sentence.

    Examples
    --------
    >>> actor_network(Store(None)).number_of_nodes()
    0
    """
    facts = _facts(source)
    chosen = select(facts, filters)
    graph = nx.Graph(view="actors")
    for node in chosen.entities:
        if node.type in ACTOR_TYPES:
            graph.add_node(node.iri, **node.attributes())
    links: dict[tuple[str, str], dict] = defaultdict(
        lambda: {"events": set(), "articles": set(), "relations": set(), "statements": 0, "s": ""}
    )
    actors_of: dict[str, set[str]] = defaultdict(set)
    for role in chosen.roles:
        if role.actor in graph:
            actors_of[role.event].add(role.actor)
    for event, actors in actors_of.items():
        node = facts.nodes[event]
        for a, b in _pairs(actors):
            link = links[a, b]
            link["events"].add(event)
            link["articles"] |= node.articles
            link["s"] = link["s"] or node.sentence
    for rel in chosen.relations:
        if rel.subject in graph and rel.object in graph and rel.subject != rel.object:
            link = links[tuple(sorted((rel.subject, rel.object)))]
            link["relations"].add(rel.relation)
            link["statements"] += rel.statements
            link["articles"] |= rel.articles
            link["s"] = link["s"] or rel.sentence
    for (a, b), link in sorted(links.items()):
        graph.add_edge(
            a,
            b,
            weight=len(link["events"]) + link["statements"],
            co_events=len(link["events"]),
            relation_statements=link["statements"],
            relations=" ".join(sorted(link["relations"])),
            events=" ".join(sorted(link["events"])),
            articles=" ".join(sorted(link["articles"])),
            evidence=link["s"],
        )
    return graph


def _pairs(items: set[str]) -> Iterable[tuple[str, str]]:
    ordered = sorted(items)
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            yield a, b


def actor_event_graph(source: Store | Facts, filters: Filters | None = None) -> nx.Graph:
    """The bipartite graph of actors (``bipartite=0``) and events (``bipartite=1``).

    Edges carry ``roles`` (the actor's roles in the event, space-separated),
    ``articles`` and the ``evidence`` sentence.

    Examples
    --------
    >>> actor_event_graph(Store(None)).number_of_edges()
    0
    """
    facts = _facts(source)
    chosen = select(facts, filters)
    graph = nx.Graph(view="bipartite")
    for node in chosen.entities:
        if node.type in ACTOR_TYPES:
            graph.add_node(node.iri, bipartite=0, **node.attributes())
    for node in chosen.events:
        graph.add_node(node.iri, bipartite=1, **node.attributes())
    roles: dict[tuple[str, str], set[str]] = defaultdict(set)
    for role in chosen.roles:
        if role.actor in graph:
            roles[role.actor, role.event].add(role.role)
    for (actor, event), names in sorted(roles.items()):
        node = facts.nodes[event]
        graph.add_edge(
            actor,
            event,
            roles=" ".join(sorted(names)),
            events=event,
            articles=" ".join(sorted(node.articles)),
            evidence=node.sentence,
        )
    return graph


def view(source: Store | Facts, name: str, filters: Filters | None = None) -> nx.Graph:
    """One of :data:`VIEWS` by name: ``full``, ``actors`` or ``bipartite``."""
    makers = {"full": full_graph, "actors": actor_network, "bipartite": actor_event_graph}
    if name not in makers:
        raise HrkgError(f"unknown view {name!r}; choose one of {', '.join(VIEWS)}")
    return makers[name](source, filters)
