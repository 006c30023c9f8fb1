"""Drafting Medical Director job descriptions: the public API (implementation in drafting/).

``build_draft(assistant, DraftRequest(...), sections)`` -> ``Draft``; ``revise(assistant,
draft, action, **kwargs)`` -> a new ``Draft``; ``SECTIONS`` maps slug -> title.
"""

from __future__ import annotations

from assistant.drafting.build import build_draft
from assistant.drafting.model import (
    SECTIONS,
    Bullet,
    Cite,
    Draft,
    DraftRequest,
    DraftSection,
    check_sections,
)
from assistant.drafting.revise import ACTIONS, revise

__all__ = [
    "ACTIONS",
    "SECTIONS",
    "Bullet",
    "Cite",
    "Draft",
    "DraftRequest",
    "DraftSection",
    "build_draft",
    "check_sections",
    "revise",
]
