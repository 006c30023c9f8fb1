"""Optional LLM answer synthesis: the model writes, the verifier decides what is shown.

The path of a question: the extractive pipeline retrieves and decides whether the knowledge
base covers the question at all (a refusal never reaches the model); the retrieved passages
become numbered sources in a prompt that treats them, and the question, as data; the model's
streamed text is cut into sentences, and each sentence is checked against the passages it
cites as soon as it is complete. A sentence its cited passages do not support is shown as
"(unsupported)" without citations (or dropped, ``ASSISTANT_LLM_UNSUPPORTED=drop``); a number
that names no source is never shown; the Sources list holds only passages that support a
shown sentence, numbered in order of use. When the endpoint cannot be used, or none of the
model's sentences holds up, the extractive answer is given with a notice that says why.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from assistant.assistant import Assistant, StreamEvent
from assistant.citations import Numbering, is_quote, is_supported_generated, render, support
from assistant.errors import LLMError
from assistant.llm_prompt import (
    Generated,
    SentenceSplitter,
    build_messages,
    build_polish_messages,
    parse_sentence,
)
from assistant.settings import Settings
from assistant.text import normalize
from assistant.types import Answer, Passage, Sentence

MAX_SOURCE_CHARS = 6000  # prompt budget for passages (~1.5k tokens): fits a 4k context
MAX_TOKENS = 320  # a few sentences
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


# -- the backend ------------------------------------------------------------------------
def _needs_key(base_url: str | None) -> bool:
    """A remote OpenAI-compatible endpoint needs a key; a local server usually does not."""
    if not base_url:
        return True  # api.openai.com
    host = urlparse(base_url).hostname or ""
    return host not in LOOPBACK


def build_llm(settings: Settings) -> Any:
    """The LlamaIndex LLM for the settings (OpenAILike or Ollama); LLMError when the
    settings are incomplete. Deterministic where the server allows: temperature 0, seed 0."""
    if not settings.llm_model:
        raise LLMError(
            "ASSISTANT_LLM_MODEL is not set: name the model the endpoint serves "
            "(e.g. ASSISTANT_LLM_MODEL=llama3.2 for Ollama)."
        )
    key = (
        settings.llm_provider,
        settings.llm_base_url,
        settings.llm_model,
        settings.llm_api_key,
        settings.llm_timeout,
    )
    return _cached_llm(*key)


@lru_cache(maxsize=4)
def _cached_llm(
    provider: str, base_url: str | None, model: str, api_key: str | None, timeout: float
) -> Any:
    if provider == "ollama":
        from llama_index.llms.ollama import Ollama

        headers = {"Authorization": f"Bearer {api_key}"} if api_key else None
        return Ollama(
            model=model,
            base_url=(base_url or "http://localhost:11434").rstrip("/"),
            temperature=0.0,
            request_timeout=timeout,
            additional_kwargs={"seed": 0, "num_predict": MAX_TOKENS},
            headers=headers,
            thinking=False,
        )
    if not api_key and _needs_key(base_url):
        where = base_url or "https://api.openai.com/v1"
        raise LLMError(
            f"ASSISTANT_LLM_API_KEY is not set; the endpoint {where} needs an API key "
            "(set ASSISTANT_LLM_BASE_URL for a local server that does not)."
        )
    from llama_index.llms.openai_like import OpenAILike

    return OpenAILike(
        model=model,
        api_base=base_url or "https://api.openai.com/v1",
        api_key=api_key or "not-needed",
        is_chat_model=True,
        is_function_calling_model=False,
        context_window=8192,
        temperature=0.0,
        max_tokens=MAX_TOKENS,
        additional_kwargs={"seed": 0},
        timeout=timeout,
        max_retries=0,
    )


def describe_error(exc: BaseException, settings: Settings) -> str:
    """One line that says what went wrong with the endpoint, for the answer's notice."""
    if isinstance(exc, LLMError):
        return str(exc)
    where = settings.llm_base_url or (
        "http://localhost:11434" if settings.llm_provider == "ollama" else "api.openai.com"
    )
    name = type(exc).__name__
    status = getattr(exc, "status_code", None) or getattr(
        getattr(exc, "response", None), "status_code", None
    )
    if status in (401, 403) or "Authentication" in name or "PermissionDenied" in name:
        missing = "" if settings.llm_api_key else " (ASSISTANT_LLM_API_KEY is not set)"
        return f"The LLM endpoint {where} rejected the API key{missing}."
    if status == 404 or "NotFound" in name:
        return f"The LLM endpoint {where} does not serve the model {settings.llm_model!r}."
    if "Timeout" in name:
        return f"The LLM endpoint {where} did not answer within {settings.llm_timeout:g}s."
    if "Connect" in name or isinstance(exc, ConnectionError | OSError):
        return f"The LLM endpoint {where} is unreachable."
    detail = " ".join(str(exc).split())[:200]
    return f"The LLM endpoint {where} failed ({name}: {detail})."


