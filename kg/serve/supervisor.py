"""The app's line to the Oxigraph server, and the restarts that stop runaway queries.

Every operation goes to Oxigraph within a deadline: its own ``--timeout-s``
plus a grace period.  Oxigraph cancels most queries at its timeout, but not
all: a sort (``ORDER BY``) of a huge join, some joins of property paths and
aggregates, and every update run on, a core busy, long after their client is
gone; a sort also holds every row in memory (a gigabyte a second on a cartesian
product).  So :class:`BackendLink`

* restarts the server when the app gives up on a request at the deadline and
  the server keeps burning CPU (an abandoned update always restarts it);
* watches the server's memory and restarts it past a limit, and restarts it
  if it dies.

A restart is safe: each update is one transaction, so one it interrupts is not
applied.  While the server restarts, new requests wait; updates in flight are
let finish first (unless memory is running out); a query the restart cuts off
is sent again once, so other clients see a delay, not an error.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

import httpx
from starlette.concurrency import run_in_threadpool

from kg.serve.backend import START_TIMEOUT_S, OxigraphBackend

T = TypeVar("T")
LOG = logging.getLogger("kg.serve")
CPU_WINDOW_S = 1.0  # how long the server's CPU time is watched after a request is abandoned
RUNAWAY_CPU = 0.25  # cores busy over that window that make it a runaway
WATCH_S = 0.1  # how often the server's memory and life are checked


class Restarted(Exception):
    """The request was cut off by a restart of the server; the message says why."""


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) of a process so far, from ``/proc``; ``None`` if unknown.

    Examples
    --------
    >>> cpu_seconds(os.getpid()) > 0
    True
    """
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


def resident_bytes(pid: int) -> int | None:
    """Memory a process holds (its resident set), from ``/proc``; ``None`` if unknown.

    Examples
    --------
    >>> resident_bytes(os.getpid()) > 0
    True
    """
    try:
        pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return None


def half_the_memory() -> int:
    """Half of this machine's physical memory, in bytes (4 GB if unknown).

    Examples
    --------
    >>> half_the_memory() > 0
    True
    """
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") // 2
    except (OSError, ValueError):
        return 4_000_000_000


