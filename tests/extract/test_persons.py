"""Tests for person names (kg/extract/persons.py) and their resolution among the other
entities (kg/extract/entities.py): titles stripped and kept as roles, mentions of one
person merged, non-persons dropped, and names the NER put in the wrong class."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from kg.extract.gazetteers import load_gazetteer
from kg.extract.persons import group_persons, is_person_name, person_core


def persons(doc) -> dict[str, object]:
    return {e.label: e for e in doc._.hr_entities if e.kind == "person"}


def kinds(doc) -> dict[str, str]:
    """Entity label -> kind."""
    return {e.label: e.kind for e in doc._.hr_entities}


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer()


def span_of(doc, text: str, label: str = "PERSON") -> Span:
    start = doc.text.index(text)
    span = doc.char_span(start, start + len(text), label=label)
    assert span is not None
    return span


# -- person_core: titles, articles, possessives -----------------------------------------


@pytest.mark.parametrize(
    ("text", "name", "core", "roles"),
    [
        (
            "He met president Bronislaw Komorowski in Warsaw.",
            "president Bronislaw Komorowski",
            "Bronislaw Komorowski",
            ["president"],
        ),
        (
            "Bishop Marek Nowicki led the prayers.",
            "Bishop Marek Nowicki",
            "Marek Nowicki",
            ["bishop"],
        ),
        (
            "The late president Bronislaw Komorowski was remembered.",
            "The late president Bronislaw Komorowski",
            "Bronislaw Komorowski",
            ["president"],
        ),
        (
            "Lawyer Samira Haddad said the case was political.",
            "Lawyer Samira Haddad",
            "Samira Haddad",
            ["lawyer"],
        ),
        (
            "We read Anna Kowalczyk's letter.",
            "Anna Kowalczyk's",
            "Anna Kowalczyk",
            [],
        ),
        # a title right before the span is a role too
        (
            "Polish president Bronislaw Komorowski met them.",
            "Bronislaw Komorowski",
            "Bronislaw Komorowski",
            ["president"],
        ),
        (
            "Viasna chair Anna Kowalczyk was detained.",
            "Anna Kowalczyk",
            "Anna Kowalczyk",
            ["chair"],
        ),
    ],
)
def test_person_core_strips_titles(parse, gazetteer, text, name, core, roles) -> None:
    found, found_roles = person_core(span_of(parse(text), name), gazetteer)
    assert found is not None and found.text == core
    assert found_roles == roles


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Advertisement Pavel Sokolov was detained.", "Advertisement"),
        ("He wrote on Twitter that he was safe.", "Twitter"),
        ("Explainer: what the new law means.", "Explainer"),
        ("Waterproof boots were handed out to the volunteers.", "Waterproof"),
        ("The rally was held on Monday.", "Monday"),
        ("The report was published in May.", "May"),
        ("The president spoke on Monday.", "The president"),  # a title alone
        ("Officials in Belarus refused to comment.", "Belarus"),
        ("Room 101 was searched.", "Room 101"),
        ("THE COURT adjourned.", "THE"),
    ],
)
def test_not_person_names(parse, gazetteer, text, name) -> None:
    core, _ = person_core(span_of(parse(text), name), gazetteer)
    assert core is None


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Kowalczyk denies the charges.", "Kowalczyk"),
        ("Officers questioned Ahmed al-Khatib.", "Ahmed al-Khatib"),
        ("Officers questioned Jean-Pierre Mbeki.", "Jean-Pierre Mbeki"),
        ("Officers questioned Aleś Bialiacki.", "Aleś Bialiacki"),
        ("Officers questioned Алесь Бяляцкі.", "Алесь Бяляцкі"),
    ],
)
def test_person_names(parse, gazetteer, text, name) -> None:
    assert is_person_name(span_of(parse(text), name), gazetteer)


# -- group_persons: one person, many mentions -------------------------------------------


def grouped(nlp, text: str, names: list[str]) -> list[list[str]]:
    """Group the given mentions (in order of appearance) and return each group's forms."""
    doc = nlp.make_doc(text)
    cores, position = [], 0
    for name in names:
        start = text.index(name, position)
        position = start + len(name)
        cores.append((doc.char_span(start, position), []))
    return [sorted(g.forms) for g in group_persons(cores)]


