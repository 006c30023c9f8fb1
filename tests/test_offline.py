"""Offline proof: ingest and ask inside a network namespace with no network (`unshare -n`).

The child processes also run without HF_HUB_OFFLINE / TRANSFORMERS_OFFLINE, so nothing is
allowed to rely on "offline mode" flags: it simply must not need the network.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE
from tests.support.procs import cli_env

pytestmark = pytest.mark.slow

UNSHARE = shutil.which("unshare")


def _offline_reason() -> str | None:
    if UNSHARE is None:
        return "unshare (util-linux) is not installed"
    probe = subprocess.run([UNSHARE, "-n", "true"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        why = probe.stderr.strip() or f"exit {probe.returncode}"
        return f"the kernel/container forbids network namespaces (unshare -n: {why})"
    return None


REASON = _offline_reason()
needs_unshare = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def offline(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    assert UNSHARE is not None
    env = {k: v for k, v in env.items() if k not in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")}
    return subprocess.run(
        [UNSHARE, "-n", sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=600,
    )


@needs_unshare
def test_the_namespace_really_has_no_network(tmp_path: Path) -> None:
    """The positive control: inside, even loopback is down and nothing can be reached."""
    code = (
        "import socket\n"
        "for host, port in (('1.1.1.1', 443), ('pypi.org', 443), ('127.0.0.1', 9)):\n"
        "    try:\n"
        "        socket.create_connection((host, port), timeout=3)\n"
        "    except OSError as exc:\n"
        "        print(host, type(exc).__name__)\n"
        "    else:\n"
        "        print(host, 'CONNECTED')\n"
    )
    proc = offline(["-c", code], cli_env(tmp_path / "d", tmp_path / "k"))
    assert proc.returncode == 0, proc.stderr
    assert "CONNECTED" not in proc.stdout and len(proc.stdout.splitlines()) == 3


@needs_unshare
def test_ingest_and_ask_without_any_network(tmp_path: Path) -> None:
    kdir = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, kdir)
    env = cli_env(tmp_path / "data", kdir)

    ingest = offline(["-m", "assistant", "ingest", "--json"], env)
    assert ingest.returncode == 0, ingest.stderr
    report = json.loads(ingest.stdout)
    assert report["added"] > 100 and not report["skipped"]

    ask = offline(
        ["-m", "assistant", "ask", "--json",
         "How many years of clinical experience does a medical director need?"],
        env,
    )
    assert ask.returncode == 0, ask.stderr
    answer = json.loads(ask.stdout)
    assert not answer["refused"] and "5-10 years" in answer["answer"]
    sources = [c["source"] for c in answer["citations"]]
    assert "knowledge/medical-director-job-title.md" in sources  # where "5-10 years" is

    refused = offline(["-m", "assistant", "ask", "--json", "Who won the 2018 World Cup?"], env)
    assert refused.returncode == 0 and json.loads(refused.stdout)["refused"] is True

    again = offline(["-m", "assistant", "ingest", "--json"], env)  # no-op, still offline
    assert again.returncode == 0 and json.loads(again.stdout)["embedded"] == 0
