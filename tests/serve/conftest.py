"""Endpoints with settings of their own, each over its own copy of the served store."""

from __future__ import annotations

import httpx
import pytest

from kg.serve.background import serve_in_background

TOKEN = "s3cret-token"


@pytest.fixture()
def http():
    """An HTTP client (no proxies from the environment)."""
    with httpx.Client(trust_env=False, timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def limited_endpoint(hrkg_store_dir):
    """``hrkg serve --timeout 1 --max-rows 3 --max-body 2000 --allow-service``."""
    with serve_in_background(
        hrkg_store_dir(), timeout_s=1, max_rows=3, max_body=2000, allow_service=True
    ) as base:
        yield base


@pytest.fixture()
def writable_endpoint(hrkg_store_dir):
    """``hrkg serve --allow-update --token s3cret-token`` on a copy of the store."""
    with serve_in_background(hrkg_store_dir(), allow_update=True, token=TOKEN) as base:
        yield base
