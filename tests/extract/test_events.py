"""Tests for the ``hrkg_events`` component (kg/extract/events.py, event_arguments.py)."""

from __future__ import annotations

from datetime import date

import pytest

from kg.extract.records import EventRecord

REF = date(2022, 5, 6)  # a Friday


def events_of(parse, text: str, reference: date | None = REF) -> list[EventRecord]:
    return parse(text, reference)._.hr_events


def roles(event: EventRecord) -> set[tuple[str, str]]:
    return {(a.role, a.entity) for a in event.arguments}


def only(events: list[EventRecord], kind: str) -> EventRecord:
    found = [e for e in events if e.type == kind]
    assert len(found) == 1, [(e.type, e.triggers) for e in events]
    return found[0]


@pytest.mark.parametrize(
    ("text", "kind", "expected_roles", "expected_date"),
    [
        (
            "Police in Minsk arrested opposition leader Ivan Petrov on Tuesday.",
            "arrest",
            {("target", "person:ivan petrov")},
            "2022-05-03",
        ),
        (
            "Turkish police detained the journalist Ayla Demir in Istanbul on 3 May 2022.",
            "arrest",
            {("agent", "country:TR"), ("target", "person:ayla demir")},
            "2022-05-03",
        ),
        (
            "Egyptian authorities released the blogger Alaa Farouk last month.",
            "release",
            {("agent", "country:EG"), ("target", "person:alaa farouk")},
            "2022-04",
        ),
        (
            "Ivan Petrov remains in pre-trial detention in Moscow.",
            "detention",
            {("target", "person:ivan petrov")},
            None,
        ),
        (
            "The journalist Ana Lopez was shot dead in Tijuana on Friday.",
            "killing",
            {("target", "person:ana lopez")},
            "2022-05-06",
        ),
        (
            "The activist Pedro Gomez was abducted by armed men in Cali in March.",
            "disappearance",
            {("target", "person:pedro gomez")},
            "2022-03",
        ),
        (
            "Amnesty International called for the release of Maria Kolesnikova.",
            "statement",
            {
                ("agent", "organisation:amnesty international"),
                ("target", "person:maria kolesnikova"),
            },
            None,
        ),
        (
            "Front Line Defenders has awarded its annual prize to the activist Grace Wanjiru.",
            "award",
            {("agent", "organisation:front line defenders"), ("target", "person:grace wanjiru")},
            None,
        ),
        (
            "The opposition politician Sergei Volkov disappeared in Kazan on 12 April.",
            "disappearance",
            {("target", "person:sergei volkov")},
            "2022-04-12",
        ),
        (
            "Prominent lawyer Li Wen was freed on Sunday after serving a four-year sentence.",
            "imprisonment",
            {("target", "person:li wen")},
            None,
        ),
    ],
)
def test_reported_events(parse, text, kind, expected_roles, expected_date) -> None:
    event = only(events_of(parse, text), kind)
    assert expected_roles <= roles(event)
    assert (event.date.value if event.date else None) == expected_date


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # generic commentary and legal text report no event
        ("Arbitrary arrests of journalists are common in many countries.", "arrest"),
        ("Under the new law, police may detain suspects for 72 hours without charge.", "arrest"),
        ("Under the new law, police may detain suspects for 72 hours without charge.", "detention"),
        (
            "The Criminal Procedure Code allows the arrest of any person suspected of a crime.",
            "arrest",
        ),
        ("The court has repeatedly held that pre-trial detention must be justified.", "detention"),
        ("The court has repeatedly held that pre-trial detention must be justified.", "trial"),
        ("In this essay I argue that mass arrests in the 1990s shaped the movement.", "arrest"),
        # negation and modality
        ("Lawyers said Ivan Petrov was not arrested but questioned as a witness.", "arrest"),
        ("If convicted, Nadia Sanchez could face up to 15 years in prison.", "sentencing"),
        ("If convicted, Nadia Sanchez could face up to 15 years in prison.", "imprisonment"),
        ("Activists fear that the police will arrest more protesters next week.", "arrest"),
        # a request is a statement, not the event requested
        ("Amnesty International called for the release of Maria Kolesnikova.", "release"),
        ("Human Rights Watch urged the authorities to release Ales Bialiatski.", "release"),
        ("The authorities should release Ales Bialiatski immediately.", "release"),
        # not people: a statement released, an election to come
        ("The statement, released late on Friday, was signed by 20 groups.", "release"),
        ("Candidates are preparing for the upcoming presidential election in July.", "election"),
        # people in general, not particular people
        ("Journalists who are imprisoned for their work should be released.", "imprisonment"),
        ("Peaceful demonstrators should never face arrest for exercising their rights.", "arrest"),
        ("Protest is not a crime.", "protest"),
        ("A petition is a powerful tool, but it is not enough.", "petition"),
        ("The government's campaign against dissent has intensified.", "campaign"),
    ],
)
def test_no_event(parse, text, kind) -> None:
    assert not [e for e in events_of(parse, text) if e.type == kind]


