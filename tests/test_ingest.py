"""Tests for ``kg.ingest``: building stores from files with the real pipeline.

A rebuild changes nothing; an unchanged article is skipped; a changed one
replaces its graph; a bad document is reported and the batch goes on.
"""

from __future__ import annotations

import json
from pathlib import Path

from kg.article import Article
from kg.errors import InputError
from kg.ingest import build, ingest
from kg.iris import article_iri
from tests.helpers import article_quad_count

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed.jsonl"
ARREST = "Police in Minsk arrested Ales Byalyatski on Friday. Amnesty International condemned it."
PROTEST = "Thousands protested in Tbilisi against the new law."


def write_jsonl(path: Path, *records: dict | str) -> Path:
    lines = [r if isinstance(r, str) else json.dumps(r) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def graph_quads(store, article_id: str) -> set[tuple[str, str, str]]:
    rows = store.query(
        f"SELECT ?s ?p ?o WHERE {{ GRAPH <{article_iri(article_id)}> {{ ?s ?p ?o }} }}"
    ).rows
    return {tuple(str(t) for t in row) for row in rows}


def test_rebuilding_the_seed_skips_it_and_changes_nothing(nlp, store):
    first = build([SEED], store, nlp)
    count = len(store)
    assert first.articles == 1 and first.skipped == 0 and not first.failures
    assert first.triples == article_quad_count(store) > 0

    second = build([SEED], store, nlp)
    assert (second.articles, second.skipped, second.failures) == (0, 1, [])
    assert len(store) == count

    forced = build([SEED], store, nlp, force=True)
    assert (forced.articles, forced.skipped) == (1, 0)
    assert len(store) == count
    assert forced.triples == first.triples


def test_forced_rebuild_gives_the_same_quads(nlp, store):
    build([SEED], store, nlp)
    before = graph_quads(store, "seed")
    build([SEED], store, nlp, force=True)
    assert graph_quads(store, "seed") == before


def test_a_malformed_line_is_reported_and_the_good_articles_are_stored(nlp, store, tmp_path):
    path = write_jsonl(
        tmp_path / "batch.jsonl",
        {"id": "arrest", "text": ARREST, "date": "2023-03-03"},
        '{"id": "broken", "text": "never closed',
        {"id": "protest", "text": PROTEST},
        {"id": "empty", "text": "  "},
    )
    report = build([path], store, nlp)
    assert report.articles == 2
    assert sorted(store.article_hashes()) == ["arrest", "protest"]
    assert len(report.failures) == 2
    assert f"{path} line 2" in report.failures[0] and "not valid JSON" in report.failures[0]
    assert f"{path} line 4" in report.failures[1] and "empty" in report.failures[1]


def test_a_changed_text_replaces_the_article_graph(nlp, store, tmp_path):
    path = tmp_path / "a.jsonl"
    write_jsonl(path, {"id": "a", "text": ARREST}, {"id": "b", "text": PROTEST})
    build([path], store, nlp)
    old_a, b = graph_quads(store, "a"), graph_quads(store, "b")

    changed = "Police in Tbilisi detained Oleg Orlov. Human Rights Watch called for his release."
    write_jsonl(path, {"id": "a", "text": changed}, {"id": "b", "text": PROTEST})
    report = build([path], store, nlp)

    assert (report.articles, report.skipped) == (1, 1)
    new_a = graph_quads(store, "a")
    assert new_a and new_a != old_a
    texts = {o for s, p, o in new_a if p.endswith(("#anchorText", "ontology#text"))}
    assert texts, "the new text yields mentions and sentences"
    assert all(t in changed for t in texts), "no mention or sentence of the old text is left"
    old_hash = Article(id="a", text=ARREST).content_hash
    assert not [q for q in new_a if q[2] == old_hash]
    assert graph_quads(store, "b") == b
    assert article_quad_count(store) == len(new_a) + len(b)
    assert store.article_hashes()["a"] == Article(id="a", text=changed).content_hash


def test_duplicate_ids_in_a_batch_keep_the_first(nlp, store):
    items = [
        Article(id="x", text=ARREST, source="one.jsonl line 1"),
        Article(id="x", text=PROTEST, source="one.jsonl line 2"),
        InputError("two.jsonl line 9: not valid JSON"),
    ]
    report = ingest(items, store, nlp)
    assert report.articles == 1
    assert report.failures == [
        "one.jsonl line 2: duplicate article id 'x'; skipped: give every article a unique id",
        "two.jsonl line 9: not valid JSON",
    ]
    assert store.article_hashes() == {"x": Article(id="x", text=ARREST).content_hash}


def test_articles_with_awkward_ids_and_text_are_stored(nlp, store):
    awkward = [
        Article(id='dev/01 "a" <b>', text='He said: "free them all" \\ } now.\n\nNext day.'),
        Article(id="Ñandú 🌍", text="Amnesty International spoke in Minsk."),
    ]
    report = ingest(awkward, store, nlp)
    assert report.articles == 2 and not report.failures
    assert store.article_hashes() == {a.id: a.content_hash for a in awkward}


def test_on_article_is_called_once_per_stored_article(nlp, store, tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl", {"id": "a", "text": ARREST}, {"id": "b", "text": PROTEST}
    )
    seen: list[str] = []
    build([path], store, nlp, on_article=lambda a: seen.append(a.id))
    assert seen == ["a", "b"]
