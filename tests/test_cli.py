"""Tests for the ``hrkg`` command line, driven in-process with typer's ``CliRunner``.

Output is checked the way a program would read it (csv, json), errors by their
exit code and one-line message.  The seed is built once for the module with the
real model; format round-trips live in ``test_export.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from kg.cli import app
from kg.export import FORMATS, export
from kg.query import load_queries
from kg.store import Store
from tests.helpers import article_quad_count

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.jsonl"
NAMES = sorted(load_queries())
runner = CliRunner()


def hrkg(*args: str | Path):
    return runner.invoke(app, [str(a) for a in args])


def assert_user_error(result, *fragments: str) -> None:
    """Exit code 1, one line on stderr naming the problem, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    message = result.stderr.strip()
    assert message.startswith("error: ")
    assert "\n" not in message
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in message


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The seed built into a store of this module by ``hrkg build``: (store path, result)."""
    path = tmp_path_factory.mktemp("cli") / "store"
    return path, hrkg("build", SEED, "--store", path)


@pytest.fixture(scope="module")
def kg(built) -> Path:
    return built[0]


def quads(path: Path) -> int:
    return len(Store(path, read_only=True))


def article_quads(path: Path) -> int:
    """Quads of the article graphs (the entity registry is derived from them)."""
    return article_quad_count(Store(path, read_only=True))


# --- build --------------------------------------------------------------------------------


def test_build_succeeds_with_a_summary_line(built):
    path, result = built
    assert result.exit_code == 0, result.output
    summary = result.stderr.strip().splitlines()[-1]
    match = re.fullmatch(
        r"built 1 articles \(0 unchanged, 0 failed\): \d+ entities, \d+ events, "
        r"\d+ relations, (\d+) triples",
        summary,
    )
    assert match, summary
    assert int(match[1]) == article_quads(path) > 0


def test_rebuild_reports_the_article_unchanged(kg):
    before = quads(kg)
    result = hrkg("build", SEED, "--store", kg)
    assert result.exit_code == 0
    assert "built 0 articles (1 unchanged, 0 failed)" in result.stderr
    assert quads(kg) == before


def test_build_of_a_missing_file_is_one_line_and_leaves_no_store(tmp_path):
    store = tmp_path / "never"
    result = hrkg("build", tmp_path / "missing.jsonl", "--store", store)
    assert_user_error(result, "missing.jsonl", "no such file")
    assert not store.exists()


def test_build_reports_bad_lines_and_keeps_the_good_ones(tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(
        '{"id": "ok", "text": "Police arrested Ales Byalyatski in Minsk."}\n'
        "{not json\n"
        '{"id": "[/red] [b]", "text": " "}\n',
        encoding="utf-8",
    )
    result = hrkg("build", path, "--store", tmp_path / "store")
    assert result.exit_code == 1, result.output  # something failed; the good article is stored
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert len(skipped) == 2
    assert "line 2: not valid JSON" in skipped[0]
    assert "line 3: article '[/red] [b]' is empty" in skipped[1]  # printed as is, not as markup
    assert "built 1 articles (0 unchanged, 2 failed)" in result.stderr


def test_build_fails_when_nothing_could_be_read(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    result = hrkg("build", path, "--store", tmp_path / "store")
    assert result.exit_code == 1
    assert "built 0 articles (0 unchanged, 1 failed)" in result.stderr


# --- query --------------------------------------------------------------------------------


def test_named_query_as_csv(kg):
    result = hrkg(
        "query", "most-mentioned-actors", "-p", "kind=Person", "--format", "csv", "-s", kg
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["actor", "type", "articles", "mentions"]
    assert len(rows) > 1
    assert {r[1] for r in rows[1:]} == {"Person"}
    assert all(int(r[2]) == 1 and int(r[3]) >= 1 for r in rows[1:])


def test_named_query_as_json(kg):
    result = hrkg("query", "events-by-country", "--format", "json", "--store", kg)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    for row in rows:
        assert set(row) == {"code", "countryName", "type", "date", "trigger", "article"}
        assert row["article"] == "seed"


def test_named_query_as_table(kg):
    result = hrkg("query", "most-mentioned-actors", "-p", "kind=Country", "-s", kg)
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[1]
    assert [w for w in re.split(r"[┃│\s]+", header) if w] == [
        "actor",
        "type",
        "articles",
        "mentions",
    ]
    assert re.fullmatch(r"\d+ rows", result.stderr.strip())
    assert "Country" in result.stdout


def test_inline_sparql(kg):
    result = hrkg(
        "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "-f", "json", "-s", kg
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"n": str(quads(kg))}]


def test_ask_and_construct(kg):
    ask = hrkg("query", "ASK { ?a a hr:Article }", "-s", kg)
    assert (ask.exit_code, ask.stdout.strip()) == (0, "true")
    ask_json = hrkg("query", "ASK { ?a a hr:Nothing }", "-f", "json", "-s", kg)
    assert json.loads(ask_json.stdout) == {"boolean": False}
    construct = hrkg("query", "CONSTRUCT { ?a a hr:Article } WHERE { ?a a hr:Article }", "-s", kg)
    assert construct.exit_code == 0
    assert len(Graph().parse(data=construct.stdout, format="turtle")) == 1


def test_query_file_with_a_parameter(kg, tmp_path):
    path = tmp_path / "ids.rq"
    path.write_text(
        "# title: Article by id\n# param: id (string) -- an article id\n"
        "SELECT ?a WHERE { ?a dcterms:identifier ?id }\n",
        encoding="utf-8",
    )
    found = hrkg("query", path, "-p", "id=seed", "-f", "csv", "-s", kg)
    assert found.exit_code == 0, found.output
    assert found.stdout.splitlines() == ["a", "https://w3id.org/hrkg/id/article/seed"]
    hostile = hrkg("query", path, "-p", 'id=seed" } #', "-f", "csv", "-s", kg)
    assert hostile.stdout.splitlines() == ["a"]


def test_values_that_look_like_markup_are_printed_as_they_are(kg):
    result = hrkg("query", 'SELECT ?x WHERE { BIND("[/x] [bold]hi" AS ?x) }', "-s", kg)
    assert result.exit_code == 0, result.output
    assert "[/x] [bold]hi" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["SELECT ?x WHERE { ?x ?p }"], ["invalid SPARQL"]),
        (["SELECT ?x WHERE { ?x undeclared:p ?o }"], ["invalid SPARQL"]),
        (["no-such-query"], ["not a named query", *NAMES]),
        (["[/red]"], ["'[/red]' is not a named query"]),
        (["missing.rq"], ["missing.rq: no such query file"]),
        (["person-timeline", "--param", "bad"], ["--param 'bad'", "name=value"]),
        (["person-timeline", "-p", "=x"], ["name=value"]),
        (["person-timeline", "-p", "who=x"], ["no parameter 'who'", "parameters: person"]),
        (["co-participation", "-p", "minimum=abc"], ["'minimum'", "not a valid int"]),
        (["person-timeline", "--format", "xml"], ["--format 'xml'"]),
    ],
)
def test_query_errors_are_one_line(kg, args, fragments):
    assert_user_error(hrkg("query", *args, "--store", kg), *fragments)


# --- export, stats, queries, validate -----------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_a_file(kg, tmp_path, fmt):
    out = tmp_path / f"graph.{fmt}"
    result = hrkg("export", "--format", fmt, "-o", out, "--store", kg)
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    assert result.stderr.strip() == f"wrote {len(data)} bytes to {out}"
    assert len(data) > 0
    assert result.stdout == ""
    if fmt in ("nq", "csv", "ttl"):  # deterministic formats: exactly what the library writes
        assert data == export(Store(kg, read_only=True), fmt)


def test_export_to_stdout(kg):
    result = hrkg("export", "--format", "nq", "--store", kg)
    assert result.exit_code == 0
    assert len(result.stdout_bytes.decode("utf-8").splitlines()) == quads(kg)


def test_export_of_an_unknown_format(kg):
    assert_user_error(hrkg("export", "--format", "xml", "--store", kg), "unknown export format")


def test_stats(kg):
    result = hrkg("stats", "--store", kg)
    assert result.exit_code == 0
    counts = dict(re.findall(r"│ ([a-z][\w :]*?)\s+│ (\d+)", result.stdout))
    assert counts["articles"] == "1"
    assert counts["quads"] == str(quads(kg))


def test_queries_lists_every_named_query():
    result = hrkg("queries")
    assert result.exit_code == 0
    for name in NAMES:
        assert name in result.stdout


def test_validate_gives_a_verdict(kg):
    result = hrkg("validate", "--store", kg)
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 0:
        assert "conforms" in result.stdout
    else:
        assert "violations" in result.stderr


@pytest.mark.parametrize(
    "args", [["query", "most-mentioned-actors"], ["export"], ["stats"], ["validate"]]
)
def test_commands_on_a_missing_store_say_to_build_first(tmp_path, args):
    missing = tmp_path / "nowhere"
    result = hrkg(*args, "--store", missing)
    assert_user_error(result, str(missing), "no store here", "hrkg build")
    assert not missing.exists()


def test_demo_builds_and_shows_results(tmp_path):
    result = hrkg("demo", "--store", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    assert "articles" in result.stdout and "Most mentioned actors" in result.stdout


# --- help ---------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [c.name for c in app.registered_commands])
def test_help_of_each_command_shows_an_example(command):
    result = runner.invoke(app, [command, "--help"], terminal_width=120)
    assert result.exit_code == 0
    assert "Examples" in result.stdout
    assert f"hrkg {command}" in result.stdout


def test_no_arguments_shows_the_commands():
    result = hrkg()
    for command in ("build", "query", "export", "stats", "queries", "validate"):
        assert command in result.output
