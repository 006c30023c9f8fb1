"""Every example question the chat offers (web/handlers.EXAMPLES) gets a relevant, cited
answer over the real knowledge base: covered (not partial, not refused), every sentence
cited, every citation quoted verbatim from its passage, and a sentence that says what the
example asks about (a word expected for that example)."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.citations import is_quote
from assistant.web.handlers import EXAMPLES

# example -> a word (lower case) one of its sentences must contain
EXPECTED = {
    "What are the main responsibilities of a medical director?": "responsib",
    "How many years of clinical experience does a medical director need?": "years",
    "Which key performance indicators measure a medical director's success?": "satisfaction",
    "How does a medical director manage the budget?": "budget",
    "What qualifications are required to become a medical director?": "degree",
}


def test_the_table_names_every_example() -> None:
    assert set(EXPECTED) == set(EXAMPLES)


@pytest.mark.parametrize("question", EXAMPLES)
def test_each_example_gets_a_relevant_cited_answer(built: Any, question: str) -> None:
    answer = built.ask(question)
    assert not answer.refused and answer.coverage == "covered", answer.answer
    assert answer.sentences and answer.citations
    cited = {c.id: c for c in answer.citations}
    for sentence in answer.sentences:
        assert sentence.citations, sentence.text
        assert all(is_quote(sentence.text, cited[n].text) for n in sentence.citations)
    word = EXPECTED[question]
    assert any(word in s.text.lower() for s in answer.sentences), answer.answer
