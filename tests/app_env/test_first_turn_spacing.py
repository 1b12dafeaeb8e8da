"""The first turn's language of a short question holding no clue but its typography or a subject word (#10 items 5 and
8, session 37): a weak English reading resting only on words French writes as they are ("taxes", "business") is French
when written with a space before its question mark, as French typography writes it ("taxes ?", "business plan ?");
English subject words of time ("timeline?", "timeframe?") and the British spelling "authorisation" are English. The
conversations are tests/data/dev_conversations/clar15.yml (`--only c15-`); here the rules the Rasa process applies
(`assistant.language_slots.changes_after_message`)."""

from __future__ import annotations

import pytest

from tests.app_env.test_first_turn_language import languages


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # French typography: a space before the question or exclamation mark
        ("taxes ?", "fr"), ("taxes !", "fr"), ("cc, taxes ?", "fr"), ("business plan ?", "fr"), ("taxes\u00a0?", "fr"),
        # no space, or a word of English only: English as before
        ("taxes?", "en"), ("taxes", "en"), ("the taxes ?", "en"), ("hello, taxes ?", "en"), ("bank account ?", "en"),
        ("taxes account ?", "en"), ("what about taxes ?", "en"), ("business plan?", "en"),
        # English subject words
        ("timeline?", "en"), ("timeframe?", "en"), ("authorisation?", "en"), ("authorization?", "en"),
        ("delai ?", "fr"), ("autorisation ?", "fr"), ("brand?", "en"), ("patent?", "en"), ("ice number?", "en"),
        ("licenses?", "en"), ("licences ?", "fr"), ("marque ?", "fr"), ("online?", "en"), ("en ligne ?", "fr"),
        # Arabizi (answered in French), Arabic and Darija keep their readings
        ("chno howa business plan ?", "fr"), ("salam, taxes ?", "fr"), ("lcapital ?", "fr"),
        ("الضرائب ؟", "ar"), ("شحال taxes ؟", "ar"), ("الضريبة ?", "ar"),
    ],
)
def test_first_turn_language(text: str, language: str) -> None:
    assert languages(text) == [language]


def test_spacing_never_switches_a_known_language() -> None:
    """A weak reading fills a conversation's language not recognised yet, never switches one."""
    assert languages("what are the taxes for a company in morocco?", "taxes ?") == ["en", "en"]
    assert languages("quelles sont les taxes pour une sarl ?", "taxes?") == ["fr", "fr"]
