"""Errors in the UI: a user sees one short message, never a traceback.

``AssistantError`` messages are written for users and are shown as they are. Anything else is
logged server-side with its traceback and shown as a short generic message.

``guarded`` raises the message as a ``gr.Error``: right for API endpoints (the client gets an
error), but on the page Gradio then puts an "Error" overlay over every output of the event,
and those overlays intercept clicks until each is dismissed. ``toasted`` is for events of
the page with many outputs: the message is one warning toast and every output is left as it
was (``gr.skip()``), so every control stays usable.
"""

from __future__ import annotations

import functools
import html
import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import gradio as gr

from assistant.errors import AssistantError

log = logging.getLogger("assistant.ui")

GENERIC = "Something went wrong on the server; the details are in the server log."

F = TypeVar("F", bound=Callable[..., Any])


def user_message(exc: BaseException) -> str:
    """The one line a user sees for an exception (unexpected ones are logged here)."""
    if isinstance(exc, AssistantError):
        return str(exc)
    if isinstance(exc, gr.Error):
        return str(exc.message)
    log.error("unexpected error in the UI", exc_info=exc)
    return GENERIC


def ui_error(exc: BaseException) -> gr.Error:
    return gr.Error(html.escape(user_message(exc)), title="Not done", print_exception=False)


def guarded(fn: F) -> F:
    """Turn any exception of an event handler into a short gr.Error (generators too)."""
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def gen_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                yield from fn(*args, **kwargs)
            except Exception as exc:
                raise ui_error(exc) from None

        return gen_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            raise ui_error(exc) from None

    return wrapper  # type: ignore[return-value]


def toasted(fn: F, outputs: int) -> F:
    """Any exception of ``fn`` (an event with ``outputs`` outputs) becomes one warning toast,
    and every output is skipped: no error overlay, nothing on the page changes."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            gr.Warning(html.escape(user_message(exc)), title="Not done")
            skips = tuple(gr.skip() for _ in range(outputs))
            return skips[0] if outputs == 1 else skips

    return wrapper  # type: ignore[return-value]
