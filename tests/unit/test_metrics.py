"""Natural-set answer metrics: pure functions over answer sentences and their labels."""

from __future__ import annotations

from assistant.evaluation.metrics import answer_units, on_point
from assistant.types import Sentence


def s(text: str, context: bool = False) -> Sentence:
    return Sentence(text, (1,), context=context)


def test_a_context_sentence_is_judged_with_the_sentence_it_introduces() -> None:
    sentences = [
        s("Medical directors oversee the administrative side.", context=True),
        s("This includes managing budgets and staffing levels."),
        s("They play a crucial role."),
    ]
    marks = [False, True, False]
    assert answer_units(sentences, marks) == [True, False]  # 1 of 2 units on the point
    assert answer_units([s("a"), s("b")], [False, True]) == [False, True]  # no context: each
    assert answer_units([s("a", context=True)], [True]) == [True]  # nothing after it: alone
    assert answer_units([], []) == []


def test_on_point_means_containing_a_gold_quote() -> None:
    gold = ["managing budgets, staffing levels"]
    assert on_point("This includes managing budgets, staffing levels, and more.", gold)
    assert not on_point("They manage budgets.", gold)
