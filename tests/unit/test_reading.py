"""Question analysis, spelling and coverage rules: pure functions, no model, no Chroma."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.answering import coverage, extractive, wording
from assistant.answering.analysis import (
    asking_part,
    drafting_setting,
    follow_up_cue,
    question_kind,
    read_question,
    resolved_topic,
    task_of,
)
from assistant.answering.coverage import Vocabulary, assess, base_forms
from assistant.answering.query import readings
from assistant.answering.spelling import Speller, vocabulary
from assistant.citations import is_quote
from assistant.types import StoredSentence

KB = [
    "Medical directors oversee physicians and ensure compliance with accreditation standards.",
    "Candidates should have at least 5-10 years of clinical experience and board certification.",
    "The medical director leads credentialing, peer review and the annual budget.",
    "The role offers competitive salaries and job stability.",
    "Medical directors can work in hospitals, emergency rooms and laboratories.",
    "In pharmaceutical companies, they lead clinical research.",
]
COUNTS = vocabulary(KB)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("do medical directors still see patients", "yesno"),
        ("medical director vs chief medical officer", "comparison"),
        ("how much do medical directors make", "figure"),
        ("how much budget authority does a medical director have", "how"),
        ("who does the medical director report to", "which"),
        ("what is clinical governance", "definition"),
        ("main duties?", "list"),
    ],
)
def test_question_kind(question: str, kind: str) -> None:
    assert question_kind(question) == kind


@pytest.mark.parametrize(
    ("question", "cue"),
    [
        ("and what about their budget role?", "strong"),  # leading "and"
        ("does that include disciplining them", "strong"),  # pronoun, no subject of its own
        ("any concrete examples?", "strong"),  # no verb: an ellipsis
        ("what training is required", "weak"),  # only the subject is missing
        ("do medical directors still see patients?", ""),  # a new, self-contained question
        ("what does a medical director do for their staff", ""),  # "their" has a subject
    ],
)
def test_follow_ups_are_told_from_the_words_not_the_length(question: str, cue: str) -> None:
    assert follow_up_cue(question) == cue


def test_a_second_follow_up_keeps_the_thread() -> None:
    history = ["main duties in an urgent care network", "and what about their budget role?"]
    assert resolved_topic(history) == (
        "main duties in an urgent care network and what about their budget role?"
    )
    r = read_question("how would we measure whether they're doing that well?", history)
    assert "budget" in r.follow_up_of and "urgent care" in r.follow_up_of
    query, standalone = readings(r.text, r.follow_up_of)[:2]
    assert query.startswith(r.follow_up_of) and standalone == r.text


def test_a_new_question_after_an_unrelated_turn_stands_alone() -> None:
    r = read_question("which regulations does a medical director need to know", ["tell me a joke"])
    assert r.follow_up_of == ""


@pytest.mark.parametrize(
    ("question", "task", "setting"),
    [
        ("write me a job posting for a hospice medical director", "draft", "hospice"),
        ("draft a JD for our urgent care network", "draft", "urgent care network"),
        ("can you create a job description", "draft", ""),
        ("make me a medical director JD, hospital setting", "draft", "hospital"),
        ("tell me a joke about doctors", "other", ""),
        ("translate the medical director duties into spanish", "other", ""),
        ("write me a cover letter for a medical director position", "other", ""),
        ("what should go in a medical director job description", "", ""),
        ("why do we need a formal written JD for this hire anyway", "", ""),
    ],
)
def test_task_requests(question: str, task: str, setting: str) -> None:
    assert task_of(question) == task
    if task == "draft":
        assert drafting_setting(question) == setting


def test_preamble_and_examples_are_context_not_the_topic() -> None:
    assert "recruiter" not in asking_part("recruiter here. what leadership experience counts?")
    assert "covid" not in asking_part("what does the director do in a crisis like a covid surge")
    assert "hospice" in asking_part("hospice medical director - anything different?")


def test_spelling_is_corrected_to_the_knowledge_bases_words_only() -> None:
    speller = Speller(COUNTS)
    assert speller.correct("credentialling and accreditaton") == "credentialing and accreditation"
    assert speller.correct("how many yeras of experiance") == "how many years of experience"
    assert speller.correct("quals") == "qualifications"  # a short form people type
    assert speller.correct("texas malpractice rules") == "texas malpractice rules"  # real words
    assert speller.correct("wat") == "wat"  # too short to correct safely


def test_unknown_names_places_and_rare_words_make_a_question_not_covered() -> None:
    vocab = Vocabulary(COUNTS)
    assert vocab.salient_unknown("malpractice") and vocab.salient_unknown("texas")
    assert vocab.salient_unknown("ehr")  # an acronym the sources never use
    assert not vocab.salient_unknown("nps")  # a plural of a two-letter acronym
    assert not vocab.salient_unknown("fire")  # a common word: not what the question is about
    assert not vocab.salient_unknown("pharma")  # a clipped "pharmaceutical"
    assert "discipline" in base_forms("disciplining")


def _sentences() -> list[StoredSentence]:
    rng = np.random.default_rng(0)
    out = []
    for n, text in enumerate(KB):
        v = rng.normal(size=8).astype(np.float32)
        out.append(StoredSentence("c", n, text, v / np.linalg.norm(v)))
    return out


def test_coverage_three_ways() -> None:
    vocab = Vocabulary(COUNTS)
    sentences = _sentences()
    q = sentences[0].vector
    v = assess(read_question("which malpractice insurance should our director carry"), vocab,
               sentences, q)  # fmt: skip
    assert v.coverage == "not_covered" and v.missing == ("malpractice insurance",)
    assert v.statement == "The knowledge base does not mention malpractice insurance."
    v = assess(read_question("hospice medical director - anything different?"), vocab, sentences, q)
    assert v.coverage == "partial" and "hospice" in v.statement
    v = assess(read_question("how much do medical directors earn?"), vocab, sentences, q)
    assert v.figure_terms and "salary" in v.statement  # partial if no sentence has a figure
    v = assess(read_question("what sign-on bonus should we offer?"), vocab, sentences, q)
    assert v.coverage == "not_covered" and v.missing == ("bonus",)
    v = assess(read_question("what changed in the standards this year"), vocab, sentences, q)
    assert v.coverage == "not_covered"
    v = assess(read_question("tell me a joke about doctors"), vocab, sentences, q)
    assert v.coverage == "not_covered" and not v.related
    v = assess(read_question("what does a medical director oversee"), vocab, sentences, q)
    assert v.coverage == "covered"


@pytest.mark.parametrize(
    ("sentence", "rule", "hit"),
    [
        (
            "This area of responsibility, when explicitly defined, ensures a structured approach.",
            "spec",
            True,
        ),
        ("A medical director's responsibilities, as outlined, directly impact care.", "spec", True),
        ("The medical director chairs the credentialing committee.", "spec", False),
        (
            "Seeking mentorship can enhance career prospects for aspiring Medical Directors.",
            "advice",
            True,
        ),
        ("Develop your leadership skills by taking on team management.", "advice", True),
        ("Medical directors mentor junior physicians.", "advice", False),
        ("They comply with rules from the Joint Commission and state boards.", "name", True),
        ("Compliance follows HIPAA rules.", "name", True),
        ("Medical Directors oversee quality.", "name", False),  # the role's own title
        ("They review claims and assess medical necessity.", "name", False),
        ("This might involve proposing a new specialty clinic.", "gives_examples", True),
        ("For instance, the director may implement a peer review process.", "gives_examples", True),
        ("The medical director oversees the peer review process.", "gives_examples", False),
        ("An example would include a barcode medication system.", "names_instance", True),
        ("This might involve implementing new technologies.", "names_instance", False),
        ("Medical Directors play a crucial role in upholding ethical standards.", "praise", True),
        ("The medical director chairs the credentialing committee.", "praise", False),
    ],
)
def test_sentence_rules_that_reweigh_candidates(sentence: str, rule: str, hit: bool) -> None:
    """Write-up talk and job-seeker advice weigh less for a question about the role; names
    weigh more for a which/who question (extractive.py applies the weights)."""
    pattern = {
        "spec": extractive._SPEC_TALK,
        "advice": extractive._ADVICE,
        "name": extractive._NAME,
        "gives_examples": extractive._GIVES_EXAMPLES,
        "praise": extractive._PRAISE,
        "names_instance": extractive._NAMES_AN_INSTANCE,
    }[rule]
    assert bool(pattern.search(sentence)) is hit


@pytest.mark.parametrize(
    ("question", "career"),
    [("what comes after medical director career wise", True),
     ("how do I become a medical director", True),
     ("what skills should we look for", False),
     ("what specialties do medical directors usually come from", True),
     ("does the medical director own the budget", False)],
)  # fmt: skip
def test_questions_about_becoming_one(question: str, career: bool) -> None:
    assert bool(extractive._ASKS_CAREER.search(question)) is career


@pytest.mark.parametrize(
    ("question", "query"),
    [("md role?", "What is a medical director?"),
     ("medical director job", "What is a medical director?"),
     ("medical director duties", "medical director duties")],
)  # fmt: skip
def test_a_bare_mention_of_the_role_is_retrieved_as_what_the_role_is(
    question: str, query: str
) -> None:
    assert readings(question)[0] == query
    assert question_kind(question) == ("definition" if query != question else "list")


@pytest.mark.parametrize(
    ("question", "extra"),
    [
        ("who does the medical director report to", coverage.REPORTING_WORDS),
        ("does the md report to the ceo", coverage.REPORTING_WORDS),
        ("what's the reporting line for this role", coverage.REPORTING_WORDS),
        ("who reports to the medical director", coverage.OVERSEES_WORDS),
        ("how much do medical directors make", coverage.PAY_WORDS),
        ("what does the medical director report on", None),
    ],
)
def test_questions_the_sources_word_otherwise_get_another_reading(
    question: str, extra: str | None
) -> None:
    reading = read_question(question, (), Speller(vocabulary(KB)))
    assert coverage.extra_readings(reading) == ([extra] if extra else [])


@pytest.mark.parametrize(
    ("question", "coverage", "missing"),
    [
        ("does the md need to be licensed in every state we operate in", "partial",
         "rules for every state"),
        ("is board certification needed in all our states", "partial", "rules for all our states"),
        ("which certifications should we look for - CPE? CMQ?", "partial", "CPE"),
        ("associate medical director vs regional medical director - whats the hierarchy",
         "partial", "a comparison of associate medical director and regional medical director"),
        ("is board certification needed in texas", "not_covered", "texas"),
        ("board certification under the esrd rules", "not_covered", "esrd rules"),
    ],
)  # fmt: skip
def test_what_the_sources_give_only_in_general_is_partly_covered(
    question: str, coverage: str, missing: str
) -> None:
    """Rules for every place at once, named examples of a kind the sources speak of, and
    two kinds of medical director set side by side: the sources answer only in general."""
    v = assess(read_question(question), Vocabulary(COUNTS), _sentences())
    assert (v.coverage, v.missing[0]) == (coverage, missing)


def test_a_figure_question_not_about_the_role_is_not_covered_without_a_figure() -> None:
    vocab = Vocabulary(COUNTS)
    off = assess(read_question("how long does peer review take"), vocab, _sentences())
    on = assess(read_question("how many years of experience does a medical director need"),
                vocab, _sentences())  # fmt: skip
    assert off.figure_or_nothing and off.topic == "peer review take"
    assert not on.figure_or_nothing


def test_the_reporting_line_is_partly_covered() -> None:
    vocab = Vocabulary(vocabulary(KB))
    up = read_question("who does the medical director report to", (), Speller(vocabulary(KB)))
    down = read_question("who reports to the medical director", (), Speller(vocabulary(KB)))
    assert assess(up, vocab, []).coverage == "partial"
    assert assess(up, vocab, []).missing == ("reporting line",)
    assert assess(down, vocab, []).coverage == "covered"


def test_abbreviations_and_real_word_slips_are_read_as_meant() -> None:
    speller = Speller(COUNTS)
    assert speller.correct("ehr adoption") == "electronic health record adoption"
    assert speller.correct("our CMO asked") == "our chief medical officer asked"
    assert speller.correct("telehealth plans") == "telemedicine plans"  # the sources' word
    assert speller.correct("how dose the director") == "how does the director"
    assert speller.correct("a dose of 5 mg") == "a dose of 5 mg"  # a dose, not a slip
    assert (
        speller.correct("does the director over see nurses") == "does the director oversee nurses"
    )


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("does cleveland clinic require board certification", "cleveland clinic"),
        ("whats the best credentialing software for a clinic group", "software"),
        ("best ehr for a small urgent care", "best electronic health record"),
        ("can you turn the duties into an email to our board, in german", "email"),
        ("new york state requirements for a medical director", "new york state"),
    ],
)
def test_names_products_and_other_tasks_are_not_covered(question: str, missing: str) -> None:
    v = assess(read_question(question, (), Speller(COUNTS)), Vocabulary(COUNTS), _sentences())
    assert v.coverage == "not_covered"
    assert any(missing in m for m in v.missing)


@pytest.mark.parametrize(
    ("question", "word"),
    [
        ("how are clinical pathways used to cut hospital readmissions", "cut"),  # a verb
        ("which kinds of organizations hire medical directors", "hire"),
        ("what should a job description say about reporting lines", "reporting line"),
    ],
)
def test_everyday_words_before_place_nouns_are_not_names(question: str, word: str) -> None:
    v = assess(read_question(question, (), Speller(COUNTS)), Vocabulary(COUNTS), _sentences())
    assert not any(word in m for m in v.missing), v


@pytest.mark.parametrize(
    ("question", "amount"),
    [("is $350k a reasonable base for a medical director", "$350k"),
     ("we pay 250k, is that ok", "250k")],
)  # fmt: skip
def test_a_sum_of_money_cannot_be_judged(question: str, amount: str) -> None:
    v = assess(read_question(question, (), Speller(COUNTS)), Vocabulary(COUNTS), _sentences())
    assert v.coverage == "not_covered" and v.missing == (amount,)


@pytest.mark.parametrize(
    ("question", "hit"),
    [
        ("what are the perks of the job i can put in a recruiting pitch", True),
        ("what comes after medical director career wise", True),
        ("what numbers would we look at to know if our md is doing a good job", True),
        ("do they get involved in hiring doctors", True),
        ("and what happens when something goes wrong", True),
        ("who deals with mistakes on the ward", True),
        ("what are the key expectations for our md", True),
        ("what is expected of a medical director in year one", True),
        ("is the md job hands-on at all", True),
        ("would our md still be seeing patients", True),
        ("what should we list under preferred qualifications on the req", True),
        ("what makes a medical director candidate stand out", True),
        ("what qualifications are required", False),
        ("Which kinds of organizations hire medical directors?", True),
        ("where do medical directors usually work", True),
        ("what specialties do medical directors usually come from", True),
        ("what background do they tend to have", True),
        ("who does the md work with day to day", True),
        ("who do they work with on that", False),  # a follow-up: read with its topic
        ("how many patients does a typical clinic have", False),
        ("how do we set clear expectations in the posting", False),
        ("what are the benefits of a good job description", False),  # the document's
        ("what does a medical director do", False),
    ],
)
def test_everyday_wordings_get_a_reading_in_the_sources_words(question: str, hit: bool) -> None:
    assert bool(wording.source_readings(question)) is hit


@pytest.mark.parametrize(
    ("sentence", "filler"),
    [
        ("A Medical Director is a highly specialized position that demands a distinct set of "
         "qualifications and expertise.", True),
        ("Medical Directors are responsible for a variety of key tasks that help healthcare "
         "facilities run smoothly and provide high-quality patient care.", True),
        ("Medical Directors are responsible for overseeing quality assurance programs and "
         "conducting performance evaluations.", False),
        ("The medical director chairs the credentialing committee and grants privileges to "
         "physicians.", False),
    ],
)  # fmt: skip
def test_claims_that_there_is_much_to_the_role_are_filler(sentence: str, filler: bool) -> None:
    assert extractive.is_filler(sentence) is filler


def test_a_setting_in_a_question_of_several_asks_is_context() -> None:
    """"for our hospice req: does the md need ..., and what are ...?" asks about experience
    and skills; only a question about the setting itself is partly covered."""
    vocab, sentences = Vocabulary(COUNTS), _sentences()
    several = read_question(
        "hey quick ones for our hospice req: does the md need prior clinical experience, "
        "and what board certification do they need?"
    )
    assert several.kind == "multi"
    assert assess(several, vocab, sentences).coverage == "covered"
    alone = read_question("what does a medical director do in a hospice specifically")
    assert assess(alone, vocab, sentences).coverage == "partial"


@pytest.mark.parametrize(
    ("question", "coverage", "missing"),
    [
        ("can a nurse practitioner be a medical director", "partial",
         "whether a nurse practitioner can be a medical director"),
        ("can an NP serve as medical director", "partial",
         "whether an NP can be a medical director"),
        ("who handles budget complaints, the md?", "partial", "budget complaints"),
        ("which clinical matters does the md oversee", "covered", ""),  # "clinical": a modifier
        ("does the md oversee budget planning", "covered", ""),
    ],
)  # fmt: skip
def test_what_the_sources_never_name_is_partly_covered(
    question: str, coverage: str, missing: str
) -> None:
    """Whether another profession may hold the role, and a thing the sources never name
    though they speak of what qualifies it: the answer says so, then quotes what they say."""
    counts = vocabulary([*KB, "Many start their careers as nurse practitioners."])
    v = assess(read_question(question), Vocabulary(counts), _sentences())
    assert (v.coverage, v.missing[0] if v.missing else "") == (coverage, missing)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("how should we structure the interview process - how many rounds?",
         "how to run the interview process"),
        ("who should sit on the hiring committee", "how to run the interview process"),
        ("how long does it take to become a medical director", "a timeline from start to finish"),
        ("how does our md work with the ceo and board",
         "the working relationship with the CEO and board"),
    ],
)  # fmt: skip
def test_what_the_sources_speak_of_from_another_side_is_partly_covered(
    question: str, missing: str
) -> None:
    """Interviews from the candidate's side only, years of experience rather than a whole
    timeline, senior leadership rather than a CEO or board."""
    counts = vocabulary([*KB, "Medical directors may advance to Hospital CEO."])
    v = assess(read_question(question), Vocabulary(counts), _sentences())
    assert (v.coverage, v.missing) == ("partial", (missing,))


@pytest.mark.parametrize(
    "question",
    ["what should candidates be ready to speak to in the interview",
     "how many years of experience should a candidate have",
     "does the md work with the nursing staff"],
)  # fmt: skip
def test_questions_near_those_gaps_are_covered(question: str) -> None:
    gaps = {"how to run the interview process", "a timeline from start to finish",
            "the working relationship with the CEO and board"}  # fmt: skip
    v = assess(read_question(question), Vocabulary(COUNTS), _sentences())
    assert not gaps & set(v.missing)


def _paragraph(*texts: str) -> list[extractive.Scored]:
    """The sentences of one passage, in order, as scored candidates."""
    from assistant.types import Chunk, Passage

    chunk = Chunk("c1", " ".join(texts), "knowledge/x.md", "X", "X > Y", 0, 1)
    passage = Passage(chunk, 0.5)
    return [
        extractive.Scored(
            StoredSentence("c1", i, t, np.ones(3)), passage, 0, 0.5, 0.5, 0.5,
            text=extractive.shown_text(t),
        )
        for i, t in enumerate(texts)
    ]  # fmt: skip


_SUPERVISION = (
    "The medical director is often responsible for addressing performance issues.",
    "This might involve counseling physicians or developing improvement plans.",
    "For example, the director might intervene when a physician violates protocols.",
)


def test_an_instance_is_read_after_the_claim_it_illustrates() -> None:
    """A chosen "For example, ..." brings the claim before it, and that claim's own
    antecedent when it points back too: the paragraph reads from its start."""
    claim, detail, example = _paragraph(*_SUPERVISION)
    shown = extractive.with_antecedents([example], [claim, detail, example])
    assert shown == [claim, detail, example]


def test_asked_for_instances_stand_alone() -> None:
    """"any concrete examples?": an instance is the answer itself, read without its claim."""
    claim, detail, example = _paragraph(*_SUPERVISION)
    shown = extractive.with_antecedents([example], [claim, detail, example], instances=False)
    assert shown == [example]


def test_a_chain_that_never_reaches_a_claim_of_its_own_is_not_added() -> None:
    """An instance after "This includes ..." whose antecedent is not a candidate (filler,
    or another passage) stays alone rather than opening with a dangling "This"."""
    _, detail, example = _paragraph(*_SUPERVISION)
    assert extractive.with_antecedents([example], [detail, example]) == [example]


@pytest.mark.parametrize(
    ("sentence", "points_back"),
    [("The medical director typically oversees this process, ensuring reviews.", True),
     ("They must understand these regulations and apply them.", True),
     ("Candidates for this role need strong leadership skills.", False),
     ("The medical director oversees the peer review process.", False)],
)  # fmt: skip
def test_sentences_that_point_back(sentence: str, points_back: bool) -> None:
    assert extractive.depends(sentence) is points_back


def test_a_sentence_chosen_before_its_antecedent_is_kept_after_it() -> None:
    """Both chosen, the one that points back scoring higher ("This could involve mediating
    disputes ..." over the claim it details): neither is lost, and the claim comes first."""
    claim, detail, _ = _paragraph(*_SUPERVISION)
    assert extractive.with_antecedents([detail, claim], [claim, detail]) == [claim, detail]


@pytest.mark.parametrize(
    ("sentence", "shown"),
    [("Working together: working together with other departments to provide care.",
      "Working together with other departments to provide care."),
     ("Adherence to the rules: ensuring adherence to all pertinent healthcare laws.",
      "Ensuring adherence to all pertinent healthcare laws."),
     ("Note: short one here.", "Note: short one here."),  # too short to stand as the item
     ("First, clinical expertise: to make informed medical judgments one must know.",
      "First, clinical expertise: to make informed medical judgments one must know.")],
)  # fmt: skip
def test_a_list_items_label_is_left_out_before_its_lowercase_description(
    sentence: str, shown: str
) -> None:
    assert extractive.displayed(sentence) == shown
    assert is_quote(shown, sentence)
