"""What the extraction components leave on a spaCy ``Doc``.

Components add these records to Doc extensions; ``kg.build`` turns them
into triples.  They carry character offsets into the article text, so
every fact can be traced back to its span.

Doc extensions (registered by :func:`register_extensions`):

``doc._.hr_entities``      list[EntityRecord]   resolved persons, organisations, countries, places
``doc._.hr_token_entity``  dict[int, str]       token index -> EntityRecord.key, for every token
                                                 inside a resolved entity mention
``doc._.hr_events``        list[EventRecord]
``doc._.hr_relations``     list[RelationRecord]
``doc._.hr_reference_date`` datetime.date | None  the article's date, set before the pipeline runs;
                                                 relative dates ("on Friday") resolve against it
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc

KINDS = ("person", "organisation", "country", "place")


@dataclass(frozen=True, order=True)
class Mention:
    """A span of the article text: ``text[start:end]``."""

    start: int
    end: int
    text: str


@dataclass
class EntityRecord:
    """One real-world entity as an article refers to it.

    ``key`` identifies it within the document and across documents: it is
    ``"<kind>:<normalised name>"`` (``"country:BY"`` for countries), so
    equal keys in two articles are the same entity.
    """

    key: str
    kind: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)
    country_code: str | None = None
    roles: set[str] = field(default_factory=set)
    statuses: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Argument:
    """An actor's part in an event: ``role`` is agent, target, organiser or participant."""

    role: str
    entity: str  # EntityRecord.key


@dataclass(frozen=True)
class DateValue:
    """A normalised date: ``value`` is ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""

    value: str
    granularity: str  # "date" | "gYearMonth" | "gYear"
    mention: Mention


@dataclass(frozen=True)
class Quantity:
    """A count attached to an event ("As many as 104,731 measures")."""

    amount: int
    unit: str | None
    qualifier: str | None
    mention: Mention


@dataclass
class EventRecord:
    """One real-world event reported by the article (merged over its mentions)."""

    type: str  # a key of kg.ontology.EVENT_TYPES, e.g. "arrest"
    triggers: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    arguments: list[Argument] = field(default_factory=list)
    location: str | None = None  # EntityRecord.key of a country or place
    date: DateValue | None = None
    quantities: list[Quantity] = field(default_factory=list)


@dataclass(frozen=True)
class RelationRecord:
    """A relation between two entities, e.g. ``person:x leader_of organisation:y``."""

    subject: str
    predicate: str  # a key of kg.ontology.RELATIONS
    object: str
    mention: Mention
    role: str | None = None


def register_extensions() -> None:
    """Register the ``doc._.hr_*`` extensions (idempotent)."""
    for name, default in (
        ("hr_entities", None),
        ("hr_token_entity", None),
        ("hr_events", None),
        ("hr_relations", None),
        ("hr_reference_date", None),
    ):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
