"""Subprocesses of the real CLI for the crash and concurrency tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import MODEL_CACHE, ROOT

HOOK = Path(__file__).resolve().parent / "crash_hook"  # kill/hold points (sitecustomize)


def cli_env(data: Path, kdir: Path, **extra: str) -> dict[str, str]:
    """The environment of a CLI subprocess on ``data``/``kdir``, with the test hooks loadable."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("ASSISTANT_", "MD_CRASH", "MD_HOLD"))
    }
    env.update(
        ASSISTANT_DATA_DIR=str(data),
        ASSISTANT_KNOWLEDGE_DIR=str(kdir),
        ASSISTANT_MODEL_CACHE_DIR=str(MODEL_CACHE),
        ASSISTANT_CONFIG=str(data.parent / "no-such-settings.toml"),
        PYTHONPATH=os.pathsep.join([str(HOOK), str(ROOT)]),
    )
    env.update(extra)
    return env


def start_cli(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        cwd=str(ROOT),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )


def run_cli(
    args: list[str], env: dict[str, str], timeout: float = 300, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        env=env,
        cwd=str(ROOT),
        capture_output=True,
        input=stdin,
        timeout=timeout,
    )
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )
