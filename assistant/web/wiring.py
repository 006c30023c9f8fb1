"""What every tab's event wiring shares: the concurrency groups and how long a toast stays."""

from __future__ import annotations

from typing import Any

READ, WRITE, EVAL = "read", "write", "eval"  # concurrency groups
PRIVATE: Any = "private"  # an event's api_visibility when it is not part of the public API
WARNING_SECONDS = 10  # how long a warning toast stays up
