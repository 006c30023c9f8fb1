"""The command line, in-process: JSON shapes, stdin mode, readable output and clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from assistant.cli.main import main
from tests.conftest import MODEL_CACHE


@pytest.fixture()
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, small_kb: Path) -> Path:
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ASSISTANT_KNOWLEDGE_DIR", str(small_kb))
    monkeypatch.setenv("ASSISTANT_MODEL_CACHE_DIR", str(MODEL_CACHE))
    return tmp_path / "data"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_ask_before_ingest_says_what_to_do(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(capsys, "ask", "Who prepares the budget?")
    assert code != 0 and out == ""
    assert err.startswith("error: ") and "ingest" in err and "Traceback" not in err


def test_ingest_retrieve_ask_json_shapes(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "ingest", "--quiet")
    assert code == 0 and "2 documents" in out

    code, out, _ = _run(capsys, "retrieve", "Who prepares the annual budget?", "--json")
    data = json.loads(out)
    assert code == 0 and set(data) == {"question", "results"}
    first = data["results"][0]
    assert {"source", "title", "section", "text", "score"} <= set(first)
    assert first["source"] == "knowledge/alpha.md" and first["section"] == "Budgets"

    code, out, _ = _run(capsys, "ask", "Who prepares the annual budget?", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"question", "answer", "refused", "citations"} <= set(data)
    assert data["refused"] is False and "[1]" in data["answer"]
    cit = data["citations"][0]
    assert {"id", "source", "title", "section", "text", "score"} <= set(cit)
    assert cit["id"] == 1 and "annual budget" in cit["text"]


def test_readable_answer_has_sources(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "ingest", "--quiet")
    code, out, _ = _run(capsys, "ask", "Who prepares the annual budget?")
    assert code == 0
    assert "[1]" in out and "Sources:" in out and "[1] Alpha Guide — Budgets" in out


def test_stdin_mode_one_json_per_line(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _run(capsys, "ingest", "--quiet")
    stdin = io.TextIOWrapper(
        io.BytesIO(b"Who prepares the annual budget?\n\nWho approves rotas?\n")
    )
    monkeypatch.setattr("sys.stdin", stdin)
    code, out, _ = _run(capsys, "ask", "--json", "-")
    lines = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and len(lines) == 2
    assert [x["question"] for x in lines] == [
        "Who prepares the annual budget?",
        "Who approves rotas?",
    ]


def test_empty_question_is_an_error(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "ingest", "--quiet")
    code, out, err = _run(capsys, "ask", "   ")
    assert code == 2 and out == "" and "empty" in err


def test_bad_setting_is_an_error(
    cli_env: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ASSISTANT_TOP_K", "many")
    code, _, err = _run(capsys, "ask", "Who prepares the annual budget?")
    assert code == 2 and "top_k" in err and "Traceback" not in err
