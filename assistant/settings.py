"""One settings object for the CLI, the UI and the eval runner.

Values come, highest priority first, from keyword arguments, ``ASSISTANT_*`` environment
variables, an optional TOML file (``ASSISTANT_CONFIG``, else ``./assistant.toml``), and the
defaults below. Defaults for chunking and thresholds were chosen by measurement on the eval
set (see README, "Evaluation").
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from assistant.errors import SettingsError


def _toml_file() -> Path:
    return Path(os.environ.get("ASSISTANT_CONFIG", "assistant.toml"))


class Settings(BaseSettings):
    """Every knob of the assistant; each field is documented in the README's settings table."""

    # allow_inf_nan=False: "inf" for a limit or a timeout is refused, not taken as "no limit"
    # (an infinite upload size crashed the UI's launch; an infinite parse budget is none).
    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", extra="ignore", frozen=True, allow_inf_nan=False
    )

    # Where things live
    data_dir: Path = Field(Path(".data"), description="Index, model cache and locks.")
    knowledge_dir: Path = Field(Path("knowledge"), description="Source documents to ingest.")
    model_cache_dir: Path | None = Field(
        None, description="Where the ONNX model is cached (default: DATA_DIR/models)."
    )
    collection: str = Field(
        "knowledge",
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$",
        description="Chroma collection name prefix (letters, digits, . _ -).",
    )
    lock_timeout: float = Field(
        10.0, ge=0, description="Seconds an ingest waits for another ingest before giving up."
    )

    # Chroma server mode (unset host = embedded PersistentClient in DATA_DIR)
    chroma_host: str | None = Field(None, description="Chroma server host; unset = embedded.")
    chroma_port: int = Field(8000, ge=1, le=65535, description="Chroma server port.")
    chroma_ssl: bool = Field(False, description="Use HTTPS for the Chroma server.")
    chroma_token: str | None = Field(None, description="Bearer token for the Chroma server.")
    chroma_ca_file: Path | None = Field(
        None, description="CA bundle (PEM) that signed the server's certificate (HTTPS)."
    )

    # Chunking
    chunk_size: int = Field(256, ge=32, le=2048, description="Chunk size in tiktoken tokens.")
    chunk_overlap: int = Field(32, ge=0, le=512, description="Chunk overlap in tokens.")

    # Retrieval
    top_k: int = Field(5, ge=1, le=50, description="Passages returned by retrieval.")
    evidence_k: int = Field(
        8,
        ge=1,
        le=50,
        description="Passages the extractive answerer chooses sentences from (the best "
        "sentence is often in a passage ranked just below top_k).",
    )
    candidate_k: int = Field(
        20, ge=1, le=200, description="Candidates per retriever before fusion."
    )
    rrf_k: int = Field(60, ge=1, description="Reciprocal-rank-fusion constant.")
    retriever: Literal["hybrid", "dense", "bm25"] = Field(
        "hybrid", description="Retrieval mode (the eval compares all three)."
    )

    # Answering
    answerer: Literal["extractive", "llm"] = Field("extractive", description="Answer backend.")
    max_question_chars: int = Field(1000, ge=10, description="Longest accepted question.")
    max_sentences: int = Field(4, ge=1, le=20, description="Sentences in a prose answer.")
    max_list_items: int = Field(6, ge=1, le=30, description="Items in a list answer.")
    min_score: float = Field(
        0.30, ge=-1, le=1, description="Refuse when the best sentence's cosine is below this."
    )
    min_coverage: float = Field(
        0.5, ge=0, le=1, description="Refuse when fewer of the question's key terms are covered."
    )

    # Optional LLM backend
    llm_provider: Literal["openai", "ollama"] = Field("openai", description="LLM API flavour.")
    llm_base_url: str | None = Field(None, description="OpenAI-compatible or Ollama base URL.")
    llm_model: str | None = Field(None, description="Model name at the endpoint.")
    llm_api_key: str | None = Field(None, description="API key for the endpoint.")
    llm_timeout: float = Field(60.0, gt=0, description="Seconds before an LLM call gives up.")
    llm_unsupported: Literal["mark", "drop"] = Field(
        "mark", description="Generated sentences their sources do not support: mark or drop."
    )

    # UI
    ui_host: str = Field("127.0.0.1", description="UI bind address (loopback by default).")
    ui_port: int = Field(7860, ge=1, le=65535, description="UI port.")
    ui_auth: str | None = Field(
        None,
        description='UI login: "user:password", or the path of a file with one user:password '
        "a line (passed to Gradio's auth). Set it, or put an authenticating proxy in front, "
        "whenever the UI listens on anything but loopback.",
    )
    max_upload_mb: float = Field(10.0, gt=0, description="Largest accepted upload.")

    # Bounded cost per document (uploads and knowledge files alike): a document over a limit
    # is refused with a message naming the limit; nothing of it is indexed.
    max_heading_chars: int = Field(
        200, ge=20, le=10_000,
        description="Longest heading or title kept; longer heading lines are split (the rest "
        "becomes body text).",
    )
    max_document_chars: int = Field(
        1_000_000, ge=1000, description="Most characters of text one document may yield."
    )
    max_document_sentences: int = Field(
        20_000, ge=10, description="Most sentences (embeddings) one document may yield."
    )
    max_unzipped_mb: float = Field(
        50.0, gt=0, description="Largest decompressed size of a DOCX file's members, together."
    )
    parse_timeout: float = Field(
        60.0, gt=0, description="Seconds one PDF, DOCX or HTML file may take to parse."
    )
    parse_memory_mb: int = Field(
        2048, ge=256, description="Address space of the process that parses a PDF/DOCX/HTML."
    )
    ui_concurrency: int = Field(4, ge=1, le=64, description="Concurrent UI workers.")

    @field_validator("data_dir", "knowledge_dir", mode="before")
    @classmethod
    def _not_empty(cls, value: object) -> object:
        # ASSISTANT_DATA_DIR= (set but empty) would otherwise mean the current directory
        if isinstance(value, str) and not value.strip():
            raise ValueError("must not be empty (unset it to use the default)")
        return value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if self.chunk_overlap >= self.chunk_size:
            raise ValueError("chunk_overlap must be smaller than chunk_size")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_toml_file())
        return (init_settings, env_settings, toml)

    @property
    def model_dir(self) -> Path:
        return self.model_cache_dir or self.data_dir / "models"

    @property
    def fingerprint(self) -> str:
        """Short hash of the settings that shape answers, recorded with each result."""
        keys = (
            "chunk_size",
            "chunk_overlap",
            "top_k",
            "evidence_k",
            "candidate_k",
            "rrf_k",
            "retriever",
            "answerer",
            "max_sentences",
            "max_list_items",
            "min_score",
            "min_coverage",
        )
        shaped = {k: getattr(self, k) for k in keys}
        shaped["recipes"] = [ANSWER_RECIPE, DRAFT_RECIPE]
        blob = json.dumps(shaped, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


# Versions of the tuned rules that shape answers and drafts but are not settings (thresholds,
# filler patterns, sentence-choice weights in answering/extractive.py; duplicate cosines and
# section specs in drafting/). Bump one when its rules change: the fingerprint recorded with
# every answer and eval report then changes with the behaviour.
ANSWER_RECIPE = "answer-3"
DRAFT_RECIPE = "draft-1"


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation problems into one readable SettingsError."""
    toml = _toml_file()
    if toml.is_dir():  # pydantic-settings would skip it silently
        raise SettingsError(f"Invalid settings file {toml}: it is a directory, not a TOML file.")
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsError(f"Invalid settings: {problems}") from None
    except (OSError, ValueError) as exc:  # unreadable or malformed TOML file
        raise SettingsError(f"Invalid settings file {_toml_file()}: {exc}") from None
    unknown = _unknown_keys(toml)
    if unknown:  # a misspelt setting would otherwise do nothing, silently
        raise SettingsError(
            f"Invalid settings file {toml}: unknown setting{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)} (the README's settings table lists them)."
        )
    return settings


def _unknown_keys(toml: Path) -> list[str]:
    if not toml.is_file():
        return []
    with toml.open("rb") as f:
        keys = tomllib.load(f)
    return sorted(k for k in keys if k not in Settings.model_fields)
