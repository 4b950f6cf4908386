"""Read articles from JSONL files, plain-text files and directories of these.

Readers are generators: they hold one article in memory at a time.  A bad
document does not stop a batch: it is yielded as an :class:`InputError`
so the caller can report it and go on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path

from kg.article import Article
from kg.errors import InputError

SUFFIXES = (".jsonl", ".txt")


def parse_date(value: object, where: str) -> date | None:
    """Parse an ISO date (``2023-03-03`` or a timestamp starting with one).

    Examples
    --------
    >>> parse_date("2023-03-03T10:00:00Z", "x")
    datetime.date(2023, 3, 3)
    >>> parse_date(None, "x") is None
    True
    """
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{where}: 'date' is not an ISO date: {value!r}; use YYYY-MM-DD") from None


def article_from_record(record: object, where: str) -> Article:
    """Turn one decoded JSON record into an :class:`Article`, checking its fields."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    ident = record.get("id")
    if ident is None or str(ident).strip() == "":
        raise InputError(f"{where}: missing 'id'; every article needs a unique id")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{where}: article {ident!r} has no 'text' string")
    if not text.strip():
        raise InputError(f"{where}: article {ident!r} is empty")
    meta = {k: record.get(k) for k in ("url", "title", "publisher")}
    for name, value in {"id": ident, "text": text, **meta}.items():
        try:
            str(value).encode("utf-8")
        except UnicodeEncodeError as exc:  # JSON can spell lone surrogates ("\ud800")
            raise InputError(
                f"{where}: {name!r} holds a lone surrogate at character {exc.start}, "
                "which is not text; fix the \\u escape"
            ) from None
    return Article(
        id=str(ident),
        text=text,
        date=parse_date(record.get("date"), f"{where}: article {ident!r}"),
        source=where,
        **{k: (str(v) if v not in (None, "") else None) for k, v in meta.items()},
    )


def read_jsonl(path: Path) -> Iterator[Article | InputError]:
    """Yield the articles of a JSONL file, or an :class:`InputError` per bad line."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None
    with handle:
        for number, raw in enumerate(handle, start=1):
            where = f"{path} line {number}"
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                yield InputError(
                    f"{where}: not UTF-8 (byte {exc.start}); re-encode the file as UTF-8"
                )
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            try:
                yield article_from_record(record, where)
            except InputError as exc:
                yield exc


def read_text(path: Path) -> Iterator[Article | InputError]:
    """Yield the one article of a plain-text file; its id is the file name's stem."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot open ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        yield InputError(f"{path}: not UTF-8 (byte {exc.start}); re-encode the file as UTF-8")
        return
    if not text.strip():
        yield InputError(f"{path}: the file is empty")
        return
    yield Article(id=path.stem, text=text, source=str(path))


def read_articles(paths: Iterable[str | Path]) -> Iterator[Article | InputError]:
    """Yield the articles of files and directories (recursively), in a stable order.

    Parameters
    ----------
    paths : JSONL files, ``.txt`` files or directories holding them.

    Returns
    -------
    An iterator of :class:`Article` and, for each document that cannot be
    read, an :class:`InputError` in its place.

    Raises
    ------
    InputError
        If a path does not exist or has an unsupported suffix.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a.jsonl").write_text('{"id": "x", "text": "Hi."}\\n{bad\\n')
    >>> [type(a).__name__ for a in read_articles([d])]
    ['Article', 'InputError']
    """
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in SUFFIXES)
            yield from read_articles(files)
        elif not path.exists():
            raise InputError(f"{path}: no such file or directory")
        elif path.suffix == ".jsonl":
            yield from read_jsonl(path)
        elif path.suffix == ".txt":
            yield from read_text(path)
        else:
            raise InputError(f"{path}: unsupported input; give .jsonl or .txt files or directories")
