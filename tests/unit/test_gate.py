"""The gate that keeps slow UI endpoints out of the shared queue (web/wiring.py)."""

from __future__ import annotations

import threading

import pytest

from assistant.errors import InputError
from assistant.web.wiring import Gate


def test_a_call_over_the_gates_size_is_refused_at_once_and_a_slot_frees_after_a_call() -> None:
    gate = Gate(2, "Drafting")
    release = threading.Event()
    inside = threading.Barrier(3)

    @gate
    def slow() -> str:
        inside.wait(timeout=5)
        release.wait(timeout=5)
        return "done"

    results: list[str] = []
    workers = [threading.Thread(target=lambda: results.append(slow())) for _ in range(2)]
    for w in workers:
        w.start()
    inside.wait(timeout=5)  # both slots are taken
    with pytest.raises(InputError, match=r"Drafting is busy \(2 already running\)"):
        slow()
    release.set()
    for w in workers:
        w.join(timeout=5)
    assert results == ["done", "done"]
    inside.reset()
    release.clear()

    @gate
    def quick() -> str:
        return "ok"

    assert quick() == "ok"  # the slots came back, errors included

    @gate
    def broken() -> None:
        raise ValueError("boom")

    for _ in range(3):
        with pytest.raises(ValueError):
            broken()
    assert quick() == "ok"
