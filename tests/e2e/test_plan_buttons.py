"""No dead end in the plan form: every button of every plan question, in fr/ar/en, pressed (its
payload) and typed (its title) at its own step moves the form forward; the summary's buttons
and every field of its correction menu too (the field's question comes back, then the summary).

The questions and their buttons are read from the response files (a new button is tested
without editing this file). Each walk through the form presses, at each step, a button not yet
tried there, and types an ordinary answer where every button of the step has been tried; the
answers to partners and to "are they MRE too?" are chosen so that the walks reach the steps only
some answers open (the MRE question, the MRE share). Sibling of tests/e2e/test_buttons.py.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.responses import catalog_buttons
from tests.e2e.test_buttons import LANGUAGES, STUCK, Talk, buttons_of
from tests.support.stack import ROOT, Stack

STUCK_IN_PLAN = STUCK | {
    "utter_invalid_plan_country", "utter_invalid_plan_region", "utter_invalid_plan_sector", "utter_invalid_plan_partners",
    "utter_invalid_plan_share", "utter_invalid_plan_amount_unreadable", "utter_invalid_plan_jobs", "utter_plan_not_found_in_form",
}
#: Ordinary typed answers per step, and the partners answers that open the follow-up questions.
ANSWERS: dict[str, dict[str, str]] = {
    "fr": {"plan_country": "France", "plan_region": "Tanger", "plan_sector": "commerce", "plan_partners": "seul",
           "plan_partners_mre": "oui", "plan_mre_stake": "50 %", "plan_amount": "600 000 DH", "plan_fx_share": "30 %",
           "plan_stage": "idée", "plan_turnover": "300 000 DH", "plan_capital": "100 000 DH", "plan_jobs": "3",
           "with_partners": "avec mon frère", "partners_not_mre": "avec des associés qui vivent au Maroc", "not_mre": "non"},
    "ar": {"plan_country": "فرنسا", "plan_region": "طنجة", "plan_sector": "تجارة", "plan_partners": "بمفردي",
           "plan_partners_mre": "نعم", "plan_mre_stake": "50%", "plan_amount": "600 ألف درهم", "plan_fx_share": "30%",
           "plan_stage": "فكرة", "plan_turnover": "300 ألف درهم", "plan_capital": "100 ألف درهم", "plan_jobs": "3",
           "with_partners": "مع أخي", "partners_not_mre": "مع شريك أجنبي", "not_mre": "لا"},
    "en": {"plan_country": "France", "plan_region": "Tangier", "plan_sector": "retail", "plan_partners": "alone",
           "plan_partners_mre": "yes", "plan_mre_stake": "50%", "plan_amount": "600,000 DH", "plan_fx_share": "30%",
           "plan_stage": "idea", "plan_turnover": "300,000 DH", "plan_capital": "100,000 DH", "plan_jobs": "3",
           "with_partners": "with my brother", "partners_not_mre": "with a foreign partner", "not_mre": "no"},
}
MAX_WALKS = 10
#: Fields of the correction menu tried in one conversation (with its walk, under 30 messages).
CORRECTIONS_PER_TALK = 3


def plan_questions(language: str) -> dict[str, list[dict[str, str]]]:
    """slot -> buttons of its question (`utter_ask_<slot>`), for the questions that have buttons."""
    names: set[str] = set()
    for path in sorted(glob.glob(str(ROOT / "responses" / "*.yml"))):
        names |= set((yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("responses") or {})
    slots = [n.removeprefix("utter_ask_") for n in names if n.startswith("utter_ask_plan_") and n != "utter_ask_plan_correction"]
    return {slot: buttons_of(f"utter_ask_{slot}", language) for slot in slots if buttons_of(f"utter_ask_{slot}", language)}


def menu_sent(tracker: dict[str, Any]) -> list[dict[str, str]]:
    """The buttons of the last correction menu sent (the form gives it the fields this plan asked)."""
    menus = [e for e in tracker["events"]
             if e.get("event") == "bot" and (e.get("metadata") or {}).get("utter_action") == "utter_ask_plan_correction"]
    return list((menus[-1].get("data") or {}).get("buttons") or [])


def typed_answer(slot: str, language: str, todo: dict[str, list[dict[str, str]]]) -> str:
    """An ordinary answer; for partners, one that opens the follow-up questions still to try."""
    answers = ANSWERS[language]
    if slot == "plan_partners" and todo.get("plan_partners_mre"):
        return answers["with_partners"]
    if slot == "plan_partners" and todo.get("plan_mre_stake"):
        return answers["partners_not_mre"]
    if slot == "plan_partners_mre" and todo.get("plan_mre_stake"):
        return answers["not_mre"]
    return answers[slot]


def expected_values(slot: str, payload: str) -> set[Any]:
    """What the form keeps when the button is pressed (its payload is the answer)."""
    if payload == "unknown":
        return {"unknown", "undecided"}
    if payload in ("/affirm", "/deny"):
        return {payload == "/affirm"}
    if payload.endswith("%"):
        return {float(payload[:-1])}
    return {payload}


def correct_fields(talk: Talk, fields: list[str], corrections: list[str], summary: dict[str, str], typed: bool,
                   language: str) -> None:
    """From the summary: "Correct" -> each field -> its question -> a new answer -> the summary; then confirm."""
    for field in fields:
        sent, tracker = talk.say(summary["/deny"] if typed else "/deny")
        assert "utter_ask_plan_correction" in sent, sent
        offered = {b["payload"].split('"plan_field": "')[1].split('"')[0]: b for b in menu_sent(tracker)}
        assert list(offered) == corrections, offered  # alone: every field was asked, every one offered
        button = offered[field]
        sent, tracker = talk.say(button["title"] if typed else button["payload"])
        assert talk.requested(tracker, "plan_form") == field, (button, sent)
        sent, tracker = talk.say(typed_answer(field, language, {}))
        if field == "plan_partners" and talk.requested(tracker, "plan_form") != "plan_confirmed":
            sent, tracker = talk.say(ANSWERS[language]["plan_turnover"])
        assert talk.requested(tracker, "plan_form") == "plan_confirmed", (button, sent)
    sent, tracker = talk.say(summary["/affirm"] if typed else "/affirm")
    assert "utter_plan_message" in sent and talk.requested(tracker, "plan_form") is None, sent


def walk(talk: Talk, language: str, typed: bool, todo: dict[str, list[dict[str, str]]], tried: list[Any]) -> dict[str, Any]:
    """Starts the plan and goes to its summary, pressing or typing a button not tried yet at each step."""
    sent, tracker = talk.say("/request_plan")
    for _ in range(20):
        slot = talk.requested(tracker, "plan_form")
        assert slot is not None, sent
        if slot == "plan_confirmed":
            return tracker
        if todo.get(slot):
            button = todo[slot].pop(0)
            sent, tracker = talk.say(button["title"] if typed else button["payload"])
            after = talk.requested(tracker, "plan_form")
            assert not set(sent) & STUCK_IN_PLAN and after not in (None, slot), (slot, button, sent, after)
            # a typed title means what its button means ("Non-MRE partners" is not an MRE answer)
            assert tracker["slots"][slot] in expected_values(slot, button["payload"]), (slot, button, tracker["slots"][slot])
            tried.append((slot, button["title"]))
        else:
            sent, tracker = talk.say(typed_answer(slot, language, todo))
            assert talk.requested(tracker, "plan_form") != slot, (slot, sent)
    raise AssertionError("the plan form did not reach its summary")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("typed", [False, True], ids=["pressed", "typed"])
def test_plan_buttons_at_their_step(stack: Stack, language: str, typed: bool) -> None:
    questions = plan_questions(language)
    assert {"plan_region", "plan_partners", "plan_partners_mre", "plan_fx_share", "plan_stage", "plan_jobs"} <= set(questions)
    todo = {slot: list(buttons) for slot, buttons in questions.items()}
    tried: list[Any] = []
    summary = {b["payload"]: b["title"] for b in buttons_of("utter_plan_summary", language)}
    corrections = list(catalog_buttons("utter_ask_plan_correction"))  # the fields; the form adds their buttons
    walks = 0
    while any(todo.values()) or walks < 2:
        walks += 1
        assert walks <= MAX_WALKS, todo
        talk = Talk(stack, language)
        tracker = walk(talk, language, typed, todo, tried)
        if walks == 1:
            # every field of the correction menu: "Correct" -> the field -> its question -> a new answer -> the summary,
            # CORRECTIONS_PER_TALK fields per conversation (after the first, one walked with plain answers) so that
            # none sends more than the 30 messages a minute a conversation may send: the test does not wait for it
            assert tracker["slots"]["plan_partners"] == "alone" or any(todo.values())
            for start in range(0, len(corrections), CORRECTIONS_PER_TALK):
                if start:
                    talk = Talk(stack, language)
                    tracker = walk(talk, language, typed, {}, [])
                correct_fields(talk, corrections[start:start + CORRECTIONS_PER_TALK], corrections, summary, typed, language)
        elif walks == 2:
            sent, tracker = talk.say(summary["/cancel"] if typed else "/cancel")
            assert "utter_plan_cancelled" in sent and talk.requested(tracker, "plan_form") is None, sent
    pressed = {title for _, title in tried}
    assert pressed == {b["title"] for buttons in questions.values() for b in buttons}, pressed
