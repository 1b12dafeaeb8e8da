"""Feedback on answers and case ratings (#14 item 6): the actions, against a real database."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.fallback import ActionHandleFallback
from assistant.actions.feedback import ActionAskCaseRating, parse_rating
from assistant.actions.knowledge import ActionAnswerFeedback, ActionAnswerQuestion, ActionRateCase, ActionThank
from assistant.actions.language import ActionGreet
from assistant.actions.rating_comment import ActionBotChallenge, ActionGoodbye, ActionOutOfScope
from assistant.actions.yes_no import ActionHandleAffirm, ActionHandleDeny
from assistant.cases import store
from assistant.db.engine import session_scope
from assistant.insights.models import CaseRating
from assistant.insights.ratings import ask_closed_cases
from assistant.service.rasa_client import RasaUnavailable
from tests.app_env.test_case_store import request_for, staff_member
from tests.support.trackers import bot_event, make_tracker, texts, user_event

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


def slots(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def answered_history(question: str = "Quel capital minimum pour une SARL ?") -> tuple[list[dict[str, Any]], str]:
    asked = {**user_event(question, "ask_legal_form"), "message_id": uuid.uuid4().hex}
    return [asked, bot_event("Le capital…", "utter_kb_answer"), bot_event("Utile ?", "utter_ask_feedback")], asked["message_id"]


@SQLITE
async def test_answers_ask_for_feedback_but_never_twice_in_a_row(loaded_knowledge: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion().run(dispatcher, make_tracker("Quel capital minimum pour une SARL ?", "ask_legal_form"), {})
    assert texts(dispatcher)[-1] == "utter_ask_feedback" and slots(events)["feedback_asked"] is True
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("et pour une SA ?", "follow_up", slots={"feedback_asked": True, "kb_subject": "legal_form:sarl"})
    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert "utter_ask_feedback" not in texts(dispatcher) and slots(events)["feedback_asked"] is False
    # not inside a form either
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("Quel capital minimum pour une SARL ?", "ask_legal_form", active_loop="case_form")
    await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert "utter_ask_feedback" not in texts(dispatcher)


@SQLITE
@pytest.mark.parametrize(("text", "intent", "value", "comment", "reply"), [
    ("/feedback_helpful", "feedback_helpful", "up", None, "utter_feedback_thanks"),
    ("/feedback_unhelpful", "feedback_unhelpful", "down", None, "utter_feedback_sorry"),
    ("had jawab ma nf3nich", "feedback_unhelpful", "down", "had jawab ma nf3nich", "utter_feedback_sorry"),
    ("الجواب مفيد", "feedback_helpful", "up", "الجواب مفيد", "utter_feedback_thanks"),
])
async def test_feedback_rates_the_answered_question(text: str, intent: str, value: str, comment: str | None,
                                                    reply: str, database: str) -> None:
    history, message_id = answered_history()
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFeedback().run(dispatcher, make_tracker(text, intent, history=history), {})
    assert texts(dispatcher) == [reply]
    assert slots(events)["answer_feedback"] == {
        "value": value, "message_id": message_id, "question": "Quel capital minimum pour une SARL ?", "comment": comment,
    }


@SQLITE
async def test_yes_and_no_after_the_question_are_feedback_and_no_offers_the_unit(database: str) -> None:
    history, message_id = answered_history()
    dispatcher = CollectingDispatcher()
    events = await ActionHandleAffirm().run(dispatcher, make_tracker("iyeh", "affirm", history=history), {})
    assert slots(events)["answer_feedback"]["value"] == "up" and texts(dispatcher) == ["utter_feedback_thanks"]
    dispatcher = CollectingDispatcher()
    events = await ActionHandleDeny().run(dispatcher, make_tracker("la", "deny", history=history), {})
    assert slots(events)["answer_feedback"] == {"value": "down", "message_id": message_id,
                                                "question": "Quel capital minimum pour une SARL ?", "comment": "la"}
    # "yes" to the offer that follows a "not useful" opens the case form
    after = [*history, user_event("la", "deny"), bot_event("Merci…", "utter_feedback_sorry")]
    events = await ActionHandleAffirm().run(CollectingDispatcher(), make_tracker("oui", "affirm", history=after), {})
    assert events == [{"event": "followup", "name": "case_form", "timestamp": None}]


@SQLITE
@pytest.mark.parametrize(("action", "text", "intent"), [
    (ActionHandleAffirm, "ca coute cmb ?", "affirm"),  # seen over REST: affirm 0.76, thanked for the feedback
    (ActionHandleAffirm, "w chhal kaykhlas hadchi?", "affirm"),
    (ActionHandleDeny, "and how long does it take?", "deny"),
    (ActionHandleDeny, "وشحال كياخد ديال الوقت؟", "deny"),
])
async def test_a_question_read_as_yes_or_no_under_the_feedback_question_is_answered(
    loaded_knowledge: str, action: type, text: str, intent: str
) -> None:
    history, _ = answered_history()
    dispatcher = CollectingDispatcher()
    events = await action().run(dispatcher, make_tracker(text, intent, 0.76, history=history), {})
    assert "answer_feedback" not in slots(events)
    assert "utter_feedback_thanks" not in texts(dispatcher) and "utter_feedback_sorry" not in texts(dispatcher)
    assert texts(dispatcher)[0].startswith(("utter_kb_answer", "utter_kb_not_found")), texts(dispatcher)
    # a yes or no with a question mark is still the answer
    events = await action().run(CollectingDispatcher(), make_tracker("oui ?" if intent == "affirm" else "non ?", intent,
                                                                       history=history), {})
    assert "answer_feedback" in slots(events)


@SQLITE
async def test_feedback_without_an_answer_is_thanked_and_not_recorded(database: str) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerFeedback().run(dispatcher, make_tracker("not helpful", "feedback_unhelpful"), {})
    assert texts(dispatcher) == ["utter_feedback_sorry"] and "answer_feedback" not in slots(events)


@pytest.mark.parametrize(("text", "rating"), [
    ("4", 4), ("5/5", 5), ("je note 3 sur 5", 3), ("٤ من ٥", 4), ("n3tikom 2 3la 5", 2),
    ("merci", None), ("10", None), ("entre 2 et 4", None), ("0612345678", None),
    # in words (words/case_rating.yml), the longest phrase first
    ("bof", 3), ("top merci", 5), ("Toooop !", 5), ("mzyan", 4), ("machi mzyan", 2), ("ممتاز", 5), ("ماشي مزيان", 2),
    ("pas top", 2), ("très bien", 5), ("pas très bien", 2), ("so-so", 3), ("khayb", 1), ("نص نص", 3),
    ("top mais lent, nul", None), ("bien, et la TVA ?", None),
])
def test_typed_ratings(text: str, rating: int | None) -> None:
    assert parse_rating(text) == rating


async def closed_case(conversation: str) -> str:
    case, _ = await store.open_case(request_for(conversation, topic="taxes", channel="whatsapp"))
    assert case.reference
    await store.set_status(case.reference, "resolved", await staff_member(f"{uuid.uuid4().hex[:6]}@cellule.ma"))
    return case.reference


class Runner:
    def __init__(self, fail: bool = False) -> None:
        self.calls: list[tuple[str, str]] = []
        self.fail = fail

    async def execute(self, conversation_id: str, action: str) -> object:
        if self.fail:
            raise RasaUnavailable("down")
        self.calls.append((conversation_id, action))
        return {}


@SQLITE
async def test_a_closed_case_is_asked_once_then_rated(database: str) -> None:
    reference = await closed_case("whatsapp:212612345678")
    await store.open_case(request_for("web:other"))  # open: not asked
    assert await ask_closed_cases(Runner(fail=True)) == 0  # Rasa down: asked at the next round
    runner = Runner()
    assert await ask_closed_cases(runner) == 1 and await ask_closed_cases(runner) == 0
    assert runner.calls == [("whatsapp:212612345678", "action_ask_case_rating")]

    dispatcher = CollectingDispatcher()
    events = await ActionAskCaseRating().run(dispatcher, make_tracker(sender="whatsapp:212612345678"), {})
    assert dispatcher.messages[0]["response"] == "utter_ask_case_rating" and dispatcher.messages[0]["reference"] == reference
    assert slots(events) == {"rating_case": reference} and events[-1]["name"] == "action_listen"
    assert [b["payload"] for b in dispatcher.messages[0]["buttons"]] == [
        '/rate_case{"rating_value": "5"}', '/rate_case{"rating_value": "3"}', '/rate_case{"rating_value": "1"}']
    assert dispatcher.messages[0]["buttons"][0]["title"] == "😊 Très satisfait(e)"

    # the button, then a typed number after the question (understood by the fallback)
    dispatcher = CollectingDispatcher()
    tracker = make_tracker('/rate_case{"rating_value": "5"}', "rate_case", entities=[{"entity": "rating_value", "value": "5"}],
                           slots={"rating_case": reference}, sender="whatsapp:212612345678")
    events = await ActionRateCase().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_case_rating_thanks"]
    assert slots(events) == {"case_rating": {"reference": reference, "value": 5, "comment": None}, "rating_case": None,
                             "rating_comment": None}
    assert events[-1] == {"event": "followup", "name": "rating_comment_form", "timestamp": None}  # "anything to add?"
    history = [bot_event("Votre demande…", "utter_ask_case_rating")]
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("4, merci Samira", "nlu_fallback", history=history, slots={"rating_case": reference},
                           sender="whatsapp:212612345678")
    events = await ActionHandleFallback().run(dispatcher, tracker, {})
    assert slots(events)["case_rating"] == {"reference": reference, "value": 4, "comment": "4, merci Samira"}


@SQLITE
async def test_rating_without_a_closed_case_or_a_number(database: str) -> None:
    dispatcher = CollectingDispatcher()
    await ActionRateCase().run(dispatcher, make_tracker("5 étoiles", "rate_case", sender="web:nobody"), {})
    assert texts(dispatcher) == ["utter_case_rating_no_case"]
    reference = await closed_case("web:someone")
    dispatcher = CollectingDispatcher()
    events = await ActionRateCase().run(dispatcher, make_tracker("ça dépend des jours", "rate_case", sender="web:someone"), {})
    assert texts(dispatcher) == ["utter_case_rating_unclear"] and slots(events) == {"rating_case": reference}
    # a rated case is not offered again
    async with session_scope() as session:
        session.add(CaseRating(reference=reference, conversation="x", rating=4))
    dispatcher = CollectingDispatcher()
    await ActionRateCase().run(dispatcher, make_tracker("5", "rate_case", sender="web:someone"), {})
    assert texts(dispatcher) == ["utter_case_rating_no_case"]


RATING_ASKED = [bot_event("Comment évaluez-vous…", "utter_ask_case_rating")]
RATING_ASKED_AGAIN = [*RATING_ASKED, user_event("bien", "rate_case"), bot_event("Une note de 1 à 5 ?", "utter_case_rating_unclear")]


@SQLITE
@pytest.mark.parametrize(("action", "text", "intent", "history", "value", "says_more"), [
    (ActionThank, "4 sur 5, merci", "thank", RATING_ASKED, 4, False),
    (ActionThank, "5/5 thanks a lot for your help", "thank", RATING_ASKED, 5, True),
    (ActionThank, "٤ من ٥، شكرا جزيلا", "thank", RATING_ASKED, 4, False),
    (ActionGreet, "سلام، نعطيكم 5 على 5", "greet", RATING_ASKED, 5, True),
    (ActionAnswerFeedback, "n3tikom 3 3la 5, khdma mzyana", "feedback_helpful", RATING_ASKED, 3, True),
    (ActionHandleAffirm, "oui 5", "affirm", RATING_ASKED, 5, True),
    (ActionHandleDeny, "2/5 pas terrible", "deny", RATING_ASKED, 2, False),
    (ActionHandleFallback, "4 stp", "nlu_fallback", RATING_ASKED_AGAIN, 4, True),
    # read as an intent with a fixed answer, or as a question (#14: these were lost)
    (ActionGoodbye, "5", "goodbye", RATING_ASKED, 5, False),
    (ActionGoodbye, "top merci", "goodbye", RATING_ASKED, 5, False),
    (ActionOutOfScope, "bof", "out_of_scope", RATING_ASKED, 3, False),
    (ActionBotChallenge, "mzyan", "bot_challenge", RATING_ASKED, 4, False),
    (ActionOutOfScope, "ممتاز", "out_of_scope", RATING_ASKED, 5, False),
    (ActionGoodbye, "machi mzyan, tal lwe9t bzaf", "goodbye", RATING_ASKED, 2, True),
    (ActionAnswerQuestion, "très bien", "ask_creation", RATING_ASKED_AGAIN, 5, False),
    (ActionHandleAffirm, "مزيان", "affirm", RATING_ASKED, 4, False),
])
async def test_a_typed_rating_after_the_question_is_the_rating_whatever_the_intent(
        action: type, text: str, intent: str, history: list[dict[str, Any]], value: int, says_more: bool,
        database: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, intent, history=history, slots={"rating_case": "MRE-2026-000042"})
    events = await action().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_case_rating_thanks"]
    comment = text if says_more else None  # "5", "top merci", "4 sur 5, merci" say nothing more
    assert slots(events) == {"case_rating": {"reference": "MRE-2026-000042", "value": value, "comment": comment},
                             "rating_case": None, "rating_comment": None}
    assert events[-1] == {"event": "followup", "name": "rating_comment_form", "timestamp": None}


@SQLITE
@pytest.mark.parametrize(("action", "text", "intent", "reply"), [
    (ActionGoodbye, "bye, 5 stars for the team", "goodbye", "utter_goodbye"),
    (ActionOutOfScope, "bof", "out_of_scope", "utter_out_of_scope"),
    (ActionBotChallenge, "top", "bot_challenge", "utter_iamabot"),
])
async def test_fixed_replies_without_a_pending_rating(action: type, text: str, intent: str, reply: str,
                                                      database: str) -> None:
    dispatcher = CollectingDispatcher()  # the rating was answered already: no pending case
    tracker = make_tracker(text, intent, history=RATING_ASKED, slots={"rating_case": None})
    assert await action().run(dispatcher, tracker, {}) == [] and texts(dispatcher) == [reply]


@SQLITE
@pytest.mark.parametrize(("text", "history", "pending"), [
    ("merci beaucoup", RATING_ASKED, "MRE-2026-000042"),  # no number: thanks
    ("4 sur 5, merci", RATING_ASKED, None),  # no rating asked
    ("chokran 2 marrat", [bot_event("Le capital…", "utter_kb_answer")], "MRE-2026-000042"),  # not right after the question
])
async def test_thanks_stay_thanks_without_a_pending_rating_answer(text: str, history: list[dict[str, Any]],
                                                                  pending: str | None, database: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "thank", history=history, slots={"rating_case": pending})
    events = await ActionThank().run(dispatcher, tracker, {})
    assert texts(dispatcher) == ["utter_you_are_welcome"] and "case_rating" not in slots(events)
