"""``hrkg_lines``: entity spans cleaned before anything reads them.

Entities never cross a line break, boilerplate lines carry none, and a
span the NER ran across a possessive is cut in two ("Emmerson Mnangagwa's
Zanu PF Government" -> the person, then the organisation).

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

from kg.extract.gazetteers import GAZETTEER_DIR, load_gazetteer


class LineCleaner:
    """Cut entities at line breaks and drop those on boilerplate lines."""

    def __init__(
        self, boilerplate_path: str | Path, gazetteer_dir: str | Path = GAZETTEER_DIR
    ) -> None:
        path = Path(boilerplate_path)
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        gazetteer = load_gazetteer(Path(gazetteer_dir))
        self.not_names = frozenset(gazetteer.org_words) | frozenset(
            w for title in gazetteer.titles for w in title.split()
        )
        self.boilerplate = {
            ln.strip().casefold() for ln in lines if ln.strip() and not ln.startswith("#")
        }

    def __call__(self, doc: Doc) -> Doc:
        kept = []
        text = doc.text  # built once: Doc.text joins every token
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
            if self._line_of(span, text).casefold() not in self.boilerplate:
                kept.extend(_split_possessive(span, self.not_names))
        doc.ents = kept
        return doc

    @staticmethod
    def _line_of(span: Span, text: str) -> str:
        start = text.rfind("\n", 0, span.start_char) + 1
        end = text.find("\n", span.end_char)
        return text[start : end if end >= 0 else len(text)].strip()


def _split_possessive(span: Span, not_names: frozenset[str]) -> list[Span]:
    """Cut "<First Last>'s <Organisation>" into a person and an organisation.

    Only a name-like owner (two to four capitalised words right before the
    possessive, none of them a title or an organisation word) is cut off:
    "Prosecutor General's Office" and "Amnesty International's Secretariat"
    stay whole; in "Zimbabwe President X Y's Party" the person is "X Y".
    """
    cut = next((t.i for t in span[1:-1] if t.lower_ in {"'s", "’s"}), None)
    if cut is None or span.label_ not in {"ORG", "FAC", "PERSON"}:
        return [span]
    doc = span.doc
    start = cut  # the owner is the name-like words right before the possessive
    while start > span.start and doc[start - 1].is_title and doc[start - 1].is_alpha:
        if doc[start - 1].lower_ in not_names:
            break
        start -= 1
    if not 2 <= cut - start <= 4:
        return [span]
    # Words before the owner ("Zimbabwe President") are left for the other components.
    person = Span(doc, start, cut, label="PERSON")
    if span.label_ == "PERSON":  # "X Y's Zanu": what follows is left for the gazetteers
        return [person]
    return [person, Span(doc, cut + 1, span.end, label=span.label_)]


@Language.factory(
    "hrkg_lines",
    default_config={
        "boilerplate_path": str(GAZETTEER_DIR / "boilerplate_lines.txt"),
        "gazetteer_dir": str(GAZETTEER_DIR),
    },
)
def make_line_cleaner(
    nlp: Language, name: str, boilerplate_path: str, gazetteer_dir: str
) -> LineCleaner:
    """Create the ``hrkg_lines`` component."""
    return LineCleaner(boilerplate_path, gazetteer_dir)
