"""A real Chroma server for tests: `chroma run` from the venv on a free loopback port.

Started once per session by the ``chroma_server`` fixture, reached through its heartbeat,
stopped by its pid. Import the fixture into a test module to use it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    """A port nobody listens on right now (bind port 0, read it back)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def chroma_cli() -> str:
    """The `chroma` CLI installed next to this interpreter (the venv's), else on PATH."""
    local = Path(sys.executable).parent / "chroma"
    found = str(local) if local.exists() else shutil.which("chroma")
    if not found:
        pytest.fail("the `chroma` CLI (from the chromadb package) is not installed")
    return found


@dataclass
class ChromaServer:
    host: str
    port: int
    path: Path
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def heartbeat(self, timeout: float = 2.0) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=timeout) as r:
                return "nanosecond heartbeat" in json.loads(r.read())
        except (OSError, ValueError):
            return False

    def stop(self) -> None:
        """Terminate by pid; kill if it does not stop within 10 s."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start_chroma_server(path: Path, timeout: float = 60.0, attempts: int = 3) -> ChromaServer:
    """Start `chroma run` on a free port and wait for its heartbeat (retry if the port raced)."""
    path.mkdir(parents=True, exist_ok=True)
    last = ""
    for attempt in range(attempts):
        port = free_port()
        log = path.parent / f"chroma-server-{port}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [chroma_cli(), "run", "--path", str(path), "--host", "127.0.0.1",
                 "--port", str(port)],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
            )
        server = ChromaServer("127.0.0.1", port, path, proc, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and proc.poll() is None:
            if server.heartbeat(timeout=1.0):
                return server
            time.sleep(0.2)
        server.stop()
        last = log.read_text(errors="replace")[-2000:]
        if attempt + 1 < attempts:
            time.sleep(0.5)
    raise RuntimeError(f"`chroma run` did not answer its heartbeat; last log:\n{last}")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = start_chroma_server(tmp_path_factory.mktemp("chroma-server") / "db")
    try:
        yield server
    finally:
        server.stop()
