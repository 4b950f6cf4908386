"""A real Virtuoso Open Source server for the remote-store tests, one per session.

The packaged ``virtuoso.ini`` is copied into a temporary directory with every
database file moved there, both ports bound to free ports on 127.0.0.1 and
generous result limits; ``virtuoso-t +foreground`` runs it until the session
ends. A fresh database has the user ``dba`` with password ``dba``.
"""

from __future__ import annotations

import configparser
import contextlib
import ctypes
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.remote import RemoteAuth, push
from kg.store import Store

VIRTUOSO = shutil.which("virtuoso-t")
PACKAGED_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
ROOT = Path(__file__).resolve().parents[2]
DBA = RemoteAuth("dba", "dba", "digest")
STARTUP_S = 60


def free_port() -> int:
    """A TCP port nobody listens on at the moment."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("error: "), message
    assert "\n" not in message and "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in message, message


def virtuoso_ini(directory: Path, sql_port: int, http_port: int) -> Path:
    """A copy of the packaged ini whose files live in ``directory`` and ports on loopback."""
    ini = configparser.ConfigParser(
        strict=False, interpolation=None, inline_comment_prefixes=(";",)
    )
    ini.optionxform = str  # type: ignore[assignment,method-assign]  # keep the keys' case
    ini.read(PACKAGED_INI)
    for key, name in (
        ("DatabaseFile", "virtuoso.db"),
        ("ErrorLogFile", "virtuoso.log"),
        ("LockFile", "virtuoso.lck"),
        ("TransactionFile", "virtuoso.trx"),
        ("xa_persistent_file", "virtuoso.pxa"),
    ):
        ini["Database"][key] = str(directory / name)
    ini["TempDatabase"]["DatabaseFile"] = str(directory / "virtuoso-temp.db")
    ini["TempDatabase"]["TransactionFile"] = str(directory / "virtuoso-temp.trx")
    parameters = ini["Parameters"]
    parameters["ServerPort"] = f"127.0.0.1:{sql_port}"
    parameters["DirsAllowed"] = f"., {directory}, /usr/share/virtuoso-opensource-7/vad"
    ini["HTTPServer"]["ServerPort"] = f"127.0.0.1:{http_port}"
    ini["URIQA"]["DefaultHost"] = f"127.0.0.1:{http_port}"
    ini["SPARQL"]["ResultSetMaxRows"] = "1000000"
    ini["SPARQL"]["MaxQueryExecutionTime"] = "300"
    ini["SPARQL"]["MaxQueryCostEstimationTime"] = "0"  # never refuse a query on its estimate
    path = directory / "virtuoso.ini"
    with path.open("w") as file:
        ini.write(file)
    return path


def _die_with_parent() -> None:
    """In the child: receive SIGTERM if pytest dies, so no server outlives the session."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # Virtuoso checkpoints and exits within a second or so
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory) -> Iterator[str]:
    """A running Virtuoso on 127.0.0.1: its base URL (``/sparql``, ``/sparql-auth``, ...)."""
    if VIRTUOSO is None or not PACKAGED_INI.exists():
        pytest.skip(
            "virtuoso-t is not installed: `make test` installs the Debian package "
            "virtuoso-opensource (apt-get install virtuoso-opensource)"
        )
    directory = tmp_path_factory.mktemp("virtuoso")
    http_port = free_port()
    ini = virtuoso_ini(directory, free_port(), http_port)
    url = f"http://127.0.0.1:{http_port}"
    log = (directory / "stdout.log").open("wb")
    process = subprocess.Popen(
        [VIRTUOSO, "+foreground", "+configfile", str(ini)],
        cwd=directory,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=_die_with_parent if sys.platform == "linux" else None,
    )
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                tail = (directory / "stdout.log").read_text(errors="replace")[-1500:]
                pytest.fail(f"virtuoso-t exited with {process.returncode}:\n{tail}")
            try:
                if httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"virtuoso-t did not answer on {url}/sparql in {STARTUP_S} s")
            time.sleep(0.25)
        yield url
    finally:
        _stop(process)
        log.close()


@pytest.fixture(scope="session")
def served_store(hrkg_endpoint_data) -> Store:
    """The data ``hrkg_endpoint`` serves (seed and ``tests/data/*.jsonl``), embedded."""
    return hrkg_endpoint_data


@pytest.fixture(scope="session")
def served_dir(hrkg_store_dir) -> Path:
    """The same data in a store directory, for ``hrkg ... --store DIR``."""
    return hrkg_store_dir()


@pytest.fixture(scope="session")
def virtuoso_sparql(virtuoso, served_store) -> str:
    """Virtuoso's public query endpoint, holding the same graphs as ``served_store``."""
    push(served_store, f"{virtuoso}/sparql-auth", protocol="update", auth=DBA)
    return f"{virtuoso}/sparql"
