"""The SPARQL 1.1 Service Description of an hrkg endpoint (what ``GET /sparql`` answers)."""

from __future__ import annotations

SD = "http://www.w3.org/ns/sparql-service-description#"
FORMATS = (
    "SPARQL_Results_JSON",
    "SPARQL_Results_XML",
    "SPARQL_Results_CSV",
    "SPARQL_Results_TSV",
    "Turtle",
    "N-Triples",
    "JSON-LD",
)


def service_description(
    endpoint: str, *, allow_update: bool = False, allow_service: bool = False
) -> str:
    """The Turtle service description of the endpoint at ``endpoint``.

    Parameters
    ----------
    endpoint : the endpoint's IRI, such as ``http://127.0.0.1:7878/sparql``.
    allow_update : whether SPARQL Update is accepted (with a token).
    allow_service : whether federated queries (``SERVICE``) are run.

    Examples
    --------
    >>> text = service_description("http://127.0.0.1:7878/sparql")
    >>> "sd:endpoint <http://127.0.0.1:7878/sparql>" in text, "SPARQL11Update" in text
    (True, False)
    """
    languages = ["sd:SPARQL11Query"] + (["sd:SPARQL11Update"] if allow_update else [])
    features = ["sd:UnionDefaultGraph"] + (["sd:BasicFederatedQuery"] if allow_service else [])
    formats = ", ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in FORMATS)
    return f"""@prefix sd: <{SD}> .
@prefix dcterms: <http://purl.org/dc/terms/> .

[] a sd:Service ;
  dcterms:title "hrkg: human-rights event knowledge graph" ;
  sd:endpoint <{endpoint}> ;
  sd:supportedLanguage {", ".join(languages)} ;
  sd:feature {", ".join(features)} ;
  sd:resultFormat {formats} ;
  sd:defaultDataset [
    a sd:Dataset ;
    dcterms:description "the union of the article graphs; each article is a named graph" ;
    sd:defaultGraph [ a sd:Graph ]
  ] .
"""
