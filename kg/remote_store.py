"""Build through ``hrkg serve``: the server owns the store, builds send it their updates.

While ``hrkg serve`` runs on a store, its Oxigraph server holds the store's
LOCK: no other process can open it for writing.  ``hrkg build INPUT --endpoint
URL --token TOKEN`` extracts here as ever and sends each batch as the update
text :meth:`kg.store.Store.replace_graphs` would run (drop the replaced graphs,
insert the new ones, keep the entity registry in step; see
:func:`kg.store.replace_update`) in one SPARQL Update request to the server's
``/update``, which Oxigraph runs as one transaction: readers see all of a
batch's articles or none of them.  What the update needs to know (which graphs
exist, which entities they describe) and the article hashes that let
unchanged articles be skipped are read with SELECT queries on ``/sparql``.

The server must run with ``--allow-update`` and a token.  A batch larger than
the server's ``--max-body`` is split (each part one transaction, an article
never split); a single article too large for it is reported and skipped.
"""

from __future__ import annotations

import ipaddress
import json
from types import TracebackType
from urllib.parse import urlsplit

import httpx

from kg import registry
from kg.errors import StoreError
from kg.store import replace_update

DEFAULT_TIMEOUT = 120.0
PAGE = 5000  # rows asked for per SELECT
RETRIES = 2  # more tries of an update the server answered 503 (timeout, restart)
HASHES = (
    "SELECT ?id ?hash WHERE { ?a a hr:Article ; dcterms:identifier ?id ; hr:contentHash ?hash }"
    " ORDER BY ?id ?hash"
)


def base_url(endpoint: str) -> str:
    """The base URL of ``hrkg serve`` from its base URL or its ``/sparql`` or ``/update`` URL.

    Examples
    --------
    >>> base_url("http://127.0.0.1:7878/sparql"), base_url("http://127.0.0.1:7878/")
    ('http://127.0.0.1:7878', 'http://127.0.0.1:7878')
    """
    url = endpoint.rstrip("/")
    for tail in ("/sparql", "/update"):
        if url.endswith(tail):
            return url[: -len(tail)]
    return url