def _chat_messages(pairs: list[tuple[str, str]]) -> list[Any]:
    from llama_index.core.llms import ChatMessage, MessageRole

    roles = {
        "system": MessageRole.SYSTEM,
        "user": MessageRole.USER,
        "assistant": MessageRole.ASSISTANT,
    }
    return [ChatMessage(role=roles[r], content=c) for r, c in pairs]


def _guarded(
    settings: Settings, pairs: list[tuple[str, str]], failure: list[BaseException]
) -> Iterator[str]:
    """The model's text as it streams. A failure of the backend (configuration, network,
    server, client library) ends the stream and is recorded in ``failure`` for the caller."""
    try:
        llm = build_llm(settings)
        stream = llm.stream_chat(_chat_messages(pairs))
        while True:
            try:
                chunk = next(stream)
            except StopIteration:
                return
            if chunk.delta:
                yield chunk.delta
    except Exception as exc:  # whatever the endpoint or its client raised: report, fall back
        failure.append(exc)


# -- verification -------------------------------------------------------------------------
@dataclass(frozen=True)
class Checked:
    """A generated sentence after verification: the source numbers (prompt numbering) that
    support it, empty when none does; ``own`` when they are the ones the model cited."""

    generated: Generated
    supported_by: tuple[int, ...]
    own: bool = False

    @property
    def verified(self) -> bool:
        return bool(self.supported_by)


def check(generated: Generated, sources: Sequence[Passage]) -> Checked:
    """Verify a sentence against the passages it cites (only numbers that name a source).

    It holds when its cited passages together support it; it is then shown with those of
    them that quote it or share its content words. A sentence whose citations are missing
    or wrong is shown as supported only if one source, on its own, supports it, and then
    with that source: the verifier, not the model, decides what a sentence cites."""
    text = generated.text
    valid = [n for n in generated.cited if 1 <= n <= len(sources)]
    texts = [sources[n - 1].chunk.text for n in valid]
    if valid and is_supported_generated(text, texts):
        pairs = list(zip(valid, texts, strict=True))
        alone = [n for n, t in pairs if is_supported_generated(text, [t])]
        if not alone:
            alone = [n for n, t in pairs if is_quote(text, t) or support(text, t) > 0]
        return Checked(generated, tuple(alone), own=True)
    ranked = sorted(
        range(1, len(sources) + 1), key=lambda n: -support(text, sources[n - 1].chunk.text)
    )
    for n in ranked:
        if is_supported_generated(text, [sources[n - 1].chunk.text]):
            return Checked(generated, (n,))
    return Checked(generated, ())


def choose_sources(extractive: Answer, passages: Sequence[Passage]) -> list[Passage]:
    """The passages the model sees: the extractive answer's cited passages first (the most
    relevant), then the rest in retrieval order, within the prompt budget."""
    by_chunk = {p.chunk.id: p for p in passages}
    first = [by_chunk[c.chunk_id] for c in extractive.citations if c.chunk_id in by_chunk]
    ordered = list(dict.fromkeys(first + list(passages)))
    out: list[Passage] = []
    used = 0
    for p in ordered:
        if out and used + len(p.chunk.text) > MAX_SOURCE_CHARS:
            continue
        out.append(p)
        used += len(p.chunk.text)
    return out


class Verifier:
    """Turns checked sentences into shown sentences, numbering sources in order of use."""

    def __init__(self, sources: Sequence[Passage], keep_unsupported: bool) -> None:
        self.sources = list(sources)
        self.keep_unsupported = keep_unsupported
        self.numbering = Numbering()
        self.checked: list[Checked] = []
        self.shown: list[Sentence] = []
        self._seen: set[str] = set()

    def add(self, generated: Generated) -> Sentence | None:
        key = normalize(generated.text)
        if key in self._seen:
            return None  # the model repeated itself
        self._seen.add(key)
        c = check(generated, self.sources)
        self.checked.append(c)
        if c.verified:
            ids = tuple(self.numbering.number(self.sources[n - 1]) for n in c.supported_by)
            sentence = Sentence(generated.text, ids, verified=True)
        elif self.keep_unsupported:
            sentence = Sentence(generated.text, (), verified=False)
        else:
            return None
        self.shown.append(sentence)
        return sentence

    @property
    def support_ratio(self) -> float:
        """Share of the model's sentences that their cited passages support."""
        if not self.checked:
            return 0.0
        return sum(c.verified for c in self.checked) / len(self.checked)

    @property
    def as_list(self) -> bool:
        return sum(c.generated.bullet for c in self.checked) > len(self.checked) / 2


