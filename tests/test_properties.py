"""Property-based tests: whatever names, texts and bytes come in, nothing breaks or changes.

Complements the examples of ``test_iris.py`` (article ids), ``test_store.py`` (one
literal) and ``test_io.py`` (JSONL text): here entity keys of every kind, whole
article graphs built by ``kg.build`` from hand-made extraction records, every RDF
export format, UTF-16 and UTF-32 input, and arbitrary bytes under every suffix.
"""

from __future__ import annotations

import codecs
import gzip
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDFS, SKOS
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from kg.article import Article
from kg.errors import HrkgError, InputError
from kg.export import RDF_FORMATS, export
from kg.io import SUFFIXES, read_articles
from kg.iris import entity_iri
from kg.store import Store, to_rdflib
from tests.test_graph import built

BASE = "https://w3id.org/hrkg/id/"
KINDS = ("person", "organisation", "place", "country")
PARSERS = {"ttl": "turtle", "trig": "trig", "nq": "nquads", "jsonld": "json-ld"}
FUZZ = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
names = st.text(min_size=1, max_size=30)
#: Names as a property test should try them: anything, and the characters exports must escape.
awkward = st.one_of(
    names,
    st.lists(
        st.sampled_from(['"', "'", "<", ">", "\n", "\r", "\t", "\\", "😀", "🌍", "&", "{", " "])
        | st.characters(),
        min_size=1,
        max_size=12,
    ).map("".join),
)


def canonical_name(kind: str, name: str) -> str:
    """What an entity's IRI is made of: spaces are hyphens, an empty name is ``unnamed``."""
    return (name if kind == "country" else name.replace(" ", "-")) or "unnamed"


def parses_as_iri(iri: URIRef) -> bool:
    """True when ``iri`` survives a Turtle document as the same IRI."""
    graph = Graph().parse(data=f"{iri.n3()} <http://x/p> <http://x/o> .", format="turtle")
    return list(graph.subjects()) == [iri]


# --- IRIs ------------------------------------------------------------------------------------


@settings(max_examples=200)
@given(kind=st.sampled_from(KINDS), name=st.text(max_size=30))
def test_entity_iris_of_any_kind_and_name_are_valid(kind, name):
    iri = entity_iri(f"{kind}:{name}")
    assert iri.startswith(f"{BASE}{kind}/")
    assert not any(c in iri for c in ' <>"{}|\\^`\n\r\t'), iri
    assert parses_as_iri(iri)


@settings(max_examples=200)
@given(
    first=st.tuples(st.sampled_from(KINDS), st.text(max_size=12)),
    second=st.tuples(st.sampled_from(KINDS), st.text(max_size=12)),
)
def test_entity_iris_are_equal_only_for_the_same_kind_and_canonical_name(first, second):
    same = entity_iri(f"{first[0]}:{first[1]}") == entity_iri(f"{second[0]}:{second[1]}")
    assert same == (
        first[0] == second[0]
        and canonical_name(first[0], first[1]) == canonical_name(second[0], second[1])
    )


# --- building and serialising ----------------------------------------------------------------


def store_quads(store: Store) -> set[tuple]:
    """Every quad of the store, as rdflib terms."""
    return {
        (to_rdflib(q.subject), to_rdflib(q.predicate), to_rdflib(q.object), to_rdflib(q.graph_name))
        for q in store.dataset_quads()
    }


def read_back(data: bytes, fmt: str) -> set[tuple]:
    """What rdflib reads from an export: quads, or triples for Turtle."""
    if fmt == "ttl":
        return set(Graph().parse(data=data, format="turtle"))
    dataset = Dataset()
    dataset.parse(data=data, format=PARSERS[fmt])
    return set(dataset.quads())


def awkward_store(article_id: str, person: str, organisation: str, code: str) -> Store:
    """A store holding the graph ``kg.build`` makes of one article about these names."""
    text = f"{person} was arrested.\n{organisation} protested and {person} joined {organisation}."
    people, org, country = (
        f"person:{person.lower()}",
        f"organisation:{organisation}",
        f"country:{code}",
    )
    graph = built(
        article_id,
        text,
        [(people, person, person), (org, organisation, organisation), (country, code, "was")],
        [("arrest", "arrested", [("target", people)], country, "2023-03")],
        [(people, "member_of", org, "joined")],
        aliases={people: {person.upper(), f"«{person}»"}},
    )
    store = Store(None)
    store.replace_graph(graph)
    return store


@settings(max_examples=40, deadline=None)
@given(
    article_id=awkward,
    person=awkward,
    organisation=awkward,
    code=st.text(max_size=6),
)
def test_any_names_build_and_export_losslessly_in_every_rdf_format(
    article_id, person, organisation, code
):
    store = awkward_store(article_id, person, organisation, code)
    quads = store_quads(store)
    labels = {o for _, p, o, _ in quads if p in (RDFS.label, SKOS.altLabel)}
    assert {Literal(person), Literal(organisation), Literal(f"«{person}»")} <= labels
    for fmt in RDF_FORMATS:
        expected = {q[:3] for q in quads} if fmt == "ttl" else quads
        assert read_back(export(store, fmt), fmt) == expected, fmt


