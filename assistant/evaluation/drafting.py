"""A recruiter's rubric for full job-description drafts, and a comparison with real postings.

For each drafting case the runner's setting and emphasis get one full draft ("all"), scored on
what a recruiter checks before posting:

- structure: every posting section present, and a "Reports to:" line;
- responsibilities: how many (target 8-12) and under how many duty themes (target >= 4);
- paraphrase duplicates within and across sections (``drafting.dedupe``; target 0);
- style: duties start with an imperative verb, qualifications, skills and KPIs are noun
  phrases, and no bullet is a full sentence of advice;
- every knowledge-base bullet cited and verified against its passage;
- every emphasis topic either reflected in a bullet or explained in a note;
- real postings (eval/real_postings.json): of the duties public postings list that the
  knowledge base has evidence for, the share the draft covers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.citations import is_supported
from assistant.drafting.build import on_topic, topic_parts
from assistant.drafting.dedupe import duplicate_pairs
from assistant.drafting.model import INPUT_ONLY, OPT_IN, SECTIONS
from assistant.drafting.rewrite import verb_base
from assistant.errors import AssistantError

POSTINGS = Path(__file__).resolve().parents[2] / "eval" / "real_postings.json"
MIN_RESPONSIBILITIES = 8
MIN_THEMES = 4
DUTY_SECTIONS = ("responsibilities", "reporting")
PHRASE_SECTIONS = ("required-qualifications", "preferred-qualifications", "skills", "kpis")
# A bullet that talks to the reader or gives advice is not posting copy.
_ADVICE = re.compile(
    r"\b(?:you|your|aspiring|should\s+consider|path\s+to\s+success|seeking\s+mentorship|"
    r"career\s+prospects)\b",
    re.I,
)
# A finite verb early on makes a "qualification" a sentence, not a noun phrase.
_FINITE = re.compile(
    r"^(?:\S+\s+){0,3}?(?:is|are|was|were|will|must|should|can|may|has|have)\b", re.I
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an|medical\s+directors?)\b", re.I)


@dataclass(frozen=True)
class PostingDuty:
    duty: str
    postings: tuple[int, ...]
    match: tuple[re.Pattern[str], ...]

    def found_in(self, text: str) -> bool:
        return any(p.search(text) for p in self.match)


def load_postings(path: Path = POSTINGS) -> list[PostingDuty]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [
        PostingDuty(
            d["duty"],
            tuple(int(i) for i in d["postings"]),
            tuple(re.compile(m, re.I) for m in d["match"]),
        )
        for d in data["duties"]
    ]


def in_style(slug: str, text: str) -> bool:
    """The bullet reads the way its section's bullets read in a posting (the summary's
    sentences are the employer's own voice, "You will also …", so only advice is checked)."""
    if slug != "summary" and _ADVICE.search(text):
        return False
    if slug in DUTY_SECTIONS:
        first = text.split()[0] if text.split() else ""
        return verb_base(first) == first.lower()
    if slug in PHRASE_SECTIONS:
        return not (
            _LEADING_ARTICLE.match(text) or _FINITE.match(text) or text.rstrip().endswith(".")
        )
    return True


def _bullets(draft: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(s["section"], b) for s in draft.get("sections", []) for b in s.get("bullets", [])]


def structure(draft: dict[str, Any]) -> tuple[list[str], bool]:
    """(posting sections missing, whether the reporting section has a Reports to line)."""
    present = {s["section"] for s in draft.get("sections", [])}
    missing = [s for s in SECTIONS if s not in OPT_IN and s not in present]
    reports_to = any(
        ln.get("label") == "Reports to"
        for s in draft.get("sections", [])
        if s["section"] == "reporting"
        for ln in s.get("lines", [])
    )
    return missing, reports_to


def posting_coverage(
    draft: dict[str, Any], duties: Sequence[PostingDuty], kb_sentences: Sequence[str]
) -> tuple[list[str], list[str], list[str]]:
    """(duties with evidence, of those covered, duties the knowledge base lacks)."""
    texts = [str(b["text"]) for _, b in _bullets(draft)]
    evidenced = [d for d in duties if any(d.found_in(s) for s in kb_sentences)]
    covered = [d.duty for d in evidenced if any(d.found_in(t) for t in texts)]
    lacking = [d.duty for d in duties if d not in evidenced]
    return [d.duty for d in evidenced], covered, lacking


