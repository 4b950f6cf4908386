"""``hrkg forget``: erase an article or a person, for takedown and data-protection requests."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli_common import StoreOption, err, friendly
from kg.errors import HrkgError
from kg.privacy import forget_article, forget_person
from kg.store import DEFAULT_STORE, Store


@friendly
def forget_command(
    article: Annotated[
        list[str] | None, typer.Option("--article", "-a", help="Article id to erase; repeatable.")
    ] = None,
    person: Annotated[
        list[str] | None,
        typer.Option("--person", "-p", help="Person (name, alias or IRI) to erase; repeatable."),
    ] = None,
    store: StoreOption = DEFAULT_STORE,
) -> None:
    """Erase articles (their named graphs) or persons (every statement and mention about them).

    Entities that only an erased article mentions go with it. A person's names
    are also blanked out of the sentences and titles kept as evidence. Each
    erasure is one transaction. Exports made before stay as they were: make
    them again.

    Examples:

    * `hrkg forget --article 01_belarus_viasna_verdict`
    * `hrkg forget --person "Jane Doe"`
    """
    if not article and not person:
        raise HrkgError("say what to forget: --article ID or --person NAME")
    if not store.exists():
        raise HrkgError(f"{store}: no store here")
    target = Store(store)
    for ident in article or []:
        count = forget_article(target, ident)
        err.print(f"forgot article {ident!r}: {count} statements removed", highlight=False)
    for name in person or []:
        iri, count = forget_person(target, name)
        err.print(f"forgot person {name!r} <{iri}>: {count} statements removed", highlight=False)
