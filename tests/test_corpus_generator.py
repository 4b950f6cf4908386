"""benchmarks/corpus.py: the seeded corpus generator, on three short hand-written articles."""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from kg.article import Article
from kg.io import read_articles

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "benchmarks" / "corpus.py"


def _load_module():
    spec = importlib.util.spec_from_file_location("hrkg_bench_corpus", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


corpus = _load_module()

SOURCES = [
    {
        "id": "src-belarus",
        "title": "Court in Belarus jails activist Maria Kovalenko",
        "date": "2023-03-03",
        "publisher": "Test Wire",
        "text": "Court in Belarus jails activist Maria Kovalenko\n\n"
        "A court in Minsk on Tuesday sentenced the human rights activist Maria Kovalenko to "
        "six years in prison, Amnesty International said. "
        "Kovalenko, who founded a legal aid group, denied the charges. "
        "Her lawyer, Peter Lindqvist, said he would appeal.\n\n"
        "Human Rights Watch called the verdict politically motivated. "
        "Kovalenko was arrested in March after a peaceful protest. "
        "Lindqvist said his client had been held in solitary confinement.\n\n"
        "The European Union urged Belarus to release her.",
    },
    {
        "id": "src-kenya",
        "title": "Kenyan police detain reporter David Otieno",
        "date": "2021-06-14",
        "text": "Police in Kenya arrested the journalist David Otieno in Nairobi on Monday, "
        "his employer said. Otieno had reported on land grabs for several years.\n\n"
        "The Committee to Protect Journalists (CPJ) demanded his immediate release. "
        "His wife, Grace Wanjiru, said officers searched their home. "
        "Otieno has not been charged.\n\n"
        "Kenyan authorities did not respond to requests for comment.",
    },
    {
        "id": "src-peru",
        "title": "Environmental defender killed in Peru",
        "date": "2019-09-01",
        "text": "Unknown gunmen shot dead the Peruvian environmental defender Rosa Quispe near "
        "her village on Sunday, local media reported.\n\n"
        "Quispe had campaigned against illegal logging for a decade. "
        "Front Line Defenders said she had received death threats. "
        "Her brother, Luis Mamani, told reporters that police ignored her complaints. "
        "Mamani said the family wanted justice.\n\n"
        "Peru is one of the most dangerous countries for environmental activists.",
    },
]
FULL_NAMES = {
    "src-belarus": ["Maria Kovalenko", "Peter Lindqvist"],
    "src-kenya": ["David Otieno", "Grace Wanjiru"],
    "src-peru": ["Rosa Quispe", "Luis Mamani"],
}

#: the organisations and countries each source names (a replacement may contain them: "Amnesty
#: International" -> "Amnesty International USA", hence the lookahead)
OWN_NAMES = {
    "src-belarus": r"\bBelarus|Amnesty International(?! USA)|Human Rights Watch|European Union",
    "src-kenya": r"\bKenya|Committee to Protect Journalists|\bCPJ\b",
    "src-peru": r"\bPeru|Front Line Defenders",
}


@pytest.fixture(scope="module")
def gazetteer():
    return corpus.load_gazetteer()


@pytest.fixture(scope="module")
def sources(nlp, gazetteer):
    return corpus.extract_sources(SOURCES, nlp, gazetteer)


def generate(sources, gazetteer, count=30, seed=1, **options):
    generator = corpus.Generator(sources, gazetteer, corpus.Options(**options), seed)
    return list(generator.articles(count))


def test_sources_are_split_and_their_persons_found(sources):
    assert [s.id for s in sources] == ["src-belarus", "src-kenya", "src-peru"]
    assert sources[0].persons == {"Kovalenko": "Maria", "Lindqvist": "Peter"}
    assert [len(p) for p in sources[0].paragraphs] == [1, 3, 3, 1]
    kinds = {m.kind for p in sources[1].paragraphs for s in p for m in s.mentions}
    assert kinds == {"person", "org", "country"}


def test_same_seed_same_articles(sources, gazetteer):
    assert generate(sources, gazetteer, mix=0.5) == generate(sources, gazetteer, mix=0.5)


def test_different_seeds_differ(sources, gazetteer):
    one = [a["text"] for a in generate(sources, gazetteer, seed=1)]
    two = [a["text"] for a in generate(sources, gazetteer, seed=2)]
    assert one != two


def test_article_n_does_not_depend_on_the_count(sources, gazetteer):
    assert generate(sources, gazetteer, count=5) == generate(sources, gazetteer, count=20)[:5]


def test_ids_are_unique_and_dates_in_range(sources, gazetteer):
    articles = generate(sources, gazetteer, count=100, seed=7)
    assert [a["id"] for a in articles] == [f"gen-7-{n}" for n in range(100)]
    assert all("2010-01-01" <= a["date"] <= "2024-12-31" for a in articles)
    assert len({a["date"] for a in articles}) > 50


def test_all_persons_swapped_leaves_no_source_name(sources, gazetteer):
    for article in generate(sources, gazetteer, mix=0.0, swap_persons=1.0):
        for name in FULL_NAMES[article["template"]]:
            for part in name.split():
                assert part not in article["text"], (part, article["text"])
                assert part not in article["title"]


def test_no_person_swapped_keeps_every_name(sources, gazetteer):
    for article in generate(sources, gazetteer, mix=0.0, swap_persons=0.0):
        assert all(name in article["text"] for name in FULL_NAMES[article["template"]])


def test_swapped_share_follows_the_option(sources, gazetteer):
    articles = generate(sources, gazetteer, count=300, mix=0.0, swap_persons=0.5)
    kept = [FULL_NAMES[a["template"]][0] in a["text"] for a in articles]
    assert 0.4 < sum(kept) / len(kept) < 0.6


def test_swapped_names_are_consistent_within_an_article(sources, gazetteer):
    for article in generate(sources, gazetteer, mix=0.0):
        if article["template"] != "src-belarus":
            continue
        # "Maria Kovalenko" in the title and first sentence, "Kovalenko" later: one new person
        first, last = article["title"].split()[-2:]
        assert article["text"].count(f"{first} {last}") == 2
        assert article["text"].count(last) == 4


def test_organisations_and_countries_are_swapped(sources, gazetteer):
    for article in generate(sources, gazetteer, mix=0.0):
        assert not re.search(OWN_NAMES[article["template"]], article["text"])
        if article["template"] == "src-kenya":
            # the acronym after the full name is an acronym again: "... (ABC)"
            text = article["text"]
            assert text[text.index("(") + 1 : text.index(")")].isupper()


def test_borrowed_sentences_keep_the_first_paragraph(sources, gazetteer):
    articles = generate(
        sources, gazetteer, count=10, mix=1.0, swap_persons=0.0, swap_orgs=0.0, swap_countries=0.0
    )
    for article in articles:
        source = next(s for s in SOURCES if s["id"] == article["template"])
        paragraphs = article["text"].split("\n\n")
        assert paragraphs[0] == source["text"].split("\n\n")[0]
        assert not all(p in source["text"] for p in paragraphs[1:])


def test_sentences_option_shortens_articles(sources, gazetteer):
    articles = generate(
        sources,
        gazetteer,
        mix=0.0,
        swap_persons=0.0,
        swap_orgs=0.0,
        swap_countries=0.0,
        sentences=2,
    )
    belarus = next(a for a in articles if a["template"] == "src-belarus")
    assert belarus["text"] == SOURCES[0]["text"].split(" Kovalenko, who")[0]


@pytest.mark.parametrize("name", ["gen.jsonl", "gen.jsonl.gz"])
def test_output_is_read_by_kg_io(sources, gazetteer, tmp_path, name):
    generator = corpus.Generator(sources, gazetteer, corpus.Options(), seed=3)
    path = tmp_path / name
    with corpus.open_output(str(path)) as handle:
        count, words = corpus.write_jsonl(generator.articles(25), handle)
    items = list(read_articles([path]))
    assert all(isinstance(item, Article) for item in items)
    assert [a.id for a in items] == [f"gen-3-{n}" for n in range(25)] and count == 25
    assert words == sum(len(a.text.split()) for a in items)
    assert all(a.date is not None and a.title for a in items)


def test_write_jsonl_streams_one_line_per_article(sources, gazetteer):
    generator = corpus.Generator(sources, gazetteer, corpus.Options(), seed=1)
    buffer = io.StringIO()
    corpus.write_jsonl(generator.articles(4), buffer)
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["text"] for line in lines)


