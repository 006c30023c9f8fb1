"""The UI's login (ASSISTANT_UI_AUTH): "user:password", or a file of user:password lines."""

from __future__ import annotations

from pathlib import Path

from assistant.errors import SettingsError


def credentials(value: str | None) -> list[tuple[str, str]] | None:
    """Gradio's ``auth`` list from the setting; None when no login is asked for."""
    if not value or not value.strip():
        return None
    text = value.strip()
    path = Path(text).expanduser()
    if ":" not in text or path.is_file():
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            raise SettingsError(
                "ASSISTANT_UI_AUTH must be user:password or a readable file of user:password "
                "lines."
            ) from None
    else:
        lines = [text]
    pairs = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        user, sep, password = line.strip().partition(":")
        if not sep or not user or not password:
            raise SettingsError(
                "ASSISTANT_UI_AUTH: every entry must be user:password (neither part empty)."
            )
        pairs.append((user, password))
    if not pairs:
        raise SettingsError("ASSISTANT_UI_AUTH names a file without any user:password line.")
    return pairs
