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
