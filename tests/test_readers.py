"""Tests for the readers of gzipped JSONL, HTML pages and WARC files (``kg.readers``).

Every page and WARC file is made here: small HTML pages of our own, WARC files
written with warcio's ``WARCWriter`` (plain and gzip-compressed).  As for JSONL,
a bad document comes out as an ``InputError`` in its place, and a damaged file
ends with one ``InputError`` after the articles read before the damage.
"""

from __future__ import annotations

import gzip
import io
import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.article import Article
from kg.cli import app
from kg.errors import InputError
from kg.io import SUFFIXES, read_articles, read_jsonl
from kg.readers import read_html, read_jsonl_gz, read_warc, warc_article_id
from kg.store import Store

BODY = (
    "Police in Minsk detained the human rights defender Nasta Loika on Friday, "
    "her colleagues said.",
    "A court is expected to decide on Monday whether she will remain in custody.",
    "Rights groups called for her immediate release and for the charges to be dropped.",
)


def page(
    title: str = "Defender detained in Minsk",
    paragraphs: tuple[str, ...] = BODY,
    head: str = "",
) -> str:
    """A news page of our own, with the usual boilerplate around the article."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} - Example Monitor</title>
<meta property="og:title" content="{title}">
{head}
<script>var x = 1; window.track("page");</script>
<style>.menu {{ color: red; }}</style>
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/europe">Europe</a></li>
<li><a href="/about">About us</a></li></ul></nav></header>
<main><article><h1>{title}</h1>{body}
<script>var x = 2;</script></article>
<aside><h2>Related stories</h2><ul><li><a href="/x">Journalist sentenced in Grodno</a></li>
<li><a href="/y">Protest in Brest dispersed</a></li></ul></aside></main>
<footer><p>Copyright 2023 Example Monitor. All rights reserved.</p></footer>
</body></html>"""


def split(items: list[Article | InputError]) -> tuple[list[Article], list[InputError]]:
    return (
        [i for i in items if isinstance(i, Article)],
        [i for i in items if isinstance(i, InputError)],
    )


def assert_one_line_naming(error: object, *fragments: str) -> None:
    assert isinstance(error, InputError), error
    message = str(error)
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message, message


def assert_article_text_only(text: str) -> None:
    """The article's sentences are in ``text``; scripts, styles and boilerplate are not."""
    for sentence in BODY:
        assert sentence in text
    for leak in (
        "var x",
        "window.track",
        "color: red",
        "About us",
        "Related stories",
        "Journalist sentenced",
        "All rights reserved",
    ):
        assert leak not in text


# --- gzipped JSONL ------------------------------------------------------------------------

LINES = [
    {"id": "a1", "text": "Police arrested him.", "date": "2023-03-03", "url": "https://x.org/1"},
    "{not json",
    {"id": "a2", "text": "Він був затриманий у Києві.", "title": "Затримання"},
    {"id": "a3", "text": "   "},
]


def write_jsonl(path: Path, lines: list, opener=open) -> Path:
    with opener(path, "wb") as handle:
        for line in lines:
            text = line if isinstance(line, str) else json.dumps(line, ensure_ascii=False)
            handle.write(text.encode("utf-8") + b"\n")
    return path


def test_gzipped_jsonl_reads_like_plain_jsonl(tmp_path):
    plain = list(read_jsonl(write_jsonl(tmp_path / "a.jsonl", LINES)))
    packed = list(read_jsonl_gz(write_jsonl(tmp_path / "a.jsonl.gz", LINES, gzip.open)))
    assert [type(i) for i in packed] == [Article, InputError, Article, InputError]
    assert packed[0] == plain[0] and packed[2] == plain[2]  # Article equality ignores source
    assert packed[2].text == "Він був затриманий у Києві."
    assert packed[0].date == date(2023, 3, 3)
    assert packed[0].source.endswith("a.jsonl.gz line 1")
    for ours, theirs in zip(packed[1::2], plain[1::2], strict=True):
        assert str(ours).replace("a.jsonl.gz", "a.jsonl") == str(theirs)


