"""What every sub-command shares: the Assistant for the command line's options, a progress bar."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from assistant.errors import AssistantError
from assistant.facade import Assistant
from assistant.settings import load_settings


def assistant_for(args: argparse.Namespace) -> Assistant:
    overrides = {k: v for k, v in (("retriever", getattr(args, "mode", None)),) if v}
    a = Assistant(load_settings(**overrides))
    try:  # finish an upload, delete or ingest a killed UI or CLI left half-done
        resumed = a.recover()
    except AssistantError:  # the command itself says what is wrong, if anything
        pass
    else:
        if resumed is not None:
            print(f"note: finished an interrupted change ({resumed.summary()})", file=sys.stderr)
    return a


def progress_bar() -> Callable[[str, int, int], None]:
    from tqdm import tqdm

    bars: dict[str, Any] = {}

    def update(stage: str, done: int, total: int) -> None:
        if total <= 0:
            return
        bar = bars.get(stage)
        if bar is None:
            bar = bars[stage] = tqdm(
                total=total, desc=stage, unit="item", file=sys.stderr, leave=False, disable=None
            )
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update