@pytest.mark.parametrize(
    ("text", "names", "expected"),
    [
        (
            "Anna Kowalczyk spoke. Kowalczyk left. Anna stayed.",
            ["Anna Kowalczyk", "Kowalczyk", "Anna"],
            [["Anna", "Anna Kowalczyk", "Kowalczyk"]],
        ),
        (
            "Rolando José Alvarez spoke. Rolando Alvarez left.",
            ["Rolando José Alvarez", "Rolando Alvarez"],
            [["Rolando Alvarez", "Rolando José Alvarez"]],
        ),
        (
            "Rolando Alvarez spoke. Rolando José Alvarez left.",
            ["Rolando Alvarez", "Rolando José Alvarez"],
            [["Rolando Alvarez", "Rolando José Alvarez"]],
        ),
        # two people sharing a first name stay two; a lone first name joins the nearest before
        (
            "Tomasz Zielinski and Tomasz Wrobel spoke. Zielinski left, Wrobel stayed. Tomasz ate.",
            ["Tomasz Zielinski", "Tomasz Wrobel", "Zielinski", "Wrobel", "Tomasz"],
            [["Tomasz Zielinski", "Zielinski"], ["Tomasz", "Tomasz Wrobel", "Wrobel"]],
        ),
        # a surname before the full name still joins it
        (
            "Kowalczyk spoke first. Later Anna Kowalczyk left.",
            ["Kowalczyk", "Anna Kowalczyk"],
            [["Anna Kowalczyk", "Kowalczyk"]],
        ),
        # no full name: equal one-word mentions are one person, different ones are not
        ("Santos spoke. Santos left. Lopez stayed.", ["Santos", "Santos", "Lopez"], None),
        # particles do not count as names
        (
            "Ahmed al-Khatib spoke. Khatib left.",
            ["Ahmed al-Khatib", "Khatib"],
            [["Ahmed al-Khatib", "Khatib"]],
        ),
        # same surname, different first names: two people
        (
            "Maria Lopez and Juan Lopez spoke.",
            ["Maria Lopez", "Juan Lopez"],
            [["Maria Lopez"], ["Juan Lopez"]],
        ),
    ],
)
def test_group_persons(nlp, text, names, expected) -> None:
    groups = grouped(nlp, text, names)
    if expected is None:
        assert groups == [["Santos"], ["Lopez"]]
    else:
        assert groups == expected


def test_group_label_is_the_most_frequent_full_name(nlp) -> None:
    text = "Rolando José Alvarez. Rolando Alvarez. Rolando Alvarez. Alvarez."
    doc = nlp.make_doc(text)
    cores = [
        (doc.char_span(0, 20), ["bishop"]),
        (doc.char_span(22, 37), []),
        (doc.char_span(39, 54), []),
        (doc.char_span(56, 63), []),
    ]
    (group,) = group_persons(cores)
    assert group.label == "Rolando Alvarez"
    assert group.words == ["rolando", "jose", "alvarez"]
    assert group.roles == {"bishop"}
    assert len(group.spans) == 4


first_names = st.sampled_from(["Anna", "Tomasz", "Maria", "Juan", "Leyla", "Ivan"])
last_names = st.sampled_from(["Kowalczyk", "Zielinski", "Lopez", "Karimova", "Petrov"])
mention = st.one_of(st.tuples(first_names, last_names).map(" ".join), first_names, last_names)


@settings(max_examples=100, deadline=None)
@given(st.lists(mention, min_size=1, max_size=8))
def test_group_persons_keeps_every_mention_once(nlp, names) -> None:
    text = ". ".join(names) + "."
    doc = nlp.make_doc(text)
    cores, position = [], 0
    for name in names:
        start = text.index(name, position)
        position = start + len(name)
        cores.append((doc.char_span(start, position), []))
    groups = group_persons(cores)
    spans = [(s.start, s.end) for g in groups for s in g.spans]
    assert sorted(spans) == sorted((c.start, c.end) for c, _ in cores)
    full = {" ".join(n.lower().split()) for n in names if " " in n}
    # two full names are one person only when they are the same name
    assert len([g for g in groups if len(g.words) > 1]) == len(full)
    for group in groups:  # a person's mentions never name two different full names
        assert len({f for f in group.forms if " " in f}) <= 1


# -- the whole pipeline ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "roles"),
    [
        (
            "Polish president Bronislaw Komorowski met the delegation in Warsaw.",
            "Bronislaw Komorowski",
            {"president"},
        ),
        ("Bishop Marek Nowicki led the prayers on Sunday.", "Marek Nowicki", {"bishop"}),
        (
            "Former president Bronislaw Komorowski said the law was unjust.",
            "Bronislaw Komorowski",
            {"president"},
        ),
        ("Lawyer Samira Haddad said the case was political.", "Samira Haddad", {"lawyer"}),
        (
            "Ruth Adeyemi, the co-chair of the Lagos Civic Forum, said the vote was rigged.",
            "Ruth Adeyemi",
            {"co-chair"},
        ),
    ],
)
def test_titles_become_roles(parse, text, label, roles) -> None:
    found = persons(parse(text))
    assert list(found) == [label]
    assert found[label].roles == roles
    assert found[label].key == f"person:{label.lower()}"


