"""Tests for ``ontology/hrkg.ttl`` and ``ontology/shapes.ttl``.

The ontology must declare, label and comment every term of ``kg.ontology.HR``;
the shapes must target every class that graphs contain, accept a graph of the
shape the build emits and reject (with readable messages) the usual mistakes.
Fast: rdflib and pyshacl only, no spaCy.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

from kg.ontology import EVENT_TYPES, HR, RELATIONS, ROLES

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
HR_NS = "https://w3id.org/hrkg/ontology#"
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Every term of the vocabulary, as an IRI.
TERMS = [HR[name] for name in HR.__annotations__]

#: The classes whose instances the build emits (see the graph shape).
GRAPH_CLASSES = [
    HR.Article,
    HR.Person,
    HR.Organisation,
    HR.Country,
    HR.Place,
    HR.Event,
    HR.Quantity,
    HR.Mention,
    HR.Sentence,
    HR.RelationAssertion,
]

DECLARATIONS = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "hrkg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


# --------------------------------------------------------------------------
# (a) both files parse
# --------------------------------------------------------------------------


def test_files_parse(ontology: Graph, shapes: Graph) -> None:
    assert len(ontology) > 0
    assert len(shapes) > 0


def test_ontology_header(ontology: Graph) -> None:
    header = URIRef("https://w3id.org/hrkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert str(ontology.value(header, OWL.versionInfo)) == "0.1.0"


# --------------------------------------------------------------------------
# (b) every term of HR is declared, labelled and commented, and nothing else
# --------------------------------------------------------------------------


@pytest.mark.parametrize("term", TERMS, ids=lambda t: t.removeprefix(HR_NS))
def test_term_declared(ontology: Graph, term: URIRef) -> None:
    kinds = set(ontology.objects(term, RDF.type)) & DECLARATIONS
    assert len(kinds) == 1, f"{term} needs exactly one of owl:Class/ObjectProperty/DatatypeProperty"
    local = term.removeprefix(HR_NS)
    # Classes are capitalised, properties are not: the Python names say which is which.
    assert (OWL.Class in kinds) == local[0].isupper()
    for annotation in (RDFS.label, RDFS.comment):
        values = list(ontology.objects(term, annotation))
        assert any(getattr(v, "language", None) == "en" for v in values), (
            f"{term} lacks an @en {annotation}"
        )


def test_no_undeclared_hr_terms(ontology: Graph, shapes: Graph) -> None:
    """Neither file uses an hr: IRI that kg.ontology.HR does not list (typos)."""
    known = set(TERMS)
    for graph in (ontology, shapes):
        used = {
            n for triple in graph for n in triple if isinstance(n, URIRef) and n.startswith(HR_NS)
        }
        assert used - known == set()


# --------------------------------------------------------------------------
# (c) event types
# --------------------------------------------------------------------------

MAPPINGS = (SKOS.closeMatch, SKOS.editorialNote)


@pytest.mark.parametrize("name", list(EVENT_TYPES))
def test_event_type_is_mapped(ontology: Graph, name: str) -> None:
    cls = EVENT_TYPES[name]
    assert (cls, RDFS.subClassOf, HR.Event) in ontology
    assert any((cls, p, None) in ontology for p in MAPPINGS), (
        f"{cls} has no closeMatch or editorialNote"
    )
    assert (cls, SKOS.definition, None) in ontology


def test_mapping_targets_are_documented(ontology: Graph) -> None:
    """Every minted CAMEO/PLOVER/HURIDOCS concept has a label and a scheme."""
    minted = "https://w3id.org/hrkg/align/"
    for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.narrowMatch, SKOS.relatedMatch):
        for target in ontology.objects(None, p):
            if str(target).startswith(minted):
                assert (target, SKOS.prefLabel, None) in ontology, target
                assert (target, SKOS.inScheme, None) in ontology, target


# --------------------------------------------------------------------------
# (d) shapes
# --------------------------------------------------------------------------


@pytest.mark.parametrize("cls", GRAPH_CLASSES, ids=lambda t: t.removeprefix(HR_NS))
def test_node_shape_for_class(shapes: Graph, cls: URIRef) -> None:
    targeting = set(shapes.subjects(SH.targetClass, cls))
    assert any((s, RDF.type, SH.NodeShape) in shapes for s in targeting), (
        f"no NodeShape targets {cls}"
    )


def test_shapes_are_well_formed_shacl(shapes: Graph) -> None:
    """The shapes graph itself conforms to SHACL's own shapes (meta-SHACL)."""
    conforms, _, text = validate(Graph(), shacl_graph=shapes, meta_shacl=True, inference="none")
    assert conforms, text


