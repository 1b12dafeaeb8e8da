"""No dead end: every response with buttons, in every language, moves the conversation
forward both when a button is pressed (its payload) and when its title is typed (Twilio
turns buttons into typed options, and people type anyway).

The buttons are enumerated from domain.yml and responses/*.yml, so a new button is tested
without editing this file. Menu buttons are tried on a fresh conversation; the case form's
buttons (consent, region, stage, summary, correction menu) are tried at their step. The
plan form's buttons (`utter_ask_plan_*`, its summary) belong to their form and are not tried
on a fresh conversation: a form's button pressed out of its form is not something a user can do.

A title typed while its button is on screen is that button pressed (#10, assistant/typed_buttons.py):
the conversation holds the button's payload, the typed text in the event's metadata.
"""

from __future__ import annotations

import glob
import json
import time
import urllib.error
import uuid
from typing import Any

import pytest
import yaml

from tests.support.stack import ROOT, Stack

LANGUAGES = ("fr", "ar", "en")
RATE_LIMIT_RETRIES, RATE_LIMIT_WAIT = 8, 10.0
FORM_RESPONSES = {
    "utter_ask_case_consent", "utter_ask_case_region", "utter_ask_case_stage", "utter_case_summary",
    "utter_ask_case_correction", "utter_ask_erasure_confirmation", "utter_offer_guidance_unit",
}
#: Replies that mean "I did not get that": a button must never lead there.
STUCK = {"utter_ask_rephrase", "utter_default", "utter_kb_not_found", "utter_invalid_yes_no",
         "utter_invalid_case_region", "utter_invalid_case_stage"}
#: The plan form's questions with buttons ask the slot of their name (`utter_ask_plan_region`
#: asks `plan_region`); the summary and its correction menu come at `plan_confirmed`.
PLAN_SUMMARY = {"utter_plan_summary", "utter_ask_plan_correction"}


def plan_slot(response: str) -> str | None:
    if response in PLAN_SUMMARY:
        return "plan_confirmed"
    return response.removeprefix("utter_ask_") if response.startswith("utter_ask_plan_") else None


#: What `Talk` shows first (its language switch): the menu whose titles typed are its buttons pressed.
FIRST_MENU = "utter_language_switched"
ANSWERS = {"utter_kb_answer", "utter_kb_answer_to_confirm", "utter_kb_clarify"}
FORM_ANSWERS = {  # typed answers that reach each form step, per language
    "fr": ["Samia Tahiri", "France", "samia@example.com", "Tanger", "commerce", "idée",
           "Je veux ouvrir une boutique de produits du terroir."],
    "ar": ["سامية الطاهري", "فرنسا", "samia@example.com", "طنجة", "التجارة", "فكرة",
           "أريد فتح متجر للمنتجات المحلية."],
    "en": ["Samia Tahiri", "France", "samia@example.com", "Tangier", "retail", "idea",
           "I want to open a shop selling local products."],
}


def buttons_of(name: str, language: str) -> list[dict[str, str]]:
    for path in ["domain.yml", *sorted(glob.glob(str(ROOT / "responses" / "*.yml")))]:
        responses = (yaml.safe_load((ROOT / path).read_text(encoding="utf-8")) or {}).get("responses") or {}
        for variation in responses.get(name, []):
            condition = (variation.get("condition") or [{}])[0]
            if condition.get("value") == language:
                return list(variation.get("buttons") or [])
    return []


def menu_buttons() -> list[tuple[str, str, str, str]]:
    """(response, language, title, payload) of every button outside the case form."""
    found: dict[tuple[str, str, str], str] = {}
    for path in ["domain.yml", *sorted(glob.glob(str(ROOT / "responses" / "*.yml")))]:
        responses = (yaml.safe_load((ROOT / path).read_text(encoding="utf-8")) or {}).get("responses") or {}
        for name, variations in responses.items():
            if name in FORM_RESPONSES or plan_slot(name):
                continue
            for variation in variations:
                language = ((variation.get("condition") or [{}])[0]).get("value")
                for button in variation.get("buttons") or []:
                    found.setdefault((language, button["title"], button["payload"]), name)
    return sorted((name, lang, title, payload) for (lang, title, payload), name in found.items())