# --- readers ---------------------------------------------------------------------------------


def sample_warc() -> bytes:
    """A WARC file of one HTML response, as a crawler writes it."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    body = b"<html><body><article><p>Police arrested Jane Doe in Minsk.</p></article></body>"
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        "https://example.org/a", "response", payload=io.BytesIO(body), http_headers=http
    )
    writer.write_record(record)
    return buffer.getvalue()


SAMPLES = {
    ".jsonl": b'{"id": "a", "text": "Police arrested Jane.", "date": "2023-03-03"}\n{"id": 2}\n',
    ".txt": "Police arrested Zoë Doe in Minsk.\n".encode(),
    ".html": b"<html><head><title>T</title></head><body><article><p>Police arrested Jane "
    b"Doe in Minsk on Friday.</p></article></body></html>",
    ".warc": sample_warc(),
}
SAMPLES.update({".htm": SAMPLES[".html"], ".jsonl.gz": SAMPLES[".jsonl"]})
SAMPLES[".warc.gz"] = SAMPLES[".warc"]
assert set(SAMPLES) == set(SUFFIXES)


@st.composite
def damaged(draw, sample: bytes) -> bytes:
    """``sample`` with a slice replaced by arbitrary bytes (or cut short)."""
    start = draw(st.integers(0, len(sample)))
    end = draw(st.integers(start, len(sample)))
    return sample[:start] + draw(st.binary(max_size=40)) + sample[end:]


def contents(suffix: str) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes and damaged samples; for ``.gz`` suffixes, gzip-compressed or not."""
    raw = st.binary(max_size=2000) | damaged(SAMPLES[suffix])
    if suffix.endswith(".gz"):
        return raw | raw.map(gzip.compress) | raw.map(lambda b: gzip.compress(b)[:-5])
    return raw


def read_all(path: Path) -> list[Article | InputError]:
    """Every item ``read_articles`` yields for ``path``; an :class:`HrkgError` is one item."""
    try:
        return list(read_articles([path]))
    except HrkgError as exc:
        assert isinstance(exc, InputError)
        return [exc]


def check_items(items: list[Article | InputError], path: Path) -> None:
    """Articles, or one-line errors naming ``path``."""
    for item in items:
        assert isinstance(item, Article | InputError), repr(item)
        if isinstance(item, InputError):
            message = str(item)
            assert message.startswith(str(path)) and "\n" not in message, message
        else:
            assert item.text.strip() and item.id
            assert len(item.content_hash) == 64  # text that can be hashed and stored


def fuzz_reader(suffix: str):
    """A property test: any bytes under ``suffix`` give only articles and InputErrors."""

    @FUZZ
    @given(content=contents(suffix))
    def test(tmp_path_factory, content):
        path = tmp_path_factory.mktemp("fuzz") / f"input{suffix}"
        path.write_bytes(content)
        check_items(read_all(path), path)

    test.__name__ = f"test_readers_take_any_bytes_as_{suffix.strip('.').replace('.', '_')}"
    return test


for _suffix in SUFFIXES:
    _test = fuzz_reader(_suffix)
    globals()[_test.__name__] = _test


WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
BOMS = {
    "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE,
    "utf-32-be": codecs.BOM_UTF32_BE,
}


def with_bom(text: str, codec: str) -> bytes:
    """``text`` encoded in ``codec`` with its byte order mark."""
    return BOMS.get(codec, b"") + text.encode(codec)


@settings(max_examples=60, deadline=None)
@given(
    codec=st.sampled_from(WIDE),
    records=st.lists(st.tuples(names, st.text(min_size=1)), min_size=1, max_size=4),
    ascii_only=st.booleans(),
)
def test_jsonl_in_utf16_or_utf32_with_a_byte_order_mark_reads_like_utf8(
    tmp_path_factory, codec, records, ascii_only
):
    assume(all(text.strip() and ident.strip() for ident, text in records))
    assume(len({ident for ident, _ in records}) == len(records))
    lines = "".join(
        json.dumps({"id": ident, "text": text}, ensure_ascii=ascii_only) + "\n"
        for ident, text in records
    )
    path = tmp_path_factory.mktemp("wide") / "a.jsonl"
    path.write_bytes(with_bom(lines, codec))
    items = list(read_articles([path]))
    assert [(a.id, a.text) for a in items] == records
    assert [a.source for a in items] == [f"{path} line {n}" for n in range(1, len(records) + 1)]


@settings(max_examples=60, deadline=None)
@given(codec=st.sampled_from(WIDE), text=st.text(min_size=1))
def test_text_files_in_utf16_or_utf32_with_a_byte_order_mark_keep_their_text(
    tmp_path_factory, codec, text
):
    assume(text.strip())
    assume(not (codec.startswith("utf-16") and text.startswith("\x00")))  # reads as UTF-32
    path = tmp_path_factory.mktemp("wide") / "a.txt"
    path.write_bytes(with_bom(text, codec))
    (article,) = read_articles([path])
    assert article.text == text
