"""Requests the classifier misreads, read from their words after the NLU (issue #10, intent boundaries,
dev set tests/data/dev_conversations/bound13.yml): erasing one's data asks the erasure's confirmation,
an adviser or help with one's file opens the case form, thanks for something are thanks, whatever
intent the classifier gave; a question asking what a business plan is opens no plan form. The verb
"conseiller", offering one's skills, a bot challenge or a question about one's file are none of them."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.case_requests import ActionCaseStatus
from assistant.actions.fallback import ActionHandleFallback
from assistant.actions.knowledge import ActionAnswerQuestion
from assistant.actions.plan import ActionShowPlan, ActionStartPlan
from assistant.cases import requests
from assistant.plan.answers import asks_what_a_plan_is
from tests.support.trackers import make_tracker, texts

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
DOMAIN: dict[str, Any] = {"slots": {}, "forms": {}}
OPENS_THE_FORM = {"event": "followup", "name": "case_form"}


@pytest.mark.parametrize("text", ["can i get an adviser", "je voudrais un conseiller svp", "أرغب في التواصل مع مستشار",
                                  "بغيت نهضر مع شي واحد", "bghit nhder m3a conseiller"])
def test_asking_for_an_adviser(text: str) -> None:
    assert requests.asks_for_an_adviser(text)


@pytest.mark.parametrize("text", ["vous pouvez me conseiller entre sarl et auto-entrepreneur ?",
                                  "tu me conseilles quoi comme forme juridique ?", "am I talking to a human?",
                                  "vous êtes une vraie personne ?", "هل أنت شخص حقيقي"])
def test_the_verb_or_a_bot_challenge_asks_for_no_adviser(text: str) -> None:
    assert not requests.asks_for_an_adviser(text)


@pytest.mark.parametrize("text", ["i need help with my file", "i need help with my case", "أحتاج مساعدة بخصوص ملفي",
                                  "besoin d'aide pour mon dossier svp", "بغيت شي واحد يعاوني فالدوسي ديالي",
                                  "bghit mosa3ada f dossier dyali"])
def test_help_with_ones_file(text: str) -> None:
    assert requests.asks_help_with_own_file(text)


@pytest.mark.parametrize("text", ["j'ai besoin d'aide pour mon dossier, quels documents faut-il ?",
                                  "i want to help morocco with my skills", "بغيت نعاون بلادي بالخبرة ديالي"])
def test_a_question_about_ones_file_or_offering_help_is_no_request(text: str) -> None:
    assert not requests.asks_help_with_own_file(text)


@pytest.mark.parametrize("text", ["wach t9dr tmsa7 ma3lomat dyali?", "pls remove my details", "3afak ms7 lma3lomat dyali",
                                  "واش تقدر تمسح المعلومات ديالي؟", "امسحوا معلوماتي من فضلكم", "pouvez vous effacer mes infos ?"])
def test_erasing_ones_data(text: str) -> None:
    assert requests.asks_to_erase_own_data(text)


@pytest.mark.parametrize("text", ["comment fermer ma societe ?", "how do i remove a partner from my company?",
                                  "wach n9der nms7 chi chrik?"])
def test_no_data_named_is_no_erasure(text: str) -> None:
    assert not requests.asks_to_erase_own_data(text)


@pytest.mark.parametrize("text", ["merci pour le suivi", "شكرا على المتابعة", "shukran 3la lmousa3ada",
                                  "thanks for following up", "merci pour votre aide"])
def test_thanks_for_something(text: str) -> None:
    assert requests.thanks_for_something(text)


@pytest.mark.parametrize("text", ["thanks, any news on my case?", "merci, du nouveau pour mon dossier ?",
                                  "merci de m'aider pour mon dossier", "merci pour les infos, et pour une SA ?"])
def test_thanks_with_a_question_or_a_request_are_not_only_thanks(text: str) -> None:
    assert not requests.thanks_for_something(text)


@pytest.mark.parametrize("text", ["c quoi le business plan ?", "what is a business plan?", "chno howa business plan?",
                                  "شنو هو البيزنس بلان؟", "ما هو مخطط الأعمال؟"])
def test_asking_what_a_plan_is(text: str) -> None:
    assert asks_what_a_plan_is(text)


@pytest.mark.parametrize("text", ["je veux mon plan de creation", "c'est quoi mon plan ?", "chno howa plan li khassni ntbe3",
                                  "can you make me a plan for my project?", "c koi les etapes"])
def test_asking_for_ones_plan_is_no_question_about_plans(text: str) -> None:
    assert not asks_what_a_plan_is(text)


@pytest.mark.parametrize(("action", "intent", "text", "said"), [
    (ActionHandleFallback, "nlu_fallback", "wach t9dr tmsa7 ma3lomat dyali?", "utter_ask_erasure_confirmation"),
    (ActionHandleFallback, "nlu_fallback", "شكرا على المتابعة", "utter_you_are_welcome"),
    (ActionHandleFallback, "nlu_fallback", "i need help with my case", None),
    (ActionAnswerQuestion, "follow_up", "can i get an adviser", None),
    (ActionCaseStatus, "ask_case_status", "أحتاج مساعدة بخصوص ملفي", None),
])
async def test_a_misread_request_is_the_request(action: Any, intent: str, text: str, said: str | None) -> None:
    dispatcher = CollectingDispatcher()
    events = await action().run(dispatcher, make_tracker(text, intent, 0.6), DOMAIN)
    if said is None:  # the case form opens (its consent question first)
        assert [{k: e.get(k) for k in OPENS_THE_FORM} for e in events] == [OPENS_THE_FORM] and texts(dispatcher) == []
    else:
        assert texts(dispatcher) == [said] and events == []


def plan_slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@SQLITE
async def test_a_question_about_business_plans_offers_the_plan_and_opens_no_form(loaded_knowledge: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("c quoi le business plan ?", "request_plan", 0.99)
    events = await ActionStartPlan().run(dispatcher, tracker, DOMAIN)
    assert texts(dispatcher) == ["utter_plan_offer"]
    assert plan_slots(events)["plan_cancelled"] is True  # the form closes before its first question
    # then the closed form says nothing more (no "plan stopped")
    start = {"event": "action", "name": "action_start_plan"}
    shown = CollectingDispatcher()
    closed = make_tracker("c quoi le business plan ?", "request_plan", 0.99, slots={"plan_cancelled": True},
                          history=[start, {"event": "bot", "metadata": {"utter_action": "utter_plan_offer"}}])
    await ActionShowPlan().run(shown, closed, DOMAIN)
    assert texts(shown) == []
    # a plan cancelled after its introduction is said to be stopped
    stopped = CollectingDispatcher()
    cancelled = make_tracker("annuler", "cancel", 0.99, slots={"plan_cancelled": True},
                             history=[start, {"event": "bot", "metadata": {"utter_action": "utter_plan_intro"}}])
    await ActionShowPlan().run(stopped, cancelled, DOMAIN)
    assert texts(stopped) == ["utter_plan_cancelled"]


@SQLITE
async def test_asking_for_ones_plan_starts_it(loaded_knowledge: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionStartPlan().run(dispatcher, make_tracker("je veux mon plan de creation", "request_plan", 0.99), DOMAIN)
    assert texts(dispatcher) == ["utter_plan_intro"]
    assert not plan_slots(events).get("plan_cancelled")
