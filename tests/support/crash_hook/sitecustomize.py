"""Deterministic SIGKILL points for tests/test_crash.py (loaded only when this directory is
on PYTHONPATH of a `python -m assistant ingest` subprocess).

MD_CRASH_AT = "<point>[:<n>]":
  embed:n    at the n-th embedding progress tick (n - 1 batches embedded, nothing stored)
  store:n    after the n-th upsert batch (sentences are written before their chunks)
  delete:n   after the n-th delete batch of stale chunks
  upsert:n   from another thread, as the n-th Collection.upsert call starts (mid-upsert)
  publish    just before the new index version is published (everything else written)
  lexical    after publishing, before the BM25 cache is rebuilt
  manifest   before the manifest is written (the last step)
  staged     an upload parsed in its staging folder, not yet in the knowledge dir
  moved      right after the first file move of an upload, delete or restore (its intent
             recorded, the index not yet changed)
MD_CRASH_BATCH = n  makes store batches n records long (more kill points).
MD_HOLD_AT = "<embed|store|delete>:<n>" with MD_HOLD_FILE = path: instead of dying there,
  create <path>.held and wait (at most 300 s) until <path> exists — a paused ingest that
  holds the write lock, for the concurrency tests.
"""

from __future__ import annotations

import os
import signal
import threading

_SPEC = os.environ.get("MD_CRASH_AT", "")
_HOLD = os.environ.get("MD_HOLD_AT", "")


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _hold() -> None:
    import time
    from pathlib import Path

    release = Path(os.environ["MD_HOLD_FILE"])
    Path(f"{release}.held").write_text(str(os.getpid()))
    deadline = time.monotonic() + 300
    while not release.exists() and time.monotonic() < deadline:
        time.sleep(0.05)


def _install(spec: str, action=_die) -> None:  # type: ignore[no-untyped-def]
    import assistant.facade as facade
    import assistant.index.ingest as ingest
    import assistant.index.store as store
    import assistant.index.writer as writer

    point, _, count = spec.partition(":")
    n = int(count or 1)
    batch = os.environ.get("MD_CRASH_BATCH")
    if batch:
        store.Store._batch = lambda self: int(batch)  # type: ignore[method-assign]

    if point in ("embed", "store", "delete"):
        real_sync = writer.sync

        def sync(settings, st, embed, files, progress=None, rebuild_lexical=None):  # type: ignore[no-untyped-def]
            calls = 0

            def tick(stage: str, done: int, total: int) -> None:
                nonlocal calls
                if stage == point and (stage != "embed" or done < total):
                    calls += 1
                    if calls == n:
                        action()
                if progress is not None:
                    progress(stage, done, total)

            return real_sync(settings, st, embed, files, tick, rebuild_lexical=rebuild_lexical)

        writer.sync = sync  # type: ignore[assignment]
    elif point == "upsert":
        from chromadb.api.models.Collection import Collection

        real_upsert = Collection.upsert
        calls = [0]

        def upsert(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            calls[0] += 1
            if calls[0] == n:
                threading.Thread(target=_die, daemon=True).start()
            return real_upsert(self, *args, **kwargs)

        Collection.upsert = upsert  # type: ignore[method-assign]
    elif point == "publish":
        store.Store.set_version = lambda self, version: _die()  # type: ignore[method-assign]
    elif point == "lexical":
        facade.Assistant._rebuild_lexical = lambda self: _die()  # type: ignore[method-assign]
    elif point == "staged":
        real_read = writer.read_document

        def read_document(*args, **kwargs):  # type: ignore[no-untyped-def]
            doc = real_read(*args, **kwargs)
            action()
            return doc

        writer.read_document = read_document  # type: ignore[assignment]
    elif point == "moved":
        import assistant.index.journal as journal

        real_move = journal.move

        def move(src, dst):  # type: ignore[no-untyped-def]
            real_move(src, dst)
            action()

        journal.move = move  # type: ignore[assignment]
    elif point == "manifest":
        ingest.Manifest.save = lambda self, data: _die()  # type: ignore[method-assign]
    else:
        raise SystemExit(f"unknown MD_CRASH_AT point: {spec}")


if _SPEC:
    _install(_SPEC)
elif _HOLD:
    _install(_HOLD, _hold)