# -- the answer ---------------------------------------------------------------------------
def _fallback(extractive: Answer, notice: str, t0: float) -> Answer:
    answer = replace(extractive, backend="extractive", notice=notice)
    answer.timings["total"] = time.perf_counter() - t0
    return answer


def stream_llm_answer(
    assistant: Assistant, question: str, history: Sequence[str] = ()
) -> Iterator[StreamEvent]:
    """Stream an LLM answer: each sentence is verified when it completes and only then
    yielded; the last event carries the Answer. Refusals and fallbacks are extractive."""
    t0 = time.perf_counter()
    settings = assistant.settings
    extractive, passages = assistant.extractive(question, history)
    if extractive.refused:  # whether the question is covered is retrieval's decision
        yield StreamEvent(text=extractive.answer)
        yield StreamEvent(text="", answer=extractive)
        return
    sources = choose_sources(extractive, passages)
    verifier = Verifier(sources, keep_unsupported=settings.llm_unsupported == "mark")
    pairs = build_messages(extractive.question, sources, history, settings.max_sentences)
    failure: list[BaseException] = []
    shown = 0
    splitter = SentenceSplitter()
    for piece in _guarded(settings, pairs, failure):
        for generated in splitter.feed(piece):
            yield from _emit(verifier, generated, shown)
            shown = len(verifier.shown)
    for generated in splitter.close():
        yield from _emit(verifier, generated, shown)
        shown = len(verifier.shown)
    error = failure[0] if failure else None
    if error is not None and not any(s.verified for s in verifier.shown):
        notice = describe_error(error, settings) + " Answered extractively instead."
        answer = _fallback(extractive, notice, t0)
        yield StreamEvent(text=("\n\n" if shown else "") + answer.answer)
        yield StreamEvent(text="", answer=answer)
        return
    if not any(s.verified for s in verifier.shown):
        notice = (
            "None of the language model's sentences is supported by the passages it cites; "
            "showing the extractive answer instead."
        )
        answer = _fallback(extractive, notice, t0)
        yield StreamEvent(text=("\n\n" if shown else "") + answer.answer)
        yield StreamEvent(text="", answer=answer)
        return
    notice = ""
    if error is not None:
        notice = describe_error(error, settings) + " The answer may be incomplete."
    unsupported = sum(not s.verified for s in verifier.shown)
    if unsupported and not notice:
        notice = (
            f"{unsupported} generated sentence{'s' if unsupported > 1 else ''} could not be "
            "verified against the sources and "
            f"{'are' if unsupported > 1 else 'is'} marked (unsupported)."
        )
    as_list = verifier.as_list
    answer = Answer(
        question=extractive.question,
        answer=render(verifier.shown, as_list),
        refused=False,
        citations=verifier.numbering.citations(),
        sentences=tuple(verifier.shown),
        as_list=as_list,
        backend="llm",
        notice=notice,
        support_ratio=verifier.support_ratio,
        settings=settings.fingerprint,
        timings={"total": time.perf_counter() - t0},
    )
    yield StreamEvent(text="", answer=answer)


def _emit(verifier: Verifier, generated: Generated, shown: int) -> Iterator[StreamEvent]:
    sentence = verifier.add(generated)
    if sentence is None:
        return
    sep = ("\n" if generated.bullet else " ") if shown else ""
    prefix = "- " if generated.bullet else ""
    yield StreamEvent(text=sep + prefix + render([sentence], False))


def llm_answer(assistant: Assistant, question: str, history: Sequence[str] = ()) -> Answer:
    """The same answer the stream ends with."""
    final: Answer | None = None
    for event in stream_llm_answer(assistant, question, history):
        if event.answer is not None:
            final = event.answer
    assert final is not None
    return final


# -- drafting polish ----------------------------------------------------------------------
class LLMPolisher:
    """Rewords a draft bullet with the LLM (the caller verifies the result against the
    bullet's passage and keeps the extractive wording when it does not hold). After the
    first endpoint failure it stops asking and says why in ``notice``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.notice = ""

    def __call__(self, text: str, passage: str) -> str | None:
        if self.notice:
            return None
        pairs = build_polish_messages(text, passage)
        failure: list[BaseException] = []
        out = "".join(_guarded(self.settings, pairs, failure))
        if failure:
            self.notice = (
                describe_error(failure[0], self.settings)
                + " Draft bullets keep their extractive wording."
            )
            return None
        line = next((x.strip() for x in out.splitlines() if x.strip()), "")
        generated = parse_sentence(line)
        return generated.text if generated is not None else None
