"""An eval run in plain words, for someone who is not an engineer: a one-line verdict, a
glossary of every score and pipeline, and each failed case's problems as sentences with what
was expected.

The runner's failure text ("missing key facts: barcode; 2 of 4 sentences off the point") is
for engineers and stays as it is in report.md; this module reads it phrase by phrase. A phrase
it does not know is shown as written, so a new check is never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assistant.evaluation.baseline import GATED, compare
from assistant.evaluation.cases import Case
from assistant.evaluation.metrics import METRICS, direction

# metric -> (plain name, what it measures). Scale and direction are added by ``describe``.
GLOSSARY: dict[str, tuple[str, str]] = {
    "hit@1": ("Right passage first",
              "How often the passage holding the answer is the first one the search finds."),
    "hit@3": ("Right passage in the top 3",
              "How often the passage holding the answer is among the first 3 found."),
    "hit@5": ("Right passage in the top 5",
              "How often the passage holding the answer is among the 5 passages an answer is "
              "built from."),
    "mrr": ("Rank of the right passage (MRR)",
            "Mean reciprocal rank: 1 when the right passage always comes first, 0.5 when it "
            "comes second, and so on, averaged over the questions."),
    "ndcg@5": ("Ranking quality (nDCG@5)",
               "Normalised discounted cumulative gain: rewards right passages for being near "
               "the top of the 5 found, not just present."),
    "fact_recall": ("Key facts mentioned",
                    "Share of the key facts each answer should state (a word or phrase per "
                    "fact) that it does state."),
    "token_f1": ("Word overlap with the model answer",
                 "How many words the answer shares with a hand-written model answer (F1: "
                 "neither too little nor too much)."),
    "rouge_l": ("Wording like the model answer (ROUGE-L)",
                "How much of the model answer appears in the same order in the answer "
                "(longest common subsequence)."),
    "citation_precision": ("Citations that check out",
                           "Share of cited sentences actually found in the passage they cite."),
    "citation_coverage": ("Sentences with a citation",
                          "Share of answer sentences that carry a [n] citation."),
    "refusal_precision": ("Refusals that were right",
                          "When the assistant says a question is not covered, how often that "
                          "is true."),
    "refusal_recall": ("Off-topic questions refused",
                       "Share of questions outside the knowledge base that it declines instead "
                       "of guessing."),
    "answer_words": ("Words per answer",
                     "Average length of an answer; shorter is better as long as the facts are "
                     "there."),
    "latency_p50_ms": ("Typical answer time",
                       "Median time to answer a question, in milliseconds (depends on the "
                       "machine)."),
    "latency_p95_ms": ("Slow answer time",
                       "The time 95% of answers are faster than, in milliseconds (depends on "
                       "the machine)."),
    "answer_precision": ("Answer on the point",
                         "Share of answer sentences that address the question (a lead-in "
                         "sentence counts with the one it introduces)."),
    "sentence_precision": ("Sentences on the point",
                           "Share of answer sentences that address the question, each counted "
                           "on its own."),
    "lead_accuracy": ("Answer leads with the point",
                      "Share of answers whose first sentence addresses the question."),
    "natural_hit@5": ("Right passage found (everyday questions)",
                      "Questions typed as people type them: how often a passage that answers "
                      "them is among the 5 found."),
    "natural_fact_recall": ("Key facts mentioned (everyday questions)",
                            "Share of expected key facts stated in answers to everyday "
                            "questions."),
    "natural_accuracy": ("Everyday questions answered right",
                         "Plain questions answered fully and leading with the point."),
    "followup_accuracy": ("Follow-up questions answered right",
                          "The last question of a 2-3 turn conversation (\"what about their "
                          "budget role?\") answered right."),
    "typo_accuracy": ("Misspelt questions answered right",
                      "Questions with typos (\"wat qualifcations…\") answered right."),
    "near_domain_refusal": ("Near-topic questions declined",
                            "Questions close to the topic that the knowledge base does not "
                            "cover (a named clinic's pay) answered \"not covered\"."),
    "partial_accuracy": ("Partly covered questions flagged",
                         "Questions the knowledge base covers only in part answered as "
                         "partial, saying what is missing."),
    "task_accuracy": ("Drafting requests recognised",
                      "Requests such as \"write me a job posting\" pointed to the Draft tab."),
    "draft_cited_verified": ("Draft bullets backed by a source",
                             "Share of drafted bullets whose citation was checked against its "
                             "passage."),
    "draft_theme_coverage": ("Draft covers the expected themes",
                             "Share of themes each drafted section must cover (quality, "
                             "compliance, …) that it covers."),
    "draft_near_duplicates": ("Repeated draft bullets",
                              "Pairs of bullets in a drafted section that say nearly the same "
                              "thing."),
    "draft_structure_complete": ("Full drafts with every section",
                                 "Share of full job descriptions that have every section a "
                                 "posting needs."),
    "draft_responsibilities_min": ("Fewest responsibilities in a draft",
                                   "The smallest number of responsibility bullets in any full "
                                   "draft."),
    "draft_duty_themes_min": ("Fewest duty themes in a draft",
                              "The smallest number of distinct duty areas any full draft "
                              "covers."),
    "draft_paraphrase_duplicates": ("Reworded repeats in full drafts",
                                    "Pairs of bullets in full drafts that repeat each other in "
                                    "other words."),
    "draft_style": ("Bullets in their section's style",
                    "Share of bullets written the way their section should be (duties start "
                    "with a verb, …)."),
    "draft_full_cited_verified": ("Full-draft bullets backed by a source",
                                  "Share of bullets in full drafts whose citation was "
                                  "checked."),
    "draft_emphasis_handled": ("Requested emphasis handled",
                               "Topics the user asked to emphasise that the draft reflects, or "
                               "notes it has no evidence for."),
    "draft_posting_coverage": ("Duties of real postings covered",
                               "Share of duties found in real job postings that a full draft "
                               "covers."),
    "review_verdict_accuracy": ("Review verdicts right",
                                "When reviewing an existing job description, share of its "
                                "lines given the expected verdict (supported, …)."),
    "review_missing_theme_recall": ("Review finds what is missing",
                                    "Share of the missing themes a review was expected to "
                                    "report that it reports."),
}

# The pipelines an evaluation compares (evaluation.pipelines.PIPELINES), in plain words.
PIPELINE_GLOSSARY: dict[str, str] = {
    GATED: "The assistant as you use it: meaning-based and keyword search combined. The "
    "baseline protects this one.",
    "dense-llamaindex": "A reference: the same answers built on LlamaIndex's standard "
    "meaning-based (vector) search alone.",
    "bm25": "A reference: the same answers built on keyword search (BM25) alone.",
}

# The score table's groups, in the order a reader meets them.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Finding the right passage", ("hit@1", "hit@3", "hit@5", "mrr", "ndcg@5", "natural_hit@5")),
    ("What the answers say", ("fact_recall", "natural_fact_recall", "token_f1", "rouge_l",
                              "answer_precision", "sentence_precision", "lead_accuracy",
                              "answer_words")),
    ("Citations", ("citation_precision", "citation_coverage")),
    ("Questions as people ask them", ("natural_accuracy", "followup_accuracy", "typo_accuracy",
                                      "partial_accuracy", "task_accuracy")),
    ("Saying \u201cnot covered\u201d when it should", ("refusal_precision", "refusal_recall",
                                                      "near_domain_refusal")),
    ("Drafting job descriptions", ("draft_cited_verified", "draft_theme_coverage",
                                   "draft_near_duplicates", "draft_structure_complete",
                                   "draft_responsibilities_min", "draft_duty_themes_min",
                                   "draft_paraphrase_duplicates", "draft_style",
                                   "draft_full_cited_verified", "draft_emphasis_handled",
                                   "draft_posting_coverage")),
    ("Reviewing a job description", ("review_verdict_accuracy", "review_missing_theme_recall")),
    ("Speed", ("latency_p50_ms", "latency_p95_ms")),
)

COUNTS = ("answer_words", "draft_near_duplicates", "draft_responsibilities_min",
          "draft_duty_themes_min", "draft_paraphrase_duplicates")
TIMES = ("latency_p50_ms", "latency_p95_ms")


def is_rate(metric: str) -> bool:
    """A share from 0 to 1 (the rest are counts and milliseconds)."""
    return metric not in COUNTS and metric not in TIMES


def plain_name(metric: str) -> str:
    return GLOSSARY.get(metric, (metric, ""))[0]


def describe(metric: str) -> str:
    """The glossary line: what it measures, its scale and which way is good."""
    name, what = GLOSSARY.get(metric, (metric, METRICS.get(metric, ("", "", ""))[2]))
    if metric in TIMES:
        scale = "milliseconds; lower is better"
    elif metric in COUNTS:
        scale = f"a count; {'higher' if direction(metric) == 'higher' else 'lower'} is better"
    else:
        scale = f"0 to 1; {'higher' if direction(metric) == 'higher' else 'lower'} is better"
    return f"{what} ({scale}.)"


def group_of(metric: str) -> str:
    for title, names in GROUPS:
        if metric in names:
            return title
    return "Other"


# -- the headline ------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """``passed`` is None when there is no baseline to compare with."""

    passed: bool | None
    headline: str
    details: tuple[str, ...]
    cases: int
    right: int


def _num(value: Any, metric: str) -> str:
    if value is None:
        return "not measured"
    if metric in TIMES:
        return f"{value:.0f} ms"
    if metric in COUNTS:
        return f"{value:g}"
    return f"{value:.2f}"


def _regression(r: Mapping[str, Any]) -> str:
    k = r["metric"]
    name = f"{plain_name(k)} ({k})"
    if "reference pipeline beats" in str(r.get("why", "")):
        other = str(r["why"]).split("the ", 1)[-1].split(" reference", 1)[0]
        return f"{name}: the {other} reference does better than the assistant"
    if r.get("value") is None:
        return f"{name}: not measured in this run ({r.get('why', '')})"
    return (f"{name} is {_num(r['value'], k)}, baseline {_num(r['baseline'], k)} "
            f"(allowed drop {_num(r.get('tolerance', 0), k)})")


def improved(report: Any, baseline: Mapping[str, Any] | None) -> list[str]:
    """Gated scores now better than the baseline by more than their tolerance."""
    if not baseline:
        return []
    base = baseline["pipelines"].get(GATED, {})
    tols = baseline.get("tolerances", {})
    out = []
    for k, now in report.pipelines.get(GATED, {}).items():
        if k in base:
            gain = (now - base[k]) if direction(k) == "higher" else (base[k] - now)
            if gain > float(tols.get(k, 0.0)) + 1e-9 and k not in TIMES:
                out.append(k)
    return out


def verdict(report: Any, baseline: dict[str, Any] | None) -> Verdict:
    """One sentence a reader can act on, then a few lines that explain it."""
    cases = sum(report.counts.values())
    failed = {f["id"] for f in report.failures}
    # The full drafts are scored per distinct setting, not per case: count the set's cases.
    right = max(0, cases - len({i for i in failed if not str(i).startswith("full-")}))
    tally = f"{right} of {cases} cases fully right"
    details: list[str] = []
    if baseline is None:
        return Verdict(None, f"No baseline to compare with yet \u2014 {tally}.",
                       ("Save this run as the baseline (python -m assistant eval "
                        "--update-baseline) so the next run can be compared with it.",),
                       cases, right)
    regressions = compare(report, baseline)
    gains = improved(report, baseline)
    if regressions:
        n = len(regressions)
        headline = (f"{n} score{'s' if n > 1 else ''} fell below the baseline: "
                    + "; ".join(_regression(r) for r in regressions) + f" \u2014 {tally}.")
        details.append("A score that falls by more than its allowed drop is a regression: "
                       "find the change that caused it before committing.")
    else:
        headline = f"No regressions against the baseline \u2014 {tally}."
        details.append("Every score is within its allowed drop of the committed baseline.")
    if gains:
        details.append("Better than the baseline: "
                       + ", ".join(f"{plain_name(k)} ({k})" for k in gains) + ".")
    if failed:
        details.append(
            f"{len(failed)} case{'s' if len(failed) != 1 else ''} had at least one problem "
            "(listed below). The baseline already counts the known ones, so they are not "
            "regressions by themselves." if not regressions else
            f"{len(failed)} case{'s' if len(failed) != 1 else ''} had at least one problem "
            "(listed below)."
        )
    return Verdict(not regressions, headline, tuple(details), cases, right)


# -- failures in plain words ---------------------------------------------------------------
def _quoted(items: Sequence[str], conjunction: str = "or") -> str:
    q = [f"\u201c{i.strip()}\u201d" for i in items if i.strip()]
    if len(q) <= 1:
        return "".join(q)
    return ", ".join(q[:-1]) + f" {conjunction} " + q[-1]


def _both(items: Sequence[str]) -> str:
    return "" if len(items) < 2 else ("both " if len(items) == 2 else "all ")


def _split(text: str) -> list[str]:
    return [t.strip() for t in re.split(r",\s*", text) if t.strip()]


COVERAGE = {
    "covered": "a full answer",
    "partial": "a partial answer (saying what the knowledge base lacks)",
    "not_covered": "\u201cnot covered\u201d",
    "task": "an offer to draft (the Draft tab)",
}


def _coverage(m: re.Match[str]) -> str:
    got = COVERAGE.get(m[1], m[1])
    want = COVERAGE.get(m[2], m[2])
    return f"It gave {got}; {want} was expected."


def _facts(m: re.Match[str]) -> str:
    facts = _split(m[1])
    return (f"The answer did not mention {_quoted(facts)} "
            f"({_both(facts)}expected among its key facts).")


def _themes(m: re.Match[str]) -> str:
    themes = _split(m[1])
    return f"The draft does not cover {_quoted(themes)} ({_both(themes)}expected themes)."


def _off_point(m: re.Match[str]) -> str:
    if m[1] == m[2] == "1":
        return "Its only sentence does not address the question."
    if m[1] == m[2]:
        return f"None of its {m[2]} sentences addresses the question."
    verb = "does" if m[1] == "1" else "do"
    return f"{m[1]} of its {m[2]} sentences {verb} not address the question."


def _plural(n: str, one: str, many: str) -> str:
    return one if n == "1" else many


PHRASES: tuple[tuple[str, Callable[[re.Match[str]], str]], ...] = (
    (r"missing key facts: (.+)", _facts),
    (r"no indexed passage contains a gold quote",
     lambda m: "No indexed document contains the passage this question is checked against "
     "(the evaluation set may need updating)."),
    (r"no gold passage in the top (\d+)",
     lambda m: f"The search did not find the passage that holds the answer among its top "
     f"{m[1]} results."),
    (r"(\d+) citation\(s\) not found in the cited passage",
     lambda m: f"{m[1]} cited sentence{_plural(m[1], '', 's')} could not be found in the "
     "passage cited."),
    (r"refused an answerable question",
     lambda m: "It said the knowledge base does not cover this, but it does."),
    (r"answered an out-of-scope question",
     lambda m: "It answered although the knowledge base does not cover this; it should have "
     "said so instead."),
    (r"answered as (\w+), expected (\w+)", _coverage),
    (r"the first sentence is off the point",
     lambda m: "The answer's first sentence does not address the question."),
    (r"(\d+) of (\d+) sentences off the point", _off_point),
    (r"draft failed: (.+)", lambda m: f"The draft could not be made: {m[1]}"),
    (r"review failed: (.+)", lambda m: f"The review could not be done: {m[1]}"),
    (r"no bullets", lambda m: "The draft has no bullet points."),
    (r"(\d+) bullet\(s\) not verified",
     lambda m: f"{m[1]} bullet{_plural(m[1], ' is', 's are')} not backed by a checked "
     "citation."),
    (r"(\d+) bullet\(s\) not cited and verified",
     lambda m: f"{m[1]} bullet{_plural(m[1], ' is', 's are')} not backed by a checked "
     "citation."),
    (r"missing themes not reported: (.+)",
     lambda m: f"The review did not report {_quoted(_split(m[1]))} as missing."),
    (r"missing themes: (.+)", _themes),
    (r"(\d+) near-duplicate bullet pair\(s\)",
     lambda m: f"{m[1]} pair{_plural(m[1], '', 's')} of bullets say nearly the same thing."),
    (r"(\d+) paraphrase duplicate pair\(s\)",
     lambda m: f"{m[1]} pair{_plural(m[1], '', 's')} of bullets repeat each other in other "
     "words."),
    (r"line \u201c(.+)\u201d: expected (.+), got (.+)",
     lambda m: f"The line \u201c{m[1]}\u201d was marked {m[3]}; {m[2]} was expected."),
    (r"missing sections: (.+)",
     lambda m: f"The draft has no {_quoted(_split(m[1]))} section."),
    (r"no Reports to line", lambda m: "The draft does not say whom the role reports to."),
    (r"(\d+) responsibilities \(< (\d+)\)",
     lambda m: f"The draft lists {m[1]} responsibilities; at least {m[2]} were expected."),
    (r"(\d+) duty themes \(< (\d+)\)",
     lambda m: f"The draft covers {m[1]} duty areas; at least {m[2]} were expected."),
    (r"(\d+) bullet\(s\) not in the section's style",
     lambda m: f"{m[1]} bullet{_plural(m[1], ' is', 's are')} not written in their "
     "section's style."),
    (r"an emphasis topic neither reflected nor noted",
     lambda m: "A topic the user asked to emphasise is neither in the draft nor noted as "
     "lacking evidence."),
    (r"real-posting duty coverage ([\d.]+) \(< ([\d.]+)\)",
     lambda m: f"The draft covers {float(m[1]):.0%} of the duties real postings list; at "
     f"least {float(m[2]):.0%} was expected."),
)


def plain_problem(text: str) -> str:
    """One of the runner's failure phrases as a sentence (unknown phrases as written)."""
    text = text.strip()
    for pattern, say in PHRASES:
        m = re.fullmatch(pattern, text)
        if m:
            return say(m)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def plain_problems(failed: str) -> list[str]:
    """The runner's "; "-joined failure text, one sentence per problem."""
    parts = re.split(r"; (?=[a-z0-9]|line \u201c)", failed)
    return [plain_problem(p) for p in parts if p.strip()]


