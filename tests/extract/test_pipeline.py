"""Tests for ``kg.extract.pipeline``: building the pipeline and checking the model's weights."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from spacy.util import load_config

from kg.errors import ModelError
from kg.extract.pipeline import (
    CHECKSUMS,
    DEFAULT_MODEL,
    PIPELINE_CONFIG,
    SKIP_CHECK_ENV,
    load_pipeline,
    make_doc,
    model_files,
    pipe_docs,
    verify_model,
)

OUR_COMPONENTS = load_config(PIPELINE_CONFIG)["hrkg"]["components"]


@pytest.fixture(scope="module")
def recorded() -> dict:
    return json.loads(CHECKSUMS.read_text(encoding="utf-8"))


def write_checksums(path: Path, recorded: dict, files: dict[str, str]) -> Path:
    path.write_text(json.dumps({**recorded, "files": files}), encoding="utf-8")
    return path


def test_config_orders_the_extraction_components() -> None:
    """Entities need the countries and organisations; relations need entities and events."""
    core = [
        "hrkg_countries",
        "hrkg_organisations",
        "hrkg_entities",
        "hrkg_events",
        "hrkg_relations",
    ]
    assert [name for name in OUR_COMPONENTS if name in core] == core


def test_components_follow_ner_in_config_order(nlp) -> None:
    names = nlp.pipe_names
    assert "ner" in names
    assert names[names.index("ner") + 1 :] == OUR_COMPONENTS


def test_statistical_components_come_first(nlp) -> None:
    names = nlp.pipe_names
    for name in ("tok2vec", "tagger", "parser", "ner"):
        assert names.index(name) < names.index("hrkg_countries")
    assert "senter" not in names  # the parser sets sentences


def test_component_paths_are_resolved_against_pipelines_dir(nlp) -> None:
    """Relative ``*_dir``/``*_path`` settings in hrkg.cfg point into pipelines/."""
    checked = 0
    for name in OUR_COMPONENTS:
        for key, value in nlp.config["components"][name].items():
            if key.endswith(("_dir", "_path")):
                assert Path(value).is_absolute(), (name, key, value)
                assert Path(value).exists(), (name, key, value)
                assert Path(value).is_relative_to(PIPELINE_CONFIG.parent)
                checked += 1
    assert checked >= len(OUR_COMPONENTS) - 1


def test_installed_model_matches_recorded_checksums(nlp, recorded) -> None:
    assert recorded["model"] == DEFAULT_MODEL
    assert model_files(Path(nlp.path)) == recorded["files"]


def test_model_files_skip_documentation(nlp) -> None:
    files = model_files(Path(nlp.path))
    assert "meta.json" in files
    assert not {"README.md", "LICENSE", "LICENSES_SOURCES"} & set(files)
    assert all(len(digest) == 64 for digest in files.values())


def test_verify_model_accepts_the_recorded_sums(nlp) -> None:
    verify_model(nlp, DEFAULT_MODEL)  # no error


def test_verify_model_reports_an_altered_digest(nlp, recorded, tmp_path) -> None:
    files = dict(recorded["files"])
    files["ner/model"] = "0" * 64
    checksums = write_checksums(tmp_path / "sums.json", recorded, files)
    with pytest.raises(ModelError) as caught:
        verify_model(nlp, DEFAULT_MODEL, checksums)
    message = str(caught.value)
    assert "ner/model" in message
    assert "differs" in message
    assert SKIP_CHECK_ENV in message
    assert str(checksums) in message
    assert recorded["package"] in message  # how to reinstall
    assert "\n" not in message


def test_verify_model_reports_a_missing_file(nlp, recorded, tmp_path) -> None:
    files = {**recorded["files"], "ner/extra-weights.bin": "1" * 64}
    checksums = write_checksums(tmp_path / "sums.json", recorded, files)
    with pytest.raises(ModelError, match=r"ner/extra-weights\.bin is missing") as caught:
        verify_model(nlp, DEFAULT_MODEL, checksums)
    assert SKIP_CHECK_ENV in str(caught.value)


def test_verify_model_ignores_files_it_has_no_sum_for(nlp, recorded, tmp_path) -> None:
    files = {k: v for k, v in recorded["files"].items() if k != "ner/model"}
    verify_model(nlp, DEFAULT_MODEL, write_checksums(tmp_path / "sums.json", recorded, files))


def test_unknown_model_is_a_one_line_model_error() -> None:
    with pytest.raises(ModelError) as caught:
        load_pipeline("no_such_model")
    message = str(caught.value)
    assert "no_such_model" in message
    assert "\n" not in message
    assert len(message) < 300


@pytest.fixture(scope="module")
def tampered_model(nlp, tmp_path_factory) -> Path:
    """A copy of the installed model with one recorded file changed."""
    copy = tmp_path_factory.mktemp("model") / "copy"
    shutil.copytree(nlp.path, copy)
    accuracy = copy / "accuracy.json"
    accuracy.write_text(accuracy.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    return copy


@pytest.mark.slow
def test_a_model_directory_is_only_checked_on_request(tampered_model, monkeypatch) -> None:
    monkeypatch.delenv(SKIP_CHECK_ENV, raising=False)
    loaded = load_pipeline(str(tampered_model))  # not the default model: not checked
    assert loaded.pipe_names[-len(OUR_COMPONENTS) :] == OUR_COMPONENTS
    with pytest.raises(ModelError, match=r"accuracy\.json differs"):
        load_pipeline(str(tampered_model), verify=True)


def test_make_doc_runs_every_component(parse) -> None:
    doc = parse("Belarusian police detained Ivan Petrov on Tuesday.", date(2022, 5, 6))
    assert doc._.hr_reference_date == date(2022, 5, 6)
    assert {e.key for e in doc._.hr_entities} >= {"country:BY", "person:ivan petrov"}
    assert doc._.hr_events
    assert doc._.hr_relations is not None


def test_pipe_docs_gives_what_make_doc_gives(nlp) -> None:
    items = [
        ("Human Rights Watch said the trial was unfair.", None),
        ("Police in Minsk arrested Ivan Petrov on Tuesday.", date(2022, 5, 6)),
    ]
    piped = list(pipe_docs(nlp, items, batch_size=2))
    single = [make_doc(nlp, text, reference) for text, reference in items]
    assert [d._.hr_reference_date for d in piped] == [None, date(2022, 5, 6)]
    for one, other in zip(piped, single, strict=True):
        assert [e.key for e in one._.hr_entities] == [e.key for e in other._.hr_entities]
        assert [e.type for e in one._.hr_events] == [e.type for e in other._.hr_events]