def _loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    try:
        return host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class EndpointStore:
    """A store owned by a running ``hrkg serve``, read and written over HTTP.

    It has what :func:`kg.ingest.ingest` needs of a store: :meth:`article_hashes`,
    :meth:`replace_graphs` and :meth:`flush`.

    Parameters
    ----------
    endpoint : the server's base URL (``http://127.0.0.1:7878``; ``/sparql`` may follow).
    token : the server's update token (``hrkg serve --allow-update --token``).
    timeout : seconds to wait for each answer.

    Examples
    --------
    >>> with EndpointStore("http://127.0.0.1:9", "t", timeout=2) as remote:
    ...     remote.article_hashes()
    Traceback (most recent call last):
    kg.errors.StoreError: http://127.0.0.1:9/sparql: cannot connect (is hrkg serve running there?)
    """

    def __init__(self, endpoint: str, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.base = base_url(endpoint)
        self.limit: int | None = None  # largest update the server takes, once a 413 told us
        self.updates = 0
        self._client = httpx.Client(
            base_url=self.base,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"},
            trust_env=not _loopback(self.base),  # proxies, but never for this machine
        )

    def __enter__(self) -> EndpointStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        self._client.close()

    def check(self) -> None:
        """Make sure the server answers and takes this token's updates (an empty one).

        Raises
        ------
        StoreError
            If it cannot be reached or refuses the update.
        """
        self._post_update("INSERT DATA { }")

    def article_hashes(self) -> dict[str, str]:
        """Map each stored article id to the content hash it was built from."""
        return {row["id"]: row["hash"] for row in self._select_all(HASHES)}

    def replace_graphs(self, graphs: list[tuple[str, str]]) -> None:
        """Replace named graphs, given as (IRI, N-Triples text), in one transaction per request.

        Raises
        ------
        ValueError
            If the server refuses the data (HTTP 400), or one article's update is
            larger than the server takes; then nothing of it was written.
        StoreError
            If the server cannot be reached, refuses the token, or keeps failing.
        """
        if not graphs:
            return
        if self.limit is not None and len(graphs) > 1:
            text = self._update_text(graphs)
            if len(text.encode("utf-8")) > self.limit:
                self._halves(graphs)
                return
        for attempt in range(RETRIES + 1):
            text = self._update_text(graphs)
            status = self._post_update(text, retry=attempt < RETRIES)
            if status == 413:
                size = len(text.encode("utf-8"))
                self.limit = min(self.limit or size, size - 1)
                if len(graphs) == 1:
                    raise ValueError(
                        f"its update is {size} bytes, more than the server at {self.base} "
                        "takes: start hrkg serve with a larger --max-body"
                    )
                self._halves(graphs)
                return
            if status < 300:
                return

    def flush(self) -> None:
        """Nothing to do: the server commits each update as it runs it."""

    def _halves(self, graphs: list[tuple[str, str]]) -> None:
        middle = len(graphs) // 2
        self.replace_graphs(graphs[:middle])
        self.replace_graphs(graphs[middle:])

    def _update_text(self, graphs: list[tuple[str, str]]) -> str:
        """What :meth:`kg.store.Store.replace_graphs` would run, read from the server."""
        names = " ".join(f"<{name}>" for name, _ in graphs)
        replaced = [
            row["g"]
            for row in self._select_all(
                f"SELECT ?g WHERE {{ VALUES ?g {{ {names} }} "
                "FILTER EXISTS { GRAPH ?g { ?s ?p ?o } } } ORDER BY ?g"
            )
        ]
        stale = []
        if replaced:
            query = registry.entities_of(replaced) + " ORDER BY ?e"
            stale = [row["e"] for row in self._select_all(query)]
        return replace_update(graphs, replaced, stale)

    def _select_all(self, query: str) -> list[dict[str, str]]:
        """Every row of a SELECT (ending in ORDER BY), page by page: values as strings."""
        rows: list[dict[str, str]] = []
        page = PAGE
        while True:
            data, truncated = self._select(f"{query} LIMIT {page} OFFSET {len(rows)}")
            bindings = data["results"]["bindings"]
            rows += [{k: v["value"] for k, v in b.items()} for b in bindings]
            if truncated:  # the server's --max-rows is below our page
                page = max(len(bindings), 1)
            elif len(bindings) < page:
                return rows

    def _select(self, query: str) -> tuple[dict, bool]:
        url = f"{self.base}/sparql"
        try:
            answer = self._client.post(
                "/sparql",
                data={"query": query},
                headers={"Accept": "application/sparql-results+json"},
            )
        except httpx.HTTPError as exc:
            raise StoreError(_transport(url, exc)) from None
        if answer.status_code != 200:
            raise StoreError(f"{url}: HTTP {answer.status_code} ({_error(answer)})")
        try:
            return answer.json(), answer.headers.get("x-hrkg-truncated") == "true"
        except ValueError:
            raise StoreError(f"{url}: the answer is not SPARQL JSON results") from None

    def _post_update(self, text: str, *, retry: bool = False) -> int:
        """Send one update; its status if 2xx, 413, or 503 with ``retry``; else raise."""
        url = f"{self.base}/update"
        try:
            answer = self._client.post(
                "/update",
                content=text.encode("utf-8"),
                headers={"Content-Type": "application/sparql-update"},
            )
        except httpx.HTTPError as exc:
            raise StoreError(_transport(url, exc)) from None
        self.updates += 1
        status = answer.status_code
        if status < 300 or status == 413 or (status == 503 and retry):
            return status
        if status == 400:
            raise ValueError(f"the server refused the update: {_error(answer)}")
        raise StoreError(f"{url}: HTTP {status} ({_error(answer)})")


def _error(answer: httpx.Response) -> str:
    """The one-line error of an answer of ``hrkg serve`` (``{"error": ...}``), or its start."""
    try:
        text = str(json.loads(answer.text)["error"])
    except (ValueError, KeyError, TypeError):
        text = answer.text
    text = " ".join(text.split()) or answer.reason_phrase
    return text if len(text) <= 300 else text[:299] + "…"


def _transport(url: str, exc: httpx.HTTPError) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"{url}: no answer in time"
    return f"{url}: cannot connect (is hrkg serve running there?)"
