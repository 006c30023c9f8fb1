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

from assistant.answering.prompts import Generated, SentenceSplitter, build_messages
from assistant.citations import Numbering, is_quote, is_supported_generated, render, support
from assistant.llm_client import describe_error, stream_text
from assistant.settings import Settings
from assistant.text import normalize
from assistant.types import Answer, Passage, Sentence, StreamEvent

MAX_SOURCE_CHARS = 6000  # prompt budget for passages (~1.5k tokens): fits a 4k context


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
    settings: Settings,
    extractive: Answer,
    passages: Sequence[Passage],
    history: Sequence[str] = (),
) -> Iterator[StreamEvent]:
    """Stream an LLM answer written from the extractive answer's analysis and passages: each
    sentence is verified when it completes and only then yielded; the last event carries the
    Answer. Refusals and fallbacks are extractive."""
    t0 = time.perf_counter()
    # Whether (and how far) the question is covered is the analysis's decision: the model
    # writes only for covered questions; partial, not-covered and drafting-request answers
    # are the extractive ones, which say what is missing.
    if extractive.refused or extractive.coverage != "covered":
        yield StreamEvent(text=extractive.answer)
        yield StreamEvent(text="", answer=extractive)
        return
    sources = choose_sources(extractive, passages)
    verifier = Verifier(sources, keep_unsupported=settings.llm_unsupported == "mark")
    question = extractive.searched_for or extractive.question  # spelling corrected
    pairs = build_messages(question, sources, history, settings.max_sentences)
    failure: list[BaseException] = []
    shown = 0
    splitter = SentenceSplitter()
    for piece in stream_text(settings, pairs, failure):
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
        interpreted_as=extractive.interpreted_as,
        follow_up_of=extractive.follow_up_of,
        searched_for=extractive.searched_for,
        kind=extractive.kind,
    )
    yield StreamEvent(text="", answer=answer)


def _emit(verifier: Verifier, generated: Generated, shown: int) -> Iterator[StreamEvent]:
    sentence = verifier.add(generated)
    if sentence is None:
        return
    sep = ("\n" if generated.bullet else " ") if shown else ""
    prefix = "- " if generated.bullet else ""
    yield StreamEvent(text=sep + prefix + render([sentence], False))


def llm_answer(
    settings: Settings,
    extractive: Answer,
    passages: Sequence[Passage],
    history: Sequence[str] = (),
) -> Answer:
    """The same answer the stream ends with."""
    final: Answer | None = None
    for event in stream_llm_answer(settings, extractive, passages, history):
        if event.answer is not None:
            final = event.answer
    assert final is not None
    return final
