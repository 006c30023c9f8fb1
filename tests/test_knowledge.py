"""Knowledge-base hygiene through the UI's handlers and the CLI, over real Chroma and real
embeddings: deletes keep the file in the trash (core documents for good, uploads for a day)
and Restore brings it back; a delete is confirmed with the document's chunk count; the UI's
login setting is enforced by the launched app."""

from __future__ import annotations

import os
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.errors import InputError, SettingsError
from assistant.index import journal
from assistant.web.auth import credentials
from assistant.web.handlers import Handlers
from tests.conftest import make_settings
from tests.support.procs import cli_env, run_cli

NOTE = b"# Kiwi ledger\n\nThe finance lead audits the kiwi pharmacy ledger every month.\n"


@pytest.fixture()
def handlers(tmp_path: Path, small_kb: Path) -> Handlers:
    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    return Handlers(a)


def test_a_deleted_core_document_stays_in_the_trash_and_is_restored(handlers: Handlers) -> None:
    a = handlers.assistant
    before = a.store.ids_by_source()
    docs = {d["source"]: d for d in handlers.documents()}
    assert docs["knowledge/alpha.md"]["core"] is True
    n = docs["knowledge/alpha.md"]["chunks"]
    prompt = handlers.delete_prompt("knowledge/alpha.md")
    assert "knowledge/alpha.md" in prompt and f"({n} chunks)" in prompt and "core" in prompt

    handlers.delete("knowledge/alpha.md")
    assert "knowledge/alpha.md" not in {d["source"] for d in handlers.documents()}
    assert handlers.trashed() == ["knowledge/alpha.md"]
    # an old core document in the trash survives the start-up expiry (uploads do not)
    kept = a.settings.data_dir / "trash" / "alpha.md"
    old = time.time() - 10 * journal.UPLOAD_TRASH_SECONDS
    os.utime(kept, (old, old))
    Assistant(a.settings).recover()
    assert kept.exists() and handlers.trashed() == ["knowledge/alpha.md"]

    result = handlers.restore("knowledge/alpha.md")
    assert result["added"] == n
    assert a.store.ids_by_source() == before  # the same chunks, the same ids
    assert handlers.trashed() == []
    with pytest.raises(InputError, match="No deleted document"):
        handlers.restore("knowledge/alpha.md")


def test_a_deleted_upload_is_restorable_for_a_day(handlers: Handlers) -> None:
    a = handlers.assistant
    handlers.add_file("kiwi.md", NOTE)
    source = "knowledge/uploads/kiwi.md"
    assert {d["source"]: d["core"] for d in handlers.documents()}[source] is False
    assert "for a day" in handlers.delete_prompt(source)
    handlers.delete(source)
    assert handlers.trashed() == [source]
    handlers.restore(source)
    assert source in {d["source"] for d in handlers.documents()}
    handlers.delete(source)
    kept = a.settings.data_dir / "trash" / "uploads" / "kiwi.md"
    old = time.time() - journal.UPLOAD_TRASH_SECONDS - 60
    os.utime(kept, (old, old))
    Assistant(a.settings).recover()  # the next start forgets it
    assert handlers.trashed() == [] and not kept.exists()


def test_restore_refuses_paths_outside_the_trash_and_names_that_exist(handlers: Handlers) -> None:
    for bad in ("../manifest.json", "/etc/passwd", "knowledge/nope.md", ""):
        with pytest.raises(InputError):
            handlers.restore(bad)
    handlers.delete("knowledge/beta.md")
    (handlers.assistant.settings.knowledge_dir / "beta.md").write_text("# Beta again\n\nNew.\n")
    with pytest.raises(InputError, match="exists again"):
        handlers.restore("knowledge/beta.md")


def test_cli_delete_trash_restore(tmp_path: Path, small_kb: Path) -> None:
    env = cli_env(tmp_path / "data", small_kb)
    assert run_cli(["ingest", "--quiet"], env).returncode == 0
    out = run_cli(["delete", "knowledge/beta.md"], env)
    assert out.returncode == 0 and "kept in the trash for good" in out.stdout, out.stderr
    assert run_cli(["trash"], env).stdout.split() == ["knowledge/beta.md"]
    back = run_cli(["restore", "knowledge/beta.md"], env)
    assert back.returncode == 0 and "restored knowledge/beta.md" in back.stdout, back.stderr
    docs = run_cli(["documents"], env).stdout
    assert "knowledge/beta.md" in docs and run_cli(["trash"], env).stdout == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, None),
        ("", None),
        ("ops:correct:horse", [("ops", "correct:horse")]),
    ],
)
def test_ui_auth_setting(value: str | None, expected: object) -> None:
    assert credentials(value) == expected


def test_ui_auth_file_and_bad_values(tmp_path: Path) -> None:
    users = tmp_path / "users"
    users.write_text("# who may log in\nops:one\n\nreader:two\n")
    assert credentials(str(users)) == [("ops", "one"), ("reader", "two")]
    for bad in (":pw", "user:", str(tmp_path / "missing"), "nocolon"):
        with pytest.raises(SettingsError, match="ASSISTANT_UI_AUTH"):
            credentials(bad)


def test_launched_ui_asks_for_the_login(tmp_path: Path, small_kb: Path) -> None:
    """The real app, launched with ASSISTANT_UI_AUTH: no page or API without logging in."""
    from assistant.web.app import build_app, launch
    from tests.support.uiserver import free_port

    settings = make_settings(
        tmp_path / "data", small_kb, ui_auth="ops:correct-horse", ui_port=free_port()
    )
    app = build_app(Assistant(settings))
    launch(app, settings, block=False)
    base = f"http://127.0.0.1:{settings.ui_port}"
    try:
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(f"{base}/gradio_api/info", timeout=30)
        assert err.value.code in (401, 403)
        req = urllib.request.Request(
            f"{base}/login", data=b"username=ops&password=correct-horse", method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            assert r.status == 200
    finally:
        app.close()
