"""The eval set format (JSONL, one case per line) and its strict loader.

A malformed file raises InputError naming the line and the problem, before anything runs or
is written. The format is documented in eval/README.md.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from assistant.errors import InputError

# The first set (faq, body, out_of_scope, followup, draft) was built from the knowledge base's
# own text. The natural set is written from the user's side, as people type: answerable
# questions (natural, typo, chain = the last turn of a 2-3 turn conversation), partly covered
# ones (partial), near-domain questions the knowledge base does not cover (near_oos) and
# requests for a task (task). Its gold lists EVERY on-the-point sentence, so answer precision
# is measurable.
LEGACY = ("faq", "body", "out_of_scope", "followup", "draft")
NATURAL = ("natural", "typo", "chain", "partial", "near_oos", "task")
# A review case checks an existing job description (a file beside the set, e.g.
# eval/reviews/x.md) line by line against expected verdicts and expected missing themes.
REVIEW = ("review",)
TYPES = LEGACY + NATURAL + REVIEW
ANSWERABLE = ("faq", "body", "followup", "natural", "typo", "chain", "partial")
FORMS = (
    "yesno", "which", "comparison", "vague", "multi", "list", "how", "definition", "figure",
    "followup", "new_topic", "task", "oos",
)  # fmt: skip


@dataclass(frozen=True)
class Case:
    id: str
    type: str
    question: str
    history: tuple[str, ...] = ()
    reference: str = ""
    source: str = ""
    gold: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    # draft cases
    section: str = ""
    setting: str = ""
    emphasis: tuple[str, ...] = ()
    themes: tuple[tuple[str, ...], ...] = field(default_factory=tuple)
    # natural set
    form: str = ""  # how the question is put (FORMS)
    missing: tuple[str, ...] = ()  # partial: what the knowledge base does not give
    # review cases: the description's file (resolved against the set's folder), the
    # expected verdict of each line (line text, verdict), and ``missing`` the themes the
    # review must report missing (duty families or section slugs)
    file: str = ""
    verdicts: tuple[tuple[str, str], ...] = ()

    @property
    def answerable(self) -> bool:
        return self.type in ANSWERABLE


def default_set() -> Path:
    """eval/cases.jsonl in the working directory, else beside the installed package."""
    local = Path("eval/cases.jsonl")
    if local.exists():
        return local
    return Path(__file__).resolve().parents[2] / "eval" / "cases.jsonl"


def _strings(value: Any, key: str, where: str, allow_empty: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(f"{where}: '{key}' must be a list of strings.")
    if not allow_empty and not value:
        raise InputError(f"{where}: '{key}' must not be empty.")
    return tuple(value)


def _alternatives(value: Any, key: str, where: str) -> tuple[tuple[str, ...], ...]:
    """A list of facts/themes, each a non-empty list of accepted alternatives."""
    ok = isinstance(value, list) and all(
        isinstance(f, list) and f and all(isinstance(a, str) and a.strip() for a in f)
        for f in value
    )
    if not ok:
        raise InputError(
            f"{where}: '{key}' must be a list of lists of accepted alternatives (strings), "
            f'e.g. [["5-10 years", "five to ten years"]].'
        )
    return tuple(tuple(f) for f in value)


def _text(raw: dict[str, Any], key: str, where: str, required: bool) -> str:
    if key not in raw:
        if required:
            raise InputError(f"{where}: missing key '{key}'.")
        return ""
    value = raw[key]
    if not isinstance(value, str):
        raise InputError(f"{where}: '{key}' must be a string.")
    if required and not value.strip():
        raise InputError(f"{where}: '{key}' must not be empty.")
    return value


def parse_case(raw: Any, where: str) -> Case:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a case must be a JSON object.")
    cid = _text(raw, "id", where, required=True)
    where = f"{where} (case {cid})"
    ctype = _text(raw, "type", where, required=True)
    if ctype not in TYPES:
        raise InputError(f"{where}: unknown type '{ctype}' (expected one of {', '.join(TYPES)}).")
    question = _text(raw, "question", where, required=True)
    history = _strings(raw.get("history", []), "history", where)
    form = _text(raw, "form", where, required=ctype in NATURAL)
    if form and form not in FORMS:
        raise InputError(f"{where}: unknown form '{form}' (expected one of {', '.join(FORMS)}).")
    if ctype in ("followup", "chain") and not history:
        raise InputError(f"{where}: a followup case needs a non-empty 'history'.")
    if ctype == "draft":
        if "themes" not in raw:
            raise InputError(f"{where}: missing key 'themes'.")
        return Case(
            id=cid,
            type=ctype,
            question=question,
            section=_text(raw, "section", where, required=True),
            setting=_text(raw, "setting", where, required=False),
            emphasis=_strings(raw.get("emphasis", []), "emphasis", where),
            themes=_alternatives(raw["themes"], "themes", where),
        )
    if ctype == "review":
        return _review_case(raw, cid, question, where)
    gold: tuple[str, ...] = ()
    facts: tuple[tuple[str, ...], ...] = ()
    if ctype in ANSWERABLE:
        if "gold" not in raw:
            raise InputError(f"{where}: missing key 'gold'.")
        gold = _strings(raw["gold"], "gold", where, allow_empty=False)
        if any(not g.strip() for g in gold):
            raise InputError(f"{where}: 'gold' quotes must not be empty.")
        facts = _alternatives(raw.get("facts", []), "facts", where)
    missing = _strings(raw.get("missing", []), "missing", where)
    if ctype == "partial" and not missing:
        raise InputError(f"{where}: a partial case needs 'missing' (what the sources lack).")
    return Case(
        id=cid,
        type=ctype,
        question=question,
        history=history,
        reference=_text(raw, "reference", where, required=False),
        source=_text(raw, "source", where, required=False),
        gold=gold,
        facts=facts,
        setting=_text(raw, "setting", where, required=False),
        form=form,
        missing=missing,
    )


def _review_case(raw: dict[str, Any], cid: str, question: str, where: str) -> Case:
    from assistant.drafting.review import VERDICTS

    file = _text(raw, "file", where, required=True)
    verdicts = raw.get("verdicts")
    ok = isinstance(verdicts, list) and bool(verdicts)
    pairs: list[tuple[str, str]] = []
    for v in verdicts if ok else []:  # type: ignore[union-attr]
        if not (
            isinstance(v, dict)
            and isinstance(v.get("line"), str)
            and v["line"].strip()
            and v.get("verdict") in VERDICTS
        ):
            ok = False
            break
        pairs.append((v["line"], v["verdict"]))
    if not ok:
        raise InputError(
            f'{where}: \'verdicts\' must be a non-empty list of {{"line": text, "verdict": '
            f"one of {', '.join(VERDICTS)}}}."
        )
    return Case(
        id=cid,
        type="review",
        question=question,
        setting=_text(raw, "setting", where, required=False),
        missing=_strings(raw.get("missing", []), "missing", where),
        file=file,
        verdicts=tuple(pairs),
    )


def load_cases(path: Path) -> list[Case]:
    """Every case of a JSONL eval file, or an InputError naming the first bad line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(f"No such eval set: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"Cannot read eval set {path}: {exc}") from None
    cases: list[Case] = []
    seen: dict[str, int] = {}
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}, line {n}"
        try:
            raw = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{where}: invalid JSON ({exc.msg} at column {exc.colno}).") from None
        except (RecursionError, ValueError):  # nested past Python's limit; a 5000-digit number
            raise InputError(
                f"{where}: not a case (nested too deeply or a number too long)."
            ) from None
        case = parse_case(raw, where)
        if case.type == "review":  # the description lives beside the set
            file = (path.parent / case.file).resolve()
            if not file.is_file():
                raise InputError(f"{where}: the review file {case.file!r} does not exist.")
            case = replace(case, file=str(file))
        if case.id in seen:
            raise InputError(f"{where}: duplicate id '{case.id}' (first on line {seen[case.id]}).")
        seen[case.id] = n
        cases.append(case)
    if not cases:
        raise InputError(f"The eval set {path} has no cases.")
    return cases
