"""Feedback in the widget, in headless Chromium against the real stack (#14 item 6): the
thumbs under a knowledge answer (not under the next one), a "not useful" offering the unit,
then the case rating the guidance service asks for by itself once the case is closed; both
reach the insights tables through the SQL event broker."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant import conversation_ids
from tests.e2e.test_widget import Widget, open_page, screenshot
from tests.support.cases import closed_case
from tests.support.stack import Stack

pytestmark = pytest.mark.browser

RATING_TIMEOUT_MS = 60_000  # the service's worker asks every 10 s


def insights_row(stack: Stack, sql: str, *args: Any, timeout: float = 20) -> sqlite3.Row | None:
    deadline = time.monotonic() + timeout
    while True:
        with sqlite3.connect(stack.data_dir / "assistant.db") as connection:
            connection.row_factory = sqlite3.Row
            row = connection.execute(sql, args).fetchone()
        if row is not None or time.monotonic() > deadline:
            return row
        time.sleep(0.3)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser)


def test_thumbs_under_answers_then_the_case_rating(page: Page, stack: Stack) -> None:
    from assistant.insights.facts import conversation_key

    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    widget.say("Quel capital minimum pour une SARL ?")
    widget.wait_for_bot(2)
    thumbs = page.locator(".replies--feedback .reply--feedback")
    expect(thumbs).to_have_text(["👍 Utile", "👎 Pas utile"])
    expect(widget.bot_messages.last).to_contain_text("Cette réponse vous a-t-elle été utile ?")
    screenshot(page, "widget-feedback-fr")
    before = widget.bot_messages.count()
    thumbs.filter(has_text="Pas utile").click()
    expect(widget.user_messages.last).to_have_text(re.compile("👎 Pas utile$"))
    widget.wait_for_bot(before + 1)
    expect(widget.bot_messages.last).to_contain_text("Merci de nous l'avoir dit")
    expect(widget.replies).to_have_text(["Parler à un conseiller"])

    session = widget.session_id() or ""
    conversation = conversation_ids.web_id(session)
    rated = insights_row(stack, "SELECT * FROM insights_turns WHERE conversation = ? AND feedback IS NOT NULL",
                         conversation_key(conversation))
    assert rated is not None and rated["feedback"] == -1 and rated["entry_id"]
    assert rated["text"] == "Quel capital minimum pour une SARL ?"

    # the next answer does not ask again
    before = widget.bot_messages.count()
    widget.say("et pour une SA ?")
    widget.wait_for_bot(before + 1)
    expect(page.locator(".replies--feedback")).to_have_count(0)

    # the unit closes the investor's case: the service asks for a rating in the widget
    reference = closed_case(stack, conversation, "socketio")
    rating = page.locator(".reply").filter(has_text="Très satisfait(e)")
    expect(rating).to_be_visible(timeout=RATING_TIMEOUT_MS)
    expect(widget.bot_messages.last).to_contain_text(reference)
    expect(page.locator(".replies .reply")).to_have_text(["😊 Très satisfait(e)", "😐 Moyennement", "🙁 Pas satisfait(e)"])
    before = widget.bot_messages.count()
    rating.click()
    widget.wait_for_bot(before + 2)
    expect(widget.bot_messages.nth(before)).to_contain_text("Merci pour votre évaluation")
    # then one optional question, with a skip button; the comment is stored with the rating
    expect(widget.bot_messages.last).to_contain_text("Souhaitez-vous ajouter quelque chose")
    expect(widget.replies).to_have_text(["Non merci"])
    row = insights_row(stack, "SELECT * FROM insights_case_ratings WHERE reference = ? AND rating IS NOT NULL", reference)
    assert row is not None and row["rating"] == 5 and row["topic"] == "financing" and row["asked_at"]
    screenshot(page, "widget-rating-comment-fr")
    before = widget.bot_messages.count()
    widget.say("Réponse claire et rapide")
    widget.wait_for_bot(before + 1)
    expect(widget.bot_messages.last).to_contain_text("votre remarque est transmise")
    row = insights_row(stack, "SELECT * FROM insights_case_ratings WHERE reference = ? AND comment IS NOT NULL", reference)
    assert row is not None and row["comment"] == "Réponse claire et rapide" and row["rating"] == 5
