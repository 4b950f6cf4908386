"""Check graphs against the SHACL shapes of ``ontology/shapes.ttl`` with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from kg.store import Store

SHAPES = Path(__file__).resolve().parents[1] / "ontology" / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL result: which node, which property, what is wrong."""

    focus: str
    path: str
    message: str
    severity: str

    def __str__(self) -> str:
        path = f" {self.path}" if self.path else ""
        return f"{self.severity}: <{self.focus}>{path}: {self.message}"


@dataclass
class ValidationReport:
    """The outcome of validating a graph."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)


@cache
def load_shapes(path: Path = SHAPES) -> Graph:
    """The SHACL shapes graph (parsed once)."""
    return Graph().parse(path, format="turtle")


def validate_graph(graph: Graph) -> ValidationReport:
    """Validate an rdflib graph against the hrkg shapes (no inference).

    Examples
    --------
    >>> validate_graph(Graph()).conforms
    True
    """
    conforms, results, _ = shacl_validate(graph, shacl_graph=load_shapes(), inference="none")
    violations = []
    for result in results.subjects(SH.resultSeverity, None):
        violations.append(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                path=_path_text(graph, results, results.value(result, SH.resultPath)),
                message=str(results.value(result, SH.resultMessage) or ""),
                severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
            )
        )
    return ValidationReport(bool(conforms), sorted(violations, key=str))


def _path_text(graph: Graph, results: Graph, path: object) -> str:
    """A SHACL result path for people: ``hr:countryCode``, or ``^hr:quantity`` for an inverse."""
    if isinstance(path, URIRef):
        return graph.namespace_manager.normalizeUri(path)
    inverse = results.value(path, SH.inversePath) if path is not None else None
    if isinstance(inverse, URIRef):
        return "^" + graph.namespace_manager.normalizeUri(inverse)
    return "" if path is None else "(a property path)"


def validate_store(store: Store) -> ValidationReport:
    """Validate the union of every article graph of a store."""
    graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }").graph
    assert graph is not None
    for prefix, iri in (
        ("hr", "https://w3id.org/hrkg/ontology#"),
        ("id", "https://w3id.org/hrkg/id/"),
    ):
        graph.bind(prefix, iri)
    return validate_graph(graph)
