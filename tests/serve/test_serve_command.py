"""The ``hrkg serve`` command: starts both servers, answers, and stops both on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from typer.testing import CliRunner

from kg.cli import app
from kg.serve.backend import free_port

HRKG = Path(sys.executable).parent / "hrkg"


def oxigraph_serving(location: Path) -> list[int]:
    """Ids of the ``oxigraph serve`` processes over ``location``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if command[0].endswith(b"oxigraph") and str(location).encode() in command:
            found.append(int(entry.name))
    return found


def test_serve_command_answers_and_stops_cleanly(hrkg_store_dir):
    location = hrkg_store_dir()
    port = free_port()
    command = [str(HRKG), "serve", "--store", str(location), "--port", str(port), "--timeout", "5"]
    env = {k: v for k, v in os.environ.items() if k != "HRKG_UPDATE_TOKEN"}
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/sparql",
                    params={"query": "ASK { ?p a hr:Person }"},
                    trust_env=False,
                )
                break
            except httpx.TransportError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline, "hrkg serve did not answer within 30 s"
                time.sleep(0.1)
        assert response.json()["boolean"] is True
        assert oxigraph_serving(location)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=15)
    assert f"http://127.0.0.1:{port}/sparql" in server.stderr.read()
    assert oxigraph_serving(location) == []


def test_serve_help_states_the_defaults():
    result = CliRunner().invoke(app, ["serve", "--help"], terminal_width=200)
    assert result.exit_code == 0
    for default in ("127.0.0.1", "7878", "30.0", "10000", "1000000", "HRKG_UPDATE_TOKEN"):
        assert default in result.output


def test_allow_update_without_a_token_is_refused(tmp_path, monkeypatch):
    monkeypatch.delenv("HRKG_UPDATE_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path), "--allow-update"])
    assert result.exit_code == 1
    assert "--allow-update needs a token" in result.output


def test_missing_store_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(app, ["serve", "--store", str(tmp_path / "nothing")])
    assert result.exit_code == 1
    assert "no store here" in result.output and "Traceback" not in result.output
