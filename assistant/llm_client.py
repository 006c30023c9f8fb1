"""The optional LLM endpoint: build the client from settings, stream its text, and describe
its failures in one line. Used by the generative answerer and the drafting polisher."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from assistant.errors import LLMError
from assistant.settings import Settings

MAX_TOKENS = 320  # a few sentences
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


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


def stream_text(
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