def test_corrupt_gzip_ends_with_one_error_after_the_lines_before_it(tmp_path):
    records = [
        {"id": f"a{i}", "text": f"Police arrested person number {i}. " * 30} for i in range(40)
    ]
    good = write_jsonl(tmp_path / "good.jsonl.gz", records, gzip.open)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    articles, errors = split(list(read_jsonl_gz(cut)))
    assert 0 < len(articles) < 40
    assert [a.id for a in articles] == [f"a{i}" for i in range(len(articles))]
    assert len(errors) == 1
    assert_one_line_naming(errors[0], str(cut), "corrupt gzip", f"line {len(articles) + 1}")


def test_a_file_that_is_not_gzip_is_one_error(tmp_path):
    path = write_jsonl(tmp_path / "plain.jsonl.gz", LINES)  # not compressed
    (error,) = read_jsonl_gz(path)
    assert_one_line_naming(error, str(path), "corrupt gzip", "line 1")


# --- HTML ---------------------------------------------------------------------------------


def test_html_file_gives_the_article_text_title_url_and_date(tmp_path):
    path = tmp_path / "loika-detained.html"
    head = (
        '<link rel="canonical" href="https://monitor.example.org/2023/loika">'
        '<meta property="article:published_time" content="2023-03-03T10:00:00Z">'
    )
    path.write_text(page(head=head), encoding="utf-8")
    (article,) = read_html(path)
    assert isinstance(article, Article)
    assert article.id == "loika-detained"
    assert article.title == "Defender detained in Minsk"
    assert article.url == "https://monitor.example.org/2023/loika"
    assert article.date == date(2023, 3, 3)
    assert article.source == str(path)
    assert_article_text_only(article.text)


def test_og_url_is_the_url_without_a_canonical_link(tmp_path):
    path = tmp_path / "a.htm"
    path.write_text(page(head='<meta property="og:url" content="https://m.example.org/a">'))
    (article,) = read_articles([path])
    assert article.url == "https://m.example.org/a"
    assert article.date is None


def test_html_in_a_declared_legacy_encoding_is_decoded(tmp_path):
    text = "Міліцыя затрымала праваабаронцу ў Мінску ў пятніцу раніцай."
    html = page(title="Затрыманне", paragraphs=(text, *BODY)).replace("utf-8", "windows-1251")
    path = tmp_path / "by.html"
    path.write_bytes(html.encode("cp1251"))
    (article,) = read_html(path)
    assert article.title == "Затрыманне"
    assert text in article.text


def test_an_html_fragment_is_read_too(tmp_path):
    path = tmp_path / "fragment.html"
    path.write_text("".join(f"<p>{p}</p>" for p in BODY), encoding="utf-8")
    (article,) = read_html(path)
    assert article.text == "\n".join(BODY)


@pytest.mark.parametrize(
    "html",
    [
        "<html><head><script>var x = 1;</script><style>p { color: red }</style></head></html>",
        "<html><body></body></html>",
        "",
    ],
)
def test_html_without_article_text_is_an_error(tmp_path, html):
    path = tmp_path / "empty.html"
    path.write_text(html, encoding="utf-8")
    (error,) = read_html(path)
    assert_one_line_naming(error, str(path), "no article text found")


# --- directories --------------------------------------------------------------------------


def test_directory_mixes_text_html_and_gzipped_jsonl_in_sorted_order(tmp_path):
    (tmp_path / "b.txt").write_text("Police arrested him.", encoding="utf-8")
    (tmp_path / "c.html").write_text(page(), encoding="utf-8")
    (tmp_path / "sub").mkdir()
    write_jsonl(tmp_path / "sub" / "a.jsonl.gz", LINES[:2], gzip.open)
    (tmp_path / "sub" / "d.htm").write_text("<html><body></body></html>", encoding="utf-8")
    (tmp_path / "sub" / "notes.txt.gz").write_bytes(gzip.compress(b"not an input"))
    (tmp_path / "sub" / "image.gz").write_bytes(gzip.compress(b"not an input"))
    items = list(read_articles([tmp_path]))
    assert [i.id if isinstance(i, Article) else "ERROR" for i in items] == [
        "b",
        "c",
        "a1",
        "ERROR",
        "ERROR",
    ]
    assert "a.jsonl.gz line 2" in str(items[3])
    assert "d.htm" in str(items[4]) and "no article text" in str(items[4])
    assert_article_text_only(items[1].text)


