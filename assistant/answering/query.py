"""Question analysis before retrieval: the checks a question must pass and the readings it is
retrieved with (a follow-up with its context; a multi-part question part by part)."""

from __future__ import annotations

import re
import unicodedata

from assistant.errors import InputError
from assistant.text import question_parts

# Bidirectional embeddings, overrides and isolates: they reorder how the rest of the text
# (the question in the chat, and in every later turn's history) is displayed.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_question(question: object, limit: int) -> str:
    """A clean question, or an InputError that says what is wrong with it."""
    if not isinstance(question, str):
        raise InputError("The question must be text.")
    if "\ufffd" in question or any(0xD800 <= ord(c) <= 0xDFFF for c in question):
        raise InputError("The question is not valid UTF-8 text.")
    bad = [c for c in question if (unicodedata.category(c) == "Cc" and c not in "\n\t\r")
           or c in _BIDI_CONTROLS]
    if bad:
        raise InputError("The question contains control characters; please retype it.")
    question = " ".join(question.split())
    if not "".join(c for c in question if unicodedata.category(c) not in ("Cf", "Zs")):
        raise InputError("The question is empty: type a question about the Medical Director role.")
    if len(question) > limit:
        raise InputError(
            f"The question is too long ({len(question)} characters; the limit is {limit})."
        )
    return question


MAX_HISTORY_TURNS = 20  # earlier turns read for a follow-up (the last few matter)


def check_history(history: object, limit: int) -> tuple[str, ...]:
    """The earlier turns of a conversation, checked like questions (each one a question the
    user asked): a bad one is an InputError that says which turn, never a traceback."""
    if history is None:
        return ()
    if isinstance(history, (str, bytes)) or not isinstance(history, (list, tuple)):
        raise InputError("The conversation history must be a list of earlier questions.")
    turns = [t for t in history if not (isinstance(t, str) and not t.strip())]
    turns = turns[-MAX_HISTORY_TURNS:]
    out = []
    for n, turn in enumerate(turns, 1):
        try:
            out.append(check_question(turn, limit))
        except InputError as exc:
            raise InputError(f"Earlier question {n} of the conversation: {exc}") from None
    return tuple(out)


# "medical director role?", "md job": the role itself is asked about, however few the words.
_BARE_ROLE = re.compile(
    r"\s*(the\s+)?((medical|med) directors?|mds?)\s*(role|job|position|overview)?\s*\??\s*", re.I
)


def readings(question: str, follow_up_of: str = "") -> list[str]:
    """The queries one question is retrieved with (their rankings are fused): a follow-up
    with the topic it follows and on its own; a multi-part question whole and part by part.
    A bare mention of the role is retrieved as what it asks: what the role is."""
    if not follow_up_of and _BARE_ROLE.fullmatch(question):
        question = "What is a medical director?"
    query = f"{follow_up_of} {question}" if follow_up_of else question
    out = [query] if query == question else [query, question]
    return out + [p for p in question_parts(question) if p not in out]