def rubric(
    draft: dict[str, Any],
    duties: Sequence[PostingDuty],
    kb_sentences: Sequence[str],
    embed: Any = None,
) -> dict[str, Any]:
    """The recruiter's checks on one full draft (Draft.to_dict())."""
    missing, reports_to = structure(draft)
    bullets = _bullets(draft)
    resp = [b for slug, b in bullets if slug == "responsibilities"]
    themes = sorted({str(b.get("theme", "")) for b in resp if b.get("theme")})
    sections = [
        (s["section"], [str(b["text"]) for b in s.get("bullets", [])])
        for s in draft.get("sections", [])
        if s["section"] not in INPUT_ONLY
    ]
    dups = duplicate_pairs(sections, embed)
    off_style = [str(b["text"]) for slug, b in bullets if not in_style(slug, str(b["text"]))]
    unverified = [
        str(b["text"])
        for _, b in bullets
        if not (
            b.get("citations")
            and b.get("verified")
            and is_supported(str(b["text"]), [str(c.get("text", "")) for c in b["citations"]])
        )
    ]
    notes = " ".join(str(n) for n in draft.get("notes", []))
    used = [str(b["text"]) + " " + str(b.get("quote", "")) for _, b in bullets]
    emphasis = [str(t) for t in draft.get("emphasis", [])]
    handled = [t for t in emphasis if any(on_topic(topic_parts(t), u) for u in used) or t in notes]
    evidenced, covered, lacking = posting_coverage(draft, duties, kb_sentences)
    return {
        "sections_missing": missing,
        "reports_to_line": reports_to,
        "structure_complete": not missing and reports_to,
        "responsibilities": len(resp),
        "duty_themes": len(themes),
        "themes": themes,
        "paraphrase_duplicates": len(dups),
        "duplicate_pairs": [list(p) for p in dups],
        "bullets": len(bullets),
        "in_style": len(bullets) - len(off_style),
        "off_style": off_style,
        "cited_verified": len(bullets) - len(unverified),
        "unverified": unverified,
        "emphasis": len(emphasis),
        "emphasis_handled": len(handled),
        "posting_duties_with_evidence": evidenced,
        "posting_duties_covered": covered,
        "posting_duties_without_evidence": lacking,
        "posting_coverage": len(covered) / len(evidenced) if evidenced else 1.0,
    }


def problems(row: dict[str, Any]) -> list[str]:
    """The rubric's targets this draft misses, as the report's failure text."""
    out = []
    if row["sections_missing"]:
        out.append("missing sections: " + ", ".join(row["sections_missing"]))
    if not row["reports_to_line"]:
        out.append("no Reports to line")
    if row["responsibilities"] < MIN_RESPONSIBILITIES:
        out.append(f"{row['responsibilities']} responsibilities (< {MIN_RESPONSIBILITIES})")
    if row["duty_themes"] < MIN_THEMES:
        out.append(f"{row['duty_themes']} duty themes (< {MIN_THEMES})")
    if row["paraphrase_duplicates"]:
        out.append(f"{row['paraphrase_duplicates']} paraphrase duplicate pair(s)")
    if row["off_style"]:
        out.append(f"{len(row['off_style'])} bullet(s) not in the section's style")
    if row["unverified"]:
        out.append(f"{len(row['unverified'])} bullet(s) not cited and verified")
    if row["emphasis_handled"] < row["emphasis"]:
        out.append("an emphasis topic neither reflected nor noted")
    if row["posting_coverage"] < 0.8:
        out.append(f"real-posting duty coverage {row['posting_coverage']:.2f} (< 0.8)")
    return out


def summarise(rows: Sequence[dict[str, Any]]) -> dict[str, float]:
    """The rubric's metrics over the full drafts (see metrics.METRICS for directions)."""
    ok = [r for r in rows if "error" not in r]
    n = len(ok) or 1
    bullets = sum(r["bullets"] for r in ok) or 1
    emphasis = sum(r["emphasis"] for r in ok)
    return {
        "draft_structure_complete": round(sum(r["structure_complete"] for r in ok) / n, 4),
        "draft_responsibilities_min": float(min((r["responsibilities"] for r in ok), default=0)),
        "draft_duty_themes_min": float(min((r["duty_themes"] for r in ok), default=0)),
        "draft_paraphrase_duplicates": float(sum(r["paraphrase_duplicates"] for r in ok)),
        "draft_style": round(sum(r["in_style"] for r in ok) / bullets, 4),
        "draft_full_cited_verified": round(sum(r["cited_verified"] for r in ok) / bullets, 4),
        "draft_emphasis_handled": round(
            sum(r["emphasis_handled"] for r in ok) / emphasis if emphasis else 1.0, 4
        ),
        "draft_posting_coverage": round(sum(r["posting_coverage"] for r in ok) / n, 4),
    }


def full_drafts(a: Any, cases: Sequence[Any], embed: Any = None) -> list[dict[str, Any]]:
    """One full draft per distinct (setting, emphasis) of the drafting cases, scored."""
    duties = load_postings()
    kb = [s.text for s in a.sentences_for(list(a.all_chunks()))]
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for case in cases:
        key = (case.setting, tuple(case.emphasis))
        if key in seen:
            continue
        seen.add(key)
        row: dict[str, Any] = {"id": f"full-{case.id}", "setting": case.setting}
        row["emphasis_topics"] = list(case.emphasis)
        try:
            draft = a.draft(sections=("all",), setting=case.setting, emphasis=case.emphasis)
            row.update(rubric(draft.to_dict(), duties, kb, embed))
        except AssistantError as exc:  # a failed draft is a scored failure
            row["error"] = f"{type(exc).__name__}: {exc}"
        rows.append(row)
    return rows


def add_to_report(a: Any, cases: Sequence[Any], report: Any) -> None:
    """Score the full drafts into the report: per-draft rows, failures, hybrid metrics."""
    rows = full_drafts(a, cases, a.embedder.embed)
    for row in rows:
        failed = [f"draft failed: {row['error']}"] if "error" in row else problems(row)
        if failed:
            report.failures.append(
                {
                    "id": row["id"],
                    "type": "draft",
                    "question": f"full draft for {row['setting'] or 'no setting'}",
                    "history": [],
                    "failed": "; ".join(failed),
                    "answer": "",
                }
            )
    report.pipelines.setdefault("hybrid", {}).update(summarise(rows))
    report.cases["drafting_full"] = rows
