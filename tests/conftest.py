"""Shared fixtures: real Chroma, real embeddings; every test's state lives in a temp dir."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
MODEL_CACHE = Path(os.environ.get("ASSISTANT_TEST_MODEL_CACHE", ROOT / ".data" / "models"))

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ["ASSISTANT_ONNX_CACHE"] = str(MODEL_CACHE)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the user's settings file or ASSISTANT_* environment by accident."""
    for key in list(os.environ):
        if key.startswith("ASSISTANT_") and key != "ASSISTANT_ONNX_CACHE":
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ASSISTANT_CONFIG", str(tmp_path / "no-such-settings.toml"))
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(MODEL_CACHE))


def make_settings(data_dir: Path, knowledge_dir: Path, **overrides: object):  # type: ignore[no-untyped-def]
    from assistant.settings import Settings

    return Settings(
        data_dir=data_dir,
        knowledge_dir=knowledge_dir,
        model_cache_dir=MODEL_CACHE,
        **overrides,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="session")
def kb_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the real knowledge base (tests never touch the repo's files)."""
    target = tmp_path_factory.mktemp("kb") / "knowledge"
    shutil.copytree(KNOWLEDGE, target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, kb_dir: Path) -> Iterator[object]:
    """One Assistant over the real knowledge base, indexed once per session (read-only use)."""
    from assistant import Assistant

    data = tmp_path_factory.mktemp("data")
    a = Assistant(make_settings(data, kb_dir))
    a.ingest()
    yield a


@pytest.fixture()
def small_kb(tmp_path: Path) -> Path:
    """A writable two-document knowledge base for tests that change documents."""
    kdir = tmp_path / "knowledge"
    kdir.mkdir()
    (kdir / "alpha.md").write_text(
        "---\ntitle: Alpha Guide\n---\n# Alpha Guide\n\n## Budgets\n\nThe director prepares the "
        "annual budget and reviews spending every quarter with the finance team.\n\n"
        "## Staffing\n\nThe director recruits physicians and approves rotas for night shifts.\n"
    )
    (kdir / "beta.md").write_text(
        "---\ntitle: Beta Notes\n---\n# Beta Notes\n\n## Quality\n\nInfection rates and patient "
        "satisfaction scores are reviewed monthly by the quality committee.\n"
    )
    return kdir


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """The real UI (`python ui.py`) on a free loopback port over a copy of knowledge/."""
    from tests.support.uiserver import start_ui

    server = start_ui(tmp_path_factory.mktemp("ui"), KNOWLEDGE, ASSISTANT_MAX_UPLOAD_MB="1")
    yield server
    server.stop()
