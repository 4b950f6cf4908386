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
