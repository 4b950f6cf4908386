"""Tests for ``hrkg_relations`` (kg/extract/relations.py): relations read from the phrases
that describe a person, from "City (Country)", and from events."""

from __future__ import annotations

import pytest

from kg.extract.records import RelationRecord


def relations(doc) -> set[tuple[str, str, str]]:
    return {(r.subject, r.predicate, r.object) for r in doc._.hr_relations}


def relation(doc, predicate: str, subject: str, obj: str) -> RelationRecord:
    found = [
        r
        for r in doc._.hr_relations
        if (r.subject, r.predicate, r.object) == (subject, predicate, obj)
    ]
    assert len(found) == 1, sorted(relations(doc))
    return found[0]


def person(doc, key: str):
    return next(e for e in doc._.hr_entities if e.key == key)


SOKOLOV = "person:pavel sokolov"
VIASNA = "organisation:viasna"
FIDH = "organisation:international federation for human rights"
HRW = "organisation:human rights watch"
AMNESTY = "organisation:amnesty international"


def test_apposition_with_two_titles(parse) -> None:
    doc = parse(
        "Pavel Sokolov, the head of Viasna and vice president of FIDH, was detained in Minsk."
    )
    head = relation(doc, "leader_of", SOKOLOV, VIASNA)
    vice = relation(doc, "member_of", SOKOLOV, FIDH)
    assert head.role == "head"
    assert vice.role == "vice president"
    assert (SOKOLOV, "leader_of", FIDH) not in relations(doc)
    assert person(doc, SOKOLOV).roles == {"head", "vice president"}
    # the evidence is a span of the text that holds both ends
    for record in (head, vice):
        assert doc.text[record.mention.start : record.mention.end] == record.mention.text
        assert record.mention.text.startswith("Pavel Sokolov, the head of Viasna")


@pytest.mark.parametrize(
    ("text", "subject", "predicate", "obj", "role"),
    [
        # titles before the name
        (
            "HRW researcher Anna Kowalczyk said the trial was unfair.",
            "person:anna kowalczyk",
            "employee_of",
            HRW,
            "researcher",
        ),
        (
            "Human Rights Watch researcher Tomasz Zielinski said the trial was unfair.",
            "person:tomasz zielinski",
            "employee_of",
            HRW,
            "researcher",
        ),
        (
            "The Viasna lawyer Anna Kowalczyk was detained.",
            "person:anna kowalczyk",
            "employee_of",
            VIASNA,
            "lawyer",
        ),
        (
            "Viasna's founder Anna Kowalczyk was detained.",
            "person:anna kowalczyk",
            "founded",
            VIASNA,
            "founder",
        ),
        (
            "Viasna chairman Ales Petrovich was detained.",
            "person:ales petrovich",
            "leader_of",
            VIASNA,
            "chairman",
        ),
        # a regional post is a job, not the head of the organisation
        (
            '"The verdict is a travesty," said Dmitri Volkov, associate Asia director at '
            "Human Rights Watch.",
            "person:dmitri volkov",
            "employee_of",
            HRW,
            "associate director",
        ),
        (
            "Dmitri Volkov, associate Asia director at Human Rights Watch, said the verdict "
            "was a travesty.",
            "person:dmitri volkov",
            "employee_of",
            HRW,
            "associate director",
        ),
        # appositions and copulas
        (
            "Marta Rios, founder of the Andean Press Collective, was threatened.",
            "person:marta rios",
            "founded",
            "organisation:andean press collective",
            "founder",
        ),
        (
            "Marta Rios, co-founder of the Andean Press Collective, was threatened.",
            "person:marta rios",
            "founded",
            "organisation:andean press collective",
            "co-founder",
        ),
        (
            "Ruth Adeyemi, the co-chair of the Lagos Civic Forum, said the vote was rigged.",
            "person:ruth adeyemi",
            "leader_of",
            "organisation:lagos civic forum",
            "co-chair",
        ),
        (
            "Ruth Adeyemi is the co-chair of the Lagos Civic Forum.",
            "person:ruth adeyemi",
            "leader_of",
            "organisation:lagos civic forum",
            "co-chair",
        ),
        (
            "Dmitri Volkov is the director of the Andean Press Collective.",
            "person:dmitri volkov",
            "leader_of",
            "organisation:andean press collective",
            "director",
        ),
        (
            "Anna Kowalczyk, a member of Viasna, was detained.",
            "person:anna kowalczyk",
            "member_of",
            VIASNA,
            "member",
        ),
        # relative clauses
        ("Pavel Sokolov, who heads Viasna, was detained.", SOKOLOV, "leader_of", VIASNA, "head"),
        (
            "Marta Rios, who founded the Andean Press Collective, was threatened.",
            "person:marta rios",
            "founded",
            "organisation:andean press collective",
            "found",
        ),
        # political titles name a country
        (
            "Hungarian Prime Minister Gabor Szabo defended the law.",
            "person:gabor szabo",
            "leader_of",
            "country:HU",
            "prime minister",
        ),
        (
            "Prime Minister Gabor Szabo defended the law in Budapest. Hungary has faced "
            "criticism from Brussels, and Hungary rejected it.",
            "person:gabor szabo",
            "leader_of",
            "country:HU",
            "prime minister",
        ),
    ],
)
def test_relations_from_descriptions(parse, text, subject, predicate, obj, role) -> None:
    doc = parse(text)
    record = relation(doc, predicate, subject, obj)
    assert record.role == role
    assert doc.text[record.mention.start : record.mention.end] == record.mention.text


