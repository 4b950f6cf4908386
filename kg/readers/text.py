"""Plain-text articles: one ``.txt`` file is one article, named by the file's stem."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kg.article import Article
from kg.errors import InputError


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
