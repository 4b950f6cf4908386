"""Tests for ``hrkg_organisations`` (kg/extract/organisations.py): gazetteer names and
aliases, acronyms introduced in parentheses, and phrases that only look like names."""

from __future__ import annotations

import pytest

from kg.extract.gazetteers import load_gazetteer
from kg.extract.names import normalise_name


def organisations(doc) -> dict[str, set[str]]:
    """Canonical label -> the surface forms it was found as."""
    return {
        e.label: {m.text for m in e.mentions} for e in doc._.hr_entities if e.kind == "organisation"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Human Rights Watch published a new report on Tuesday.",
            {"Human Rights Watch": {"Human Rights Watch"}},
        ),
        ("HRW said the trial was unfair.", {"Human Rights Watch": {"HRW"}}),
        ("Amnesty said the charges should be dropped.", {"Amnesty International": {"Amnesty"}}),
        (
            "FIDH condemned the sentence.",
            {"International Federation for Human Rights": {"FIDH"}},
        ),
        (
            "The International Federation for Human Rights said the law was unlawful.",
            {
                "International Federation for Human Rights": {
                    "International Federation for Human Rights"
                }
            },
        ),
        (
            "Viasna Human Rights Centre reported new arrests.",
            {"Viasna": {"Viasna Human Rights Centre"}},
        ),
        (
            "The Committee to Protect Journalists condemned the arrest. CPJ urged his release.",
            {"Committee to Protect Journalists": {"Committee to Protect Journalists", "CPJ"}},
        ),
        # a gazetteer name wins over the longer span the NER drew around it
        (
            "The Amnesty International Secretariat issued a statement.",
            {"Amnesty International": {"Amnesty International"}},
        ),
        (
            "Amnesty International's Secretary General spoke at the event.",
            {"Amnesty International": {"Amnesty International"}},
        ),
        # two names the NER tagged as one organisation
        (
            "Amnesty International and Human Rights Watch issued a joint statement.",
            {
                "Amnesty International": {"Amnesty International"},
                "Human Rights Watch": {"Human Rights Watch"},
            },
        ),
        (
            "Amnesty International, Human Rights Watch and FIDH called for his release.",
            {
                "Amnesty International": {"Amnesty International"},
                "Human Rights Watch": {"Human Rights Watch"},
                "International Federation for Human Rights": {"FIDH"},
            },
        ),
        # names that are also phrases, with their capitals
        ("Save the Children opened a new clinic.", {"Save the Children": {"Save the Children"}}),
        (
            "Human Rights in China published the letter.",
            {"Human Rights in China": {"Human Rights in China"}},
        ),
        ("Memorial was dissolved by the court.", {"Memorial": {"Memorial"}}),
    ],
)
def test_known_organisations(parse, text, expected) -> None:
    found = organisations(parse(text))
    assert {k: v for k, v in found.items() if k in expected} == expected


def test_aliases_join_the_canonical_entity(parse) -> None:
    doc = parse(
        "Amnesty International called for his release. Amnesty said the trial was unfair, "
        "and HRW agreed with Human Rights Watch's earlier findings."
    )
    by_label = {e.label: e for e in doc._.hr_entities if e.kind == "organisation"}
    assert set(by_label) == {"Amnesty International", "Human Rights Watch"}
    amnesty = by_label["Amnesty International"]
    assert amnesty.key == "organisation:amnesty international"
    assert [m.text for m in amnesty.mentions] == ["Amnesty International", "Amnesty"]
    assert amnesty.alt_labels == {"Amnesty"}
    assert by_label["Human Rights Watch"].alt_labels == {"HRW"}


