"""Darija and Arabizi words of the knowledge vocabulary (issue #10, part 3): "da3m" / "دعم"
(support) make a question about financing, "كاين" (there is) is a function word like "kayn",
and the residence card in the spellings people use names the residence aspect. Seen trying
it: "wach kayn chi da3m?" got the TPME scheme instead of the financing overview."""

from __future__ import annotations

from functools import partial

import pytest

from tests.app_env.kb_index import answer as kb_answer

#: the best entry of a confident search, even beside a clarifying question's options
answer = partial(kb_answer, ambiguous=True)


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("wach kayn chi da3m?", "ask_financing", 0.9),
        ("wach kayn chi da3m?", "ask_creation", 0.6),  # the word says it, however unsure the NLU
        ("واش كاين شي دعم؟", "ask_financing", 0.9),
        ("كاين شي تمويل؟", "ask_financing", 0.8),
        ("is there any funding?", "ask_financing", 0.8),
    ],
)
def test_a_vague_question_about_support_gets_the_financing_overview(text: str, intent: str, confidence: float) -> None:
    assert answer(text, intent, confidence) == "financing-overview"


def test_a_named_scheme_of_support_is_still_that_scheme() -> None:
    assert answer("wach kayn da3m dyal tpme?", "ask_financing", 0.9) == "investment-charter-tpme"


@pytest.mark.parametrize("text", ["واش خاصني لاكارط دي سيجور؟", "wach khassni lakart de sejour?",
                                  "wach khassni carte de résidence?"])
def test_the_residence_card_in_darija_spellings_is_the_way_from_abroad(text: str) -> None:
    assert answer(text, "ask_creation", 0.9) == "creation-from-abroad"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the feminine "مقاولة ذاتية" names the auto-entrepreneur status as "المقاول الذاتي" does
        ("السلام عليكم، أنا مقيم في إسبانيا وأريد إنشاء مقاولة ذاتية، ما هي الشروط؟", "auto-entrepreneur-eligibility"),
        ("ما هي شروط المقاولة الذاتية؟", "auto-entrepreneur-eligibility"),
        ("كم ضريبة المقاولة الذاتية؟", "auto-entrepreneur-tax"),
        ("بغيت نولي مقاول ذاتي، شنو هوما الشروط؟", "auto-entrepreneur-eligibility"),
    ],
)
def test_the_auto_entrepreneur_in_its_arabic_forms(text: str, expected: str) -> None:
    assert answer(text, "ask_legal_form", 0.9) == expected


@pytest.mark.parametrize(
    "text",
    [
        "est-ce que le notaire est obligatoire ?",
        "do i have to go to a notary?",
        "wach lazem nmchi l notaire?",
        "واش خاصني نمشي للموثق؟",
        "هل يجب المرور عبر موثق؟",
    ],
)
def test_whether_a_notary_is_needed_is_the_creation_channels(text: str) -> None:
    # "واش خاصني نمشي للموثق؟" after the documents repeated the documents; Arabizi got online creation
    assert answer(text, "ask_creation", 0.9) == "creation-channels"


def test_a_named_subject_and_aspect_are_answered_whatever_topic_the_nlu_reads() -> None:
    # the retrained NLU reads this MSA question as financing (0.999); the auto-entrepreneur and its
    # conditions are named, so the long introduction's other words do not make it "not in my sources"
    text = "السلام عليكم، أنا مقيم في إسبانيا وأريد إنشاء مقاولة ذاتية، ما هي الشروط؟"
    assert answer(text, "ask_financing", 0.999) == "auto-entrepreneur-eligibility"


@pytest.mark.parametrize("text", ["السلام عليكم، بغيت نعرف شحال كيخلص الموثق على تأسيس شركة",
                                  "بشحال كيخلص النوطير على الشركة", "شحال غادي نخلص الموثق؟"])
def test_what_the_notary_is_paid_in_darija_is_the_notary_fees(text: str) -> None:
    # "كيخلص" (is paid) beside the notary: his fees, not the company's total cost (seen trying it)
    assert answer(text, "ask_creation", 0.9) == "notary-fees"
