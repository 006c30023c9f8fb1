"""Offline chat assistant over the Medical Director role knowledge base.

Public API: the facade (``Assistant``), settings, result types and the base error.
"""

from assistant.errors import AssistantError
from assistant.facade import Assistant
from assistant.settings import Settings, load_settings
from assistant.types import Answer, Chunk, Citation, IngestReport, Passage

__all__ = [
    "Answer",
    "Assistant",
    "AssistantError",
    "Chunk",
    "Citation",
    "IngestReport",
    "Passage",
    "Settings",
    "load_settings",
]