def test_gazetteer_matches_carry_the_canonical_name(parse) -> None:
    doc = parse("FIDH and HRW issued a joint appeal.")
    assert {(e.text, e.label_, e.kb_id_) for e in doc.ents} >= {
        ("FIDH", "ORG", "International Federation for Human Rights"),
        ("HRW", "ORG", "Human Rights Watch"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "The Lakeside Tenants Union (LTU) organised a march. The LTU said it would return.",
        "The Lakeside Tenants Union (LTU) organised a march. Later, LTU said it would return.",
        # a bare use before the definition joins too
        "LTU members marched on Monday. The Lakeside Tenants Union (LTU) said it would return.",
    ],
)
def test_parenthesised_acronym_becomes_an_alias(parse, text) -> None:
    doc = parse(text)
    assert doc._.hr_acronyms == {"LTU": "The Lakeside Tenants Union"}
    (union,) = [e for e in doc._.hr_entities if e.kind == "organisation"]
    assert union.label == "Lakeside Tenants Union"
    assert union.key == "organisation:lakeside tenants union"
    assert "LTU" in union.alt_labels
    assert sorted(m.text for m in union.mentions).count("LTU") == 2
    ltu = [t.i for t in doc if t.text == "LTU"]
    assert {doc._.hr_token_entity[i] for i in ltu} == {union.key}


def test_acronym_without_parentheses_folds_by_initials(parse) -> None:
    doc = parse("The Lakeside Tenants Union organised a march. Later, LTU said it would return.")
    (union,) = [e for e in doc._.hr_entities if e.kind == "organisation"]
    assert union.label == "Lakeside Tenants Union"
    assert "LTU" in union.alt_labels


def test_acronym_of_a_gazetteer_name_keeps_the_canonical_name(parse_with_ents) -> None:
    text = "The Committee to Protect Journalists (CPJ) condemned the arrest. CPJ urged his release."
    doc = parse_with_ents(text, [("The Committee to Protect Journalists", "ORG")])
    assert doc._.hr_acronyms == {"CPJ": "Committee to Protect Journalists"}
    assert organisations(doc) == {
        "Committee to Protect Journalists": {"Committee to Protect Journalists", "CPJ"}
    }


@pytest.mark.parametrize(
    "text",
    [
        "Lawyers for the Lakeside Tenants Union (pictured) met the mayor.",
        "The Lakeside Tenants Union (Lakeside) met the mayor.",
        "The Lakeside Tenants Union (2019) met the mayor.",
    ],
)
def test_parentheses_that_are_not_acronyms(parse_with_ents, text) -> None:
    doc = parse_with_ents(text, [("Lakeside Tenants Union", "ORG")])
    assert not doc._.hr_acronyms


def test_acronym_after_a_name_the_ner_missed(parse) -> None:
    doc = parse(
        "The Coalition for Free Speech in Bolivia (CFSB) held a press conference. "
        "Later, CFSB said it would appeal."
    )
    assert doc._.hr_acronyms == {"CFSB": "Coalition for Free Speech in Bolivia"}
    assert organisations(doc) == {
        "Coalition for Free Speech in Bolivia": {"Coalition for Free Speech in Bolivia", "CFSB"}
    }


@pytest.mark.parametrize(
    "text",
    [
        "Families wanted to save the children from the floods.",
        "The seminar discussed human rights in China and elsewhere.",
        "Aid groups help people in need of shelter.",
        "A memorial was unveiled in the square.",
        "Local human rights defenders met on Monday.",
        "They urged the world to stop breaking the silence.",
    ],
)
def test_ordinary_phrases_are_not_organisations(parse, text) -> None:
    assert organisations(parse(text)) == {}


@pytest.mark.parametrize(
    "text",
    [
        "Save the children from hunger, the bishop urged.",
        "Human rights in China have deteriorated, the report said.",
        "People in need of shelter were turned away.",
    ],
)
def test_sentence_initial_phrases_are_not_organisations(parse, text) -> None:
    assert organisations(parse(text)) == {}


def test_a_person_name_holding_an_organisation_name_stays_a_person(parse_with_ents) -> None:
    doc = parse_with_ents("Memorial Okafor spoke to reporters.", [("Memorial Okafor", "PERSON")])
    assert organisations(doc) == {}
    assert [e.label for e in doc._.hr_entities if e.kind == "person"] == ["Memorial Okafor"]


def test_gazetteer_names_and_aliases_are_unique() -> None:
    """One surface form must never name two organisations (README of the gazetteers)."""
    seen: dict[str, str] = {}
    for org in load_gazetteer().organisations:
        for form in {normalise_name(f) for f in (org.name, *org.aliases)}:
            assert seen.setdefault(form, org.name) == org.name, (form, org.name, seen[form])
