"""``hrkg_lines``: entities never cross a line break, and boilerplate lines carry none.

Web pages arrive with bylines, "Advertisement" lines and photo credits
between paragraphs.  The NER sometimes runs a name across the break
("Tomasz Wren\\n\\nAdvertisement"); this component cuts every entity at its
first line break and drops entities on lines that are only boilerplate
(listed in ``pipelines/gazetteers/boilerplate_lines.txt``).
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.extract.gazetteers import GAZETTEER_DIR


class LineCleaner:
    """Cut entities at line breaks and drop those on boilerplate lines."""

    def __init__(self, boilerplate_path: str | Path) -> None:
        path = Path(boilerplate_path)
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        self.boilerplate = {
            ln.strip().casefold() for ln in lines if ln.strip() and not ln.startswith("#")
        }

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        for ent in doc.ents:
            end = next((t.i for t in ent if "\n" in t.text), ent.end)
            while end > ent.start and doc[end - 1].is_space:
                end -= 1
            if end <= ent.start:
                continue
            span = (
                ent
                if end == ent.end
                else Span(doc, ent.start, end, label=ent.label_, kb_id=ent.kb_id_)
            )
            if self._line_of(span).casefold() not in self.boilerplate:
                kept.append(span)
        doc.ents = kept
        return doc

    @staticmethod
    def _line_of(span: Span) -> str:
        text = span.doc.text
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        return text[start : end if end >= 0 else len(text)].strip()


@Language.factory(
    "hrkg_lines",
    default_config={"boilerplate_path": str(GAZETTEER_DIR / "boilerplate_lines.txt")},
)
def make_line_cleaner(nlp: Language, name: str, boilerplate_path: str) -> LineCleaner:
    """Create the ``hrkg_lines`` component."""
    return LineCleaner(boilerplate_path)