def test_once_per_real_world_event(parse) -> None:
    text = (
        "Police arrested the activist Ivan Petrov in Minsk on Tuesday. "
        "Petrov's arrest was condemned by Amnesty International. "
        "His lawyer said the arrest was politically motivated."
    )
    events = events_of(parse, text)
    arrest = only(events, "arrest")
    assert ("target", "person:ivan petrov") in roles(arrest)
    assert arrest.date is not None and arrest.date.value == "2022-05-03"
    assert len(arrest.mentions) >= 2


def test_pronoun_target_resolves_to_recent_person(parse) -> None:
    text = "The blogger Alaa Farouk criticised the government. He was arrested on Monday."
    arrest = only(events_of(parse, text), "arrest")
    assert ("target", "person:alaa farouk") in roles(arrest)


def test_relative_dates_need_a_reference(parse) -> None:
    arrest = only(events_of(parse, "Police arrested Ivan Petrov on Tuesday.", None), "arrest")
    assert arrest.date is None


def test_statement_needs_a_named_speaker(parse) -> None:
    assert not [
        e for e in events_of(parse, "He said the arrest was unlawful.") if e.type == "statement"
    ]


def test_future_event_is_not_reported(parse) -> None:
    text = "Opposition groups called a protest in Tbilisi on 20 May 2022."
    assert not [e for e in events_of(parse, text) if e.type == "protest"]


def test_quantity_on_petition(parse) -> None:
    text = "Amnesty International supporters collected more than 22,000 signatures in Togo in 2021."
    petition = only(events_of(parse, text), "petition")
    assert [(q.amount, q.qualifier) for q in petition.quantities] == [(22000, "more than")]


@pytest.mark.parametrize(
    "text",
    [
        "Students Anna Schmidt, Maria Lopez and Sarah Johnson held a sit-in in Madrid. "
        "The activists were arrested on Tuesday.",
        "Three activists, Anna Schmidt, Maria Lopez and Sarah Johnson, held a protest in Madrid. "
        "They were arrested on Tuesday.",
    ],
)
def test_plural_people_resolve_to_the_latest_named_group(parse, text) -> None:
    events = events_of(parse, text)
    group = {"person:anna schmidt", "person:maria lopez", "person:sarah johnson"}
    assert {("target", k) for k in group} <= roles(only(events, "arrest"))
    assert {("participant", k) for k in group} <= roles(only(events, "protest"))


def test_a_request_names_the_statement_target(parse) -> None:
    text = "Amnesty International urged the authorities to free the blogger Alaa Farouk."
    events = events_of(parse, text)
    assert not [e for e in events if e.type == "release"]
    statement = only(events, "statement")
    assert ("agent", "organisation:amnesty international") in roles(statement)
    assert ("target", "person:alaa farouk") in roles(statement)
