"""Plain-text articles: one ``.txt`` file is one article, named by the file's stem.

The file is UTF-8 (with or without a byte order mark), or UTF-16 or UTF-32 with
its byte order mark; a file holding NUL bytes is binary data, not text, and is reported.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path

from kg.article import Article
from kg.errors import InputError

#: How much of a file is looked at for NUL bytes, which text never holds.
SNIFF_BYTES = 8192
#: Byte order marks of the wide encodings read, UTF-32 first (its mark starts like UTF-16's).
WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def wide_codec(content: bytes) -> str | None:
    """``utf-16`` or ``utf-32`` if ``content`` starts with that byte order mark, else ``None``.

    Examples
    --------
    >>> wide_codec("a".encode("utf-16")), wide_codec("a".encode("utf-32")), wide_codec(b"a")
    ('utf-16', 'utf-32', None)
    """
    return next((codec for bom, codec in WIDE_BOMS if content.startswith(bom)), None)


def binary_offset(content: bytes) -> int | None:
    """The offset of the first NUL byte in the first :data:`SNIFF_BYTES`, if any.

    Examples
    --------
    >>> binary_offset(b"text"), binary_offset(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00")
    (None, 8)
    """
    offset = content.find(b"\x00", 0, SNIFF_BYTES)
    return None if offset < 0 else offset


def decode_text(content: bytes, path: Path) -> str:
    """Decode a text file: UTF-16 or UTF-32 if it starts with their byte order mark, else UTF-8.

    Raises
    ------
    InputError
        If the bytes are binary data, or not text in either encoding.

    Examples
    --------
    >>> from pathlib import Path
    >>> decode_text("Минск".encode("utf-16"), Path("a.txt"))
    'Минск'
    >>> decode_text("Café".encode("latin-1"), Path("a.txt"))
    Traceback (most recent call last):
    kg.errors.InputError: a.txt: not UTF-8 (byte 3); re-encode the file as UTF-8
    """
    if codec := wide_codec(content):
        try:
            return content.decode(codec)
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{path}: starts like {codec.upper()} but is not (byte {exc.start}); "
                "re-encode the file as UTF-8"
            ) from None
    if (offset := binary_offset(content)) is not None:
        raise InputError(
            f"{path}: binary data, not text (a NUL byte at byte {offset}); give a UTF-8 text file"
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: not UTF-8 (byte {exc.start}); re-encode the file as UTF-8"
        ) from None


def read_text(path: Path) -> Iterator[Article | InputError]:
    """Yield the one article of a plain-text file; its id is the file name's stem.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "report-7.txt"
    >>> _ = path.write_text("Police arrested him.", encoding="utf-8")
    >>> [(a.id, a.text) for a in read_text(path)]
    [('report-7', 'Police arrested him.')]
    """
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None
    try:
        text = decode_text(content, path)
    except InputError as exc:
        yield exc
        return
    if not text.strip():
        yield InputError(f"{path}: the file is empty; give the article's text")
        return
    yield Article(id=path.stem, text=text, source=str(path))