def test_surname_and_first_name_join_the_full_name(parse) -> None:
    doc = parse(
        "Anna Kowalczyk was arrested in March. Kowalczyk denies the charges. "
        "Anna told reporters she was innocent."
    )
    (anna,) = persons(doc).values()
    assert anna.label == "Anna Kowalczyk"
    assert anna.alt_labels == {"Kowalczyk", "Anna"}
    assert [m.text for m in anna.mentions] == ["Anna Kowalczyk", "Kowalczyk", "Anna"]
    for mention in anna.mentions:
        assert doc.text[mention.start : mention.end] == mention.text


def test_title_and_surname_join_the_titled_person(parse) -> None:
    doc = parse("Bishop Marek Nowicki led the prayers on Sunday. Nowicki was arrested on Monday.")
    (bishop,) = persons(doc).values()
    assert bishop.label == "Marek Nowicki"
    assert "Nowicki" in bishop.alt_labels
    assert len(bishop.mentions) == 2


def test_people_sharing_a_first_name_stay_apart(parse) -> None:
    doc = parse(
        "Tomasz Zielinski and Tomasz Wrobel were both detained. "
        "Zielinski was released on bail, while Wrobel remains in custody."
    )
    found = persons(doc)
    assert set(found) == {"Tomasz Zielinski", "Tomasz Wrobel"}
    assert found["Tomasz Zielinski"].alt_labels == {"Zielinski"}
    assert found["Tomasz Wrobel"].alt_labels == {"Wrobel"}  # the NER called it a place


def test_surname_the_tagger_calls_a_common_noun_still_joins(parse) -> None:
    doc = parse("Maria Santos and Maria Lopez were detained. Santos was later released.")
    assert persons(doc)["Maria Santos"].alt_labels == {"Santos"}


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("Advertisement Pavel Sokolov was detained.", [("Advertisement", "PERSON")]),
        ("He wrote on Twitter that he was safe.", [("Twitter", "PERSON")]),
        ("Explainer: what the new law means.", [("Explainer", "PERSON")]),
        ("Waterproof boots were handed out to the volunteers.", [("Waterproof", "PERSON")]),
        ("Reusable bottles were distributed at the camp.", [("Reusable", "PERSON")]),
    ],
)
def test_non_persons_are_dropped(parse_with_ents, text, ents) -> None:
    doc = parse_with_ents(text, ents)
    assert not [e for e in doc._.hr_entities if e.label == ents[0][0] and e.kind == "person"]


@pytest.mark.parametrize(
    "text",
    [
        "He wrote on Twitter that he was safe.",  # the NER tags Twitter PERSON
        "Explainer: what the new law means.",  # the NER tags Explainer PERSON
    ],
)
def test_non_persons_the_ner_tags_person_are_dropped(parse, text) -> None:
    assert persons(parse(text)) == {}


def test_a_given_name_that_is_also_a_country(parse) -> None:
    assert "Chad" in persons(parse("My friend Chad visited Paris."))


# -- names the NER put in the wrong class -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "label", "roles"),
    [
        # the NER tags these names ORG (or PRODUCT); a title or a description says "person"
        (
            "Tural Yunus, the co-chair of the Rights Alliance, was fined.",
            "Tural Yunus",
            {"co-chair"},
        ),
        (
            "Bakhtiyar Yunus, the head of the Justice Forum, was detained.",
            "Bakhtiyar Yunus",
            {"head"},
        ),
        ("Thabo Mensah, a lawyer with the Bar Council, was arrested.", "Thabo Mensah", {"lawyer"}),
        ("Yusuf Orlov, co-chair of the Rights Alliance, was fined.", "Yusuf Orlov", {"co-chair"}),
    ],
)
def test_described_person_the_ner_tagged_as_organisation(parse, text, label, roles) -> None:
    doc = parse(text)
    ner_label = next(e.label_ for e in doc.ents if e.text == label)
    assert ner_label in {"ORG", "PRODUCT"}  # still a misclassification worth testing
    assert kinds(doc)[label] == "person"
    assert persons(doc)[label].roles == roles


def test_later_mentions_of_a_described_person_follow(parse) -> None:
    doc = parse(
        "Tural Yunus, the co-chair of the Rights Alliance, was fined. "
        "Tural Yunus said he would appeal."
    )
    assert kinds(doc)["Tural Yunus"] == "person"
    assert not [e for e in doc._.hr_entities if e.kind == "organisation" and "Yunus" in e.label]


