"""The conversation as the guidance unit reads it (assistant/cases/transcript.py)."""

from __future__ import annotations

from assistant.cases.transcript import transcript
from assistant.contract import TYPED_BUTTON_KEY

EVENTS = [
    {"event": "user", "text": "Bonjour", "timestamp": 1.0},
    {"event": "bot", "text": "Que puis-je faire ?", "timestamp": 2.0, "metadata": {"utter_action": "utter_greet"}},
    {"event": "user", "text": "/ask_financing", "timestamp": 3.0},  # pressed
    {"event": "user", "text": "/ask_financing", "timestamp": 4.0, "metadata": {TYPED_BUTTON_KEY: "Financements"}},
]


def test_pressed_payloads_are_skipped_and_typed_titles_shown_as_typed() -> None:
    lines = transcript(EVENTS, skip_payloads=True)
    assert [(line["from"], line["text"]) for line in lines] == [
        ("investor", "Bonjour"), ("assistant", "Que puis-je faire ?"), ("investor", "Financements")]
    assert [line["text"] for line in transcript(EVENTS)][2:] == ["/ask_financing", "Financements"]