def test_every_property_shape_has_a_message(shapes: Graph) -> None:
    for prop_shape in set(shapes.objects(None, SH.property)):
        assert (prop_shape, SH.message, None) in shapes, (
            f"property shape {prop_shape} has no sh:message"
        )


def test_relation_predicates_and_relation_shapes(shapes: Graph) -> None:
    allowed = {
        o
        for path in shapes.subjects(SH.path, RDF.predicate)
        for lst in shapes.objects(path, SH["in"])
        for o in shapes.items(lst)
    }
    assert allowed == set(RELATIONS.values())
    for relation in RELATIONS.values():
        assert (None, SH.targetSubjectsOf, relation) in shapes, f"no shape checks {relation}"


def test_role_properties_are_constrained(shapes: Graph) -> None:
    event_paths = {
        shapes.value(p, SH.path)
        for shape in shapes.subjects(SH.targetClass, HR.Event)
        for p in shapes.objects(shape, SH.property)
    }
    assert set(ROLES.values()) <= event_paths


# --------------------------------------------------------------------------
# (e) validation of hand-written graphs
# --------------------------------------------------------------------------

PREFIXES = """
@prefix hr:      <https://w3id.org/hrkg/ontology#> .
@base <https://w3id.org/hrkg/id/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdf:     <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix schema:  <https://schema.org/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
"""

# "Azerbaijani police detained Shirin Abbasov on 16 September 2015; as many as
# 104,731 people signed." -- one article, in the shape kg/build emits.
VALID = (
    PREFIXES
    + """
<article/az-1> a hr:Article ;
    dcterms:identifier "az-1" ;
    dcterms:title "Azerbaijan: student activist detained" ;
    dcterms:date "2015-09-18"^^xsd:date ;
    dcterms:publisher "Amnesty International" ;
    schema:url <https://example.org/az-1> ;
    hr:contentHash "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" ;
    hr:extractedBy "hrkg 0.1.0; en_core_web_sm 3.8.0" .

<sentence/az-1/0-80> a hr:Sentence ;
    hr:inArticle <article/az-1> ; hr:startChar 0 ; hr:endChar 80 ;
    hr:text "Azerbaijani police detained Shirin Abbasov on 16 September 2015 in Baku." .

<mention/az-1/28-42> a hr:Mention ;
    hr:inArticle <article/az-1> ; hr:startChar 28 ; hr:endChar 42 ;
    hr:anchorText "Shirin Abbasov" ; hr:inSentence <sentence/az-1/0-80> .
<mention/az-1/0-11> a hr:Mention ;
    hr:inArticle <article/az-1> ; hr:startChar 0 ; hr:endChar 11 ;
    hr:anchorText "Azerbaijani" ; hr:inSentence <sentence/az-1/0-80> .
<mention/az-1/19-27> a hr:Mention ;
    hr:inArticle <article/az-1> ; hr:startChar 19 ; hr:endChar 27 ;
    hr:anchorText "detained" ; hr:inSentence <sentence/az-1/0-80> .

<person/shirin-abbasov> a hr:Person ;
    rdfs:label "Shirin Abbasov" ; skos:altLabel "Abbasov" ;
    hr:role "student" ; hr:status "prisoner of conscience" ;
    hr:nationality <country/AZ> ;
    hr:detainedBy <country/AZ> ;
    hr:mentionedIn <article/az-1> ; hr:hasMention <mention/az-1/28-42> .

<country/AZ> a hr:Country ;
    rdfs:label "Azerbaijan" ; skos:altLabel "Azerbaijani" ; hr:countryCode "AZ" ;
    hr:mentionedIn <article/az-1> ; hr:hasMention <mention/az-1/0-11> .

<event/az-1/0> a hr:Event , hr:Arrest ;
    hr:trigger "detained" ;
    hr:agent <country/AZ> ; hr:target <person/shirin-abbasov> ;
    hr:location <country/AZ> ;
    hr:date "2015-09-16"^^xsd:date ;
    hr:quantity <quantity/az-1/90-120> ;
    hr:mentionedIn <article/az-1> ; hr:hasMention <mention/az-1/19-27> .

<quantity/az-1/90-120> a hr:Quantity ;
    hr:amount 104731 ; hr:unit "people" ; hr:qualifier "as many as" ;
    hr:anchorText "as many as 104,731 people" .

<relation/az-1/1a2b> a hr:RelationAssertion ;
    rdf:subject <person/shirin-abbasov> ; rdf:predicate hr:detainedBy ; rdf:object <country/AZ> ;
    hr:hasMention <mention/az-1/19-27> ; hr:mentionedIn <article/az-1> .
"""
)

