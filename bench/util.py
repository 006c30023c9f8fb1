"""Timing helpers: percentiles, child processes with their own wall time and peak RSS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


@dataclass(frozen=True)
class Child:
    wall: float  # seconds, process start to exit
    rss_mb: float  # peak resident set size of that process
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict:  # type: ignore[type-arg]
        return json.loads(self.stdout.strip().splitlines()[-1])


def run_child(args: list[str], env: dict[str, str] | None = None, timeout: float = 7200) -> Child:
    """Run ``python ARGS`` and measure it alone (wait4 gives this child's own rusage)."""
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-child-{os.getpid()}.out"
    err_path = out_path.with_suffix(".err")
    with out_path.open("wb") as out, err_path.open("wb") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, *args], stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            env=env, cwd=str(ROOT),
        )
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
            time.sleep(0.005)
        wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    stderr = err_path.read_text(errors="replace")
    out_path.unlink(missing_ok=True)
    err_path.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{args} failed ({proc.returncode}):\n{stderr[-3000:]}")
    return Child(wall, usage.ru_maxrss / 1024, proc.returncode, stdout, stderr)


def env_for(data: Path, kdir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(data),
        ASSISTANT_KNOWLEDGE_DIR=str(kdir),
        ASSISTANT_MODEL_CACHE_DIR=str(model_dir()),
        ASSISTANT_CONFIG=str(data.parent / "no-such-settings.toml"),
        ANONYMIZED_TELEMETRY="False",
        PYTHONPATH=str(ROOT),
    )
    env.setdefault(
        "TIKTOKEN_CACHE_DIR",
        str(Path(sys.prefix) / "lib/python3.11/site-packages/llama_index/core/_static"
            / "tiktoken_cache"),
    )
    env.update(extra)
    return env


def model_dir() -> Path:
    return Path(os.environ.get("ASSISTANT_MODEL_CACHE_DIR", ROOT / ".data" / "models"))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"
