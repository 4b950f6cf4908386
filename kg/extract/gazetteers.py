"""Load the gazetteers of ``pipelines/gazetteers/``: data, not code.

Every table is read once per process and cached.  Country names come from
pycountry, corrected and extended by ``country_aliases.csv``; demonyms,
organisations, titles, statuses and known non-persons come from their own
files (see ``pipelines/gazetteers/README.md``).
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pycountry

from kg.errors import ModelError

PIPELINES_DIR = Path(__file__).resolve().parents[2] / "pipelines"
GAZETTEER_DIR = PIPELINES_DIR / "gazetteers"


@dataclass(frozen=True)
class Organisation:
    """A known organisation: canonical name, other names, kind and country."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "other"
    country: str | None = None


@dataclass
class Gazetteer:
    """All lookup tables the extraction components need."""

    country_names: dict[str, str] = field(default_factory=dict)  # surface form -> ISO2
    demonyms: dict[str, str] = field(default_factory=dict)  # "Belarusian" -> "BY"
    country_labels: dict[str, str] = field(default_factory=dict)  # ISO2 -> label
    ambiguous_countries: frozenset[str] = frozenset()  # names that need the NER's GPE label
    excluded_demonyms: frozenset[str] = frozenset()  # "Latin American": no country inside
    organisations: list[Organisation] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # lowercase title -> relation
    title_kinds: dict[str, str] = field(default_factory=dict)  # lowercase title -> kind
    statuses: frozenset[str] = frozenset()
    non_persons: frozenset[str] = frozenset()
    org_words: dict[str, frozenset[str]] = field(default_factory=dict)  # word -> kinds

    def country_code(self, name: str) -> str | None:
        """The ISO code a country name or demonym stands for, case-insensitively.

        Examples
        --------
        >>> g = load_gazetteer()
        >>> g.country_code("Belarusian"), g.country_code("the UK"), g.country_code("Korea")
        ('BY', 'GB', 'KR')
        """
        return self._folded().get(_fold(name))

    @cache  # noqa: B019 - one Gazetteer per process
    def _folded(self) -> dict[str, str]:
        table = {_fold(k): v for k, v in self.demonyms.items()}
        table.update({_fold(k): v for k, v in self.country_names.items()})
        return table

    def country_label(self, code: str) -> str:
        """The name a reader expects for an ISO code ("RU" -> "Russia").

        Examples
        --------
        >>> g = load_gazetteer()
        >>> g.country_label("RU"), g.country_label("KR"), g.country_label("CD")
        ('Russia', 'South Korea', 'DR Congo')
        """
        if code in self.country_labels:
            return self.country_labels[code]
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            return code
        return getattr(country, "common_name", None) or country.name

    def __hash__(self) -> int:
        return id(self)


def _fold(name: str) -> str:
    """The lookup key of a country name: case-folded, without a leading "the"."""
    return name.strip().casefold().removeprefix("the ").strip()


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {k.strip(): (v or "").strip() for k, v in row.items() if k}
            for row in csv.DictReader(handle)
        ]


def _lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


def _pycountry_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                names[value] = country.alpha_2
    return names


@cache
def load_gazetteer(directory: Path = GAZETTEER_DIR) -> Gazetteer:
    """Read every gazetteer file of ``directory`` (cached per directory).

    Raises
    ------
    ModelError
        If a file is malformed (a JSONL line that is not JSON, a row without a code).
    """
    names = _pycountry_names()
    for row in _rows(directory / "country_aliases.csv"):
        if row.get("alias") and row.get("iso2"):
            names[row["alias"]] = row["iso2"].upper()
    demonyms = {
        r["demonym"]: r["iso2"].upper()
        for r in _rows(directory / "demonyms.csv")
        if r.get("demonym") and r.get("iso2")
    }
    labels = {
        r["iso2"].upper(): r["label"]
        for r in _rows(directory / "country_labels.csv")
        if r.get("iso2") and r.get("label")
    }
    organisations = []
    org_path = directory / "organisations.jsonl"
    if org_path.exists():
        for number, line in enumerate(org_path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ModelError(f"{org_path} line {number}: not valid JSON ({exc.msg})") from None
            organisations.append(
                Organisation(
                    name=item["name"],
                    aliases=tuple(item.get("aliases") or ()),
                    kind=item.get("kind") or "other",
                    country=item.get("country"),
                )
            )
    titles = {
        r["title"].casefold(): r.get("relation") or "none"
        for r in _rows(directory / "titles.csv")
        if r.get("title")
    }
    org_words: dict[str, set[str]] = {}
    for r in _rows(directory / "org_words.csv"):
        if r.get("word") and r.get("kind"):
            org_words.setdefault(r["word"].casefold(), set()).add(r["kind"])
    title_kinds = {
        r["title"].casefold(): r.get("kind") or "org_role"
        for r in _rows(directory / "titles.csv")
        if r.get("title")
    }
    return Gazetteer(
        title_kinds=title_kinds,
        org_words={w: frozenset(k) for w, k in org_words.items()},
        country_names=names,
        demonyms=demonyms,
        country_labels=labels,
        ambiguous_countries=frozenset(
            r["name"] for r in _rows(directory / "ambiguous_countries.csv") if r.get("name")
        ),
        excluded_demonyms=frozenset(
            line.split("\t")[0].strip() for line in _lines(directory / "demonyms_excluded.txt")
        ),
        organisations=organisations,
        titles=titles,
        statuses=frozenset(r["status"].casefold() for r in _rows(directory / "statuses.csv")),
        non_persons=frozenset(s.casefold() for s in _lines(directory / "non_persons.txt")),
    )