def expected(case: Case | None, failure: Mapping[str, Any]) -> str:
    """What the case expected, in a sentence (empty when the set no longer has the case)."""
    if case is None:
        if str(failure.get("id", "")).startswith("full-"):
            return ("A complete job description with every section, enough responsibilities "
                    "and duty areas, each bullet backed by a source.")
        return ""
    t = case.type
    if t in ("out_of_scope", "near_oos"):
        return "To say the knowledge base does not cover this."
    if t == "task":
        where = f" for {case.setting}" if case.setting else ""
        return f"To offer to draft the job description{where} in the Draft tab."
    if t == "partial":
        lacks = f" (it has no {', '.join(case.missing)})" if case.missing else ""
        return f"A partial answer that says what the knowledge base lacks{lacks}."
    if t == "draft":
        where = f" for {case.setting}" if case.setting else ""
        themes = [alts[0] for alts in case.themes]
        return (f"A {case.section} section{where} covering "
                f"{_quoted(themes, 'and')}, each bullet backed by a source.")
    if t == "review":
        parts = [f"the expected verdict on each of {len(case.verdicts)} lines"]
        if case.missing:
            parts.append(f"{_quoted(list(case.missing), 'and')} reported "
                         "as missing")
        return "A review giving " + " and ".join(parts) + "."
    if case.reference:
        return f"An answer like: \u201c{case.reference}\u201d"
    if case.gold:
        return f"An answer built on: \u201c{case.gold[0]}\u201d"
    return ""


