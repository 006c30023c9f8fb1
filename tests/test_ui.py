"""The UI through gradio_client against the really launched app (`python ui.py`, free port)."""

from __future__ import annotations

import base64
import json
import logging
import time
from pathlib import Path
from typing import Any

import docx
import pytest
from gradio_client import Client, handle_file
from gradio_client.exceptions import AppError

from assistant.citations import is_quote

pytestmark = pytest.mark.slow

RESPONSIBILITIES = "What are the main responsibilities of a medical director?"
UNIQUE = (
    "---\ntitle: Night Rota Policy\n---\n# Night Rota Policy\n\n## Zebrafish protocol\n\n"
    "The medical director signs the zebrafish night rota every Tuesday before noon, and the "
    "deputy countersigns it when the director is on leave.\n"
)


@pytest.fixture(scope="module")
def client(ui_server: Any) -> Client:
    return Client(ui_server.url, verbose=False)


def _docs(client: Client) -> dict[str, int]:
    return {d["source"]: d["chunks"] for d in client.predict(api_name="/documents")}


def _text(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, list):
        return "".join(part.get("text", "") for part in content)
    return str(content)


# -- chat and ask ------------------------------------------------------------------------
def test_ask_returns_a_cited_answer(client: Client) -> None:
    result = client.predict(RESPONSIBILITIES, "[]", api_name="/ask")
    assert set(result) >= {"question", "answer", "refused", "citations", "sentences"}
    assert result["refused"] is False
    assert result["citations"], result
    ids = {c["id"] for c in result["citations"]}
    passages = {c["id"]: c["text"] for c in result["citations"]}
    for sentence in result["sentences"]:
        assert sentence["citations"] and set(sentence["citations"]) <= ids
        assert sentence["verified"]
        assert any(is_quote(sentence["text"], passages[n]) for n in sentence["citations"])
    assert all(c["source"].startswith("knowledge/") for c in result["citations"])


def test_follow_up_uses_the_history(client: Client) -> None:
    follow_up = "And what about their budget duties?"
    with_history = client.predict(follow_up, json.dumps([RESPONSIBILITIES]), api_name="/ask")
    assert not with_history["refused"]
    assert "budget" in with_history["answer"].lower()
    cited = " ".join(c["text"].lower() for c in with_history["citations"])
    assert "budget" in cited


def test_out_of_scope_question_is_refused(client: Client) -> None:
    result = client.predict("Who won the 2018 football world cup?", "[]", api_name="/ask")
    assert result["refused"] is True
    assert result["citations"] == []
    assert result["suggestions"], "a refusal lists the nearest covered topics"


@pytest.mark.parametrize(
    ("question", "history", "message"),
    [
        ("   ", "[]", "The question is empty"),
        ("x" * 1500, "[]", "too long"),
        ("What is HIPAA?", "not json", "history must be a JSON list"),
        ("What is HIPAA?", '{"a": 1}', "history must be a JSON list"),
    ],
)
def test_bad_questions_get_a_short_message(
    client: Client, question: str, history: str, message: str
) -> None:
    with pytest.raises(AppError) as err:
        client.predict(question, history, api_name="/ask")
    text = str(err.value)
    assert message in text
    assert "Traceback" not in text and len(text) < 300


def test_chat_streams_an_answer_with_sources_and_follow_up(client: Client) -> None:
    t0 = time.perf_counter()
    job = client.submit(RESPONSIBILITIES, [], api_name="/chat")
    first_token = None
    updates = []
    for messages, _box in job:
        updates.append(messages)
        if first_token is None and len(messages) >= 2 and _text(messages[-1]) not in ("", "…"):
            first_token = time.perf_counter() - t0
    assert first_token is not None
    logging.getLogger(__name__).info("submit -> first streamed token: %.3fs", first_token)
    final = job.outputs()[-1][0]
    assert [m["role"] for m in final] == ["user", "assistant"]
    bubble = _text(final[-1])
    assert '<sup class="cite"><button type="button" class="cite-link"' in bubble
    assert ">[1]</button></sup>" in bubble
    assert '<button type="button" class="copy-answer"' in bubble  # the plain-text copy
    assert '<details class="sources">' in bubble and "<blockquote>" in bubble
    assert "knowledge/" in bubble  # each source names its file
    assert len(updates) >= 3, "the answer arrives in pieces"

    # the follow-up is asked in the same session: the conversation state carries the question
    follow = client.predict("And what about their budget duties?", final, api_name="/chat")[0]
    assert len(follow) == 4
    assert "budget" in _text(follow[-1]).lower()


