"""``hrkg_lines``: entity spans cut at line breaks and possessives, boilerplate lines ignored."""

from __future__ import annotations

import pytest


def ents(doc):
    return [(e.text, e.label_) for e in doc.ents]


def test_no_entity_crosses_a_line_break(parse):
    doc = parse("By Maria Keller and Tomasz Wren\n\nAdvertisement\n\nThe court met in Vienna.")
    assert all("\n" not in text for text, _ in ents(doc))
    persons = {e.label for e in doc._.hr_entities if e.kind == "person"}
    assert "Tomasz Wren" in persons


@pytest.mark.parametrize("line", ["Advertisement", "Write your comment", "Read more"])
def test_boilerplate_lines_carry_no_entity(parse, line):
    doc = parse(f"Police arrested Anna Petrova in Minsk.\n{line}\nShe was freed later.")
    lines = {text for text, _ in ents(doc)}
    assert line not in lines
    assert "Anna Petrova" in {e.label for e in doc._.hr_entities}


def test_a_name_before_a_possessive_is_split_from_the_organisation(parse):
    doc = parse(
        "Crowds marched against Uganda President Yoweri Museveni's National Resistance Movement."
    )
    kinds = {(e.kind, e.label) for e in doc._.hr_entities}
    assert ("person", "Yoweri Museveni") in kinds
    assert not any("Museveni" in label for kind, label in kinds if kind == "organisation")


@pytest.mark.parametrize(
    "text",
    [
        "The Prosecutor General's Office appealed the verdict.",
        "Amnesty International's International Secretariat issued a report.",
    ],
)
def test_titles_and_organisations_before_a_possessive_are_not_people(parse, text):
    persons = {e.label for e in parse(text)._.hr_entities if e.kind == "person"}
    assert not persons & {"Prosecutor General", "Amnesty International"}
