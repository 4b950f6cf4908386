"""Bad input, through the Python API and the ``hrkg`` command line.

Each case is one bad file in a batch beside ``good.jsonl``: every failure must
come out as one line naming the file (and line or article) and saying what to
do, and every other article of the batch must be stored.  Inputs are written
here, from sentences of this file; the pipeline is the session's (``nlp``).
"""

from __future__ import annotations

import io
import json
import random
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, Literal
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

from kg.api import KnowledgeGraph
from kg.article import MAX_CHARS, Article
from kg.cli import app
from kg.errors import QueryError
from kg.export import RDF_FORMATS, export
from kg.ingest import build
from kg.iris import article_iri
from kg.store import Store, to_rdflib
from tests.test_graph import JANE, POLICE, built

GOOD = (
    {"id": "good-1", "text": "Police arrested the lawyer Jane Doe in Minsk on Friday."},
    {"id": "good-2", "text": "Viasna said the court in Gomel sentenced him to five years."},
)
GOOD_IDS = {record["id"] for record in GOOD}
SENTENCES = (
    "Police detained the journalist Ihar Losik at his home in Baranovichi.",
    "The human rights centre Viasna said he was held without charge for three days.",
    "Amnesty International called for his immediate and unconditional release.",
    "A court in Minsk later sentenced him to fifteen years in a high-security colony.",
)
AWKWARD_ID = 'Jane "JD" <Doe>\n😀 & \\ report'
AWKWARD_TITLE = 'Arrest of "JD" <Doe> & O\'Neil\non two lines, tab\there 😀 🌍'
AWKWARD_TEXT = (
    'Police arrested Jane "JD" <Doe> 😀 in Minsk.\n'
    "Amnesty International said O'Neil & <Viasna> protested outside the court."
)
SCRIPT_TEXT = "Police arrested the editor Maria Ivanova in Minsk on Friday, her colleagues said."
runner = CliRunner()


def lines(*records: object) -> str:
    """JSONL text: dicts as JSON objects, strings as they are."""
    return "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    )


def random_bytes(size: int = 4096) -> bytes:
    """Reproducible random bytes, with a NUL byte near the start as binary files have."""
    data = random.Random(20240601).randbytes(size)
    assert b"\x00" in data[:1024]
    return data