class BackendLink:
    """HTTP requests to the Oxigraph server, each within ``deadline_s``.

    Parameters
    ----------
    url : the server's base URL.
    deadline_s : how long a request may take, all of its answer read.
    backend : the server process, to restart (no restarts, no watching if ``None``).
    max_memory : the most memory, in bytes, the server may hold before it is restarted.

    Use it as an async context manager (it holds the HTTP client and the watch).
    """

    def __init__(
        self,
        url: str,
        deadline_s: float,
        backend: OxigraphBackend | None = None,
        max_memory: int | None = None,
    ) -> None:
        self.url = url
        self.deadline_s = deadline_s
        self.backend = backend
        self.max_memory = max_memory or half_the_memory()
        self.restarts = 0
        self.reason = ""  # why the server was last restarted
        self.client = self._client(url)
        self._ready = asyncio.Event()
        self._ready.set()
        self._writes = 0
        self._checking = False
        self._tasks: set[asyncio.Task[None]] = set()

    def _client(self, url: str) -> httpx.AsyncClient:
        timeout = httpx.Timeout(self.deadline_s + 1, connect=5.0)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=50)
        return httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits, trust_env=False)

    async def __aenter__(self) -> BackendLink:
        if self.backend is not None:
            self._spawn(self._watch())
        return self

    async def __aexit__(self, *exc: object) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.client.aclose()

    def _spawn(self, work: Awaitable[None]) -> None:
        task = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def send(
        self,
        path: str,
        text: str,
        headers: dict[str, str],
        read: Callable[[httpx.Response], Awaitable[T]],
        *,
        write: bool = False,
    ) -> T:
        """POST ``text`` to ``path`` and give the streamed answer to ``read``, within the deadline.

        Parameters
        ----------
        read : reads the answer (it may stop early: the connection is then closed).
        write : an update: never sent twice, and always stopped by a restart if abandoned.

        Raises
        ------
        TimeoutError
            At the deadline (the server is then checked for a runaway).
        Restarted
            If a restart of the server cut the request off (a query: twice).
        httpx.HTTPError
            If the server cannot be reached.
        """
        for attempt in (1, 2):
            await self._ready.wait()
            client, restarts = self.client, self.restarts
            try:
                return await self._exchange(client, path, text, headers, read, write)
            except httpx.TransportError:
                if not await self._cut_off(restarts):
                    raise
                if write or attempt == 2:
                    raise Restarted(self.reason) from None
        raise AssertionError("unreachable")

    async def _cut_off(self, restarts: int) -> bool:
        """Whether a failed request was cut off by a restart, or by the server's death.

        Either way, wait until the server is back (the watch restarts a dead one).
        """
        if self.backend is None:
            return False
        if self.restarts == restarts and self._ready.is_set():
            process = self.backend.process
            if process is not None and process.poll() is None:
                return False  # the server is up: a failure of its own
            try:
                async with asyncio.timeout(START_TIMEOUT_S):
                    while self.restarts == restarts:
                        await asyncio.sleep(WATCH_S)
            except TimeoutError:
                return False
        await self._ready.wait()
        return True

    async def _exchange(
        self,
        client: httpx.AsyncClient,
        path: str,
        text: str,
        headers: dict[str, str],
        read: Callable[[httpx.Response], Awaitable[T]],
        write: bool,
    ) -> T:
        self._writes += write
        try:
            async with asyncio.timeout(self.deadline_s):
                request = client.stream("POST", path, content=text.encode("utf-8"), headers=headers)
                async with request as response:
                    return await read(response)
        except (TimeoutError, httpx.TimeoutException):
            self._abandoned(force=write)
            raise TimeoutError from None
        finally:
            self._writes -= write

    def _abandoned(self, *, force: bool) -> None:
        """A request was given up at the deadline: check, in the background, for a runaway."""
        if self.backend is None or self._checking:
            return
        self._checking = True
        self._spawn(self._check(force))

    async def _check(self, force: bool) -> None:
        try:
            if force or await self._busy():
                await self.restart("a query or update ran past the time limit")
        except Exception:  # a failed restart must not end the app; the next request reports it
            LOG.exception("restarting the SPARQL server failed")
        finally:
            self._checking = False

    async def _busy(self) -> bool:
        """Whether the server keeps a core busy (``RUNAWAY_CPU``) over ``CPU_WINDOW_S``."""
        assert self.backend is not None
        pid = self.backend.pid
        before = cpu_seconds(pid) if pid else None
        await asyncio.sleep(CPU_WINDOW_S)
        after = cpu_seconds(pid) if pid else None
        if before is None or after is None:
            return True  # no /proc here: restart rather than leave a runaway
        return (after - before) / CPU_WINDOW_S >= RUNAWAY_CPU

    async def _watch(self) -> None:
        """Restart the server when it holds more than ``max_memory``, or has died."""
        assert self.backend is not None
        while True:
            await asyncio.sleep(WATCH_S)
            reason = self._trouble() if self._ready.is_set() else ""
            if reason:
                try:
                    await self.restart(reason, wait_for_writes=False)
                except Exception:  # say so, and try again a little later
                    LOG.exception("restarting the SPARQL server failed")
                    await asyncio.sleep(5)

    def _trouble(self) -> str:
        """Why the server must be restarted now, if it must: dead, or past its memory limit."""
        assert self.backend is not None
        process = self.backend.process
        if process is None:
            return "the SPARQL server was not running"
        if process.poll() is not None:
            return f"the SPARQL server stopped (exit code {process.returncode})"
        if (resident_bytes(process.pid) or 0) > self.max_memory:
            return f"the SPARQL server went past its memory limit of {self.max_memory / 1e6:.0f} MB"
        return ""

    async def restart(self, reason: str, *, wait_for_writes: bool = True) -> None:
        """Restart the server (after the updates in flight), while new requests wait."""
        assert self.backend is not None
        self._ready.clear()
        try:
            if wait_for_writes:
                await self._writes_done()
            LOG.warning("restarting the SPARQL server: %s", reason)
            self.reason = reason
            await run_in_threadpool(self.backend.restart)
            old, self.client = self.client, self._client(self.backend.url)
            self.url = self.backend.url
            self.restarts += 1
            await old.aclose()
        finally:
            self._ready.set()

    async def _writes_done(self) -> None:
        """Wait until no update is in flight (at most ``deadline_s``)."""
        try:
            async with asyncio.timeout(self.deadline_s):
                while self._writes:
                    await asyncio.sleep(0.05)
        except TimeoutError:
            pass