def test_suffixes_read():
    assert SUFFIXES == (".jsonl", ".jsonl.gz", ".txt", ".html", ".htm", ".warc", ".warc.gz")


@pytest.mark.parametrize("name", ["notes.md", "notes.txt.gz", "page.HTML", "archive.gz"])
def test_other_suffixes_given_as_files_are_still_refused(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    with pytest.raises(InputError, match="unsupported") as caught:
        list(read_articles([tmp_path / name]))
    assert name in str(caught.value)


# --- WARC ---------------------------------------------------------------------------------

HTTP_OK = "200 OK"


def response(writer: WARCWriter, uri: str, body: bytes, content_type: str, **options):
    """A WARC response record for ``uri`` (``status``, ``warc_date``, ``headers`` optional)."""
    headers = [("Content-Type", content_type), *options.get("headers", [])]
    http = StatusAndHeaders(options.get("status", HTTP_OK), headers, protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": options.get("warc_date", "2023-03-05T08:30:00Z")}
    return writer.create_warc_record(
        uri,
        "response",
        payload=io.BytesIO(body),
        http_headers=http,
        warc_headers_dict=warc_headers,
    )


def request(writer: WARCWriter, uri: str):
    http = StatusAndHeaders(
        "GET / HTTP/1.1", [("Host", "monitor.example.org")], is_http_request=True
    )
    return writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=http)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
FIRST = "https://monitor.example.org/2023/03/loika"
SECOND = "https://monitor.example.org/news/court-hearing"
DATED = '<meta property="article:published_time" content="2023-03-03T10:00:00Z">'
SECOND_BODY = (
    "The court in Brest sentenced the journalist Andrei Aliaksandrau to fourteen years.",
    "His wife said he would appeal against the verdict in the coming weeks.",
    "Observers from three embassies were not allowed into the courtroom.",
)


def write_warc(path: Path, build, compress: bool) -> Path:
    """Write the records ``build(writer)`` returns to a WARC file."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=compress)
        for record in build(writer):
            writer.write_record(record)
    return path


def crawl(writer: WARCWriter) -> list:
    """Two HTML pages, an image and a request, as a crawler writes them."""
    return [
        request(writer, FIRST),
        response(writer, FIRST, page(head=DATED).encode(), "text/html; charset=utf-8"),
        response(writer, "https://monitor.example.org/logo.png", PNG, "image/png"),
        response(
            writer,
            SECOND,
            page("Journalist sentenced", SECOND_BODY).encode(),
            "text/html",
            warc_date="2023-03-06T12:00:00Z",
        ),
    ]


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_warc_gives_one_article_per_html_response(tmp_path, compress):
    path = write_warc(tmp_path / ("crawl.warc" + ".gz" * compress), crawl, compress)
    first, second = read_articles([path])
    assert first.id == warc_article_id(FIRST) and second.id == warc_article_id(SECOND)
    assert first.url == FIRST and second.url == SECOND
    assert first.title == "Defender detained in Minsk"
    assert second.title == "Journalist sentenced"
    assert first.date == date(2023, 3, 3)  # the page's own date ...
    assert second.date == date(2023, 3, 6)  # ... else the WARC-Date
    assert_article_text_only(first.text)
    assert all(sentence in second.text for sentence in SECOND_BODY)
    assert "Police in Minsk" not in second.text
    assert first.source.startswith(f"{path} record 2") and FIRST in first.source


def test_warc_article_ids_are_stable_and_distinct():
    assert warc_article_id(FIRST) == warc_article_id(FIRST)
    assert warc_article_id(FIRST) != warc_article_id(SECOND)
    assert warc_article_id(FIRST).startswith("warc-") and len(warc_article_id(FIRST)) == 21


def test_warc_skips_failed_responses_and_reads_html_resources(tmp_path):
    def build(writer):
        return [
            response(
                writer,
                "https://m.example.org/gone",
                page().encode(),
                "text/html",
                status="404 Not Found",
            ),
            response(writer, "https://m.example.org/moved", b"", "text/html", status="301 Moved"),
            writer.create_warc_record(
                SECOND,
                "resource",
                payload=io.BytesIO(page("Journalist sentenced", SECOND_BODY).encode()),
                warc_content_type="text/html; charset=utf-8",
            ),
        ]

    (article,) = read_warc(write_warc(tmp_path / "mixed.warc.gz", build, True))
    assert article.url == SECOND and article.title == "Journalist sentenced"


def test_warc_decodes_http_content_encoding_and_charset(tmp_path):
    text = "Міліцыя затрымала праваабаронцу ў Мінску ў пятніцу раніцай."
    html = page(paragraphs=(text, *BODY)).replace('<meta charset="utf-8">', "")

    def build(writer):
        body = gzip.compress(html.encode("cp1251"))
        encoding = [("Content-Encoding", "gzip")]
        return [response(writer, FIRST, body, "text/html; charset=windows-1251", headers=encoding)]

    (article,) = read_warc(write_warc(tmp_path / "enc.warc.gz", build, True))
    assert text in article.text


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_truncated_warc_ends_with_one_error_after_the_good_records(tmp_path, compress):
    def build(writer):
        third = page("Third", ("A third article about a hearing in Gomel on Tuesday.",) * 3)
        return [*crawl(writer), response(writer, FIRST + "/3", third.encode(), "text/html")]

    full = write_warc(tmp_path / ("full.warc" + ".gz" * compress), build, compress)
    data = full.read_bytes()
    cut = tmp_path / ("cut.warc" + ".gz" * compress)
    cut.write_bytes(data[: len(data) - 200])  # inside the last record
    articles, errors = split(list(read_warc(cut)))
    assert [a.url for a in articles] == [FIRST, SECOND]
    assert len(errors) == 1
    assert_one_line_naming(errors[0], str(cut), "record 5", "byte")


@pytest.mark.parametrize("compress", [True, False], ids=["warc.gz", "warc"])
def test_file_cut_inside_a_record_header_is_an_error_too(tmp_path, compress):
    full = write_warc(tmp_path / ("full.warc" + ".gz" * compress), crawl, compress)
    cut = tmp_path / ("cut.warc" + ".gz" * compress)
    cut.write_bytes(full.read_bytes()[:40])
    (error,) = read_warc(cut)
    assert_one_line_naming(error, str(cut), "record 1")


def test_a_file_that_is_not_a_warc_is_one_error(tmp_path):
    path = tmp_path / "notes.warc"
    path.write_text("These are my notes, not a web archive.\n" * 3, encoding="utf-8")
    (error,) = read_warc(path)
    assert_one_line_naming(error, str(path), "record 1")


def test_warc_record_with_empty_html_is_an_error_in_its_place(tmp_path):
    empty = "https://monitor.example.org/empty"

    def build(writer):
        return [
            response(writer, empty, b"", "text/html"),
            response(
                writer, SECOND, page("Journalist sentenced", SECOND_BODY).encode(), "text/html"
            ),
        ]

    path = write_warc(tmp_path / "empty.warc.gz", build, True)
    error, article = read_warc(path)
    assert_one_line_naming(error, str(path), empty, "no article text found")
    assert article.url == SECOND


def test_warc_is_read_lazily(tmp_path):
    path = write_warc(tmp_path / "crawl.warc.gz", crawl, True)
    articles = read_articles([path])
    assert next(articles).url == FIRST  # before the rest of the file is read
    assert next(articles).url == SECOND


# --- the command line ---------------------------------------------------------------------


def test_hrkg_build_reads_a_warc_file(tmp_path):
    sentence = "Police in Minsk detained the human rights defender Nasta Loika on Friday."

    def build(writer):
        return [
            response(writer, FIRST, page(paragraphs=(sentence,), head=DATED).encode(), "text/html")
        ]

    path = write_warc(tmp_path / "crawl.warc.gz", build, True)
    store = tmp_path / "store"
    result = CliRunner().invoke(app, ["build", "--store", str(store), str(path)])
    assert result.exit_code == 0, result.output
    assert "built 1 articles (0 unchanged, 0 failed)" in result.stderr
    kg = Store(store, read_only=True)
    assert set(kg.article_hashes()) == {warc_article_id(FIRST)}
    quads = kg.dump("nq").decode("utf-8")
    assert f"<{FIRST}>" in quads
    assert '"Defender detained in Minsk"' in quads
    assert '"2023-03-03"' in quads