def test_regional_director_is_not_the_head(parse) -> None:
    doc = parse(
        "Dmitri Volkov, associate Asia director at Human Rights Watch, said the verdict "
        "was a travesty."
    )
    assert ("person:dmitri volkov", "leader_of", HRW) not in relations(doc)


def test_head_of_state_before_the_name(parse) -> None:
    doc = parse("Nicaraguan President Daniel Ortega signed the decree.")
    relation(doc, "leader_of", "person:daniel ortega", "country:NI")


@pytest.mark.parametrize(
    ("text", "subject", "code"),
    [
        ("Azerbaijani journalist Emin Huseynov was detained.", "person:emin huseynov", "AZ"),
        ("Anna Kowalczyk, a Polish lawyer, was detained in Minsk.", "person:anna kowalczyk", "PL"),
    ],
)
def test_nationality_from_a_demonym(parse, text, subject, code) -> None:
    record = relation(parse(text), "nationality", subject, f"country:{code}")
    assert record.role is None


@pytest.mark.parametrize(
    ("text", "place", "code", "evidence"),
    [
        (
            "Protesters gathered in Gyumri (Armenia) on Saturday.",
            "gyumri",
            "AM",
            "Gyumri (Armenia)",
        ),
        (
            "Lawyers met in Gwangju (South Korea) on Saturday.",
            "gwangju",
            "KR",
            "Gwangju (South Korea)",
        ),
        (
            "Journalists were detained in Minsk, Belarus, on Sunday.",
            "minsk",
            "BY",
            "Minsk, Belarus",
        ),
    ],
)
def test_city_and_country(parse, text, place, code, evidence) -> None:
    record = relation(parse(text), "located_in", f"place:{place}", f"country:{code}")
    assert record.mention.text == evidence