def huge_text(size: int = 10_000_000) -> str:
    """About ``size`` characters of plausible article text."""
    paragraph = " ".join(SENTENCES) + "\n"
    return paragraph * (size // len(paragraph) + 1)


def scripted_page(article: str = "") -> str:
    """An HTML page full of scripts, with ``article`` as its only text."""
    scripts = "".join(
        f"<script>var s{n} = '<p>Hidden text from script {n}.</p>'; document.write(s{n});</script>"
        for n in range(200)
    )
    body = f"<article><p>{article}</p><script>track('x')</script></article>" if article else ""
    return (
        "<html><head><title></title><script src='app.js'></script>"
        "<style>p { color: red }</style></head><body>"
        f"{scripts}<noscript>Please enable JavaScript to read this article.</noscript>"
        f'{body}<script type=\'application/ld+json\'>{{"headline": "LD only"}}</script>'
        "</body></html>"
    )


@dataclass(frozen=True)
class Case:
    """A bad file: its name, its bytes, the fragments of each failure it causes, ids it adds."""

    name: str
    content: Callable[[], bytes]
    failures: tuple[tuple[str, ...], ...] = ()
    stored: tuple[str, ...] = ()


CASES = {
    "malformed-jsonl": Case(
        "malformed.jsonl",
        lambda: lines(
            {"id": "m1", "text": SENTENCES[0]}, "{not json", {"id": "m2", "text": SENTENCES[1]}
        ).encode(),
        (("malformed.jsonl line 2", "not valid JSON", "fix or remove the line"),),
        ("m1", "m2"),
    ),
    "line-without-text": Case(
        "no-text.jsonl",
        lambda: lines(
            {"id": "t1", "title": "A title only"},
            {"id": "t2", "text": 42},
            {"id": "t3", "text": SENTENCES[2]},
        ).encode(),
        (
            ("no-text.jsonl line 1", "article 't1' has no 'text'", "give the article's text"),
            ("no-text.jsonl line 2", "article 't2' has no 'text'", "give the article's text"),
        ),
        ("t3",),
    ),
    "binary-jsonl": Case(
        "random.jsonl",
        random_bytes,
        (("random.jsonl: binary data, not JSONL", "skipped", "give a UTF-8 JSONL file"),),
    ),
    "binary-txt": Case(
        "random.txt",
        random_bytes,
        (("random.txt: binary data, not text", "give a UTF-8 text file"),),
    ),
    "latin-1-txt": Case(
        "latin-1.txt",
        lambda: "Café owner Zoë Ó Briain was arrested in Minsk.".encode("latin-1"),
        (("latin-1.txt: not UTF-8 (byte 3)", "re-encode the file as UTF-8"),),
    ),
    "latin-1-jsonl": Case(
        "latin-1.jsonl",
        lambda: lines(
            {"id": "l1", "text": SENTENCES[0]}, {"id": "l2", "text": "Zoë was arrested."}
        ).encode("latin-1"),
        (("latin-1.jsonl line 2: not UTF-8", "re-encode the file as UTF-8"),),
        ("l1",),
    ),
    "utf-16-txt": Case(
        "utf-16.txt", lambda: " ".join(SENTENCES).encode("utf-16"), stored=("utf-16",)
    ),
    "utf-16-le-jsonl": Case(
        "utf-16.jsonl",
        lambda: lines({"id": "u1", "text": SENTENCES[0]}, {"id": "u2", "text": "Zoë"}).encode(
            "utf-16"
        ),
        stored=("u1", "u2"),
    ),
    "utf-16-be-jsonl": Case(
        "utf-16-be.jsonl",
        lambda: b"\xfe\xff" + lines({"id": "v1", "text": SENTENCES[1]}).encode("utf-16-be"),
        stored=("v1",),
    ),
    "empty-txt": Case(
        "empty.txt", lambda: b"", (("empty.txt: the file is empty", "give the article's text"),)
    ),
    "whitespace-txt": Case(
        "blank.txt",
        lambda: b" \n\t\r\n \xc2\xa0",
        (("blank.txt: the file is empty", "give the article's text"),),
    ),
    "whitespace-jsonl": Case(
        "blank.jsonl",
        lambda: lines({"id": "w1", "text": " \n\t "}, {"id": "w2", "text": ""}).encode(),
        (
            ("blank.jsonl line 1", "article 'w1' is empty", "give its text or drop the line"),
            ("blank.jsonl line 2", "article 'w2' is empty", "give its text or drop the line"),
        ),
    ),
    "10-mb-txt": Case(
        "huge.txt",
        lambda: huge_text().encode(),
        (("huge.txt: article 'huge' has 10,", "more than the 1,000,000", "split it into"),),
    ),
    "10-mb-jsonl": Case(
        "huge.jsonl",
        lambda: lines(
            {"id": "huge", "text": huge_text()}, {"id": "after-huge", "text": SENTENCES[3]}
        ).encode(),
        (("huge.jsonl line 1: article 'huge' has 10,", "split it into several articles"),),
        ("after-huge",),
    ),
    "scripts-only-html": Case(
        "scripts.html",
        lambda: scripted_page().encode(),
        (("scripts.html: no article text found in the HTML", "give the page of one article"),),
    ),
    "scripts-and-text-html": Case(
        "scripted.html", lambda: scripted_page(SCRIPT_TEXT).encode(), stored=("scripted",)
    ),
    "control-characters-and-lone-surrogates-jsonl": Case(
        "control.jsonl",
        lambda: lines(
            r'{"id": "c1", "text": "Police\u0000 arrested\u0007 Jane\u001b Doe in Minsk.\f"}',
            '{"id": "s1", "text": "Police arrested \\ud800 Jane."}',
            '{"id": "\\udfff", "text": "Police arrested Jane."}',
            '{"id": "s3", "text": "Police arrested Jane.", "title": "\\ud83d"}',
        ).encode(),
        (
            ("control.jsonl line 2", "'text' holds a lone surrogate at character 16", "fix the"),
            ("control.jsonl line 3", "'id' holds a lone surrogate", "fix the \\u escape"),
            ("control.jsonl line 4", "'title' holds a lone surrogate", "fix the \\u escape"),
        ),
        ("c1",),
    ),
    "control-characters-txt": Case(
        "control.txt",
        lambda: "Police\x07 arrested\x1b Jane Doe\x0c in Minsk.\x7f\x85".encode(),
        stored=("control",),
    ),
    "encoded-surrogate-txt": Case(
        "surrogate.txt",
        lambda: b"Police arrested \xed\xa0\x80 Jane.",
        (("surrogate.txt: not UTF-8 (byte 16)", "re-encode the file as UTF-8"),),
    ),
    "duplicate-ids": Case(
        "duplicates.jsonl",
        lambda: lines(
            {"id": "dup", "text": SENTENCES[0]}, {"id": "dup", "text": SENTENCES[1]}
        ).encode(),
        (("duplicates.jsonl line 2", "duplicate article id 'dup'", "skipped"),),
        ("dup",),
    ),
    "awkward-names": Case(
        "awkward.jsonl",
        lambda: lines({"id": AWKWARD_ID, "title": AWKWARD_TITLE, "text": AWKWARD_TEXT}).encode(),
        stored=(AWKWARD_ID,),
    ),
}


def write_batch(directory: Path, case: Case) -> Path:
    """A directory holding ``good.jsonl`` and the case's file; returns the case's file."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "good.jsonl").write_text(lines(*GOOD), encoding="utf-8")
    bad = directory / case.name
    bad.write_bytes(case.content())
    return bad


def stored_ids(store: Store) -> set[str]:
    """The ids of the articles the store holds."""
    rows = store.query("SELECT ?id WHERE { ?a a hr:Article ; dcterms:identifier ?id }").rows
    return {str(i) for (i,) in rows}


def assert_reported(failures: list[str], case: Case, bad: Path) -> None:
    """One single-line failure per expected one, in order, naming the file and what to do."""
    assert len(failures) == len(case.failures), failures
    for failure, fragments in zip(failures, case.failures, strict=True):
        assert "\n" not in failure and "Traceback" not in failure
        assert failure.startswith(str(bad.parent)), failure
        for fragment in fragments:
            assert fragment in failure, (fragment, failure)


@pytest.fixture()
def graph(nlp, tmp_path) -> KnowledgeGraph:
    """A knowledge graph in a fresh store, sharing the session's pipeline."""
    kg = KnowledgeGraph(tmp_path / "store")
    kg._nlp = nlp
    return kg


@pytest.fixture()
def hrkg(nlp, monkeypatch):
    """``hrkg(*args)``: the command line in this process, on the session's pipeline."""
    monkeypatch.setattr("kg.cli.load_pipeline", lambda *args, **kwargs: nlp)
    return lambda *args: runner.invoke(app, [str(a) for a in args])


@pytest.fixture(scope="module")
def built_store(nlp, tmp_path_factory) -> Path:
    """A closed store directory holding the good articles."""
    directory = tmp_path_factory.mktemp("bad-input")
    (directory / "good.jsonl").write_text(lines(*GOOD), encoding="utf-8")
    store = Store(directory / "store")
    assert build([directory / "good.jsonl"], store, nlp).articles == len(GOOD)
    del store  # closes it, for the command line to open
    return directory / "store"


# --- builds: each bad input, through the Python API and the command line ---------------------


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_python_api_reports_each_failure_and_stores_the_rest(graph, tmp_path, case):
    bad = write_batch(tmp_path / "in", case)
    report = graph.add([bad.parent])
    assert_reported(report.failures, case, bad)
    assert stored_ids(graph.store) == GOOD_IDS | set(case.stored)
    assert report.articles == len(GOOD) + len(case.stored)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hrkg_build_reports_each_failure_and_stores_the_rest(hrkg, tmp_path, case):
    bad = write_batch(tmp_path / "in", case)
    result = hrkg("build", bad.parent, "--store", tmp_path / "store")
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    stderr = result.stderr.splitlines()
    skipped = [line.removeprefix("skipped: ") for line in stderr if line.startswith("skipped: ")]
    assert_reported(skipped, case, bad)
    built = len(GOOD) + len(case.stored)
    assert f"built {built} articles (0 unchanged, {len(case.failures)} failed)" in stderr[-1]
    assert stored_ids(Store(tmp_path / "store", read_only=True)) == GOOD_IDS | set(case.stored)


def test_the_real_command_reports_a_mixed_batch_line_by_line(tmp_path):
    """The installed ``hrkg`` in its own process: one line per failure, then the summary."""
    for name in ("malformed-jsonl", "binary-txt", "latin-1-txt", "10-mb-txt"):
        bad = write_batch(tmp_path / "in", CASES[name])
    hrkg = Path(sys.executable).with_name("hrkg")
    result = subprocess.run(
        [hrkg, "build", bad.parent, "--store", tmp_path / "store"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped: ")]
    assert len(skipped) == 4, result.stderr
    for line, fragment in zip(
        skipped,
        ["huge.txt: article 'huge'", "latin-1.txt: not UTF-8", "malformed.jsonl line 2", "random"],
        strict=True,
    ):
        assert fragment in line
    assert "built 4 articles (0 unchanged, 4 failed)" in result.stderr.splitlines()[-1]
    assert stored_ids(Store(tmp_path / "store", read_only=True)) == GOOD_IDS | {"m1", "m2"}


def test_hrkg_build_exits_one_when_no_article_could_be_read(hrkg, tmp_path):
    bad = tmp_path / "in" / "random.jsonl"
    bad.parent.mkdir()
    bad.write_bytes(random_bytes())
    result = hrkg("build", bad.parent, "--store", tmp_path / "store")
    assert result.exit_code == 1
    assert "built 0 articles (0 unchanged, 1 failed)" in result.stderr


@pytest.mark.parametrize("name", ["malformed-jsonl", "10-mb-txt"])
def test_hrkg_build_exits_non_zero_when_any_article_failed(hrkg, tmp_path, name):
    bad = write_batch(tmp_path / "in", CASES[name])
    result = hrkg("build", bad.parent, "--store", tmp_path / "store")
    assert "0 unchanged, 1 failed" in result.stderr  # the good articles were built
    assert result.exit_code != 0


# --- what was stored of the awkward inputs ---------------------------------------------------


def store_quads(store: Store) -> set[tuple]:
    """Every quad of the store, as rdflib terms."""
    return {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))
        for q in store.dataset_quads()
    }


def read_back(data: bytes, fmt: str) -> set[tuple]:
    """The quads (``ttl``: triples) rdflib reads from an export."""
    if fmt == "ttl":
        return set(Graph().parse(data=data, format="turtle"))
    dataset = Dataset()
    dataset.parse(data=data, format={"trig": "trig", "nq": "nquads", "jsonld": "json-ld"}[fmt])
    return set(dataset.quads())


@pytest.mark.parametrize("name", ["awkward-names", "control-characters-and-lone-surrogates-jsonl"])
def test_awkward_articles_export_in_every_rdf_format_and_read_back(graph, tmp_path, name):
    graph.add([write_batch(tmp_path / "in", CASES[name]).parent])
    quads = store_quads(graph.store)
    for fmt in RDF_FORMATS:
        expected = {q[:3] for q in quads} if fmt == "ttl" else quads
        assert read_back(export(graph.store, fmt), fmt) == expected, fmt


def test_awkward_id_and_title_are_stored_byte_for_byte(graph, tmp_path):
    graph.add([write_batch(tmp_path / "in", CASES["awkward-names"]).parent])
    iri = article_iri(AWKWARD_ID)
    assert not any(c in iri for c in ' <>"{}|\\^`\n')
    for fmt in RDF_FORMATS:
        triples = {(s, p, o) for s, p, o, *_ in read_back(export(graph.store, fmt), fmt)}
        assert (iri, DCTERMS.identifier, Literal(AWKWARD_ID)) in triples, fmt
        assert (iri, DCTERMS.title, Literal(AWKWARD_TITLE)) in triples, fmt
    rows = graph.query("SELECT ?t WHERE { ?a dcterms:identifier ?id ; dcterms:title ?t }").rows
    assert [str(t) for (t,) in rows] == [AWKWARD_TITLE]


def test_control_characters_are_stored_as_they_are(graph, tmp_path):
    graph.add([write_batch(tmp_path / "in", CASES["control-characters-txt"]).parent])
    rows = graph.query("SELECT ?t WHERE { ?s hr:text ?t }").rows
    assert any("\x1b" in str(t) for (t,) in rows)  # offsets still point into the text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_control_characters_in_labels_do_not_break_graph_exports(fmt):
    text = "Police\x00 arrested Jane\x07 Doe in Minsk."
    store = Store(None)
    store.replace_graph(
        built(
            "c\x1bx",
            text,
            [(JANE, "Jane\x07 Doe", "Jane\x07 Doe"), (POLICE, "Police\x00", "Police\x00")],
            [("arrest", "arrested", [("agent", POLICE), ("target", JANE)], None)],
        )
    )
    read = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    assert read(io.BytesIO(export(store, fmt))).number_of_nodes() == 3


def test_no_script_text_reaches_the_store(graph, tmp_path):
    graph.add([write_batch(tmp_path / "in", CASES["scripts-and-text-html"]).parent])
    rows = graph.query("SELECT ?t WHERE { ?s hr:text|rdfs:label|hr:anchorText ?t }").rows
    texts = " ".join(str(t) for (t,) in rows)
    assert "Maria Ivanova" in texts
    for leak in ("Hidden text", "document.write", "enable JavaScript", "LD only", "track"):
        assert leak not in texts


def test_the_first_of_two_articles_with_one_id_is_kept(graph, tmp_path):
    graph.add([write_batch(tmp_path / "in", CASES["duplicate-ids"]).parent])
    rows = graph.query(
        "SELECT ?hash WHERE { ?a dcterms:identifier 'dup' ; hr:contentHash ?hash }"
    ).rows
    assert [str(h) for (h,) in rows] == [Article(id="dup", text=SENTENCES[0]).content_hash]


def test_a_duplicate_id_says_what_to_do(graph, tmp_path):
    report = graph.add([write_batch(tmp_path / "in", CASES["duplicate-ids"]).parent])
    assert "unique id" in report.failures[0]


def test_an_article_object_over_the_size_limit_is_refused_with_hrkg_advice(graph):
    report = graph.add_articles(
        [Article(id="huge", text=huge_text(MAX_CHARS + 10)), Article(**GOOD[0])]
    )
    assert stored_ids(graph.store) == {"good-1"}
    (failure,) = report.failures
    assert "split it into several articles" in failure


def test_a_lone_surrogate_in_an_article_object_is_refused_on_creation():
    with pytest.raises(Exception, match=r"article 'x': 'text' holds a lone surrogate") as caught:
        Article(id="x", text="Police arrested \udc00him.")
    assert type(caught.value).__name__ == "InputError"


# --- queries ---------------------------------------------------------------------------------

QUERY_CASES = {
    "invalid-sparql": (
        ["SELECT ?x WHERE { ?x ?p "],
        ["query 'inline': invalid SPARQL at line 1, column", "fix the query there"],
    ),
    "undeclared-prefix": (
        ["SELECT ?x WHERE { ?x nope:p ?o }"],
        ["invalid SPARQL at line 1, column", "undeclared prefix", "add a PREFIX line"],
    ),
    "unknown-parameter": (
        ["events-by-country", "colour=red"],
        ["query 'events-by-country' has no parameter 'colour' (parameters: country)"],
    ),
}


@pytest.mark.parametrize(("query", "fragments"), QUERY_CASES.values(), ids=QUERY_CASES.keys())
def test_a_bad_query_is_one_line_through_the_python_api(built_store, query, fragments):
    graph = KnowledgeGraph(None)
    graph.store = Store(built_store, read_only=True)
    params = dict(p.split("=") for p in query[1:])
    with pytest.raises(QueryError) as caught:
        graph.query(query[0], **params)
    message = str(caught.value)
    assert "\n" not in message and len(message) < 300
    assert not re.search(r"query '[^']*': query '", message)  # the query named once
    for fragment in fragments:
        assert fragment in message
    assert stored_ids(graph.store) == GOOD_IDS  # the store still answers


@pytest.mark.parametrize(("query", "fragments"), QUERY_CASES.values(), ids=QUERY_CASES.keys())
def test_a_bad_query_is_one_line_and_exit_code_one_on_the_command_line(
    built_store, hrkg, query, fragments
):
    params = [arg for p in query[1:] for arg in ("--param", p)]
    result = hrkg("query", query[0], *params, "--store", built_store)
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: ")
    for fragment in fragments:
        assert fragment in line
