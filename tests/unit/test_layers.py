"""The package's layering stays true: no import circles and no upward imports.

Every import in assistant/ counts, at module top or inside a function. A module may import
its own layer or the layers below it; the layers, lowest first, are listed in LAYERS.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assistant"

LAYERS: list[tuple[str, ...]] = [
    (  # shared values and rules
        "assistant.errors",
        "assistant.types",
        "assistant.settings",
        "assistant.text",
        "assistant.citations",
        "assistant.llm_client",
    ),
    ("assistant.index",),  # write side: files -> chunks -> embeddings -> Chroma + BM25
    ("assistant.answering",),  # read side: question -> passages -> cited answer
    ("assistant.drafting",),  # job descriptions from the same evidence
    ("assistant.facade", "assistant"),  # composes the stages; the package's public API
    ("assistant.evaluation",),  # runs the facade over the eval set
    ("assistant.cli", "assistant.web", "assistant.__main__"),  # entry points
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in PACKAGE.rglob("*.py")}


def imports(path: Path, known: set[str]) -> set[str]:
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    return source_imports(path.read_text(encoding="utf-8"), me, package, known)


def source_imports(source: str, me: str, package: str, known: set[str]) -> set[str]:
    """Every assistant module the source imports (``from pkg import mod`` names pkg.mod)."""
    out: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [
                f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names
            ]
        else:
            continue
        out |= {n for n in names if n == "assistant" or n.startswith("assistant.")}
    out.discard(me)
    return out


def layer(name: str) -> int:
    best, rank = -1, -1
    for n, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), n
    return rank


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports(path, known) & known for name, path in mods.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return found


def test_every_module_has_a_layer() -> None:
    missing = sorted(m for m in modules() if layer(m) < 0)
    assert not missing, f"modules outside every layer (add them to LAYERS): {missing}"


def test_no_upward_imports() -> None:
    upward = [
        f"{src} (layer {layer(src)}) imports {dst} (layer {layer(dst)})"
        for src, dsts in sorted(graph().items())
        for dst in sorted(dsts)
        if layer(dst) > layer(src)
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_import_circles() -> None:
    found = cycles(graph())
    assert not found, f"import circles: {found}"


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_circle_finder_finds_circles(
    edges: dict[str, set[str]], expected: list[list[str]]
) -> None:
    assert cycles(edges) == expected


def test_function_level_and_relative_imports_count() -> None:
    known = {"assistant.facade", "assistant.index", "assistant.index.store", "assistant.types"}
    source = (
        "from . import store\n"
        "from ..types import Chunk\n"
        "def f():\n"
        "    from assistant.facade import Assistant\n"
    )
    found = source_imports(source, "assistant.index.lexical", "assistant.index", known)
    assert found == {"assistant.index.store", "assistant.types", "assistant.facade"}
    assert layer("assistant.facade") > layer("assistant.index.lexical")