@pytest.mark.parametrize(
    ("text", "subject", "predicate", "obj"),
    [
        (
            "The Minsk City Court sentenced Pavel Sokolov to ten years in prison.",
            SOKOLOV,
            "sentenced_by",
            "organisation:minsk city court",
        ),
        (
            "The Baku Grave Crimes Court sentenced Emin Huseynov to nine years.",
            "person:emin huseynov",
            "sentenced_by",
            "organisation:baku grave crimes court",
        ),
        (
            "Belarusian police detained Pavel Sokolov on Tuesday.",
            SOKOLOV,
            "detained_by",
            "country:BY",
        ),
        (
            "Police in Belarus detained Pavel Sokolov on Tuesday.",
            SOKOLOV,
            "detained_by",
            "country:BY",
        ),
        (
            "Turkish police detained Selin Demir in Ankara.",
            "person:selin demir",
            "detained_by",
            "country:TR",
        ),
        (
            "Amnesty International launched a letter-writing campaign for Pavel Sokolov.",
            AMNESTY,
            "supports",
            SOKOLOV,
        ),
        (
            "Human Rights Watch urged the authorities to release Pavel Sokolov.",
            HRW,
            "supports",
            SOKOLOV,
        ),
        (
            "Front Line Defenders awarded its annual prize to Grace Wanjiru.",
            "organisation:front line defenders",
            "awarded",
            "person:grace wanjiru",
        ),
    ],
)
def test_relations_from_events(parse, text, subject, predicate, obj) -> None:
    doc = parse(text)
    record = relation(doc, predicate, subject, obj)
    assert doc.text[record.mention.start : record.mention.end] == record.mention.text


@pytest.mark.parametrize(
    ("text", "predicate"),
    [
        # a title with no organisation named
        ("Pavel Sokolov, a senior researcher, was detained.", None),
        ("Marta Rios, a lawyer, said the case was political.", None),
        ("Sergei Ivanov, a prisoner of conscience, began a hunger strike.", None),
        # "President X" and "Prime Minister X" in an article about two countries equally
        ("President Gabor Szabo met officials from Austria and Hungary.", "leader_of"),
        ("Prime Minister Gabor Szabo met officials from Austria and Hungary.", "leader_of"),
        # ... or about no country at all
        ("Prime Minister Gabor Szabo defended the law.", "leader_of"),
        ("President Bronislaw Komorowski spoke on Monday.", "leader_of"),
        # a title that describes someone else
        ("Pavel Sokolov met the head of Viasna on Monday.", "leader_of"),
        # a demonym on the agent is not the target's nationality
        ("Azerbaijani police detained the journalist Emin Huseynov.", "nationality"),
        # police with no country named detain nobody's "by"
        ("Police detained Pavel Sokolov in Minsk.", "detained_by"),
    ],
)
def test_no_relation(parse, text, predicate) -> None:
    found = relations(parse(text))
    if predicate is None:
        assert found == set()
    else:
        assert not [r for r in found if r[1] == predicate], found


def test_statuses_are_recorded_without_a_relation(parse) -> None:
    doc = parse("Sergei Ivanov, a prisoner of conscience, began a hunger strike.")
    assert person(doc, "person:sergei ivanov").statuses == {"prisoner of conscience"}


def test_title_without_organisation_is_still_a_role(parse) -> None:
    doc = parse("Pavel Sokolov, a senior researcher, was detained.")
    assert person(doc, SOKOLOV).roles == {"senior researcher"}


def test_relations_are_not_repeated(parse) -> None:
    doc = parse(
        "Pavel Sokolov, the head of Viasna, was detained. Viasna said its head Pavel Sokolov "
        "had done nothing wrong."
    )
    keys = [(r.subject, r.predicate, r.object) for r in doc._.hr_relations]
    assert len(keys) == len(set(keys))
    assert (SOKOLOV, "leader_of", VIASNA) in keys


def test_every_relation_links_known_entities(parse) -> None:
    doc = parse(
        "Pavel Sokolov, the head of Viasna and vice president of FIDH, was sentenced by the "
        "Minsk City Court. Amnesty International launched a letter-writing campaign for him. "
        "Protesters gathered in Gomel (Belarus)."
    )
    keys = {e.key for e in doc._.hr_entities}
    assert doc._.hr_relations
    for record in doc._.hr_relations:
        assert record.subject in keys and record.object in keys
        assert record.subject != record.object