def test_undescribed_name_tagged_organisation_stays_an_organisation(parse_with_ents) -> None:
    """Without a title or a description there is no evidence for a person."""
    doc = parse_with_ents("Yusuf Orlov said the fine would be appealed.", [("Yusuf Orlov", "ORG")])
    assert kinds(doc) == {"Yusuf Orlov": "organisation"}


def test_title_before_a_name_tagged_organisation(parse_with_ents) -> None:
    doc = parse_with_ents("Bishop Tural Yunus was detained.", [("Bishop Tural Yunus", "ORG")])
    assert kinds(doc) == {"Tural Yunus": "person"}
    assert persons(doc)["Tural Yunus"].roles == {"bishop"}


def test_described_person_the_ner_tagged_as_place(parse) -> None:
    doc = parse("Thabo Mammadli, the head of the Justice Forum, was detained.")
    assert kinds(doc).get("Thabo Mammadli") == "person"


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Lawyers from Rabat and Casablanca joined the strike.", "Rabat"),  # NER: PERSON
        ("Lawyers from Rabat and Casablanca joined the strike.", "Casablanca"),  # NER: ORG
        ("The court in Kharkiv rejected the appeal.", "Kharkiv"),  # NER: ORG
        ("The march took place in Nuevo Laredo on Sunday.", "Nuevo Laredo"),  # NER: FAC
    ],
)
def test_big_city_the_ner_mislabelled_is_a_place(parse, text, place) -> None:
    doc = parse(text)
    assert kinds(doc).get(place) == "place"
    assert f"place:{place.lower()}" in {e.key for e in doc._.hr_entities}


@pytest.mark.parametrize(
    ("text", "ents", "place"),
    [
        ("Lawyers gathered in Nairobi on Friday.", [("Nairobi", "PERSON")], "Nairobi"),
        ("Lawyers gathered in Nairobi on Friday.", [("Nairobi", "ORG")], "Nairobi"),
        ("The rally in Nuevo Laredo was dispersed.", [("Nuevo Laredo", "PERSON")], "Nuevo Laredo"),
    ],
)
def test_city_forced_into_the_wrong_class_is_a_place(parse_with_ents, text, ents, place) -> None:
    assert kinds(parse_with_ents(text, ents)) == {place: "place"}


def test_city_coordinated_with_a_place_is_a_place(parse) -> None:
    assert kinds(parse("Tunis and Rabat exchanged ambassadors.")).get("Rabat") == "place"


def test_a_surname_that_is_a_small_town_stays_a_person(parse_with_ents) -> None:
    doc = parse_with_ents("Officers questioned Maria Lopez.", [("Maria Lopez", "PERSON")])
    assert kinds(doc) == {"Maria Lopez": "person"}


# -- organisation spans that are not organisations --------------------------------------


def test_trailing_person_is_cut_off_an_organisation(parse_with_ents) -> None:
    text = (
        "Daniel Okafor was arrested on Monday. "
        "The Foundation for Open Courts Daniel Okafor said the ruling was a scandal."
    )
    doc = parse_with_ents(
        text,
        [("Daniel Okafor", "PERSON"), ("The Foundation for Open Courts Daniel Okafor", "ORG")],
    )
    assert kinds(doc) == {"Foundation for Open Courts": "organisation", "Daniel Okafor": "person"}
    assert len(persons(doc)["Daniel Okafor"].mentions) == 2


@pytest.mark.parametrize(
    ("text", "ents"),
    [
        ("Officers took the men to Highlands Police Station.", None),  # NER: ORG
        ("The Public Safety Act was used to detain protesters.", None),  # NER: ORG
        ("The Prevention of Terrorism Act allows detention without trial.", None),  # NER: ORG
        (
            "The detainees were held at Okhrana Remand Prison.",
            [("Okhrana Remand Prison", "ORG")],
        ),
        ("Parliament passed the Public Order Act.", [("the Public Order Act", "ORG")]),
        ("The Government refused to comment.", [("The Government", "ORG")]),
        ("The Armed Forces denied the report.", [("The Armed Forces", "ORG")]),
    ],
)
def test_facilities_laws_and_generic_bodies_are_not_organisations(
    parse, parse_with_ents, text, ents
) -> None:
    doc = parse(text) if ents is None else parse_with_ents(text, ents)
    assert not [e for e in doc._.hr_entities if e.kind == "organisation"]


def test_organisation_loses_a_trailing_title(parse_with_ents) -> None:
    doc = parse_with_ents(
        "The Lakeside Forum chair said the vote was rigged.", [("The Lakeside Forum chair", "ORG")]
    )
    assert kinds(doc) == {"Lakeside Forum": "organisation"}