CASE_KINDS = {
    "faq": "FAQ question",
    "body": "question on a document",
    "out_of_scope": "off-topic question",
    "followup": "follow-up question",
    "draft": "drafting",
    "natural": "everyday question",
    "typo": "misspelt question",
    "chain": "follow-up in a conversation",
    "near_oos": "near-topic question",
    "partial": "partly covered question",
    "task": "drafting request",
    "review": "review of a job description",
}


@dataclass(frozen=True)
class PlainFailure:
    id: str
    kind: str
    question: str
    history: tuple[str, ...]
    problems: tuple[str, ...]
    expected: str
    answer: str


def plain_failures(
    failures: Iterable[Mapping[str, Any]], cases: Iterable[Case] = ()
) -> list[PlainFailure]:
    """Every failure with its problems as sentences and what its case expected."""
    by_id = {c.id: c for c in cases}
    out = []
    for f in failures:
        case = by_id.get(str(f.get("id", "")))
        kind = CASE_KINDS.get(str(f.get("type", "")), str(f.get("type", "")))
        out.append(
            PlainFailure(
                id=str(f.get("id", "")),
                kind=kind,
                question=str(f.get("question", "")),
                history=tuple(str(h) for h in f.get("history") or ()),
                problems=tuple(plain_problems(str(f.get("failed", "")))),
                expected=expected(case, f),
                answer=" ".join(str(f.get("answer") or "").split()),
            )
        )
    return out
