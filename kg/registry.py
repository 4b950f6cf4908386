"""The entity registry: one named graph describing each entity once.

Every article graph states the type, labels, aliases and country code of the
entities it mentions, so in the union of all graphs an entity's name matches
once per article that mentions it; a query that looks an entity up by name
and then joins its facts would multiply rows by the number of articles (and
slow down quadratically with the corpus).  The registry graph
(:data:`REGISTRY`) holds the same descriptions once per entity, derived from
the article graphs; named queries look names up there.

It is maintained in the same SPARQL update that writes or removes article
graphs (see :class:`kg.store.Store`), so it is never out of step with them:

* a new article's entity descriptions are added to it;
* when articles are replaced or removed, the entities their old versions
  described are re-derived from every remaining article graph.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.ontology import DATA, HR

REGISTRY = DATA["graph/entities"]
CLASSES = " ".join(f"<{HR[c]}>" for c in ("Person", "Organisation", "Country", "Place"))
DESCRIBING = " ".join(
    (
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        "<http://www.w3.org/2004/02/skos/core#altLabel>",
        f"<{HR.countryCode}>",
    )
)


_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_CLASSES = {ox.NamedNode(iri[1:-1]) for iri in CLASSES.split()}
_DESCRIBING = {ox.NamedNode(iri[1:-1]) for iri in DESCRIBING.split()}


def _iris(names: Iterable[str]) -> str:
    return " ".join(f"<{n}>" for n in names)


def descriptions(ntriples: str) -> str:
    """Update text: add the entity descriptions found in an article's N-Triples to the registry.

    Read in Python from the text about to be written, so adding an article
    costs the same however large the store is.

    Examples
    --------
    >>> text = '<x:e> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <%s> .' % HR.Person
    >>> "INSERT DATA" in descriptions(text), descriptions("")
    (True, '')
    """
    triples = list(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES))
    typed = {t.subject for t in triples if t.predicate == _TYPE and t.object in _CLASSES}
    kept = [
        f"{t.subject} {t.predicate} {t.object} ."
        for t in triples
        if t.subject in typed and t.predicate in _DESCRIBING
    ]
    if not kept:
        return ""
    return f"INSERT DATA {{ GRAPH <{REGISTRY}> {{ {' '.join(kept)} }} }}"


def entities_of(graphs: Iterable[str]) -> str:
    """Query text: the entities these graphs describe."""
    return (
        f"SELECT DISTINCT ?e WHERE {{ VALUES ?g {{ {_iris(graphs)} }} "
        f"GRAPH ?g {{ ?e a ?class }} VALUES ?class {{ {CLASSES} }} }}"
    )


def rederive(entities: Iterable[str]) -> str:
    """Update text: re-derive these entities' registry entries from every article graph."""
    values = _iris(entities)
    return (
        f"DELETE {{ GRAPH <{REGISTRY}> {{ ?e ?p ?o }} }} WHERE {{ "
        f"VALUES ?e {{ {values} }} GRAPH <{REGISTRY}> {{ ?e ?p ?o }} }} ;\n"
        f"INSERT {{ GRAPH <{REGISTRY}> {{ ?e ?p ?o }} }} WHERE {{ "
        f"VALUES ?e {{ {values} }} GRAPH ?g {{ ?e a ?class ; ?p ?o }} "
        f"FILTER(?g != <{REGISTRY}>) VALUES ?class {{ {CLASSES} }} VALUES ?p {{ {DESCRIBING} }} }}"
    )


def rebuild() -> str:
    """Update text: the whole registry again from every article graph."""
    return (
        f"DROP SILENT GRAPH <{REGISTRY}> ;\n"
        f"INSERT {{ GRAPH <{REGISTRY}> {{ ?e ?p ?o }} }} WHERE {{ "
        f"GRAPH ?g {{ ?e a ?class ; ?p ?o }} FILTER(?g != <{REGISTRY}>) "
        f"VALUES ?class {{ {CLASSES} }} VALUES ?p {{ {DESCRIBING} }} }}"
    )