def test_chat_marks_not_covered_answers(client: Client) -> None:
    messages = client.predict("What dose of amoxicillin should I give a child?", [],
                              api_name="/chat")[0]
    bubble = _text(messages[-1])
    assert 'class="not-covered"' in bubble and "Not covered" in bubble
    assert "<li>" in bubble  # the nearest covered topics
    assert "sources" not in bubble


# -- knowledge: upload and delete ----------------------------------------------------------
def test_upload_ask_and_delete(client: Client, ui_server: Any, tmp_path: Path) -> None:
    before = _docs(client)
    path = tmp_path / "night-rota.md"
    path.write_text(UNIQUE)
    status, table, _pick, _view, cleared = client.predict([handle_file(str(path))],
                                                          api_name="/add_files")
    assert "night-rota.md" in status and "added" in status
    assert cleared is None
    docs = _docs(client)
    assert docs["knowledge/uploads/night-rota.md"] >= 1
    assert set(docs) - set(before) == {"knowledge/uploads/night-rota.md"}
    assert (ui_server.knowledge_dir / "uploads" / "night-rota.md").read_text() == UNIQUE
    assert any("night-rota.md" in str(row) for row in table["data"])

    answer = client.predict("Who signs the zebrafish night rota?", "[]", api_name="/ask")
    assert not answer["refused"]
    assert any(c["source"] == "knowledge/uploads/night-rota.md" for c in answer["citations"])

    result = client.predict("knowledge/uploads/night-rota.md", api_name="/delete")
    assert result["removed"] >= 1
    assert _docs(client) == before
    assert not (ui_server.knowledge_dir / "uploads" / "night-rota.md").exists()
    gone = client.predict("Who signs the zebrafish night rota?", "[]", api_name="/ask")
    assert all(c["source"] != "knowledge/uploads/night-rota.md" for c in gone["citations"])


def test_upload_by_name_is_sanitised(client: Client, ui_server: Any) -> None:
    """A path-traversal name lands only in knowledge/uploads, under its base name."""
    before_files = ui_server.files()
    data = base64.b64encode(UNIQUE.encode()).decode()
    result = client.predict("../../../escaped rota.md", data, api_name="/upload")
    assert result["added"] >= 1
    new = ui_server.files() - before_files
    assert new == {"knowledge/uploads/escaped-rota.md"}
    client.predict("knowledge/uploads/escaped-rota.md", api_name="/delete")
    assert ui_server.files() == before_files


CORRUPT_PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> garbage without xref or trailer\n"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("malware.exe", b"MZ\x90\x00binary", "file type .exe is not accepted"),
        ("notes.md.sh", b"echo hi", "file type .sh is not accepted"),
        ("../../..", b"# hi\n", "no usable name"),
        ("broken.pdf", CORRUPT_PDF, "broken.pdf"),
        ("fake.pdf", b"# not a pdf at all\n", "not a valid PDF"),
        ("fake.docx", b"just text", "not a valid DOCX"),
        ("empty.md", b"", "empty"),
        ("nul.txt", b"text\x00with\x00nul bytes", "binary content"),
        ("big.md", b"# big\n" + b"word " * 300_000, "larger than the 1 MB limit"),
    ],
)
def test_bad_uploads_are_refused_and_change_nothing(
    client: Client, ui_server: Any, name: str, data: bytes, message: str
) -> None:
    before, before_files = _docs(client), ui_server.files()
    with pytest.raises(AppError) as err:
        client.predict(name, base64.b64encode(data).decode(), api_name="/upload")
    text = str(err.value)
    assert message in text, text
    assert "Traceback" not in text and len(text) < 400
    assert _docs(client) == before
    assert ui_server.files() == before_files


def test_second_upload_of_the_same_name_is_refused(client: Client, ui_server: Any) -> None:
    data = base64.b64encode(UNIQUE.encode()).decode()
    client.predict("rota.md", data, api_name="/upload")
    before, before_files = _docs(client), ui_server.files()
    with pytest.raises(AppError, match="already exists"):
        client.predict("rota.md", base64.b64encode(b"# other\n").decode(), api_name="/upload")
    assert _docs(client) == before and ui_server.files() == before_files
    client.predict("knowledge/uploads/rota.md", api_name="/delete")