class Talk:
    """One conversation, pinned to a language, reading what each turn produced."""

    def __init__(self, stack: Stack, language: str) -> None:
        self.stack, self.sender = stack, f"buttons-{language}-{uuid.uuid4().hex[:8]}"
        self.say(f'/switch_language{{"language": "{language}"}}')

    def say(self, text: str) -> tuple[list[str | None], dict[str, Any]]:
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            try:
                self.stack.say(self.sender, text, timeout=120)
                break
            except urllib.error.HTTPError as error:
                # one conversation may send 30 messages a minute (RATE_LIMIT_CONVERSATION): this
                # test taps faster than a person, so it waits as a person would be asked to
                if error.code != 429 or attempt == RATE_LIMIT_RETRIES:
                    raise
                time.sleep(RATE_LIMIT_WAIT)
        tracker = self.stack.tracker(self.sender)
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
        sent = [(e.get("metadata") or {}).get("utter_action") for e in events[last_user + 1:] if e.get("event") == "bot"]
        return sent, tracker

    @staticmethod
    def last_user(tracker: dict[str, Any]) -> dict[str, Any]:
        return [e for e in tracker["events"] if e.get("event") == "user"][-1]

    @staticmethod
    def offered(tracker: dict[str, Any]) -> list[dict[str, str]]:
        """The buttons of the bot's messages since the user last spoke."""
        events = tracker["events"]
        last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
        return [b for e in events[last_user + 1:] if e.get("event") == "bot"
                for b in (e.get("data") or {}).get("buttons") or []]

    def assert_pressed(self, tracker: dict[str, Any], title: str, payload: str) -> None:
        """The typed title was handled as its button pressed."""
        user = self.last_user(tracker)
        assert user["text"] == payload, (title, user["text"], user["parse_data"]["intent"])
        assert (user.get("metadata") or {}).get("typed_button") == title, (title, user.get("metadata"))

    def requested(self, tracker: dict[str, Any], form: str = "case_form") -> str | None:
        loop = (tracker.get("active_loop") or {}).get("name")
        return tracker["slots"].get("requested_slot") if loop == form else None


@pytest.mark.parametrize(("response", "language", "title", "payload"), menu_buttons())
@pytest.mark.parametrize("typed", [False, True], ids=["pressed", "typed"])
def test_menu_buttons_move_forward(stack: Stack, response: str, language: str, title: str, payload: str,
                                   typed: bool) -> None:
    talk = Talk(stack, language)
    sent, tracker = talk.say(title if typed else payload)
    assert sent and not set(sent) & STUCK, (response, title, sent)
    if typed and title in {b["title"] for b in buttons_of(FIRST_MENU, language)}:
        # on screen: typed is pressed ("Financing" is the menu's financing, not a plan's pre-check)
        talk.assert_pressed(tracker, title, payload)
    intent = payload[1:].split("{")[0]
    if intent == "request_human":
        assert talk.requested(tracker) == "case_consent", (title, sent)
    elif intent.startswith("ask_"):
        assert set(sent) & ANSWERS, (title, sent)
    elif intent == "switch_language":
        wanted = json.loads(payload[payload.index("{"):])["language"]
        assert tracker["slots"]["language"] == wanted, (title, tracker["slots"]["language"])


def fill_form_until(talk: Talk, language: str, slot: str) -> dict[str, Any]:
    """Opens the case form (consent given) and answers until `slot` is asked."""
    _, tracker = talk.say("/request_human")
    _, tracker = talk.say("/affirm")
    for answer in FORM_ANSWERS[language]:
        if talk.requested(tracker) == slot:
            break
        _, tracker = talk.say(answer)
    assert talk.requested(tracker) == slot
    return tracker


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", [False, True], ids=["pressed", "typed"])
def test_consent_buttons(stack: Stack, language: str, typed: bool) -> None:
    for button in buttons_of("utter_ask_case_consent", language):
        talk = Talk(stack, language)
        talk.say("/request_human")
        sent, tracker = talk.say(button["title"] if typed else button["payload"])
        if button["payload"] == "/affirm":
            assert talk.requested(tracker) == "case_name", (button, sent)
        else:
            assert talk.requested(tracker) is None and "utter_case_not_opened" in sent, (button, sent)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", [False, True], ids=["pressed", "typed"])
