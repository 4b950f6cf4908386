"""The Oxigraph SPARQL server as a subprocess: the engine behind ``hrkg serve``.

The ``oxigraph`` command of the PyPI package of the same name (same version as
pyoxigraph) implements the SPARQL 1.1 Protocol and cancels queries at its
timeout.  hrkg runs it on a free loopback port, over the store directory, with
the union of the article graphs as the default graph, and puts its own app in
front (see :mod:`kg.serve.app`).  While it runs, the subprocess owns the store:
a pyoxigraph store admits one writer, so nothing else can change it meanwhile
(builds write through the app: see :mod:`kg.remote_store`).  The app restarts
it when a query runs away (see :mod:`kg.serve.supervisor`).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from types import TracebackType

from kg.errors import StoreError

START_TIMEOUT_S = 20.0


def oxigraph_binary() -> Path:
    """The ``oxigraph`` command installed next to this Python (else the one on ``PATH``).

    Raises
    ------
    StoreError
        If no ``oxigraph`` command is installed.
    """
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return beside
    found = shutil.which("oxigraph")
    if found is None:
        raise StoreError("the oxigraph command is missing: pip install 'oxigraph==0.5.13'")
    return Path(found)


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now.

    Examples
    --------
    >>> 0 < free_port() < 65536
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


class OxigraphBackend:
    """``oxigraph serve`` over a store directory, on ``127.0.0.1:<free port>``.

    Use it as a context manager: entering starts the server and waits until it
    answers; leaving stops it (and kills it if it does not stop in time).

    Parameters
    ----------
    location : the store directory (it must exist).
    timeout_s : Oxigraph's own per-query timeout, in seconds.

    Raises
    ------
    StoreError
        If the store is missing, or the server does not start (say, because
        another process has the store open for writing).

    Examples
    --------
    >>> with OxigraphBackend(Path("no-such-store"), timeout_s=1) as backend:  # doctest: +ELLIPSIS
    ...     pass
    Traceback (most recent call last):
    kg.errors.StoreError: no-such-store: no store here; ...
    """

    def __init__(self, location: Path, *, timeout_s: float) -> None:
        self.location = Path(location)
        self.timeout_s = timeout_s
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: tempfile._TemporaryFileWrapper[bytes] | None = None

    @property
    def url(self) -> str:
        """The server's base URL, e.g. ``http://127.0.0.1:40123``."""
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> OxigraphBackend:
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def start(self) -> None:
        """Start the server and wait until it answers."""
        if not self.location.is_dir():
            raise StoreError(
                f"{self.location}: no store here; run `hrkg build INPUT --store {self.location}`"
            )
        self.port = free_port()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        command = [
            str(oxigraph_binary()),
            "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--union-default-graph",
            "--timeout-s",
            str(max(1, round(self.timeout_s))),
        ]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                reason = self._error_line()
                if "LOCK" in reason:
                    raise StoreError(
                        f"{self.location}: another process is writing to this store (its LOCK "
                        "is held: another `hrkg serve` or a build); stop it first"
                    )
                raise StoreError(
                    f"{self.location}: the SPARQL server did not start ({reason}); "
                    "is another hrkg command using this store?"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/query", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise StoreError(f"{self.location}: the SPARQL server did not answer within 20 s")

    def _error_line(self) -> str:
        """The server's error message (its ``Error:`` line, else its last line of output)."""
        if self._log is None:
            return "no output"
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        errors = [line for line in lines if line.startswith("Error:")]
        line = (errors or lines or [""])[-1].removeprefix("Error:").strip()
        return line[:300] or f"exit code {self.process and self.process.returncode}"

    @property
    def pid(self) -> int | None:
        """The process id of the running server, if any."""
        return self.process.pid if self.process is not None else None

    def restart(self) -> None:
        """Stop the server and start it again, on a new port (see :attr:`url`).

        Safe for the data: each update is one transaction, so one the stop
        interrupts is not applied at all.
        """
        self.stop()
        self.start()

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 5 s); safe to call twice."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None
