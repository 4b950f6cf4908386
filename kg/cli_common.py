"""What every ``hrkg`` command shares: consoles, common options, error handling.

Commands live in :mod:`kg.cli` and in modules beside it (``kg.cli_network``
...); they take their store, view and filter options from here so that
``--type``, ``--country``, ``--from``, ``--to`` and ``--article`` mean the same
everywhere.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from kg.errors import HrkgError
from kg.graph import VIEWS, Filters
from kg.store import Store

# Piped output is not wrapped at 80 columns; a terminal uses its own width.
out = Console(soft_wrap=True, width=None if sys.stdout.isatty() else 160)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

StoreOption = Annotated[
    Path, typer.Option("--store", "-s", help="Store directory.", show_default=True)
]
ViewOption = Annotated[
    str,
    typer.Option(
        "--view",
        help="Graph view: full (entities and events), actors (actor network) "
        "or bipartite (actors and events).",
    ),
]
TypeFilter = Annotated[
    list[str] | None,
    typer.Option("--type", "-t", help="Keep events of this type (arrest, trial ...); repeatable."),
]
CountryFilter = Annotated[
    list[str] | None,
    typer.Option("--country", "-c", help="Keep events in this country (ISO code); repeatable."),
]
FromFilter = Annotated[
    str | None, typer.Option("--from", help="Keep events on or after YYYY[-MM[-DD]].")
]
ToFilter = Annotated[
    str | None, typer.Option("--to", help="Keep events on or before YYYY[-MM[-DD]].")
]
ArticleFilter = Annotated[
    list[str] | None, typer.Option("--article", "-a", help="Keep this article id; repeatable.")
]
DEFAULT_VIEW = "actors"
assert DEFAULT_VIEW in VIEWS


def make_filters(
    types: list[str] | None,
    countries: list[str] | None,
    start: str | None,
    end: str | None,
    articles: list[str] | None,
) -> Filters:
    """The :class:`~kg.graph.Filters` of the common filter options, checked."""
    return Filters.parse(types or (), countries or (), start, end, articles or ())


def friendly(command: F) -> F:
    """Turn library errors into a one-line message and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except HrkgError as exc:
            err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, markup=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def existing_store(path: Path) -> Store:
    """Open a store that must already exist, read-only."""
    if not path.exists():
        raise HrkgError(f"{path}: no store here; run `hrkg build INPUT --store {path}` first")
    return Store(path, read_only=True)
