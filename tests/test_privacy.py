"""Tests for ``kg.privacy``: pseudonymised exports and erasure, on the seed and hand-made stores.

The strongest check is textual: after pseudonymising or forgetting, no name
of the person (label, alias, mention text, surname) survives anywhere in
any export format, while the graph keeps its shape.
"""

from __future__ import annotations

import gc

import pytest
from test_views import three_articles

from kg.errors import HrkgError
from kg.export import export
from kg.graph import actor_network, full_graph
from kg.privacy import REDACTED, forget_article, forget_person, people, pseudonymise
from kg.store import Store
from tests.helpers import on_disk

TEXT_FORMATS = ("ttl", "trig", "nq", "jsonld", "graphml", "gexf", "csv")


def copy_of(store: Store) -> Store:
    copy = Store(None)
    copy.oxigraph.extend(store.dataset_quads())
    return copy


def everything(store: Store) -> str:
    """Every export format of the store, as one text."""
    return "\n".join(export(store, fmt).decode("utf-8") for fmt in TEXT_FORMATS)


def person_names(store: Store) -> dict[str, set[str]]:
    return dict(people(store.dataset_quads()).names)


@pytest.fixture(scope="module")
def seed_copy(seed_store):
    return copy_of(seed_store)


def test_no_person_name_survives_pseudonymising_in_any_format(seed_copy):
    names = {n for found in person_names(seed_copy).values() for n in found}
    assert "Ales Byalyatski" in names
    text = everything(pseudonymise(seed_copy, "secret")).casefold()
    survivors = sorted(n for n in names if n.casefold() in text)
    assert survivors == []


def test_pseudonymising_keeps_the_shape_of_the_graph(seed_copy):
    masked = pseudonymise(seed_copy, "secret")
    before, after = full_graph(seed_copy), full_graph(masked)
    assert (after.number_of_nodes(), after.number_of_edges()) == (
        before.number_of_nodes(),
        before.number_of_edges(),
    )
    assert len(masked) == len(seed_copy)
    labels = {d["label"] for _, d in actor_network(masked).nodes(data=True)}
    assert "Amnesty International" in labels  # organisations keep their names
    assert any(label.startswith("Person ") for label in labels)


def test_pseudonyms_are_stable_for_a_key_and_differ_between_keys(seed_copy):
    one, again, other = (
        pseudonymise(seed_copy, key).dump("nq") for key in ("secret", "secret", "other")
    )
    assert one == again
    assert one != other


def test_the_allow_list_keeps_named_people(seed_copy):
    masked = pseudonymise(seed_copy, "secret", keep=["Ales Byalyatski"])
    text = export(masked, "nq").decode("utf-8")
    assert "Ales Byalyatski" in text


def test_pseudonymising_needs_a_key(seed_copy):
    with pytest.raises(HrkgError, match="needs a secret key"):
        pseudonymise(seed_copy, "")


def test_forgetting_an_article_removes_what_only_it_said():
    store = three_articles()
    removed = forget_article(store, "a3")
    assert removed > 0
    text = everything(store)
    assert "Ukraine" not in text  # only a3 mentions it
    assert "Ivan Petrov" in text  # a2 still does
    with pytest.raises(HrkgError, match="no article with id 'a3'"):
        forget_article(store, "a3")


def test_forgetting_a_person_leaves_nothing_about_them():
    store = three_articles()
    iri, removed = forget_person(store, "ivan petrov")
    assert iri.endswith("/person/ivan-petrov") and removed > 0
    text = everything(store)
    for trace in ("Ivan Petrov", "Petrov", "ivan-petrov"):
        assert trace not in text
    assert REDACTED in text  # the sentence of the detention is kept, without the name
    assert "Jane Doe" in text  # the others stay
    graph = full_graph(store)
    assert graph.number_of_nodes() > 0 and all("ivan" not in n for n in graph)


def test_forgetting_a_person_on_the_seed_survives_every_format(seed_copy):
    store = copy_of(seed_copy)
    names = person_names(store)
    person, _ = forget_person(store, "Ales Byalyatski")
    text = everything(store).casefold()
    assert sorted(n for n in names[person] if n.casefold() in text) == []


@pytest.mark.parametrize("name, message", [("Nobody", "no person named 'Nobody'")])
def test_forgetting_an_unknown_person_is_an_error(name, message):
    with pytest.raises(HrkgError, match=message):
        forget_person(three_articles(), name)


def test_forget_through_the_cli(tmp_path):
    from typer.testing import CliRunner

    from kg.cli import app

    path = on_disk(three_articles(), tmp_path / "store")
    runner = CliRunner()
    result = runner.invoke(app, ["forget", "--person", "Ivan Petrov", "--store", str(path)])
    assert result.exit_code == 0, result.output
    assert "forgot person 'Ivan Petrov'" in result.stderr
    missing = runner.invoke(app, ["forget", "--article", "zz", "--store", str(path)])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == "error: no article with id 'zz' in the store"
    del result, missing  # their tracebacks hold the command's open store
    gc.collect()
    assert "Petrov" not in export(Store(path), "nq").decode("utf-8")


def test_article_ids_survive_pseudonymising_so_graphs_and_ids_still_join():
    store = Store(None)
    store.oxigraph.extend(three_articles().dataset_quads())
    masked = pseudonymise(store, "k")
    ids = {
        r[0].toPython()
        for r in masked.query("SELECT ?id WHERE { GRAPH ?g { ?g dcterms:identifier ?id } }").rows
    }
    assert ids == {"a1", "a2", "a3"}


def test_export_pseudonymises_through_the_cli(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kg.cli import app

    path = on_disk(three_articles(), tmp_path / "store")
    runner = CliRunner()
    args = ["export", "--pseudonymise", "--format", "trig", "--store", str(path)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1 and "needs a secret key" in refused.stderr
    monkeypatch.setenv("HRKG_PSEUDONYM_KEY", "s3cret")
    done = runner.invoke(app, [*args, "--keep", "Ivan Petrov"])
    assert done.exit_code == 0, done.output
    assert "Jane Doe" not in done.stdout and "Doe" not in done.stdout
    assert "Ivan Petrov" in done.stdout and "Person " in done.stdout
