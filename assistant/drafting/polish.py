"""Optional LLM rewording of draft bullets (ASSISTANT_ANSWERER=llm); the caller verifies."""

from __future__ import annotations

from assistant.answering.prompts import build_polish_messages, parse_sentence
from assistant.llm_client import describe_error, stream_text
from assistant.settings import Settings


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
        out = "".join(stream_text(self.settings, pairs, failure))
        if failure:
            self.notice = (
                describe_error(failure[0], self.settings)
                + " Draft bullets keep their extractive wording."
            )
            return None
        line = next((x.strip() for x in out.splitlines() if x.strip()), "")
        generated = parse_sentence(line)
        return generated.text if generated is not None else None
