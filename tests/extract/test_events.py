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


# ------------------------------------------------------------- general argument rules
def test_targets_named_by_a_copula_before_a_relative_clause(parse) -> None:
    text = (
        "Nadia Karimova, Oleg Sadykov and Timur Rakhimov are bloggers "
        "who were detained in March and April 2022."
    )
    arrest = only(events_of(parse, text), "arrest")
    people = {"person:nadia karimova", "person:oleg sadykov", "person:timur rakhimov"}
    assert {("target", k) for k in people} <= roles(arrest)
    assert arrest.date is not None and arrest.date.value == "2022"  # both months: the year


@pytest.mark.parametrize(
    "text",
    [
        "Bloggers are people who were arrested for their posts.",  # people in general
        "Rights groups say that bloggers are people who should never be arrested.",
    ],
)
def test_copula_with_no_named_subject_gives_no_arrest(parse, text) -> None:
    assert not [e for e in events_of(parse, text) if e.type == "arrest"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Police detained ten reporters in the capital Harare on Monday.", "place:harare"),
        ("A Kazan court sentenced the poet Lena Ivanova to five years in prison.", "place:kazan"),
    ],
)
def test_location_from_apposition_and_from_the_authority(parse, text, expected) -> None:
    (event,) = [e for e in events_of(parse, text) if e.type in ("arrest", "sentencing")]
    assert event.location == expected


def test_a_date_that_bounds_the_event_is_not_its_date(parse) -> None:
    text = "At least ten reporters have been detained since 3 April 2022."
    arrest = only(events_of(parse, text), "arrest")
    assert arrest.date is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The students were detained on 12 March as they marched through Almaty.", "2022-03-12"),
        # a cause is no time: "because they had marched" took place before
        ("The students were detained on 12 March because they had marched in Almaty.", None),
    ],
)
def test_a_temporal_clause_shares_the_date_of_its_main_clause(parse, text, expected) -> None:
    protest = only(events_of(parse, text), "protest")
    assert (protest.date.value if protest.date else None) == expected


def test_possessive_with_a_curly_apostrophe_names_the_target(parse) -> None:
    arrest = only(events_of(parse, "Rights groups condemned Dmitri Orlov’s arrest."), "arrest")
    assert ("target", "person:dmitri orlov") in roles(arrest)


@pytest.mark.parametrize(
    ("text", "agent"),
    [
        ("The Egyptian government said it released the lawyer Hoda Nasr on Sunday.", "country:EG"),
        ("Iranian authorities said they arrested the rapper Omid Karimi.", "country:IR"),
    ],
)
def test_a_reported_pronoun_subject_is_the_speaker(parse, text, agent) -> None:
    (event,) = [e for e in events_of(parse, text) if e.type in ("release", "arrest")]
    assert ("agent", agent) in roles(event)


def test_a_pronoun_speaker_lends_no_agent(parse) -> None:
    text = "Omar Saleh criticised the court. He said it released the lawyer Hoda Nasr on bail."
    release = only(events_of(parse, text), "release")
    assert ("target", "person:hoda nasr") in roles(release)
    assert not [a for a in release.arguments if a.role == "agent"]


@pytest.mark.parametrize(
    "text",
    [
        "Marat Khasanov received seven years in a penal colony.",
        "Marat Khasanov was given five years in prison on fraud charges.",
        "Marat Khasanov got six years of imprisonment.",
    ],
)
def test_received_years_in_prison_is_a_sentencing(parse, text) -> None:
    sentencing = only(events_of(parse, text), "sentencing")
    assert ("target", "person:marat khasanov") in roles(sentencing)


@pytest.mark.parametrize(
    "text",
    [
        "The volunteer Marat Khasanov received ten years of training.",
        "Marat Khasanov spent seven years in Paris.",
    ],
)
def test_years_of_something_else_are_no_sentencing(parse, text) -> None:
    assert not [e for e in events_of(parse, text) if e.type == "sentencing"]


def test_detention_at_a_named_police_station(parse) -> None:
    text = (
        "The journalist Tendai Moyo was arrested on Monday. "
        "He was taken to Bulawayo Central Police Station."
    )
    detention = only(events_of(parse, text), "detention")
    assert ("target", "person:tendai moyo") in roles(detention)


def test_an_organisation_in_a_relative_clause_is_no_speaker(parse) -> None:
    text = "Maria Lopez, a journalist who has worked with Reuters, said the arrest was unlawful."
    assert not [e for e in events_of(parse, text) if e.type == "statement"]


# ------------------------------------------------------------- local actions of a campaign
def test_local_actions_in_other_countries_are_events_of_their_own(parse) -> None:
    text = (
        "Amnesty International ran a letter-writing marathon for Ales Bialiatski. "
        "In Norway, students wrote letters to Bialiatski. "
        "In Peru, pupils wrote letters to Bialiatski too."
    )
    letters = [e for e in events_of(parse, text) if e.type == "letter_writing"]
    assert sorted(str(e.location) for e in letters) == ["None", "country:NO", "country:PE"]
    marathon = next(e for e in letters if e.location is None)
    assert ("organiser", "organisation:amnesty international") in roles(marathon)


def test_local_actions_in_one_place_merge(parse) -> None:
    text = (
        "Amnesty International collected signatures for Ales Bialiatski. "
        "In Togo, volunteers held a concert and collected 5,000 signatures. "
        "In Togo, pupils also collected signatures at schools."
    )
    petitions = [e for e in events_of(parse, text) if e.type == "petition"]
    assert sorted(str(e.location) for e in petitions) == ["None", "country:TG"]
    togo = next(e for e in petitions if e.location == "country:TG")
    assert len(togo.mentions) == 2
    assert [q.amount for q in togo.quantities] == [5000]


def test_an_action_in_general_is_no_local_event(parse) -> None:
    text = "In many countries, activists collect signatures for prisoners."
    assert not [e for e in events_of(parse, text) if e.type == "petition"]


# ------------------------------------------------------------- quantities stay anchored
@pytest.mark.parametrize(
    "text",
    [
        "At least ten reporters have been detained since 3 April 2022.",
        "The activists were arrested May 29 after the police detained 40 protesters.",
        "Amnesty International collected 1.4 million signatures for Ales Bialiatski.",
    ],
)
def test_quantities_are_non_empty_spans_of_the_text(parse, text) -> None:
    doc = parse(text, REF)
    quantities = [q for e in doc._.hr_events for q in e.quantities]
    assert quantities
    for q in quantities:
        assert q.mention.start < q.mention.end
        assert text[q.mention.start : q.mention.end] == q.mention.text
        assert str(q.amount) not in ("29", "3", "2022")  # parts of dates are no counts


def test_a_scaled_count_is_anchored_on_its_number(parse) -> None:
    text = "Amnesty International collected 1.4 million signatures for Ales Bialiatski."
    petition = only(events_of(parse, text), "petition")
    assert [(q.amount, q.mention.text) for q in petition.quantities] == [
        (1_400_000, "1.4 million signatures")
    ]
