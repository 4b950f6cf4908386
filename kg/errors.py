"""Errors raised by hrkg.

Library code raises these; only the CLI turns them into one-line messages.
Each message says what went wrong, where, and what to do about it.
"""

from __future__ import annotations


class HrkgError(Exception):
    """Base class of every error hrkg raises on purpose."""


class InputError(HrkgError):
    """An input file or document cannot be read (bad JSON, encoding, empty text)."""


class ModelError(HrkgError):
    """The spaCy model is missing, or its weights do not match the recorded checksums."""


class QueryError(HrkgError):
    """A SPARQL query is unknown, malformed, or lacks a parameter."""


class StoreError(HrkgError):
    """The triple store cannot be opened, read or written."""


class ValidationError(HrkgError):
    """A graph does not conform to the SHACL shapes."""
