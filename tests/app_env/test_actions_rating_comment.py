"""After a case rating, "anything to add?": one optional comment stored with the rating (#14)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.rating_comment import ActionAskRatingComment, ActionSaveRatingComment, is_skip
from assistant.responses import load_catalog
from tests.support.trackers import make_tracker, texts

RATED = {"reference": "MRE-2026-000042", "value": 4, "comment": None}


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def test_the_question_has_a_skip_button_in_every_language() -> None:
    dispatcher = CollectingDispatcher()
    await ActionAskRatingComment().run(dispatcher, make_tracker("5"), {})
    assert texts(dispatcher) == ["utter_ask_rating_comment"]
    variations = load_catalog()["utter_ask_rating_comment"]
    languages = {v["condition"][0]["value"]: v for v in variations}
    assert set(languages) == {"fr", "ar", "en"}
    assert {lang: v["buttons"][0]["payload"] for lang, v in languages.items()} == dict.fromkeys(languages, "/deny")
    assert "passez" in languages["fr"]["text"] and "تجاوزوا" in languages["ar"]["text"] and "skip" in languages["en"]["text"]


@pytest.mark.parametrize(("comment", "intent", "earlier", "stored"), [
    ("Le conseiller a été très réactif, merci", "thank", None, "Le conseiller a été très réactif, merci"),
    ("المستشار كان متعاونا جدا", "nlu_fallback", None, "المستشار كان متعاونا جدا"),
    ("ch7al dyal lwe9t bach jawbouni", "ask_case_status", None, "ch7al dyal lwe9t bach jawbouni"),  # any intent
    ("rapide", "nlu_fallback", "4/5 dossier clair", "4/5 dossier clair — rapide"),
])
async def test_a_comment_is_stored_with_the_rating(comment: str, intent: str, earlier: str | None, stored: str) -> None:
    dispatcher = CollectingDispatcher()
    rating = {**RATED, "comment": earlier}
    tracker = make_tracker(comment, intent, slots={"rating_comment": comment, "case_rating": rating})
    events = await ActionSaveRatingComment().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_rating_comment_thanks"]
    assert slots(events) == {"case_rating": {**RATED, "comment": stored}, "rating_comment": None}


@pytest.mark.parametrize(("comment", "intent"), [
    ("/deny", "deny"), ("Non merci", "deny"), ("non", "deny"), ("rien à ajouter", "nlu_fallback"), ("no thanks", "deny"),
    ("لا شكرا", "deny"), ("والو", "nlu_fallback"), ("walou", "nlu_fallback"), ("la shokran", "deny"), ("", "deny"),
])
async def test_skipping_keeps_the_rating_as_it_is(comment: str, intent: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(comment, intent, slots={"rating_comment": comment, "case_rating": RATED})
    events = await ActionSaveRatingComment().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_rating_comment_skipped"]
    assert slots(events) == {"rating_comment": None}


def test_a_no_with_a_reason_is_a_comment() -> None:
    assert not is_skip("non, mais le délai était trop long", "deny")
    assert not is_skip("la, walakin tal lwe9t", "deny")


#: Questions typed at "anything to add?" (#14), in every variety, with what the NLU may read.
QUESTIONS = [
    ("fr", "comment créer une SARL ?", "ask_legal_form", 0.92),
    ("fr", "Quel capital minimum pour une SARL ?", "nlu_fallback", 0.4),  # the knowledge base decides
    ("ar", "ما هو الحد الأدنى لرأس مال الشركة ذات المسؤولية المحدودة؟", "ask_legal_form", 0.88),
    ("ar", "شنو هي الوثائق ديال الشركة؟", "ask_creation", 0.81),
    ("fr", "kifach ndir auto-entrepreneur", "ask_legal_form", 0.77),
    ("en", "How do I register as an auto-entrepreneur?", "ask_legal_form", 0.9),
]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("language", "question", "intent", "confidence"), QUESTIONS)
async def test_a_question_is_answered_not_stored(loaded_knowledge: str, language: str, question: str, intent: str,
                                                 confidence: float) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(question, intent, confidence,
                           slots={"rating_comment": question, "case_rating": RATED, "language": language})
    events = await ActionSaveRatingComment().run(dispatcher, tracker, {})
    said = texts(dispatcher)
    assert said and said[0] in ("utter_kb_answer", "utter_kb_answer_to_confirm", "utter_kb_clarify"), said
    assert "utter_rating_comment_thanks" not in said and "utter_rating_comment_skipped" not in said
    assert "case_rating" not in slots(events) and slots(events)["rating_comment"] is None  # the rating as it was


#: Remarks for the unit, some with a question word or mark: stored, not answered.
REMARKS = [
    ("fr", "pourquoi personne ne m'a rappelé avant ?", "nlu_fallback", 0.5),
    ("fr", "ch7al dyal lwe9t bach jawbouni", "ask_case_status", 0.9),
    ("ar", "لماذا تأخر الرد كثيرا؟", "ask_case_status", 0.85),
    ("ar", "علاش تعطلتو بزاف؟", "nlu_fallback", 0.3),
    ("en", "why did it take three weeks?", "nlu_fallback", 0.4),
    ("en", "The adviser was great", "ask_legal_form", 0.75),  # no question asked, whatever the intent
]


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("language", "remark", "intent", "confidence"), REMARKS)
async def test_a_remark_with_a_question_word_is_still_a_comment(loaded_knowledge: str, language: str, remark: str,
                                                                intent: str, confidence: float) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(remark, intent, confidence,
                           slots={"rating_comment": remark, "case_rating": RATED, "language": language})
    events = await ActionSaveRatingComment().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_rating_comment_thanks"]
    assert slots(events) == {"case_rating": {**RATED, "comment": remark}, "rating_comment": None}
