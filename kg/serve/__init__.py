"""``hrkg serve``: a SPARQL 1.1 Protocol endpoint and a web page over a store.

The Oxigraph server (:mod:`kg.serve.backend`) runs the queries on a private
loopback port; the Starlette app of :mod:`kg.serve.app`, served by uvicorn on
the public address, checks and shapes every request and answer.
"""

from __future__ import annotations

import ipaddress
import signal
import sys
from pathlib import Path
from types import FrameType

from kg.errors import HrkgError
from kg.serve.app import ServeSettings, create_app
from kg.serve.backend import OxigraphBackend

__all__ = ["OxigraphBackend", "ServeSettings", "create_app", "is_loopback", "serve"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine.

    Examples
    --------
    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    store: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout_s: float = 30.0,
    max_rows: int = 10_000,
    max_body: int = 1_000_000,
    allow_update: bool = False,
    token: str | None = None,
    allow_service: bool = False,
    cors: bool = True,
    max_memory: int = 0,
    log_level: str = "info",
) -> None:
    """Serve the store at ``http://host:port/sparql`` until interrupted (Ctrl-C, SIGTERM).

    Parameters
    ----------
    store : the store directory; the server owns it while it runs.
    timeout_s, max_rows, max_body : per-query time limit, most rows per answer,
        largest request body in bytes.
    allow_update, token : accept SPARQL Update on ``/update`` from requests
        carrying ``Authorization: Bearer <token>``.
    allow_service : run federated queries (``SERVICE``) instead of refusing them.
    cors : answer cross-origin requests from any web page.
    max_memory : bytes the Oxigraph server may hold before it is restarted (0: half the RAM).

    Raises
    ------
    HrkgError
        If updates are allowed without a token, or a limit is not positive.
    StoreError
        If the store is missing or the SPARQL server cannot start on it.
    """
    import uvicorn

    if allow_update and not token:
        raise HrkgError("--allow-update needs a token: pass --token or set HRKG_UPDATE_TOKEN")
    if timeout_s <= 0 or max_rows <= 0 or max_body <= 0 or max_memory < 0:
        raise HrkgError(
            "--timeout, --max-rows and --max-body must be positive, --max-memory not negative"
        )
    with OxigraphBackend(store, timeout_s=timeout_s) as backend:
        settings = ServeSettings(
            backend.url,
            timeout_s=timeout_s,
            max_rows=max_rows,
            max_body=max_body,
            allow_update=allow_update,
            token=token,
            allow_service=allow_service,
            cors=cors,
            max_memory=max_memory,
        )
        # uvicorn re-raises SIGINT/SIGTERM once it has shut down; let both unwind this
        # block (stopping the backend) rather than end the process on the spot.
        previous = signal.signal(signal.SIGTERM, _exit)
        try:
            app = create_app(settings, backend)
            uvicorn.run(app, host=host, port=port, log_level=log_level)
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)


def _exit(signum: int, frame: FrameType | None) -> None:
    sys.exit(128 + signum)
