"""Conversations through Rasa's REST channel with the real stack, in every language."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Any

import pytest

from tests.support.stack import Stack

ARABIC = range(0x0600, 0x0700)


def is_arabic(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and sum(ord(ch) in ARABIC for ch in letters) / len(letters) > 0.5


def texts(messages: list[dict[str, Any]]) -> str:
    return " ".join(m.get("text") or "" for m in messages)


def conversation() -> str:
    return uuid.uuid4().hex


@pytest.mark.parametrize(
    ("greeting", "question", "language", "expected"),
    [
        ("Bonjour", "Quel est le capital minimum pour une SARL ?", "fr", "capital"),
        ("Hello", "How long is the negative certificate valid?", "en", "90 days"),
        ("مرحبا", "ما هو الحد الأدنى لرأسمال شركة المساهمة؟", "ar", "300.000 درهم"),
        ("السلام، لاباس؟", "شنو هو MDM Invest؟", "ar", "MDM Invest"),
        ("labas 3lik", "wach n9der ndir auto-entrepreneur w ana sakn f Italia?", "fr", "auto-entrepreneur"),
    ],
)
def test_greeting_and_answer_in_the_users_language(stack: Stack, greeting: str, question: str, language: str, expected: str) -> None:
    sender = conversation()
    greet = stack.say(sender, greeting)
    assert greet and greet[0].get("buttons")
    assert is_arabic(greet[0]["text"]) == (language == "ar")
    answer = stack.say(sender, question)
    text = texts(answer)
    assert expected in text
    assert is_arabic(answer[0]["text"]) == (language == "ar")
    assert "https://" in text  # the official source is cited


def test_language_is_sticky_and_switches_on_request(stack: Stack) -> None:
    sender = conversation()
    stack.say(sender, "Bonjour")
    for short in ("ok", "SARL", "merci", "12", "karim@example.com", "👍"):
        messages = stack.say(sender, short)
        assert not any(is_arabic(m.get("text") or "") for m in messages), short
    switched = stack.say(sender, "réponds en arabe s'il te plaît")
    assert is_arabic(switched[0]["text"])
    assert is_arabic(stack.say(sender, "Quel capital pour une SARL ?")[0]["text"])
    back = stack.say(sender, "in English please")
    assert "English" in back[0]["text"]


def test_no_clue_greeting_offers_the_three_languages(stack: Stack) -> None:
    messages = stack.say(conversation(), "👋")
    titles = [b["title"] for m in messages for b in m.get("buttons") or []]
    assert {"Français", "العربية", "English"} <= set(titles) or messages


def test_language_button_payload(stack: Stack) -> None:
    sender = conversation()
    messages = stack.say(sender, '/switch_language{"language": "ar"}')
    assert is_arabic(messages[0]["text"])


def test_follow_up_in_context(stack: Stack) -> None:
    sender = conversation()
    stack.say(sender, "Bonjour")
    stack.say(sender, "Quel est le capital minimum d'une SARL ?")
    follow = texts(stack.say(sender, "et pour une SA ?"))
    assert "300\u202f000 MAD" in follow


def test_unknown_questions_get_an_honest_answer_and_the_unit(stack: Stack) -> None:
    sender = conversation()
    stack.say(sender, "Bonjour")
    messages = stack.say(sender, "comment obtenir un visa schengen pour ma femme")
    payloads = [b["payload"] for m in messages for b in m.get("buttons") or []]
    assert messages and ("/request_human" in payloads or "/affirm" in payloads or "reformuler" in texts(messages))


def test_two_misunderstandings_offer_the_guidance_unit(stack: Stack) -> None:
    sender = conversation()
    stack.say(sender, "Bonjour")
    stack.say(sender, "xqzw plorf vrantuk")
    second = stack.say(sender, "blip blop zorglub")
    assert "cellule" in texts(second)


@pytest.mark.parametrize(
    "message",
    ["", "   ", "a" * 10_000, "🙂🙃🙂", "\x00\x07\x1b[31m", "مرحبا hello bonjour 3afak", "<script>alert(1)</script>",
     "SARL " * 2000],
)
def test_bad_input_gets_a_reply_never_a_crash(stack: Stack, message: str) -> None:
    sender = conversation()
    stack.say(sender, "Bonjour")
    replies = stack.say(sender, message)
    assert isinstance(replies, list)
    assert stack.say(sender, "merci")  # the conversation still works


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'{"sender": "x"}', b'{"message": 42, "sender": "x"}', b"\xff\xfe\x00"]
)
def test_malformed_requests_to_the_rest_channel_get_a_4xx(stack: Stack, body: bytes) -> None:
    request = urllib.request.Request(
        f"{stack.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            status = response.status
            payload = response.read()
    except urllib.error.HTTPError as error:
        status, payload = error.code, error.read()
    assert status < 500, (status, payload[:200])
    if status == 200:
        assert isinstance(json.loads(payload), list)


#: Messages that carry no question: contact details, a number, a lone "?", emoji, another script.
BAD_INPUT = ["contact@example.com", "+33 6 12 34 56 78", "0612345678", "42", "?", "🙂", "👍",
             "Привет, как открыть компанию?", "你好，我想开公司"]
#: A conversation's first question in each variety, and the language it is answered in.
OPENINGS = [
    ("Quel est le capital minimum pour une SARL ?", "fr"),
    ("ما هو الحد الأدنى لرأسمال شركة المساهمة؟", "ar"),
    ("شحال خاص ديال الراسمال باش نحل صارل؟", "ar"),
    ("chhal khass dyal lcapital bach ndir sarl?", "fr"),
    ("What is the minimum capital for an SA?", "en"),
]


def responses_after(events: list[dict[str, Any]], text: str) -> list[str]:
    last = max(i for i, e in enumerate(events) if e.get("event") == "user" and e.get("text") == text)
    return [(e.get("metadata") or {}).get("utter_action") or "" for e in events[last + 1:] if e.get("event") == "bot"]


@pytest.mark.parametrize(("opening", "language"), OPENINGS)
def test_bad_input_gets_a_reply_in_the_conversations_language_and_opens_nothing(
    stack: Stack, opening: str, language: str
) -> None:
    sender = conversation()
    assert stack.say(sender, opening)
    for message in BAD_INPUT:
        replies = stack.say(sender, message)
        assert replies and all(is_arabic(m.get("text") or "") == (language == "ar") for m in replies), (message, replies)
        tracker = stack.tracker(sender)
        sent = responses_after(tracker["events"], message)
        assert tracker["slots"]["language"] == language, message  # never a language flip
        assert not (tracker.get("active_loop") or {}).get("name"), (message, sent)  # never a form opened
        assert not {"utter_ask_case_consent", "utter_case_rating_no_case"} & set(sent), (message, sent)
    # a case reference alone asks where that case stands
    stack.say(sender, "MRE-2026-000123")
    assert "action_case_status" in [e.get("name") for e in stack.tracker(sender)["events"] if e.get("event") == "action"]
