"""Serve a store in a background thread: for tests, notebooks and benchmarks."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.serve.app import ServeSettings, create_app
from kg.serve.backend import OxigraphBackend, free_port


@contextmanager
def serve_in_background(location: Path, *, port: int = 0, **options: Any) -> Iterator[str]:
    """Serve ``location`` on ``127.0.0.1`` while the block runs; yield the base URL.

    The SPARQL endpoint is ``<base>/sparql``.  Leaving the block stops the
    web server and the Oxigraph subprocess, whatever happened inside it.

    Parameters
    ----------
    location : the store directory (closed: the server must own it).
    port : the port to listen on; a free one if 0.
    options : the fields of :class:`kg.serve.app.ServeSettings` but
        ``backend_url`` (``timeout_s``, ``max_rows``, ``allow_update``, ...).

    Raises
    ------
    StoreError
        If the store is missing or either server does not start.
    """
    import uvicorn

    timeout_s = options.get("timeout_s", ServeSettings.timeout_s)
    with OxigraphBackend(location, timeout_s=timeout_s) as backend:
        app = create_app(ServeSettings(backend.url, **options), backend)
        port = port or free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, name=f"hrkg-serve-{port}", daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while not server.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise StoreError(f"the web server did not start on 127.0.0.1:{port}")
                time.sleep(0.02)
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            thread.join(timeout=10)
