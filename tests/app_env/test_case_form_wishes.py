"""A wish read as a request for a person (issue #10, intent boundaries): "bghit kridi", "je veux
acheter un terrain" say what the writer wants to do and name no person, help or case; the NLU
learnt "bghit", "je veux", "i want" from requests for a person. At the case form's opening, the
search answers them (or clarifies between close entries) instead of the consent question; a
request naming a person, help or one's file still opens the form. Likewise a question read as a
request to erase one's data, naming no data, is answered when the search answers it clearly."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.case_form import ValidateCaseForm
from assistant.actions.case_requests import ActionRequestErasure
from assistant.cases.answers import asks_for_a_person, asks_for_erasure
from tests.support.trackers import make_tracker, texts

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

DOMAIN_SLOTS = ["case_consent", "case_name", "case_country", "case_contact", "case_region", "case_sector",
                "case_stage", "case_summary", "case_confirmed"]
DOMAIN: dict[str, Any] = {"forms": {"case_form": {"required_slots": DOMAIN_SLOTS}}, "slots": {}}

WISHES = [
    ("arabizi", "bghit nchri ard"),
    ("darija", "بغيت نشري شي أرض"),
    ("fr", "je veux acheter un terrain"),
    ("en", "i want a loan for my project"),
    ("ar", "أريد شراء أرض فلاحية"),
]
REQUESTS = [
    ("fr", "je veux parler à un conseiller"),
    ("fr", "j'ai besoin d'aide pour mon dossier"),
    ("fr", "je veux être rappelé"),
    ("arabizi", "bghit nhder m3a chi wa7ed"),
    ("arabizi", "bghit chi had y3awni f kridi"),
    ("ar", "أريد التحدث مع مستشار"),
    ("ar", "ساعدوني في شراء أرض"),
    ("en", "i need help with my file"),
    ("en", "i need some support to get a loan"),
]


async def opening(language: str, text: str) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "request_human", 0.99, slots={"language": "ar" if language == "darija" else language},
                           active_loop="case_form")
    events = await ValidateCaseForm().run(dispatcher, tracker, DOMAIN)
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}, dispatcher


@pytest.mark.parametrize(("language", "text"), WISHES)
def test_a_wish_names_no_person(language: str, text: str) -> None:
    assert not asks_for_a_person(text)


@pytest.mark.parametrize(("language", "text"), REQUESTS)
def test_a_request_for_a_person_or_help_names_one(language: str, text: str) -> None:
    assert asks_for_a_person(text)


@SQLITE
@pytest.mark.parametrize(("language", "text"), WISHES)
async def test_a_wish_is_answered_or_clarified_at_the_form_opening(loaded_knowledge: str, language: str,
                                                                    text: str) -> None:
    slots, dispatcher = await opening(language, text)
    said = texts(dispatcher)
    assert slots.get("requested_slot", "unset") is None  # the form closes before asking anything
    assert any(t.startswith(("utter_kb_answer", "utter_kb_clarify")) for t in said), said


@SQLITE
@pytest.mark.parametrize(("language", "text"), REQUESTS)
async def test_a_request_for_a_person_or_help_opens_the_form(loaded_knowledge: str, language: str, text: str) -> None:
    slots, dispatcher = await opening(language, text)
    assert "kb_entry" not in slots and "requested_slot" not in slots
    assert not any(t.startswith(("utter_kb_answer", "utter_kb_clarify")) for t in texts(dispatcher))


@pytest.mark.parametrize("text", ["can you delete my data?", "supprimez mes données svp", "أريد حذف بياناتي",
                                  "wach t9dr tmsa7 ma3lomat dyali?", "واش تقدرو تمسحو المعلومات ديالي؟"])
def test_a_request_to_erase_names_the_data(text: str) -> None:
    assert asks_for_erasure(text)


@SQLITE
@pytest.mark.parametrize(("text", "answered"), [
    # a question naming no data, read as an erasure by the classifier, is answered when clear
    ("how long does it take to create a company?", True),
    # a request to erase one's data asks for confirmation, question mark or not
    ("can you delete my data?", False),
    ("أريد حذف بياناتي", False),
])
async def test_a_question_read_as_an_erasure_is_answered_when_clear(loaded_knowledge: str, text: str,
                                                                     answered: bool) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "request_data_deletion", 0.95, slots={"language": "ar" if "ح" in text else "en"})
    await ActionRequestErasure().run(dispatcher, tracker, DOMAIN)
    said = texts(dispatcher)
    assert ("utter_ask_erasure_confirmation" not in said) == answered, said
    assert any(t.startswith("utter_kb_answer") for t in said) == answered, said
