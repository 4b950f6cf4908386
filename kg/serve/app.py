"""The ASGI app of ``hrkg serve``: SPARQL 1.1 Protocol in front of the Oxigraph server.

Oxigraph (see :mod:`kg.serve.backend`) runs the queries; this app adds what it
lacks: ``SERVICE`` refused unless allowed, answers checked for completeness
(never a truncated 200), a row limit, read-only unless updates are allowed with
a token, hrkg's predeclared prefixes, a body size limit, the named queries of
``queries/`` with parameters bound on the server, and one-line JSON errors.
Answers are read as they stream in and no further than the row limit needs
(:mod:`kg.serve.results`).  A request still running at the deadline is given
up, and the Oxigraph server restarted if it keeps burning CPU for it, goes past
its memory limit or dies (:mod:`kg.serve.supervisor`).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import parse_qs

import httpx
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from kg.errors import QueryError
from kg.query import load_queries, prepare
from kg.serve.backend import OxigraphBackend
from kg.serve.description import service_description
from kg.serve.results import (
    BACKEND_ACCEPT,
    FORMAT_NAMES,
    GRAPHS,
    AnswerTooLarge,
    Collector,
    QueryTimeout,
    negotiate,
)
from kg.serve.supervisor import BackendLink, Restarted
from kg.sparql_text import uses_service, with_prefixes
from kg.store import PREFIXES

T = TypeVar("T")
STATIC = Path(__file__).resolve().parent / "static"
GRACE_S = 2.0  # beyond Oxigraph's own timeout, before the app gives up on it
FORM = "application/x-www-form-urlencoded"
TRUNCATED = "X-HRKG-Truncated"


@dataclass(frozen=True)
class ServeSettings:
    """How ``hrkg serve`` behaves; the defaults are those of the command line."""

    backend_url: str
    timeout_s: float = 30.0
    max_rows: int = 10_000
    max_body: int = 1_000_000
    allow_update: bool = False
    token: str | None = None
    allow_service: bool = False
    cors: bool = True
    max_answer: int = 100_000_000  # bytes of the server's answer read at most
    max_memory: int = 0  # bytes the Oxigraph server may hold; 0: half of this machine's


def fail(status: int, message: str) -> HTTPException:
    """An HTTP error answered as ``{"error": message}``."""
    return HTTPException(status, " ".join(message.split()))


def create_app(settings: ServeSettings, backend: OxigraphBackend | None = None) -> Starlette:
    """The Starlette app serving ``/sparql``, ``/update``, ``/queries`` and the web page.

    ``backend`` is the Oxigraph server at ``settings.backend_url``, given so the
    app can restart it when a query runs away (see :mod:`kg.serve.supervisor`).

    Examples
    --------
    >>> app = create_app(ServeSettings("http://127.0.0.1:1"))
    >>> sorted(r.path for r in app.routes if r.path.startswith("/s"))
    ['/sparql', '/static']
    """

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        deadline = settings.timeout_s + GRACE_S
        link = BackendLink(settings.backend_url, deadline, backend, settings.max_memory)
        async with link:
            app.state.backend = link
            yield

    async def sparql(request: Request) -> Response:
        if request.method == "GET":
            text = request.query_params.get("query")
            if text is None:
                return _description(request)
        else:
            text = await _operation(request, "query", "application/sparql-query")
        return await _run(request, text)

    async def update(request: Request) -> Response:
        if not settings.allow_update:
            raise fail(
                403,
                "updates are refused: this endpoint is read-only; start hrkg serve with "
                "--allow-update and a token to accept them",
            )
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        token = (settings.token or "").encode()
        if not (
            token
            and scheme.lower() == "bearer"
            and hmac.compare_digest(given.strip().encode(), token)
        ):
            raise fail(403, "updates need the header `Authorization: Bearer <token>` of the server")
        text = await _operation(request, "update", "application/sparql-update")
        full = _checked(text)
        added = full.count("\n") - text.count("\n")

        async def read(response: httpx.Response) -> None:
            if response.status_code >= 300:
                await response.aread()
                _backend_error(response, added)

        headers = {"Content-Type": "application/sparql-update"}
        await _backend(request, "/update", full, headers, read, write=True)
        return Response(status_code=204)

    async def queries(request: Request) -> Response:
        listing = [
            {
                "name": q.name,
                "title": q.title,
                "description": q.description,
                "example": q.example,
                "text": q.text,
                "params": [asdict(p) for p in q.params],
            }
            for q in load_queries().values()
        ]
        return JSONResponse(listing)

    async def named_query(request: Request) -> Response:
        name = request.path_params["name"]
        named = load_queries()
        if name not in named:
            raise fail(400, f"unknown query {name!r} (named queries: {', '.join(named)})")
        params = {k: v for k, v in request.query_params.items() if k != "format"}
        try:
            text = prepare(name, params)
        except QueryError as exc:
            raise fail(400, str(exc)) from None
        return await _run(request, text)

    async def _run(request: Request, text: str) -> Response:
        if len(request.url.query) > settings.max_body:
            raise fail(
                414,
                f"the query string is longer than the limit of {settings.max_body} bytes; "
                "send the query by POST",
            )
        full, accept = _checked(text), _accept(request)
        added = full.count("\n") - text.count("\n")

        async def read(response: httpx.Response) -> tuple[Collector, bool]:
            """The answer, read until its end or until it holds enough rows."""
            if response.status_code != 200:
                await response.aread()
                _backend_error(response, added)
            collector = Collector(
                response.headers.get("content-type", ""), settings.max_rows, settings.max_answer
            )
            async for chunk in response.aiter_bytes():
                if collector.feed(chunk):
                    return collector, False  # enough: closing the connection stops Oxigraph
            return collector, True

        headers = {"Content-Type": "application/sparql-query", "Accept": BACKEND_ACCEPT}
        try:
            collector, complete = await _backend(request, "/query", full, headers, read)
            answer = await run_in_threadpool(collector.answer, accept, complete)
        except QueryTimeout:
            raise _timeout() from None
        except AnswerTooLarge as exc:
            raise fail(503, str(exc)) from None
        except QueryError as exc:
            raise fail(500, str(exc)) from None
        headers = {TRUNCATED: "true"} if answer.truncated else {}
        return Response(answer.body, media_type=answer.media_type, headers=headers)

    def _checked(text: str) -> str:
        """The operation with hrkg's prefixes, or 403 if it federates and that is refused."""
        if not settings.allow_service and uses_service(text):
            raise fail(
                403,
                "federated queries (SERVICE) are refused: they would send requests to other "
                "servers; start hrkg serve with --allow-service to run them",
            )
        return with_prefixes(text, PREFIXES)

    async def _backend(
        request: Request,
        path: str,
        text: str,
        headers: dict[str, str],
        read: Callable[[httpx.Response], Awaitable[T]],
        *,
        write: bool = False,
    ) -> T:
        link: BackendLink = request.app.state.backend
        try:
            return await link.send(path, text, headers, read, write=write)
        except TimeoutError:
            raise _timeout("update" if write else "query") from None
        except Restarted as exc:
            what = "update" if write else "query"
            raise fail(
                503,
                f"the {what} was stopped: {exc}, so it was restarted; send the {what} again "
                "(narrowed if it sorts or groups many rows: those are held in memory)",
            ) from None
        except httpx.HTTPError as exc:
            raise fail(500, f"the SPARQL server cannot be reached ({exc})") from None

    def _timeout(what: str = "query") -> HTTPException:
        return fail(
            503,
            f"the {what} ran past the time limit of {settings.timeout_s:g} s and was cancelled; "
            "narrow it (a LIMIT, more specific patterns) or ask for a longer --timeout",
        )

    async def _operation(request: Request, field: str, direct_type: str) -> str:
        """The query or update of a POST: a form field, or the whole body."""
        body = await _read_body(request, settings.max_body)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:
            raise fail(400, "the request body is not UTF-8") from None
        if kind == direct_type:
            return decoded
        if kind == FORM:
            values = parse_qs(decoded).get(field)
            if not values:
                raise fail(400, f"the form has no `{field}` field")
            return values[0]
        raise fail(415, f"send the {field} as a form field `{field}=` ({FORM}) or as {direct_type}")

    def _accept(request: Request) -> str:
        name = request.query_params.get("format")
        if name is None:
            return request.headers.get("accept", "*/*")
        if name not in FORMAT_NAMES:
            raise fail(400, f"format {name!r}: choose one of {', '.join(FORMAT_NAMES)}")
        return FORMAT_NAMES[name]

    def _description(request: Request) -> Response:
        endpoint = str(request.url.replace(query="", fragment=""))
        text = service_description(
            endpoint, allow_update=settings.allow_update, allow_service=settings.allow_service
        )
        media = negotiate(_accept(request), list(GRAPHS))
        if media == "text/turtle":
            return Response(text, media_type=media)
        triples = [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)]
        return Response(ox.serialize(triples, format=GRAPHS[media]), media_type=media)

    async def index(request: Request) -> Response:
        page = STATIC / "index.html"
        if not page.is_file():
            raise fail(404, "no web page here; the SPARQL endpoint is /sparql")
        return FileResponse(page)

    async def error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code)

    middleware = []
    if settings.cors:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Content-Type", "Authorization"],
                expose_headers=[TRUNCATED],
            )
        )
    routes = [
        Route("/", index),
        Route("/sparql", sparql, methods=["GET", "POST"]),
        Route("/update", update, methods=["POST"]),
        Route("/queries", queries),
        Route("/queries/{name}", named_query),
        Mount("/static", StaticFiles(directory=STATIC, check_dir=False), name="static"),
    ]
    return Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: error},
        lifespan=lifespan,
    )


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, or 413 as soon as it is longer than ``limit`` bytes."""
    too_large = fail(413, f"the request body is larger than the limit of {limit} bytes")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _backend_error(response: httpx.Response, added_lines: int) -> None:
    """Raise the error for a non-success answer of the SPARQL server."""
    message = " ".join(response.text.split())[:300] or f"HTTP {response.status_code}"
    if response.status_code == 400:
        # Positions count the PREFIX lines the app added; give them as in the client's text.
        message = re.sub(
            r"^error at (\d+):",
            lambda m: f"error at {max(1, int(m[1]) - added_lines)}:",
            message,
        )
        raise fail(400, f"invalid SPARQL: {message}")
    raise fail(500, f"the SPARQL server failed (HTTP {response.status_code}): {message}")