def test_bad_options_are_refused(sources, gazetteer):
    with pytest.raises(ValueError):
        corpus.Generator([], gazetteer, corpus.Options())
    bad_range = replace(corpus.Options(), start=corpus.Options.end, end=corpus.Options.start)
    with pytest.raises(ValueError):
        corpus.Generator(sources, gazetteer, bad_range)


def test_command_line_output_is_identical_across_hash_seeds(tmp_path):
    source = tmp_path / "sources.jsonl"
    source.write_text("".join(json.dumps(s) + "\n" for s in SOURCES), encoding="utf-8")
    outputs = []
    for hash_seed in ("1", "2"):
        out = tmp_path / f"out-{hash_seed}.jsonl.gz"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        command = [sys.executable, str(SCRIPT), str(source), "--articles", "40", "-o", str(out)]
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
        assert result.stdout.startswith("40 articles, ")
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_untitled_template_lends_its_first_words(sources, gazetteer):
    untitled = [replace(s, title=corpus.Sentence("")) for s in sources]
    articles = generate(untitled, gazetteer, mix=0.0, swap_persons=0.0, swap_countries=0.0)
    peru = next(a for a in articles if a["template"] == "src-peru")
    assert (
        peru["title"]
        == "Unknown gunmen shot dead the Peruvian environmental defender Rosa Quispe near her ..."
    )
