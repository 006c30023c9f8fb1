"""Errors in the UI: a user sees one short message, never a traceback.

``AssistantError`` messages are written for users and are shown as they are. Anything else is
logged server-side with its traceback and shown as a short generic message.
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
