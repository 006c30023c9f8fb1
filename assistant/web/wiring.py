"""What every tab's event wiring shares: the concurrency groups, how long a toast stays, and
the gate that keeps the slow endpoints out of the shared queue."""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from assistant.errors import InputError

READ, WRITE, EVAL, DRAFT = "read", "write", "eval", "draft"  # concurrency groups
PRIVATE: Any = "private"  # an event's api_visibility when it is not part of the public API
WARNING_SECONDS = 10  # how long a warning toast stays up

F = TypeVar("F", bound=Callable[..., Any])


class Gate:
    """At most ``size`` calls at once; the next one is refused at once, never queued.

    Gradio's queue holds a fixed number of events for every endpoint together, so a client
    that sends many slow calls (drafts, reviews) would fill it and lock everyone out of the
    chat. Events behind a gate run with no queue limit (``concurrency_limit=None``): they
    leave the queue at once, and the gate turns away what is over its size."""

    def __init__(self, size: int, what: str) -> None:
        self.size, self.what = size, what
        self._slots = threading.BoundedSemaphore(size)

    def __call__(self, fn: F) -> F:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not self._slots.acquire(blocking=False):
                raise InputError(
                    f"{self.what} is busy ({self.size} already running); try again in a moment."
                )
            try:
                return fn(*args, **kwargs)
            finally:
                self._slots.release()

        return wrapper  # type: ignore[return-value]
