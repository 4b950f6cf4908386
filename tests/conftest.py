"""Shared fixtures: one spaCy pipeline per session, one built seed store per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.extract.pipeline import load_pipeline, make_doc
from kg.ingest import build
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "seed.jsonl"


@pytest.fixture(scope="session")
def nlp():
    """The full hrkg pipeline on the real model, loaded once."""
    return load_pipeline()


@pytest.fixture(scope="session")
def parse(nlp):
    """Run the pipeline on a sentence: ``parse(text, reference_date=None)``."""

    def run(text, reference_date=None):
        return make_doc(nlp, text, reference_date)

    return run


@pytest.fixture(scope="session")
def seed_store(nlp, tmp_path_factory) -> Store:
    """A store built from the bundled seed article (read-only use, please)."""
    store = Store(tmp_path_factory.mktemp("seed") / "store")
    report = build([SEED], store, nlp)
    assert report.articles == 1 and not report.failures
    return store


@pytest.fixture()
def store(tmp_path) -> Store:
    """An empty store of the test's own."""
    return Store(tmp_path / "store")


@pytest.fixture(scope="session")
def hrkg_endpoint_data(nlp, tmp_path_factory) -> Store:
    """The data ``hrkg_endpoint`` serves (seed + tests/data/*.jsonl), in an in-memory store."""
    import pyoxigraph as ox

    inputs = [SEED, *sorted((ROOT / "tests" / "data").glob("*.jsonl"))]
    built = Store(tmp_path_factory.mktemp("endpoint-build") / "store")
    report = build(inputs, built, nlp)
    assert report.articles >= 1
    data = Store(None)
    data.oxigraph.load(built.dump("nq"), format=ox.RdfFormat.N_QUADS)
    return data


@pytest.fixture(scope="session")
def hrkg_store_dir(hrkg_endpoint_data, tmp_path_factory):
    """``make()`` -> a new, closed store directory holding ``hrkg_endpoint_data``."""
    import pyoxigraph as ox

    def make() -> Path:
        path = tmp_path_factory.mktemp("served") / "store"
        fresh = Store(path)
        fresh.oxigraph.load(hrkg_endpoint_data.dump("nq"), format=ox.RdfFormat.N_QUADS)
        fresh.flush()
        del fresh  # closes the store: the SPARQL server must own it
        return path

    return make


@pytest.fixture(scope="session")
def hrkg_endpoint(hrkg_store_dir):
    """A running ``hrkg serve`` endpoint on 127.0.0.1 (default settings); yields its base URL.

    The SPARQL endpoint is ``<base>/sparql``; both servers stop at the end of the session.
    """
    from kg.serve.background import serve_in_background

    with serve_in_background(hrkg_store_dir()) as base:
        yield base
