"""Fixtures for the extraction tests."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc


@pytest.fixture(scope="session")
def parse_with_ents(nlp):
    """Run the pipeline with the NER's output replaced: ``parse_with_ents(text, ents)``.

    ``ents`` lists ``(substring, label)`` pairs; each names the first occurrence
    of ``substring`` in ``text``.  The real model still tags and parses the
    text, so our components see exactly what they would see if the NER had
    made that decision — which lets a test pin a component's behaviour on a
    mislabelling without hunting for a sentence that provokes it.
    """

    def run(text: str, ents: list[tuple[str, str]]) -> Doc:
        doc = nlp.make_doc(text)
        doc._.hr_reference_date = None
        for name, component in nlp.pipeline:
            doc = component(doc)
            if name == "ner":
                spans = []
                for substring, label in ents:
                    start = text.index(substring)
                    span = doc.char_span(start, start + len(substring), label=label)
                    assert span is not None, f"{substring!r} is not a token span of {text!r}"
                    spans.append(span)
                doc.ents = spans
        return doc

    return run