def test_bad_file_uploads_through_the_file_picker(
    client: Client, ui_server: Any, tmp_path: Path
) -> None:
    before, before_files = _docs(client), ui_server.files()
    bad = tmp_path / "corrupt.pdf"
    bad.write_bytes(CORRUPT_PDF)
    with pytest.raises(AppError) as err:
        client.predict([handle_file(str(bad))], api_name="/add_files")
    assert "corrupt.pdf" in str(err.value)
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * 300_000)  # 1.5 MB > the server's 1 MB limit
    with pytest.raises(Exception) as err2:
        client.predict([handle_file(str(big))], api_name="/add_files")
    assert "Traceback" not in str(err2.value)
    assert _docs(client) == before
    assert ui_server.files() == before_files


def test_delete_outside_the_knowledge_dir_is_refused(client: Client, ui_server: Any) -> None:
    before_files = ui_server.files()
    for source in ("../data/chroma/chroma.sqlite3", "/etc/passwd", "knowledge/nope.md"):
        with pytest.raises(AppError) as err:
            client.predict(source, api_name="/delete")
        assert "No such document" in str(err.value)
    assert ui_server.files() == before_files


# -- drafting ------------------------------------------------------------------------------
def test_draft_through_the_api(client: Client) -> None:
    draft = client.predict("responsibilities,kpis", "emergency department", "St Mary's", "",
                           "", 5, api_name="/draft")
    assert [s["section"] for s in draft["sections"]] == ["responsibilities", "kpis"]
    for section in draft["sections"]:
        assert section["bullets"]
        for bullet in section["bullets"]:
            assert bullet["citations"] and bullet["verified"]


def _download(ui_server: Any, update: dict[str, Any], target: Path) -> Path:
    """Fetch a DownloadButton's file over HTTP, as the browser does."""
    import urllib.parse
    import urllib.request

    assert update["interactive"] is True
    url = f"{ui_server.url}gradio_api/file={urllib.parse.quote(update['value'])}"
    with urllib.request.urlopen(url, timeout=30) as r:
        target.write_bytes(r.read())
    return target


