"""Test helpers: real processes (CLI, UI, `chroma run`) started on loopback over temp dirs."""
