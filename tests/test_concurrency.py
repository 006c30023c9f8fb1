"""Concurrency: one writer per data dir, readers answering during an ingest, UI under load.

Writers are real `python -m assistant ingest` processes paused at a deterministic point
(tests/support/crash_hook: MD_HOLD_AT) while they hold the write lock, so nothing depends on timing.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.citations import is_quote
from assistant.errors import BusyError
from tests.conftest import make_settings
from tests.support.procs import cli_env, run_cli, start_cli

pytestmark = pytest.mark.slow

NEW_DOC = (
    "---\ntitle: Telehealth Notes\n---\n# Telehealth Notes\n\n## Virtual clinics\n\n"
    "The director oversees the telehealth programme and audits video consultations twice a "
    "year. Remote monitoring data is reviewed weekly by the virtual ward team.\n"
)
NEW_QUESTION = "Who audits the video consultations of the telehealth programme?"


def wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"ingest ended early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} did not appear")
        time.sleep(0.05)


def held_ingest(
    data: Path, kdir: Path, tmp_path: Path, point: str
) -> tuple[subprocess.Popen[str], Path]:
    """An ingest paused at ``point`` (holding the lock); create the returned path to resume."""
    release = tmp_path / f"release-{point.replace(':', '-')}"
    proc = start_cli(
        ["ingest", "--quiet"],
        cli_env(data, kdir, MD_HOLD_AT=point, MD_HOLD_FILE=str(release), MD_CRASH_BATCH="4"),
    )
    wait_for(Path(f"{release}.held"), proc)
    return proc, release


def verified(a: Assistant, question: str) -> str:
    answer = a.ask(question)
    assert not answer.refused, answer.answer
    by_id = {c.id: c for c in answer.citations}
    for s in answer.sentences:
        assert s.citations and all(is_quote(s.text, by_id[n].text) for n in s.citations)
    return answer.citations[0].source


@pytest.fixture()
def indexed(tmp_path: Path, small_kb: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    proc = run_cli(["ingest", "--quiet"], cli_env(data, small_kb))
    assert proc.returncode == 0, proc.stderr
    return data, small_kb


def test_second_ingest_says_another_is_running(
    indexed: tuple[Path, Path], tmp_path: Path
) -> None:
    data, kdir = indexed
    (kdir / "gamma.md").write_text(NEW_DOC)
    writer, release = held_ingest(data, kdir, tmp_path, "store:1")

    t0 = time.monotonic()
    busy = run_cli(["ingest", "--quiet"], cli_env(data, kdir, ASSISTANT_LOCK_TIMEOUT="1"))
    elapsed = time.monotonic() - t0
    assert busy.returncode == 1 and busy.stdout == ""
    lines = busy.stderr.strip().splitlines()
    assert len(lines) == 1, busy.stderr
    assert lines[0].startswith("error: Another ingest is running on")
    assert f"pid {writer.pid}" in lines[0] and "waited 1s" in lines[0]
    assert elapsed < 60  # bounded by the lock timeout (+ start-up), never minutes

    # A patient second ingest waits for the first and then has nothing left to do.
    waiter = start_cli(["ingest", "--json"], cli_env(data, kdir, ASSISTANT_LOCK_TIMEOUT="300"))
    time.sleep(1.0)
    assert waiter.poll() is None  # it is waiting, not failing
    release.touch()
    assert writer.wait(timeout=300) == 0, writer.stderr.read() if writer.stderr else ""
    out, err = waiter.communicate(timeout=300)
    assert waiter.returncode == 0, err
    assert '"added": 0' in out and '"removed": 0' in out

    a = Assistant(make_settings(data, kdir))
    by_source = a.store.ids_by_source()
    assert set(by_source) == {"knowledge/alpha.md", "knowledge/beta.md", "knowledge/gamma.md"}
    assert verified(a, NEW_QUESTION) == "knowledge/gamma.md"


def test_in_process_second_ingest_is_refused_within_the_timeout(
    indexed: tuple[Path, Path], tmp_path: Path
) -> None:
    """The UI's case: an upload's ingest while another process holds the lock."""
    data, kdir = indexed
    (kdir / "gamma.md").write_text(NEW_DOC)
    writer, release = held_ingest(data, kdir, tmp_path, "embed:1")
    try:
        a = Assistant(make_settings(data, kdir, lock_timeout=0.5))
        t0 = time.monotonic()
        with pytest.raises(BusyError, match="Another ingest is running"):
            a.ingest()
        assert time.monotonic() - t0 < 10
        assert verified(a, "Who prepares the annual budget?") == "knowledge/alpha.md"
    finally:
        release.touch()
        writer.wait(timeout=300)


@pytest.mark.parametrize("point", ["store:2", "delete:1"])
def test_readers_keep_answering_during_an_ingest(
    indexed: tuple[Path, Path], tmp_path: Path, point: str
) -> None:
    """A reader process (like the UI) answers while a writer is half-way, then sees its work."""
    data, kdir = indexed
    reader = Assistant(make_settings(data, kdir))
    assert verified(reader, "Who prepares the annual budget?") == "knowledge/alpha.md"

    (kdir / "gamma.md").write_text(NEW_DOC)
    beta = kdir / "beta.md"
    beta.write_text(beta.read_text().replace("monthly", "every week"))
    writer, release = held_ingest(data, kdir, tmp_path, point)
    try:
        for _ in range(3):  # mid-ingest: answers keep coming, with verified citations
            assert verified(reader, "Who prepares the annual budget?") == "knowledge/alpha.md"
            assert verified(reader, "Who approves rotas for night shifts?") == "knowledge/alpha.md"
    finally:
        release.touch()
    assert writer.wait(timeout=300) == 0
    time.sleep(0.3)  # the reader checks the published version at most every 0.25 s
    assert verified(reader, NEW_QUESTION) == "knowledge/gamma.md"  # the new document is seen
    weekly = reader.ask("How often does the quality committee review infection rates?")
    assert "every week" in weekly.answer and "monthly" not in weekly.answer


def test_threads_answer_while_the_same_process_ingests(tmp_path: Path, small_kb: Path) -> None:
    """One Assistant shared by UI threads: asks during an in-process ingest never fail."""
    a = Assistant(make_settings(tmp_path / "data", small_kb))
    a.ingest()
    for n in range(6):
        (small_kb / f"extra-{n}.md").write_text(NEW_DOC.replace("Telehealth", f"Telehealth {n}"))
    errors: list[BaseException] = []
    answers = 0
    done = threading.Event()

    def ingest() -> None:
        try:
            a.ingest()
        except BaseException as exc:  # noqa: BLE001  (reported below)
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=ingest)
    thread.start()
    while not done.is_set() or answers < 3:
        try:
            assert verified(a, "Who prepares the annual budget?") == "knowledge/alpha.md"
            answers += 1
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
            break
    thread.join(timeout=300)
    assert not errors, errors
    assert verified(a, NEW_QUESTION).startswith("knowledge/extra-")


def test_two_data_dirs_do_not_block_each_other(tmp_path: Path, small_kb: Path) -> None:
    one = tmp_path / "one"
    two_kb = tmp_path / "two" / "knowledge"
    shutil.copytree(small_kb, two_kb)
    writer, release = held_ingest(one, small_kb, tmp_path, "embed:1")
    try:
        other = run_cli(["ingest", "--quiet"], cli_env(tmp_path / "two" / "data", two_kb))
        assert other.returncode == 0, other.stderr
    finally:
        release.touch()
        writer.wait(timeout=300)


# -- the UI under load: 20 concurrent gradio_client users x 10 questions ------------------------

USERS, QUESTIONS_PER_USER = 20, 10
LOAD_BUDGET_S = 900  # the whole load test is bounded; a hang fails instead of blocking CI


def _load_questions() -> list[tuple[str, list[str]]]:
    import json

    from tests.conftest import ROOT

    cases = [
        json.loads(line)
        for line in (ROOT / "eval" / "cases.jsonl").read_text().splitlines()
        if line.strip()
    ]
    picked = [c for c in cases if c["type"] in ("faq", "body", "out_of_scope", "followup")]
    return [(c["question"], list(c.get("history", []))) for c in picked]


@pytest.fixture(scope="module")
def load_ui(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from tests.conftest import KNOWLEDGE
    from tests.support.uiserver import free_port, start_ui

    server = start_ui(
        tmp_path_factory.mktemp("load-ui"), KNOWLEDGE, args=("--port", str(free_port()))
    )
    yield server
    server.stop()


def test_ui_serves_20_concurrent_users(load_ui, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    import json
    from concurrent.futures import ThreadPoolExecutor, wait

    from gradio_client import Client

    pool = _load_questions()
    latencies: list[float] = []
    errors: list[str] = []
    answers: dict[str, set[str]] = {}
    lock = threading.Lock()

    def user(n: int) -> None:
        try:  # a generous client timeout: CI machines are slow and shared
            client = Client(
                load_ui.url, verbose=False, analytics_enabled=False,
                httpx_kwargs={"timeout": 180},
            )
        except Exception as exc:  # noqa: BLE001
            with lock:
                errors.append(f"user {n} could not connect: {type(exc).__name__}: {exc}")
            return
        for i in range(QUESTIONS_PER_USER):
            question, history = pool[(n * QUESTIONS_PER_USER + i) % len(pool)]
            t0 = time.perf_counter()
            try:
                result = client.predict(question, json.dumps(history), api_name="/ask")
                assert isinstance(result, dict) and isinstance(result.get("answer"), str)
                assert result["refused"] or result["citations"], result
            except Exception as exc:  # noqa: BLE001  (every failure is counted)
                with lock:
                    errors.append(f"user {n} q{i} {question!r}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(time.perf_counter() - t0)
                answers.setdefault(json.dumps([question, history]), set()).add(result["answer"])

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=USERS) as ex:
        futures = [ex.submit(user, n) for n in range(USERS)]
        done, pending = wait(futures, timeout=LOAD_BUDGET_S)
        for f in pending:
            f.cancel()
    wall = time.perf_counter() - t0
    assert not pending, f"{len(pending)} users still waiting after {LOAD_BUDGET_S}s"
    for f in done:
        f.result()
    assert errors == [], errors[:5]
    assert len(latencies) == USERS * QUESTIONS_PER_USER
    # Concurrency does not change answers: every user got the same answer to the same question.
    assert all(len(v) == 1 for v in answers.values()), [k for k, v in answers.items() if len(v) > 1]
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    with capsys.disabled():
        print(
            f"\nUI load test: {USERS} users x {QUESTIONS_PER_USER} questions = {len(latencies)} "
            f"requests, 0 errors, wall {wall:.1f}s, {len(latencies) / wall:.1f} req/s, "
            f"latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {ordered[-1] * 1000:.0f} ms"
        )