def test_region_and_stage_buttons(stack: Stack, language: str, typed: bool) -> None:
    for button in buttons_of("utter_ask_case_region", language):
        talk = Talk(stack, language)
        fill_form_until(talk, language, "case_region")
        sent, tracker = talk.say(button["title"] if typed else button["payload"])
        assert talk.requested(tracker) == "case_sector", (button, sent)
    for button in buttons_of("utter_ask_case_stage", language):
        talk = Talk(stack, language)
        fill_form_until(talk, language, "case_stage")
        sent, tracker = talk.say(button["title"] if typed else button["payload"])
        assert talk.requested(tracker) == "case_summary", (button, sent)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", [False, True], ids=["pressed", "typed"])
def test_summary_and_correction_buttons(stack: Stack, language: str, typed: bool) -> None:
    summary = {b["payload"]: b["title"] for b in buttons_of("utter_case_summary", language)}
    answers = dict(zip(("case_name", "case_country", "case_contact", "case_region", "case_sector", "case_stage",
                        "case_summary"), FORM_ANSWERS[language], strict=True))
    # every field of the correction menu: "Correct" -> field -> new value -> the summary again;
    # in two conversations, each under the per-conversation rate limit (30 messages a minute),
    # so the test does not wait for it (it waited about a minute per case)
    corrections = buttons_of("utter_ask_case_correction", language)
    half = (len(corrections) + 1) // 2
    for chunk in (corrections[:half], corrections[half:]):
        talk = Talk(stack, language)
        fill_form_until(talk, language, "case_confirmed")
        for button in chunk:
            sent, tracker = talk.say(summary["/deny"] if typed else "/deny")
            assert "utter_ask_case_correction" in sent, sent
            sent, tracker = talk.say(button["title"] if typed else button["payload"])
            field = json.loads(button["payload"][button["payload"].index("{"):])["case_field"]
            assert talk.requested(tracker) == field, (button, sent)
            sent, tracker = talk.say(answers[field])
            assert talk.requested(tracker) == "case_confirmed", (button, sent)
        sent, tracker = talk.say(summary["/affirm"] if typed else "/affirm")
        assert "utter_case_opened" in sent and talk.requested(tracker) is None, sent
    # cancelling from the summary
    talk = Talk(stack, language)
    fill_form_until(talk, language, "case_confirmed")
    sent, tracker = talk.say(summary["/cancel"] if typed else "/cancel")
    assert "utter_case_cancelled" in sent and talk.requested(tracker) is None, sent


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", [False, True], ids=["pressed", "typed"])
def test_erasure_and_guidance_unit_offer_buttons(stack: Stack, language: str, typed: bool) -> None:
    for button in buttons_of("utter_ask_erasure_confirmation", language):
        talk = Talk(stack, language)
        sent, _ = talk.say("/request_data_deletion")
        assert "utter_ask_erasure_confirmation" in sent, sent
        sent, _ = talk.say(button["title"] if typed else button["payload"])
        expected = "utter_erasure_done" if button["payload"] == "/affirm" else "utter_erasure_cancelled"
        assert expected in sent, (button, sent)
    for button in buttons_of("utter_offer_guidance_unit", language):
        talk = Talk(stack, language)
        for gibberish in ("qsdkjh zrtpq", "xkcdv wqlmz"):
            sent, _ = talk.say(gibberish)
        assert "utter_offer_guidance_unit" in sent, sent
        sent, tracker = talk.say(button["title"] if typed else button["payload"])
        if button["payload"] == "/affirm":
            assert talk.requested(tracker) == "case_consent", (button, sent)
        else:
            assert "utter_anything_else" in sent, (button, sent)



@pytest.mark.parametrize("language", LANGUAGES)
def test_typed_titles_of_knowledge_buttons_are_pressed(stack: Stack, language: str) -> None:
    """The buttons an action writes (clarification options, follow-ups, "more"): the first
    menu topic whose answer offers buttons, then each of its titles typed in a new conversation."""
    for topic in ("/ask_financing", "/ask_legal_form", "/ask_creation"):
        _, tracker = Talk(stack, language).say(topic)
        offered = Talk.offered(tracker)
        if offered:
            break
    assert offered, language
    for button in offered:
        talk = Talk(stack, language)
        talk.say(topic)
        sent, tracker = talk.say(button["title"])
        assert sent and not set(sent) & STUCK, (button, sent)
        talk.assert_pressed(tracker, button["title"], button["payload"])
