"""Event handlers of the web UI: call the facade, hand back values to render. Nothing else.

Every handler works on plain values (strings, lists, the draft's JSON dict) so the same code
serves the browser and ``gradio_client``. Errors are turned into short messages by
``guard.guarded`` in ``ui.py``.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import contextlib
import json
import shutil
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from assistant.answering.query import check_question
from assistant.drafting import load
from assistant.drafting.export import file_stem, to_docx, to_markdown
from assistant.drafting.model import Draft
from assistant.errors import AssistantError, InputError
from assistant.evaluation import explain
from assistant.evaluation.cases import load_cases
from assistant.evaluation.report import load_baseline, write_report
from assistant.evaluation.runner import run_eval
from assistant.facade import Assistant
from assistant.index.journal import disk_full, is_disk_full
from assistant.index.uploads import safe_name
from assistant.index.writer import UPLOAD_DIR
from assistant.types import Answer, IngestReport
from assistant.web import evaluation_view, render
from assistant.web.guard import log, user_message

Messages = list[dict[str, Any]]
CORE = "core"  # the documents table's kind of a document shipped in the knowledge dir
KEEP_EXPORTS = 8  # draft-download folders kept (each holds the five files of one action)
# Markdown/DOCX reviewed and clean, and the draft's JSON (the CLI's --save file).
DOWNLOADS = (("md", True), ("docx", True), ("md", False), ("docx", False), ("json", True))

# The extractive answer is complete at once and comes as a burst of pieces (sentences, list
# lines) that the browser would paint as one; a short pause between pieces lets a reader see
# a long answer arrive, at most STREAM_PAUSE_BUDGET seconds per answer. Pieces that come
# slower than STREAM_PAUSE (the LLM backend's tokens) are not held back.
STREAM_PAUSE = 0.12
STREAM_PAUSE_BUDGET = 1.2

EXAMPLES = (
    "What are the main responsibilities of a medical director?",
    "How many years of clinical experience does a medical director need?",
    "Which key performance indicators measure a medical director's success?",
    "How does a medical director manage the budget?",
    "What qualifications are required to become a medical director?",
)


def parse_history(history: object) -> list[str]:
    """The ``history`` argument of the ask API: a JSON list of earlier questions."""
    if history in (None, ""):
        return []
    value = history
    if isinstance(history, str):
        try:
            value = json.loads(history)
        except (ValueError, RecursionError):  # bad JSON, 5000 digits, 100k nested brackets
            raise InputError("history must be a JSON list of earlier questions.") from None
    if not isinstance(value, list) or not all(isinstance(q, str) for q in value):
        raise InputError("history must be a JSON list of earlier questions.")
    return [q for q in value if q.strip()]


def _progress(progress: Any, label: str) -> Any:
    def update(stage: str, done: int, total: int) -> None:
        if total > 0:
            progress((min(done, total), total), desc=f"{label}: {stage}", unit="items")

    return update


def _forget_upload(path: str) -> None:
    """Remove Gradio's cached copy of an uploaded file once it has been read (it would
    otherwise stay until the cache cleanup, or the end of the process)."""
    folder = Path(gr.utils.get_upload_folder()).resolve()
    with contextlib.suppress(OSError):
        if folder in Path(path).resolve().parents:
            Path(path).unlink()


class Handlers:
    """The UI's verbs, bound to one facade."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.export_dir = Path(tempfile.mkdtemp(prefix="md-assistant-exports-"))
        atexit.register(shutil.rmtree, self.export_dir, True)

    # -- chat ----------------------------------------------------------------------------
    def chat(
        self, question: str, messages: Messages | None, asked: list[str] | None
    ) -> Iterator[tuple[Messages, list[str], str]]:
        """Stream an answer into the chat; answered questions become the follow-up context."""
        messages = list(messages or [])
        asked = list(asked or [])
        try:
            q = check_question(question, self.assistant.settings.max_question_chars)
        except AssistantError as exc:
            gr.Warning(render.esc(str(exc)), title="Question not asked")
            yield messages, asked, question
            return
        messages += [{"role": "user", "content": q}, {"role": "assistant", "content": "…"}]
        uid = str(len(messages) - 1)  # the answer's place in the chat: its previews' ids
        yield messages, asked, ""
        text, final = "", None
        t0 = last = time.perf_counter()
        paused = 0.0
        try:
            for event in self.assistant.ask_stream(q, history=asked):
                if event.answer is not None:
                    final = event.answer
                elif event.text:
                    if not text:
                        log.info("first token after %.0f ms", 1000 * (time.perf_counter() - t0))
                    else:  # pieces that come faster than a reader sees are spaced out
                        wait = min(STREAM_PAUSE - (time.perf_counter() - last),
                                   STREAM_PAUSE_BUDGET - paused)
                        if wait > 0:
                            time.sleep(wait)
                            paused += wait
                    text += event.text
                    messages[-1] = {"role": "assistant", "content": render.answer_text(text)}
                    last = time.perf_counter()
                    yield messages, asked, ""
        except Exception as exc:
            note = render.esc(user_message(exc))
            messages[-1] = {"role": "assistant", "content": f'<div class="error">⚠ {note}</div>'}
            yield messages, asked, ""
            return
        if final is None:  # a backend that ended without its Answer
            return
        messages[-1] = {"role": "assistant", "content": render.answer_message(final, uid)}
        if not final.refused:
            asked.append(q)
        yield messages, asked, ""

    def ask(self, question: str, history: str = "[]") -> dict[str, Any]:
        answer: Answer = self.assistant.ask(question, history=parse_history(history))
        return answer.to_dict()

    # -- knowledge -----------------------------------------------------------------------
    def document_rows(self) -> list[list[Any]]:
        """[source, title, chunks, kind]: kind says which documents are core (shipped in
        the knowledge dir: a delete keeps them in the trash, restorable) and which uploads."""
        try:
            rows = render.document_rows(self.assistant.documents())
        except AssistantError:
            return []
        return [[*row, CORE if self.assistant.is_core(row[0]) else "upload"] for row in rows]

    def sources(self) -> list[str]:
        return [row[0] for row in self.document_rows()]

    def chunks(self, source: str | None) -> str:
        if not source:
            return render.chunks_html("", [])
        return render.chunks_html(source, self.assistant.chunks(source))

    def add_file(self, name: str, data: bytes, progress: Any = None) -> IngestReport:
        cb = _progress(progress, name) if progress is not None else None
        report = self.assistant.add_file(name, data, progress=cb)
        log.info("upload %s: %s", name, report.summary())
        return report

    def add_files(self, paths: Sequence[str] | None, progress: Any) -> tuple[str, list[str]]:
        """Add uploaded files one by one: (status Markdown, error messages)."""
        if not paths:
            raise InputError("Choose one or more files to upload first.")
        done, errors = [], []
        for path in paths:
            name = Path(path).name
            try:
                data = Path(path).read_bytes()
                _forget_upload(path)  # the bytes now live in the staging folder, or nowhere
                self.add_file(name, data, progress)
                kdir = self.assistant.settings.knowledge_dir.name
                source = f"{kdir}/{UPLOAD_DIR}/{safe_name(name)}"
                chunks = dict((r[0], r[2]) for r in self.document_rows()).get(source, 0)
                done.append(
                    f"✔ **{render.esc(name)}** added as {source} "
                    f"({chunks} chunk{'' if chunks == 1 else 's'})."
                )
            except Exception as exc:
                msg = user_message(exc)
                errors.append(msg if safe_name(name) in msg or name in msg else f"{name}: {msg}")
        lines = done + [f"✘ {render.esc(e)}" for e in errors]
        if errors and not done:
            raise InputError(" ".join(errors))
        return "\n\n".join(lines), errors

    def upload(self, name: str, content_base64: str) -> dict[str, Any]:
        """API upload: a file name and its bytes (base64); the name is sanitised."""
        try:
            data = base64.b64decode(content_base64 or "", validate=True)
        except (binascii.Error, ValueError):
            raise InputError("content_base64 is not valid base64.") from None
        report = self.add_file(name, data)
        return {"report": report.summary(), "added": report.added, "documents": self.documents()}

    def delete_prompt(self, source: str | None) -> str:
        """The confirmation a delete asks for: the document, its chunk count, what happens."""
        if not source:
            raise InputError("Choose a document to delete first.")
        chunks = dict((r[0], r[2]) for r in self.document_rows())
        if source not in chunks:
            raise InputError(f"No such document: {source}")
        n = chunks[source]
        kept = (
            "It is a core document: it stays in the trash and can be restored at any time."
            if self.assistant.is_core(source)
            else "It stays in the trash for a day and can be restored until then."
        )
        return f"Delete **{render.esc(source)}** ({n} chunk{'' if n == 1 else 's'})? {kept}"

    def delete(self, source: str) -> dict[str, Any]:
        if not source:
            raise InputError("Choose a document to delete first.")
        report = self.assistant.delete_document(source)
        log.info("deleted %s: %s", source, report.summary())
        return {
            "report": report.summary(),
            "removed": report.removed,
            "documents": self.documents(),
        }

    def restore(self, source: str) -> dict[str, Any]:
        """Put a deleted document back (the Knowledge tab's Restore, the /restore API)."""
        if not source:
            raise InputError("Choose a deleted document to restore first.")
        report = self.assistant.restore_document(source)
        log.info("restored %s: %s", source, report.summary())
        return {"report": report.summary(), "added": report.added, "documents": self.documents()}

    def trashed(self) -> list[str]:
        try:
            return self.assistant.trashed()
        except (AssistantError, OSError):
            return []

    def documents(self) -> list[dict[str, Any]]:
        return [
            {"source": s, "title": t, "chunks": n, "core": kind == CORE}
            for s, t, n, kind in self.document_rows()
        ]

    # -- drafting ------------------------------------------------------------------------
    def draft(
        self,
        sections: Sequence[str] | str,
        setting: str = "",
        org: str = "",
        seniority: str = "",
        emphasis: Sequence[str] | str = "",
        bullets: int | None = None,
        **inputs: str,
    ) -> dict[str, Any]:
        """A draft as JSON; ``bullets`` 0 or None means each section's default count, and
        ``inputs`` are the employer's lines (reports_to, location, …; empty -> placeholder)."""
        if isinstance(sections, str):
            sections = [s.strip() for s in sections.split(",") if s.strip()]
        if not sections:
            raise InputError("Choose at least one section to draft.")
        if isinstance(emphasis, str):
            emphasis = [e.strip() for e in emphasis.split(",") if e.strip()]
        draft = self.assistant.draft(
            sections=tuple(sections),
            setting=setting.strip(),
            org=org.strip(),
            seniority=seniority.strip(),
            emphasis=tuple(emphasis),
            bullets=int(bullets) if bullets else None,
            **{k: str(v or "").strip() for k, v in inputs.items()},
        )
        result: dict[str, Any] = draft.to_dict()
        return result

    def revise(
        self, draft: dict[str, Any] | str | None, action: str, **kwargs: Any
    ) -> dict[str, Any]:

        if isinstance(draft, str):
            try:
                draft = json.loads(draft) if draft.strip() else None
            except (ValueError, RecursionError):
                raise InputError("draft must be the JSON of a draft.") from None
        if not draft:
            raise InputError("Generate a draft first.")
        obj = Draft.from_dict(draft)
        result: dict[str, Any] = self.assistant.revise(obj, action, **kwargs).to_dict()
        return result

    def load_draft(self, saved: Any, name: str = "The draft") -> dict[str, Any]:
        """A saved draft (its JSON text, bytes, or the dict the browser kept) checked as the
        CLI's --from checks it: generation's limits, every citation against the index."""
        if saved is None or saved == "":
            raise InputError(f"{name} is empty.")
        if isinstance(saved, dict | list):
            saved = json.dumps(saved, ensure_ascii=False)
        if not isinstance(saved, str | bytes):
            raise InputError(f"{name} is not the JSON of a draft.")
        result: dict[str, Any] = load.load(saved, self.assistant.all_chunks(), name).to_dict()
        return result

    def load_file(self, path: str | None) -> dict[str, Any]:
        """The Draft tab's "Load draft" upload: a JSON file saved by the UI or the CLI."""
        if not path:
            raise InputError("Choose a draft JSON file to load.")
        name = Path(path).name
        try:
            with Path(path).open("rb") as f:  # one byte over the limit is enough to refuse
                raw = f.read(load.MAX_DRAFT_BYTES + 1)
        except OSError:
            raise InputError(f"Cannot read the uploaded file {name}.") from None
        return self.load_draft(raw, name)

    def refine(
        self,
        draft: dict[str, Any] | None,
        action: str,
        section: str | None,
        bullet: str | None,
        topic: str = "",
        text: str = "",
    ) -> tuple[dict[str, Any], str]:
        """One refinement from the Draft tab's controls: (new draft, status line)."""
        if not draft:
            raise InputError("Generate a draft first.")
        if not section:
            raise InputError("Choose a section first.")
        current = render.find_bullet(draft, section, bullet or "")
        kwargs: dict[str, Any] = {"section": section}
        name = action
        if action in ("pin", "remove", "edit", "up", "down"):
            if not current:
                raise InputError("Choose a bullet in the list first.")
            kwargs["bullet_id"] = bullet
        if action == "pin" and current.get("pinned"):
            name = "unpin"
        elif action == "more":
            if not topic.strip():
                raise InputError("Type a topic to add bullets on.")
            kwargs["topic"] = topic.strip()
        elif action == "edit":
            kwargs["text"] = text
        elif action in ("up", "down"):
            order = [b for _, b in render.bullet_choices(draft, section)]
            i = order.index(str(bullet))
            j = i - 1 if action == "up" else i + 1
            if 0 <= j < len(order):
                order[j], order[i] = order[i], order[j]
            name, kwargs = "reorder", {"section": section, "order": order}
        new = self.revise(draft, name, **kwargs)
        # Regenerate says what it did (replaced, or nothing else in the sources).
        regen = next(
            (
                n
                for sec in new.get("sections", [])
                if sec.get("section") == section
                for n in reversed(sec.get("notes", []))
                if n.startswith(("Regenerated", "No alternative"))
            ),
            "Regenerated the section (pinned and edited bullets kept).",
        )
        done = {
            "regenerate": regen,
            "more": f"Added bullets on “{topic.strip()}” where the knowledge base has evidence.",
            "pin": "Pinned: the bullet survives regeneration.",
            "unpin": "Unpinned.",
            "remove": "Removed the bullet.",
            "edit": "Saved: the bullet is marked as edited and keeps its citation for review.",
            "reorder": f"Moved the bullet {'down' if action == 'down' else 'up'}.",
        }
        return new, done.get(name, "Done.")

    def exports(self, draft: dict[str, Any] | None) -> tuple[list[str | None], str]:
        """The downloads (Markdown/DOCX, reviewed/clean; the JSON), or why they are unavailable."""
        try:
            if not draft or not draft.get("sections"):
                return [None] * len(DOWNLOADS), ""
            out = self._export_folder()
            return [self.export(draft, fmt, reviewed, out) for fmt, reviewed in DOWNLOADS], ""
        except Exception as exc:
            if is_disk_full(exc):
                exc = disk_full(self.export_dir, "the downloads were not written")
            return [None] * len(DOWNLOADS), user_message(exc)

    def _export_folder(self) -> Path:
        """One folder per draft action; only the newest KEEP_EXPORTS stay (Gradio serves
        its own copy of each download, so older folders are not needed for long)."""
        root = self.export_dir / "drafts"
        root.mkdir(parents=True, exist_ok=True)
        folders = sorted(root.iterdir(), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in folders[KEEP_EXPORTS - 1 :]:
            shutil.rmtree(old, ignore_errors=True)
        return Path(tempfile.mkdtemp(dir=root))

    def export(
        self, draft: dict[str, Any] | None, fmt: str, reviewed: bool, out: Path | None = None
    ) -> str | None:
        """Write the draft as Markdown, DOCX or JSON into ``out`` (default: a fresh folder);
        return the path."""
        if not draft or not draft.get("sections"):
            return None

        obj = Draft.from_dict(draft)
        out = out or self._export_folder()
        stem = file_stem(obj, reviewed)  # "Northwind-Clinics-Medical-Director(-clean)"
        if fmt == "json":  # byte for byte what `draft … --save` writes
            path = out / f"{stem}.json"
            path.write_text(load.dumps(obj), encoding="utf-8")
            return str(path)
        if fmt == "md":
            path = out / f"{stem}.md"
            path.write_text(to_markdown(obj, reviewed=reviewed), encoding="utf-8")
            return str(path)
        return str(to_docx(obj, out / f"{stem}.docx", reviewed=reviewed))

    # -- evaluation ----------------------------------------------------------------------
    def evaluate(self, progress: Any) -> tuple[str, str, str | None, str, str]:
        """Run the eval set: (verdict, score table, chart path, failed cases, status line),
        the first, second and fourth as HTML in plain words (web/evaluation_view.py)."""
        t0 = time.perf_counter()
        result = run_eval(self.assistant, progress=_progress(progress, "Evaluation"))
        baseline = load_baseline()
        out = Path(tempfile.mkdtemp(dir=self.export_dir))
        paths = write_report(result, out, baseline)
        seconds = time.perf_counter() - t0
        verdict = explain.verdict(result, baseline)
        failures = explain.plain_failures(result.failures, load_cases(Path(result.set_path)))
        status = (
            f"Evaluated {verdict.cases} cases in {seconds:.1f}s; "
            f"{len(failures)} failed"
            + ("" if baseline else " (no baseline yet)")
            + "."
        )
        chart = paths.get("chart")
        return (
            evaluation_view.verdict_html(verdict),
            evaluation_view.scores_html(result, baseline),
            str(chart) if chart else None,
            evaluation_view.failures_html(failures),
            status,
        )
