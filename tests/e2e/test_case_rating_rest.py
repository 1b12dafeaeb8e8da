"""Rating a closed case over the REST channel on the real stack (#14 item 6): the rating typed
in words or as a bare number, whatever intent the NLU reads ("bof", "5", "ممتاز"), is recorded,
then "anything to add?" takes one optional comment (or a skip), stored with the rating and shown
on the insights page (fr, Arabic right to left)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_feedback_widget import insights_row
from tests.e2e.test_insights_browser import account, login, shot
from tests.support.cases import closed_case
from tests.support.stack import Stack

RATING_WAIT = 60.0  # the service's worker asks every 10 s


def rating_asked(stack: Stack, sender: str, reference: str) -> None:
    """Waits until the guidance service ran the rating question in this conversation."""
    deadline = time.monotonic() + RATING_WAIT
    while time.monotonic() < deadline:
        bots = [e for e in stack.tracker(sender)["events"] if e["event"] == "bot"]
        if bots and (bots[-1].get("metadata") or {}).get("utter_action") == "utter_ask_case_rating":
            assert reference in bots[-1]["text"]
            return
        time.sleep(0.5)
    pytest.fail(f"the rating of {reference} was not asked within {RATING_WAIT:.0f} s")


def texts(messages: list[dict[str, object]]) -> str:
    return "\n".join(str(m.get("text") or "") for m in messages)


def closed_and_asked(stack: Stack, first: str) -> tuple[str, str]:
    sender = f"rating-{uuid.uuid4().hex[:10]}"
    assert stack.say(sender, first)  # the conversation and its language
    reference = closed_case(stack, f"rest:{sender}", "rest")
    rating_asked(stack, sender, reference)
    return sender, reference


def rating(stack: Stack, reference: str, timeout: float = 20) -> tuple[int, str | None]:
    row = insights_row(stack, "SELECT * FROM insights_case_ratings WHERE reference = ? AND rating IS NOT NULL",
                       reference, timeout=timeout)
    assert row is not None, reference
    return row["rating"], row["comment"]


def comment_stored(stack: Stack, reference: str, expected: str, timeout: float = 20) -> None:
    row = insights_row(stack, "SELECT * FROM insights_case_ratings WHERE reference = ? AND comment = ?",
                       reference, expected, timeout=timeout)
    assert row is not None, (reference, rating(stack, reference, timeout=0))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_french_rating_in_a_word_then_a_comment_shown_on_the_insights_page(stack: Stack, page: Page) -> None:
    sender, reference = closed_and_asked(stack, "Bonjour, quel capital minimum pour une SARL ?")
    reply = texts(stack.say(sender, "bof"))
    assert "Merci pour votre évaluation" in reply and "Souhaitez-vous ajouter quelque chose" in reply, reply
    assert rating(stack, reference) == (3, None)
    reply = texts(stack.say(sender, "Le conseiller a mis trois semaines à répondre"))
    assert "votre remarque est transmise" in reply, reply
    comment_stored(stack, reference, "Le conseiller a mis trois semaines à répondre")
    assert rating(stack, reference)[0] == 3

    login(page, stack, account(stack, "Nadia", "editor"), "fr")
    page.goto(f"{stack.service_url}/staff/insights?lang=fr&period=7")
    comment = page.locator("#feedback-comments li").filter(has_text="mis trois semaines")
    expect(comment).to_be_visible()
    expect(comment).to_contain_text("3/5")
    shot(page, "insights-rating-comment-fr.png")
    page.goto(f"{stack.service_url}/staff/insights?lang=ar&period=7")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#feedback-comments li").filter(has_text="mis trois semaines")).to_be_visible()
    shot(page, "insights-rating-comment-ar.png")


def test_a_bare_number_read_as_a_goodbye_is_the_rating_and_the_comment_can_be_skipped(stack: Stack) -> None:
    sender, reference = closed_and_asked(stack, "Bonjour, quelles aides pour investir au Maroc ?")
    reply = texts(stack.say(sender, "5"))
    assert "Merci pour votre évaluation" in reply and "Au revoir" not in reply, reply
    assert rating(stack, reference) == (5, None)
    reply = texts(stack.say(sender, "/deny"))  # the "Non merci" button
    assert "Entendu" in reply, reply
    time.sleep(1)
    assert rating(stack, reference) == (5, None)


@pytest.mark.parametrize(("first", "rated", "value", "comment", "thanks"), [
    ("السلام عليكم، ما هي الإجراءات لإنشاء شركة في المغرب؟", "ممتاز", 5, "المستشار جاوبني بسرعة، شكرا بزاف",
     "شكرا على تقييمكم"),
    ("salam, bghit n7el charika f lmaghrib, chno khassni?", "mzyan", 4, "lmostachar jawbni b zerba", None),
])
def test_arabic_and_darija_ratings_in_words_with_a_comment(stack: Stack, first: str, rated: str, value: int,
                                                          comment: str, thanks: str | None) -> None:
    sender, reference = closed_and_asked(stack, first)
    reply = texts(stack.say(sender, rated))
    if thanks:
        assert thanks in reply and "هل تودّون إضافة شيء" in reply, reply
    assert rating(stack, reference) == (value, None), reply
    reply = texts(stack.say(sender, comment))
    assert any(words in reply for words in ("تم إرسال ملاحظتكم", "votre remarque est transmise", "your remark goes")), reply
    comment_stored(stack, reference, comment)


@pytest.mark.parametrize(("first", "rated", "question", "answer_words"), [
    ("Bonjour, quelles aides pour investir au Maroc ?", "4", "comment créer une SARL ?", ("SARL",)),
    ("salam, bghit n7el charika f lmaghrib, chno khassni?", "mzyan", "kifach ndir auto-entrepreneur",
     ("auto-entrepreneur", "المقاول الذاتي")),
])
def test_a_question_typed_at_anything_to_add_is_answered_not_stored(stack: Stack, first: str, rated: str, question: str,
                                                                     answer_words: tuple[str, ...]) -> None:
    """#14: "anything to add?" took a real question as the comment; it is answered, the rating kept alone."""
    sender, reference = closed_and_asked(stack, first)
    stack.say(sender, rated)
    reply = texts(stack.say(sender, question))
    assert any(words in reply for words in answer_words), reply
    assert not any(words in reply for words in ("تم إرسال ملاحظتكم", "votre remarque est transmise", "your remark goes")), reply
    time.sleep(1)
    assert rating(stack, reference)[1] is None
