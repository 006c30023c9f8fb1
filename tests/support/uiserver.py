"""Start the real UI (`python ui.py`) in a subprocess on a free loopback port, over temp dirs.

Used by tests/test_ui.py (gradio_client) and tests/test_browser.py (Chromium).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class UIServer:
    url: str
    port: int
    data_dir: Path
    knowledge_dir: Path
    proc: subprocess.Popen[bytes]
    log: Path
    env: dict[str, str] = field(default_factory=dict)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def files(self) -> set[str]:
        """Every file under the knowledge dir and its parent (to prove nothing escaped)."""
        return {
            str(p.relative_to(self.knowledge_dir.parent))
            for p in self.knowledge_dir.parent.rglob("*")
            if p.is_file() and "data" not in p.relative_to(self.knowledge_dir.parent).parts[:1]
        }


def ui_env(base: Path, data_dir: Path, knowledge_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_DATA_DIR=str(data_dir),
        ASSISTANT_KNOWLEDGE_DIR=str(knowledge_dir),
        ASSISTANT_MODEL_CACHE_DIR=os.environ.get("ASSISTANT_MODEL_CACHE_DIR", ""),
        ASSISTANT_CONFIG=str(base / "no-such-settings.toml"),
        GRADIO_ANALYTICS_ENABLED="False",
        HF_HUB_OFFLINE="1",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    if not env["ASSISTANT_MODEL_CACHE_DIR"]:
        del env["ASSISTANT_MODEL_CACHE_DIR"]
    if "ASSISTANT_ONNX_CACHE" in os.environ:
        env["ASSISTANT_ONNX_CACHE"] = os.environ["ASSISTANT_ONNX_CACHE"]
    return env


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"ui.py exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "config", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError(f"ui.py did not answer on {url} within {timeout:.0f}s:\n{log.read_text()}")


def start_ui(
    base: Path,
    knowledge_src: Path,
    args: tuple[str, ...] = (),
    timeout: float = 300,
    **env_extra: str,
) -> UIServer:
    """Copy the knowledge base into ``base`` and start ui.py there (it builds its index)."""
    knowledge = base / "knowledge"
    if not knowledge.exists():
        shutil.copytree(knowledge_src, knowledge)
    data = base / "data"
    port = free_port()
    env = ui_env(base, data, knowledge, ASSISTANT_UI_PORT=str(port), **env_extra)
    if "--port" in args:
        port = int(args[args.index("--port") + 1])
    log = base / f"ui-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "ui.py"), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    wait_until_up(url, proc, log, timeout)
    return UIServer(url, port, data, knowledge, proc, log, env)