# The same graph with three mistakes: a country code that is a name, a date that
# is a plain string, and a person without a label.
BROKEN = (
    VALID.replace('hr:countryCode "AZ"', 'hr:countryCode "Belarus"')
    .replace('hr:date "2015-09-16"^^xsd:date', 'hr:date "yesterday"')
    .replace('rdfs:label "Shirin Abbasov" ;', "")
)

DATA = Namespace("https://w3id.org/hrkg/id/")


def run(data: str, shapes: Graph) -> tuple[bool, Graph, str]:
    graph = Graph().parse(data=data, format="turtle")
    conforms, results, text = validate(graph, shacl_graph=shapes, inference="none")
    return conforms, results, text


def test_broken_graph_really_differs() -> None:
    assert BROKEN.count("Belarus") == 1 and BROKEN.count("yesterday") == 1
    assert 'rdfs:label "Shirin Abbasov"' not in BROKEN


def test_valid_graph_conforms(shapes: Graph) -> None:
    conforms, _, text = run(VALID, shapes)
    assert conforms, text


def test_broken_graph_reports_each_problem(shapes: Graph) -> None:
    conforms, results, text = run(BROKEN, shapes)
    assert not conforms
    problems = {
        (results.value(r, SH.focusNode), results.value(r, SH.resultPath))
        for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    # Exactly these three problems, no false alarms.
    assert problems == {
        (DATA["country/AZ"], HR.countryCode),
        (DATA["event/az-1/0"], HR.date),
        (DATA["person/shirin-abbasov"], RDFS.label),
    }
    assert "ISO 3166-1 alpha-2 hr:countryCode" in text
    assert "xsd:gYearMonth" in text  # the hr:date message
    assert "at least one rdfs:label" in text
    assert "Belarus" in text and "yesterday" in text  # the offending values


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        # event without the hr:Event type: caught through its subtype
        ("<event/az-1/0> a hr:Event , hr:Arrest", "<event/az-1/0> a hr:Arrest", None),
        # two event subtypes
        ("a hr:Event , hr:Arrest", "a hr:Event , hr:Arrest , hr:Trial", RDF.type),
        # role pointing at a literal instead of an entity
        ("hr:agent <country/AZ>", 'hr:agent "the police"', HR.agent),
        # reified relation without its direct triple
        ("hr:detainedBy <country/AZ> ;\n    hr:mentionedIn", "hr:mentionedIn", None),
        # relation predicate that is not a relation
        ("rdf:predicate hr:detainedBy", "rdf:predicate hr:agent", RDF.predicate),
        # offsets the wrong way round
        ("hr:startChar 28 ; hr:endChar 42", "hr:startChar 42 ; hr:endChar 28", HR.startChar),
        # amount as a string
        ("hr:amount 104731", 'hr:amount "104,731"', HR.amount),
    ],
)
def test_other_mistakes_are_caught(shapes: Graph, old: str, new: str, path: URIRef | None) -> None:
    assert old in VALID
    conforms, results, text = run(VALID.replace(old, new, 1), shapes)
    assert not conforms
    paths = {
        results.value(r, SH.resultPath) for r in results.subjects(RDF.type, SH.ValidationResult)
    }
    assert path in paths, text
