"""User-facing errors: each carries a one-line message shown instead of a traceback."""

from __future__ import annotations


class AssistantError(Exception):
    """Base class: ``str(exc)`` is a complete sentence for the user."""

    exit_code = 1


class SettingsError(AssistantError):
    """A settings value or the settings file is invalid."""

    exit_code = 2


class InputError(AssistantError):
    """A question, file or argument was rejected before anything changed."""

    exit_code = 2


class IndexMissingError(AssistantError):
    """The index has not been built yet (run ``ingest``)."""


class DocumentError(AssistantError):
    """A knowledge document could not be read or parsed."""


class DocumentTooLargeError(DocumentError):
    """A knowledge document is over a per-document limit (text, sentences, decompressed size,
    parse time or memory); the message names the limit and its setting."""


class StoreError(AssistantError):
    """The vector store is unreachable or unusable."""


class BusyError(AssistantError):
    """Another ingest holds the data directory's write lock."""


class ModelError(AssistantError):
    """The embedding model (or an LLM backend) could not be loaded or reached."""


class LLMError(ModelError):
    """The LLM backend is misconfigured (no model, no key) or its endpoint failed."""


class DiskFullError(StoreError):
    """The disk filled up during a write; nothing half-written is kept."""
