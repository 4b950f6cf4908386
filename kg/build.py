"""Turn an article and its processed ``Doc`` into RDF triples.

Everything extracted from one article goes into one named graph whose
name is the article's IRI.  IRIs are minted deterministically from the
article id, entity keys and character offsets, so rebuilding the same
input yields the same triples (see :mod:`kg.iris`).
"""

from __future__ import annotations

import hashlib
from importlib.metadata import version

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from spacy.tokens import Doc

from kg.article import Article
from kg.extract.records import EntityRecord, EventRecord, Mention, RelationRecord
from kg.iris import article_iri, entity_iri, event_iri, mention_iri, node_iri
from kg.ontology import ENTITY_CLASSES, EVENT_TYPES, HR, RELATIONS, ROLES

SCHEMA_URL = URIRef("https://schema.org/url")
GRANULARITY = {"date": XSD.date, "gYearMonth": XSD.gYearMonth, "gYear": XSD.gYear}


def extractor_name(model_name: str) -> str:
    """What hrkg records as the extractor of a graph ("hrkg 0.1.0; en_core_web_sm 3.8.0")."""
    return f"hrkg {version('hrkg')}; {model_name}"


class ArticleGraph:
    """Accumulates the triples of one article in its named graph."""

    def __init__(self, article: Article, doc: Doc, extractor: str) -> None:
        self.article = article
        self.doc = doc
        self.iri = article_iri(article.id)
        self.graph = Graph(identifier=self.iri)
        self.sentences: dict[tuple[int, int], URIRef] = {}
        self._article(extractor)

    def add(self, s: URIRef, p: URIRef, o: URIRef | Literal) -> None:
        """Add one triple to the article's graph."""
        self.graph.add((s, p, o))

    def _article(self, extractor: str) -> None:
        a = self.article
        self.add(self.iri, RDF.type, HR.Article)
        self.add(self.iri, DCTERMS.identifier, Literal(a.id))
        self.add(self.iri, HR.contentHash, Literal(a.content_hash))
        self.add(self.iri, HR.extractedBy, Literal(extractor))
        if a.title:
            self.add(self.iri, DCTERMS.title, Literal(a.title))
        if a.publisher:
            self.add(self.iri, DCTERMS.publisher, Literal(a.publisher))
        if a.date:
            self.add(self.iri, DCTERMS.date, Literal(a.date.isoformat(), datatype=XSD.date))
        if a.url and "://" in a.url and not any(c in a.url for c in ' <>"{}|\\^`'):
            self.add(self.iri, SCHEMA_URL, URIRef(a.url))

    def mention(self, owner: URIRef, mention: Mention) -> URIRef:
        """Link ``owner`` to a mention node with offsets and its sentence."""
        node = mention_iri(self.article.id, mention.start, mention.end)
        self.add(owner, HR.hasMention, node)
        self.add(owner, HR.mentionedIn, self.iri)
        self.add(node, RDF.type, HR.Mention)
        self.add(node, HR.inArticle, self.iri)
        self.add(node, HR.startChar, Literal(mention.start))
        self.add(node, HR.endChar, Literal(mention.end))
        self.add(node, HR.anchorText, Literal(mention.text))
        self.add(node, HR.inSentence, self.sentence(mention.start))
        return node

    def sentence(self, char: int) -> URIRef:
        """The IRI of the sentence holding character ``char`` (added once)."""
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        sent = span.sent if span is not None else self.doc[:].sent
        text = sent.text.strip()
        start = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        bounds = (start, start + len(text))
        node = self.sentences.get(bounds)
        if node is None:
            node = self.sentences[bounds] = node_iri("sentence", self.article.id, *bounds)
            self.add(node, RDF.type, HR.Sentence)
            self.add(node, HR.inArticle, self.iri)
            self.add(node, HR.startChar, Literal(bounds[0]))
            self.add(node, HR.endChar, Literal(bounds[1]))
            self.add(node, HR.text, Literal(text))
        return node

    def entity(self, record: EntityRecord) -> URIRef:
        """Add an entity with its labels, roles, statuses and mentions."""
        node = entity_iri(record.key)
        self.add(node, RDF.type, ENTITY_CLASSES[record.kind])
        self.add(node, RDFS.label, Literal(record.label))
        for alt in sorted(record.alt_labels - {record.label}):
            self.add(node, SKOS.altLabel, Literal(alt))
        if record.country_code:
            self.add(node, HR.countryCode, Literal(record.country_code))
        for role in sorted(record.roles):
            self.add(node, HR.role, Literal(role))
        for status in sorted(record.statuses):
            self.add(node, HR.status, Literal(status))
        for mention in sorted(set(record.mentions)):
            self.mention(node, mention)
        return node

    def event(self, index: int, event: EventRecord) -> URIRef:
        """Add an event with its type, triggers, arguments, date and quantities."""
        node = event_iri(self.article.id, index, event.type)
        self.add(node, RDF.type, HR.Event)
        self.add(node, RDF.type, EVENT_TYPES[event.type])
        for trigger in dict.fromkeys(event.triggers):
            self.add(node, HR.trigger, Literal(trigger))
        for argument in event.arguments:
            self.add(node, ROLES[argument.role], entity_iri(argument.entity))
        if event.location:
            self.add(node, HR.location, entity_iri(event.location))
        if event.date:
            datatype = GRANULARITY[event.date.granularity]
            self.add(node, HR.date, Literal(event.date.value, datatype=datatype))
        for quantity in event.quantities:
            q = node_iri("quantity", self.article.id, quantity.mention.start, quantity.mention.end)
            self.add(node, HR.quantity, q)
            self.add(q, RDF.type, HR.Quantity)
            self.add(q, HR.amount, Literal(quantity.amount))
            self.add(q, HR.anchorText, Literal(quantity.mention.text))
            self.mention(q, quantity.mention)
            if quantity.unit:
                self.add(q, HR.unit, Literal(quantity.unit))
            if quantity.qualifier:
                self.add(q, HR.qualifier, Literal(quantity.qualifier))
        for mention in sorted(set(event.mentions)):
            self.mention(node, mention)
        return node

    def relation(self, relation: RelationRecord) -> URIRef:
        """Add a relation directly and as a qualified, traceable assertion."""
        s, p, o = (
            entity_iri(relation.subject),
            RELATIONS[relation.predicate],
            entity_iri(relation.object),
        )
        self.add(s, p, o)
        digest = hashlib.sha1(f"{s} {p} {o}".encode()).hexdigest()[:12]
        node = node_iri("relation", self.article.id, digest)
        self.add(node, RDF.type, HR.RelationAssertion)
        self.add(node, RDF.subject, s)
        self.add(node, RDF.predicate, p)
        self.add(node, RDF.object, o)
        if relation.role:
            self.add(node, HR.role, Literal(relation.role))
        self.mention(node, relation.mention)
        return node


def build_article_graph(article: Article, doc: Doc, extractor: str = "hrkg") -> Graph:
    """All triples extracted from one article, in a graph named by the article's IRI.

    Parameters
    ----------
    article : the article, for its id and metadata.
    doc : the article's text after the hrkg pipeline (``doc._.hr_entities`` etc.).
    extractor : recorded as ``hr:extractedBy`` (see :func:`extractor_name`).
    """
    built = ArticleGraph(article, doc, extractor)
    for record in doc._.hr_entities or []:
        built.entity(record)
    for index, event in enumerate(doc._.hr_events or [], start=1):
        built.event(index, event)
    for relation in doc._.hr_relations or []:
        built.relation(relation)
    return built.graph