def test_draft_tab_generate_refine_and_export(
    client: Client, ui_server: Any, tmp_path: Path
) -> None:
    out = client.predict(["responsibilities"], "hospice", "Acme Care", "", "", 4,
                         api_name="/generate_draft")
    html, status, sections, bullets = out[0], out[1], out[2], out[3]
    assert "<h3>Key responsibilities</h3>" in html and '<sup class="cite">' in html
    assert status.startswith("Drafted 1 sections, 4 bullets")
    assert sections["value"] == "responsibilities"
    ids = [value for _label, value in bullets["choices"]]
    assert len(ids) == 4

    md = _download(ui_server, out[5], tmp_path / "reviewed.md").read_text()
    assert "Key responsibilities" in md and "[1]" in md and "Sources" in md
    clean = _download(ui_server, out[7], tmp_path / "clean.md").read_text()
    assert "[1]" not in clean and "Key responsibilities" in clean
    document = docx.Document(str(_download(ui_server, out[6], tmp_path / "reviewed.docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Key responsibilities" in text and "Sources" in text

    # refine in the same session (the draft lives in the session's state)
    pinned = client.predict("responsibilities", ids[1], "", "", api_name="/draft_pin")
    assert f'data-id="{ids[1]}"' in pinned[0] and "pinned" in pinned[0]
    assert pinned[3]["value"] == ids[1]  # the bullet stays selected
    edited = client.predict("responsibilities", ids[2], "", "Lead the hospice's clinical team.",
                            api_name="/draft_edit")
    assert "Lead the hospice&#x27;s clinical team." in edited[0] and "edited" in edited[0]
    removed = client.predict("responsibilities", ids[3], "", "", api_name="/draft_remove")
    assert f'data-id="{ids[3]}"' not in removed[0]
    regenerated = client.predict("responsibilities", None, "", "", api_name="/draft_regenerate")
    assert f'data-id="{ids[1]}"' in regenerated[0]  # pinned survives
    assert "Lead the hospice&#x27;s clinical team." in regenerated[0]  # edited survives
    more = client.predict("responsibilities", None, "budget", "", api_name="/draft_more")
    assert more[0].count('<li class="bullet"') >= regenerated[0].count('<li class="bullet"')
    assert "budget" in more[0].lower()
    with pytest.raises(AppError, match="Choose a bullet"):
        client.predict("responsibilities", None, "", "", api_name="/draft_remove")


def test_draft_tab_save_is_the_cli_json_and_load_checks_it(
    client: Client, ui_server: Any, tmp_path: Path
) -> None:
    import subprocess
    import sys

    out = client.predict(["responsibilities", "kpis"], "hospice", "Acme Care", "", "", 3,
                         api_name="/generate_draft")
    saved = _download(ui_server, out[9], tmp_path / "ui.json")
    assert Path(out[9]["value"]).name == "Acme-Care-Medical-Director.json"
    # The "Save draft" file is byte for byte what the CLI's --save writes for the same inputs.
    cli = tmp_path / "cli.json"
    subprocess.run(
        [sys.executable, "-m", "assistant", "draft", "responsibilities", "kpis", "--setting",
         "hospice", "--org", "Acme Care", "--bullets", "3", "--save", str(cli)],
        env=ui_server.env, check=True, capture_output=True, timeout=300,
    )
    assert saved.read_bytes() == cli.read_bytes()

    loaded = client.predict(handle_file(str(saved)), api_name="/load_draft")
    assert loaded[1].startswith("Loaded the draft: 2 sections, 6 bullets, 6 verified")
    assert loaded[0] == out[0]  # the same draft on screen
    assert loaded[10] == ["responsibilities", "kpis"] and loaded[11] == "hospice"  # the form

    data = json.loads(saved.read_text())
    first = data["sections"][0]["bullets"][0]
    first["citations"][0]["text"] = "The medical director flies the hospital helicopter."
    first["text"] = "Fly the hospital helicopter"
    (tmp_path / "tampered.json").write_text(json.dumps(data))
    tampered = client.predict(handle_file(str(tmp_path / "tampered.json")),
                              api_name="/load_draft")
    assert "5 verified" in tampered[1] and "1 unverified" in tampered[1]
    assert tampered[0].count("badge warn") == 1 and "Fly the hospital helicopter" in tampered[0]

    # (a file over the draft limit is refused the same way; the test server's 1 MB upload
    # limit stops it first, so tests/unit covers that case)
    for name, content in [("garbage.json", b"\x00\xff not json"), ("shape.json", b"[1, 2]"),
                          ("deep.json", b"[" * 200_000)]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(AppError) as err:
            client.predict(handle_file(str(tmp_path / name)), api_name="/load_draft")
        message = str(err.value)
        assert name in message and "Traceback" not in message, message
    # nothing changed: the session still has the tampered draft
    pinned = client.predict("responsibilities", first["id"], "", "", api_name="/draft_pin")
    assert "Fly the hospital helicopter" in pinned[0] and "pinned" in pinned[0]


# -- launching -----------------------------------------------------------------------------
def test_ui_py_honours_host_and_port_flags_over_the_environment(
    ui_server: Any, tmp_path: Path
) -> None:
    """`python ui.py --host H --port P` wins over ASSISTANT_UI_PORT (which the fixture uses)."""
    import shutil

    from tests.support.uiserver import free_port, start_ui

    shutil.copytree(ui_server.knowledge_dir, tmp_path / "knowledge")
    shutil.copytree(ui_server.data_dir, tmp_path / "data")  # already indexed: no ingest
    port = free_port()
    server = start_ui(tmp_path, ui_server.knowledge_dir, args=("--host", "127.0.0.1",
                                                               "--port", str(port)))
    try:
        assert server.url == f"http://127.0.0.1:{port}/"
        assert f"Serving the assistant on http://127.0.0.1:{port}" in server.output()
        assert "no index yet" not in server.output()
        assert Client(server.url, verbose=False).predict(api_name="/documents")
    finally:
        server.stop()


# -- evaluation ----------------------------------------------------------------------------
def test_evaluation_tab_runs_the_set_against_the_baseline(client: Client) -> None:
    verdict, table, chart, failures, status = client.predict(api_name="/evaluate")
    assert "against the baseline" in verdict and "cases fully right" in verdict
    assert "hit@5" in table and "mrr" in table.lower()
    assert "hybrid" in table and "baseline" in table.lower()
    assert Path(chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert status.startswith("Evaluated ") and "failed" in status
    n_failed = int(status.split(";")[1].split()[0])
    assert failures.count('<li class="eval-failure">') == n_failed
    assert "missing key facts" not in failures  # plain words, not the runner's phrases
