"""The hrkg vocabulary as Python names.

Every term of ``ontology/hrkg.ttl`` is listed here, so that a typo is an
``AttributeError`` rather than a new IRI.  This module imports nothing of
ours; every other module may import it.

Examples
--------
>>> from kg.ontology import HR
>>> str(HR.Person)
'https://w3id.org/hrkg/ontology#Person'
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

#: Base of the IRIs minted for articles, entities, events and mentions.
DATA = Namespace("https://w3id.org/hrkg/id/")


class HR(DefinedNamespace):
    """Human-rights knowledge graph ontology (``https://w3id.org/hrkg/ontology#``)."""

    _fail = True
    _NS = Namespace("https://w3id.org/hrkg/ontology#")

    # Classes: documents and provenance
    Article: URIRef  # A news article or NGO report that was ingested.
    Sentence: URIRef  # A sentence of an article, with its text and offsets.
    Mention: URIRef  # A span of an article's text that mentions an entity, event or relation.
    # Classes: actors and places
    Actor: URIRef  # Anything that can take part in an event: person, organisation, country.
    Person: URIRef
    Organisation: URIRef
    Country: URIRef
    Place: URIRef  # A city, region or site that is not a country.
    # Classes: events
    Event: URIRef
    Arrest: URIRef
    Detention: URIRef
    Imprisonment: URIRef
    Sentencing: URIRef
    Trial: URIRef
    Release: URIRef
    Protest: URIRef
    Campaign: URIRef
    Petition: URIRef
    LetterWriting: URIRef
    Award: URIRef
    Statement: URIRef
    Visit: URIRef
    Killing: URIRef
    Torture: URIRef
    Disappearance: URIRef
    Election: URIRef
    OtherEvent: URIRef
    # Classes: qualified statements
    Quantity: URIRef  # A count attached to an event ("104,731 actions").
    RelationAssertion: URIRef  # A reified relation with its role and provenance.

    # Event arguments
    agent: URIRef
    target: URIRef
    organiser: URIRef
    participant: URIRef
    location: URIRef
    date: URIRef
    trigger: URIRef
    quantity: URIRef
    # Quantity
    amount: URIRef
    unit: URIRef
    qualifier: URIRef
    # Entities
    mentionedIn: URIRef
    countryCode: URIRef
    role: URIRef
    status: URIRef
    # Relations between entities
    memberOf: URIRef
    leaderOf: URIRef
    employeeOf: URIRef
    founded: URIRef
    locatedIn: URIRef
    nationality: URIRef
    detainedBy: URIRef
    sentencedBy: URIRef
    supports: URIRef
    awarded: URIRef
    # Provenance
    hasMention: URIRef
    inArticle: URIRef
    inSentence: URIRef
    startChar: URIRef
    endChar: URIRef
    anchorText: URIRef
    text: URIRef
    contentHash: URIRef
    extractedBy: URIRef


#: The event types of the ontology, by the snake_case name used in the gold and the CLI.
EVENT_TYPES: dict[str, URIRef] = {
    "arrest": HR.Arrest,
    "detention": HR.Detention,
    "imprisonment": HR.Imprisonment,
    "sentencing": HR.Sentencing,
    "trial": HR.Trial,
    "release": HR.Release,
    "protest": HR.Protest,
    "campaign": HR.Campaign,
    "petition": HR.Petition,
    "letter_writing": HR.LetterWriting,
    "award": HR.Award,
    "statement": HR.Statement,
    "visit": HR.Visit,
    "killing": HR.Killing,
    "torture": HR.Torture,
    "disappearance": HR.Disappearance,
    "election": HR.Election,
    "other": HR.OtherEvent,
}

#: The actor roles an entity can play in an event.
ROLES: dict[str, URIRef] = {
    "agent": HR.agent,
    "target": HR.target,
    "organiser": HR.organiser,
    "participant": HR.participant,
}

#: The relations between entities, by snake_case name.
RELATIONS: dict[str, URIRef] = {
    "member_of": HR.memberOf,
    "leader_of": HR.leaderOf,
    "employee_of": HR.employeeOf,
    "founded": HR.founded,
    "located_in": HR.locatedIn,
    "nationality": HR.nationality,
    "detained_by": HR.detainedBy,
    "sentenced_by": HR.sentencedBy,
    "supports": HR.supports,
    "awarded": HR.awarded,
}

#: Entity kinds and their classes.
ENTITY_CLASSES: dict[str, URIRef] = {
    "person": HR.Person,
    "organisation": HR.Organisation,
    "country": HR.Country,
    "place": HR.Place,
}
