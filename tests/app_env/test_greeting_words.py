"""A greeting (or an apology, "petite question") before a question is no word of the question: the search answers the question
whichever greeting opens it (assistant/kb/stopwords.yml), in every variety. "Bonsoir", "salut",
"good evening" once counted as words no entry holds, and the answer lost its confidence."""

from __future__ import annotations

import pytest

from tests.app_env.kb_index import answer

QUESTIONS = {
    "fr": ("mon père a un terrain agricole, est-ce que je peux y construire une usine ?", "agricultural-land"),
    "en": ("what documents do i need to register as an auto-entrepreneur?", "auto-entrepreneur-documents"),
    "arabizi": ("chno homa lwra9 dyal SARL?", "sarl-documents"),
    "ar": ("ما هي الوثائق المطلوبة لتأسيس شركة ذات مسؤولية محدودة؟", "sarl-documents"),
}
GREETINGS = {
    "fr": ["Bonsoir", "bonsoir", "Salut", "coucou", "bsr", "Bonne soirée", "Rebonjour", "Excusez-moi, une question",
           "Madame, Monsieur", "désolé de vous déranger", "allo", "bonjour à tous"],
    "en": ["Good evening", "good morning", "Greetings", "Hola"],
    "arabizi": ["marhba", "mar7ba", "ahlan", "salut"],
    "ar": ["مساء الخير", "صباح الخير"],
}


@pytest.mark.parametrize(("variety", "greeting"), [(v, g) for v, gs in GREETINGS.items() for g in gs])
def test_a_greeting_before_a_question_leaves_its_answer(variety: str, greeting: str) -> None:
    question, entry = QUESTIONS[variety]
    assert answer(question, "ask_creation") == entry  # the question alone
    assert answer(f"{greeting}, {question}", "ask_creation") == entry


def test_a_comment_in_the_stopword_block_is_no_words() -> None:
    """The comments inside stopwords.yml's block quote words for the reader: "good evening" in one
    made "good" a stopword ("rje3t for good" lost the definitive return)."""
    from assistant.kb.terms import STOPWORDS

    assert {"bonsoir", "evening"} <= STOPWORDS
    assert not {"good", "petite", "asked", "not"} & STOPWORDS
