"""Tests for ``kg.io``: reading articles from JSONL, .txt files and directories.

A bad document never stops a batch: it comes out as an ``InputError`` naming the
file and line, in its place, and the good articles around it still come out.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.article import Article
from kg.errors import InputError
from kg.io import read_articles, read_jsonl, read_text

GOOD = {"id": "good", "text": "Police arrested him."}


def jsonl(path: Path, *lines: str | bytes | dict) -> Path:
    """Write ``lines`` (records, raw text or raw bytes) as a JSONL file."""
    chunks = []
    for line in lines:
        if isinstance(line, dict):
            line = json.dumps(line)
        chunks.append(line if isinstance(line, bytes) else line.encode("utf-8"))
    path.write_bytes(b"\n".join(chunks) + b"\n")
    return path


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputError)],
    )


@pytest.mark.parametrize(
    ("bad_line", "complaint"),
    [
        ('{"id": "x", "text": "unterminated', "not valid JSON"),
        ("[1, 2, 3]", "expected a JSON object"),
        (b'{"id": "x", "text": "caf\xe9"}', "not UTF-8"),
        ('{"text": "No id here."}', "missing 'id'"),
        ('{"id": "  ", "text": "Blank id."}', "missing 'id'"),
        ('{"id": "x"}', "no 'text'"),
        ('{"id": "x", "text": 42}', "no 'text'"),
        ('{"id": "x", "text": "   \\n  "}', "is empty"),
        ('{"id": "x", "text": "Hi.", "date": "yesterday"}', "not an ISO date"),
        ('{"id": "x", "text": "Hi.", "date": "2023-02-30"}', "not an ISO date"),
        # JSON may spell a lone surrogate, which is not text: it cannot be hashed or stored
        ('{"id": "x", "text": "bad \\ud800 text"}', "lone surrogate"),
        ('{"id": "\\udfff", "text": "Hi."}', "lone surrogate"),
        ('{"id": "x", "text": "Hi.", "title": "\\ud83d"}', "lone surrogate"),
    ],
)
def test_bad_line_is_yielded_with_file_and_line_and_the_batch_goes_on(
    tmp_path, bad_line, complaint
):
    path = jsonl(tmp_path / "batch.jsonl", GOOD, bad_line, {**GOOD, "id": "after"})
    articles, errors = split(list(read_jsonl(path)))
    assert [a.id for a in articles] == ["good", "after"]
    assert len(errors) == 1
    message = str(errors[0])
    assert f"{path} line 2" in message
    assert complaint in message
    assert "\n" not in message


def test_blank_lines_are_skipped_but_counted(tmp_path):
    path = jsonl(tmp_path / "a.jsonl", GOOD, "", "   ", "{oops")
    items = list(read_jsonl(path))
    assert [type(i) for i in items] == [Article, InputError]
    assert "line 4" in str(items[1])


def test_record_fields_become_article_fields(tmp_path):
    record = {
        "id": 7,
        "text": "Police arrested him.",
        "date": "2023-03-03T10:00:00Z",
        "url": "https://example.org/a",
        "title": "",
        "publisher": None,
    }
    (article,) = read_jsonl(jsonl(tmp_path / "a.jsonl", record))
    assert article == Article(
        id="7", text="Police arrested him.", url="https://example.org/a", date=date(2023, 3, 3)
    )
    assert article.source.endswith("a.jsonl line 1")


def test_byte_order_mark_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "windows.jsonl"
    path.write_bytes(
        b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\r\n" + b'{"id": "b", "text": "B."}\r\n'
    )
    items = list(read_jsonl(path))
    assert [getattr(i, "id", i) for i in items] == ["good", "b"]


def test_text_file_is_one_article_named_by_its_stem(tmp_path):
    path = tmp_path / "report-2023.txt"
    path.write_text("Police arrested him.\nHe was released.", encoding="utf-8")
    (article,) = read_text(path)
    assert article.id == "report-2023"
    assert article.text == "Police arrested him.\nHe was released."
    assert article.date is None


def test_text_file_with_byte_order_mark_keeps_offsets_of_the_text(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbfPolice arrested him.")
    (article,) = read_text(path)
    assert article.text == "Police arrested him."


@pytest.mark.parametrize(
    ("content", "complaint"),
    [(b"caf\xe9 au lait", "not UTF-8"), (b"  \n\t ", "empty")],
)
def test_bad_text_file_is_yielded_as_an_error(tmp_path, content, complaint):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    (error,) = read_text(path)
    assert isinstance(error, InputError)
    assert str(path) in str(error) and complaint in str(error)


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    jsonl(
        tmp_path / "b.jsonl", {"id": "b1", "text": "One."}, "{broken", {"id": "b2", "text": "Two."}
    )
    (tmp_path / "a.txt").write_text("Alpha.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text("Gamma.", encoding="utf-8")
    (tmp_path / "sub" / "notes.md").write_text("# not an input", encoding="utf-8")
    (tmp_path / "sub" / "data.json").write_text("{}", encoding="utf-8")
    items = list(read_articles([tmp_path]))
    assert [i.id if isinstance(i, Article) else "ERROR" for i in items] == [
        "a",
        "b1",
        "ERROR",
        "b2",
        "c",
    ]
    assert "b.jsonl line 2" in str(items[2])


def test_files_and_directories_mix_in_the_order_given(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "z.txt").write_text("Zed.", encoding="utf-8")
    first = jsonl(tmp_path / "first.jsonl", GOOD)
    items = list(read_articles([tmp_path / "d", first]))
    assert [i.id for i in items] == ["z", "good"]


@pytest.mark.parametrize(
    ("name", "complaint"),
    [
        ("missing.jsonl", "no such file"),
        ("missing-dir", "no such file"),
        ("notes.md", "unsupported"),
    ],
)
def test_missing_or_unsupported_path_raises(tmp_path, name, complaint):
    if name == "notes.md":
        (tmp_path / name).write_text("hi", encoding="utf-8")
    with pytest.raises(InputError, match=complaint) as caught:
        list(read_articles([tmp_path / name]))
    assert name in str(caught.value)


@settings(max_examples=150)
@given(text=st.text(min_size=1).filter(str.strip), ident=st.text(min_size=1).filter(str.strip))
def test_any_text_round_trips_through_jsonl(tmp_path_factory, text, ident):
    path = tmp_path_factory.mktemp("rt") / "a.jsonl"
    path.write_text(json.dumps({"id": ident, "text": text}) + "\n", encoding="utf-8")
    (article,) = read_articles([path])
    assert isinstance(article, Article)
    assert article.text == text
    assert article.id == ident


@settings(max_examples=50)
@given(text=st.text(min_size=1).filter(str.strip))
def test_any_text_round_trips_through_jsonl_written_without_ascii_escapes(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("rt") / "a.jsonl"
    line = json.dumps({"id": "a", "text": text}, ensure_ascii=False)
    path.write_bytes(line.encode("utf-8") + b"\n")
    (article,) = read_articles([path])
    assert isinstance(article, Article)
    assert article.text == text
