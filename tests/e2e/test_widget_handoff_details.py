"""The website widget's store and forward, language, reading and screen-reader names (issue #12).

Against the real stack (Rasa's socketio channel, the action server, the guidance service) on
loopback, in headless Chromium, except the catch-up test, which speaks the widget's protocol
with python-socketio clients (one per browser tab it stands for):
- a catch-up asked with an unknown session, or with another conversation's, returns nothing,
  and acknowledging another conversation's reply does not make it "delivered";
- the interface follows the conversation's language when the investor just writes in another
  one (no picker);
- a new long answer is shown from its first line on a phone;
- every control has a name for screen readers (fr, ar, en), an adviser's message is announced
  with the adviser's name, and the widget acknowledges the adviser's messages it showed.
"""

from __future__ import annotations

import asyncio
import re
import secrets
import subprocess
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from assistant.conversation_ids import web_id
from tests.e2e.test_handoff import PASSWORD, StaffClient
from tests.e2e.test_widget import PHONE, ScriptedRasa, Widget, open_page, screenshot, wait_until
from tests.support.stack import APP_PYTHON, ROOT, Stack

pytestmark = pytest.mark.browser

OPEN_CASE = """
import asyncio, datetime as dt, sys
from assistant.cases.store import CaseRequest, open_case
async def main():
    case, _ = await open_case(CaseRequest(conversation_id=sys.argv[1], channel=sys.argv[2], language=sys.argv[3],
        name="Nadia Berrada", country="France", summary="Projet de maison d'hôtes à Fès",
        consent_at=dt.datetime.now(dt.timezone.utc)))
    print(case.reference)
asyncio.run(main())
"""


def open_case(stack: Stack, conversation: str, channel: str, language: str = "fr") -> str:
    done = subprocess.run([str(APP_PYTHON), "-c", OPEN_CASE, conversation, channel, language], cwd=ROOT,
                          env=stack.env, check=True, capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture(scope="module")
def adviser(stack: Stack) -> StaffClient:
    email = f"nadia.{secrets.token_hex(3)}@cellule.ma"
    subprocess.run(
        [str(APP_PYTHON), "-m", "assistant.service.users", "create", "--email", email, "--name", "Youssef Amrani"],
        cwd=ROOT, env={**stack.env, "STAFF_PASSWORD": PASSWORD}, check=True, capture_output=True,
    )
    client = StaffClient(stack)
    client.login(email)
    return client


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def reply_states(adviser: StaffClient, reference: str) -> list[str]:
    return [m["status"] for m in adviser.get(f"/api/cases/{reference}")["staff_messages"]]


# ------------------------------------------------------------------------------- catch-up


class SocketClient:
    """One widget tab, as python-socketio speaks the widget's protocol."""

    def __init__(self, stack: Stack) -> None:
        import socketio

        self.stack = stack
        self.client = socketio.AsyncClient()
        self.bot: list[dict[str, Any]] = []
        self.syncs: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.client.on("bot_uttered", lambda data: self.bot.append(data))
        self.client.on("sync", lambda data: self.syncs.put_nowait(data))

    async def connect(self, secret: str | None = None) -> None:
        await self.client.connect(self.stack.rasa_url, transports=["websocket"], socketio_path="/socket.io")
        if secret is not None:
            confirmed: asyncio.Future[str] = asyncio.get_running_loop().create_future()

            def on_confirm(data: str) -> None:
                if not confirmed.done():
                    confirmed.set_result(data)

            self.client.on("session_confirm", on_confirm)
            await self.client.emit("session_request", {"session_id": secret})
            assert await asyncio.wait_for(confirmed, 30) == secret

    async def catch_up(self, session_id: Any, after: Any = 0) -> dict[str, Any]:
        await self.client.emit("sync_request", {"session_id": session_id, "after": after})
        return await asyncio.wait_for(self.syncs.get(), 30)

    async def wait_bot(self, predicate: Any, timeout: float = 60) -> dict[str, Any]:
        for _ in range(int(timeout * 4)):
            found = [m for m in self.bot if predicate(m)]
            if found:
                return found[-1]
            await asyncio.sleep(0.25)
        raise AssertionError(f"no such bot message; got {self.bot}")


def test_catch_up_with_an_unknown_or_another_conversations_session_returns_nothing(
    stack: Stack, adviser: StaffClient
) -> None:
    amina, other = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    reference = open_case(stack, web_id(amina), "socketio")

    async def scenario() -> None:
        owner, intruder, anonymous = SocketClient(stack), SocketClient(stack), SocketClient(stack)
        await owner.connect(amina)
        await owner.client.emit("user_uttered", {"message": "Bonjour", "session_id": amina})
        await owner.wait_bot(lambda m: "Bonjour" in m.get("text", ""))
        await asyncio.to_thread(adviser.post, f"/api/cases/{reference}/live", {"live": True})
        await asyncio.to_thread(adviser.post, f"/api/cases/{reference}/reply", {"text": "Bonjour Amina, ici Youssef."})
        pushed = await owner.wait_bot(lambda m: m.get("handoff") == "staff")
        receipt = pushed["receipt"]
        assert isinstance(receipt, int)
        mine = await owner.catch_up(amina)
        assert any(m.get("staff_text") == "Bonjour Amina, ici Youssef." for m in mine["messages"])

        await intruder.connect(other)
        for asked in (amina, web_id(amina), other):  # another's secret, its conversation id, its own (empty)
            assert await intruder.catch_up(asked) == {"messages": [], "agent": None}, asked
        await anonymous.connect()  # never asked for a session
        assert await anonymous.catch_up(amina) == {"messages": [], "agent": None}
        for odd in ("x" * 300, None, 42, {"$ne": ""}):
            assert await anonymous.catch_up(odd, after="0") == {"messages": [], "agent": None}
        # acknowledging another conversation's reply changes nothing
        await intruder.client.emit("received", {"session_id": amina, "receipts": [receipt]})
        await anonymous.client.emit("received", {"session_id": amina, "receipts": [receipt]})
        await asyncio.sleep(1.5)
        assert await asyncio.to_thread(reply_states, adviser, reference) == ["sent"]  # not "delivered"
        assert intruder.bot == [] and anonymous.bot == []
        # the owner's widget acknowledges it: delivered
        await owner.client.emit("received", {"session_id": amina, "receipts": [receipt]})
        for _ in range(40):
            if await asyncio.to_thread(reply_states, adviser, reference) == ["delivered"]:
                break
            await asyncio.sleep(0.25)
        assert await asyncio.to_thread(reply_states, adviser, reference) == ["delivered"]
        for client in (owner, intruder, anonymous):
            await client.client.disconnect()

    asyncio.run(scenario())


# ------------------------------------------------------------------------------- language and reading


def test_the_interface_follows_the_conversation_language_without_the_picker(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    expect(widget.input).to_have_attribute("placeholder", "Écrivez votre question…")
    widget.say("Bonjour")
    widget.wait_for_bot(1)
    before = widget.bot_messages.count()
    widget.say("ما هي الوثائق المطلوبة للحصول على الشهادة السلبية؟")
    answer = widget.wait_for_bot(before + 1)
    assert answer.get_attribute("dir") == "rtl", answer.inner_text()
    expect(widget.input).to_have_attribute("placeholder", "اكتبوا سؤالكم…")
    expect(widget.send_button).to_have_text("إرسال")
    expect(page.get_by_role("textbox", name="رسالتكم")).to_be_visible()
    expect(page.get_by_role("button", name="إغلاق المحادثة")).to_be_visible()
    expect(page.get_by_role("button", name="العربية")).to_have_attribute("aria-pressed", "true")
    assert widget.panel.evaluate("e => getComputedStyle(e).direction") == "rtl"
    arabic_turn = widget.texts()[-(widget.bot_messages.count() - before):]
    for text in arabic_turn:  # no word of another language in the Arabic prompts
        assert not re.search(r"\b(cancel|annuler|Oui|Non|yes|no)\b", text, re.IGNORECASE), text
    screenshot(page, "widget-follows-arabic")

    before = widget.bot_messages.count()
    widget.say("What documents do I need for the negative certificate?")
    answer = widget.wait_for_bot(before + 1)
    assert answer.get_attribute("dir") == "ltr", answer.inner_text()
    expect(widget.input).to_have_attribute("placeholder", re.compile(r"^[A-Za-z][^\u0600-\u06FF]*$"))
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    assert widget.panel.evaluate("e => getComputedStyle(e).direction") == "ltr"


def test_a_new_long_answer_is_shown_from_its_first_line_on_a_phone(phone: Page, stack: Stack) -> None:
    widget = Widget(phone, stack).goto(stack.service_url)
    widget.open()
    for text in ("Bonjour", "Quelles sont les étapes pour créer une SARL au Maroc ?"):
        before = widget.bot_messages.count()
        widget.say(text)
        widget.wait_for_bot(before + 1)
    more = widget.replies.filter(has_text="Plus de détails")
    if more.count():  # a short answer first: the whole entry is the long one
        before = widget.bot_messages.count()
        more.first.click()
        widget.wait_for_bot(before + 1)
    log = phone.locator(".log")
    first = widget.bot_messages.nth(before)  # the turn's first message
    geometry = log.evaluate(
        """(log, first) => ({
            scrollTop: log.scrollTop, maxScroll: log.scrollHeight - log.clientHeight, clientHeight: log.clientHeight,
            firstTop: first.getBoundingClientRect().top - log.getBoundingClientRect().top,
            turnHeight: log.scrollHeight - (first.offsetTop - log.offsetTop),
        })""",
        first.element_handle(),
    )
    assert geometry["turnHeight"] > geometry["clientHeight"], f"the answer is not long on a phone: {geometry}"
    assert 0 <= geometry["firstTop"] < 40, f"the answer's first line is out of view: {geometry}"
    assert geometry["scrollTop"] < geometry["maxScroll"] - 20, f"scrolled to the end: {geometry}"
    screenshot(phone, "widget-long-answer-phone")


# ------------------------------------------------------------------------------- screen readers

NAMES = {
    "fr": {"launcher": "Une question ?", "close": "Fermer la discussion", "restart": "Effacer la conversation",
           "send": "Envoyer", "input": "Votre message", "log": "Messages de la conversation",
           "picker": "Langue de la conversation", "role": "conseiller·ère de la cellule"},
    "ar": {"launcher": "لديكم سؤال؟", "close": "إغلاق المحادثة", "restart": "مسح المحادثة", "send": "إرسال",
           "input": "رسالتكم", "log": "رسائل المحادثة", "picker": "لغة المحادثة", "role": "مستشار(ة) الخلية"},
    "en": {"launcher": "Questions?", "close": "Close the chat", "restart": "Clear the conversation", "send": "Send",
           "input": "Your message", "log": "Conversation messages", "picker": "Conversation language",
           "role": "adviser"},
}
LANGUAGE_BUTTON = {"fr": "Français", "ar": "العربية", "en": "English"}


@pytest.fixture(params=["desktop", "phone"])
def any_page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    options: dict[str, Any] = {"viewport": PHONE, "is_mobile": True, "has_touch": True} if request.param == "phone" else {}
    yield from open_page(browser, **options)


def test_every_control_has_a_name_for_screen_readers_and_advisers_are_announced_by_name(
    any_page: Page, stack: Stack
) -> None:
    page = any_page
    scripted = ScriptedRasa(page)
    widget = Widget(page).goto(stack.service_url)
    for language in ("fr", "ar", "en"):
        names = NAMES[language]
        if language != "fr":  # the picker, then the panel closed: the launcher speaks the new language
            page.get_by_role("button", name=LANGUAGE_BUTTON[language]).click()
            page.get_by_role("button", name=names["close"], exact=True).click()
        launcher = page.get_by_role("button", name=re.compile("^" + re.escape(names["launcher"])))
        expect(launcher).to_have_count(1)
        launcher.click()
        expect(widget.panel).to_be_visible()
        for control in ("close", "restart", "send"):
            expect(page.get_by_role("button", name=names[control], exact=True)).to_be_visible()
        expect(page.get_by_role("textbox", name=names["input"], exact=True)).to_be_visible()
        expect(page.get_by_role("log", name=names["log"], exact=True)).to_be_visible()
        expect(page.get_by_role("group", name=names["picker"], exact=True)).to_be_visible()
        expect(page.get_by_role("dialog")).to_have_accessible_name(re.compile(r"\S"))
    wait_until(page, lambda: bool(scripted.said("session_request")))
    scripted.bot_says({"text": "👤 Samira Alaoui : Bonjour", "staff_text": "Bonjour, je regarde votre dossier.",
                       "handoff": "staff", "agent": "Samira Alaoui", "timestamp": 1_900_000_000.0,
                       "language": "en", "receipt": 4242})
    agent = page.locator(".msg--agent")
    expect(agent).to_have_count(1, timeout=15_000)  # held while the (unanswered) catch-up is awaited
    spoken = agent.evaluate("e => e.textContent.replace(/\\s+/g, ' ').trim()")
    assert spoken.startswith("Samira Alaoui"), spoken  # the name first, then the role, then the words
    assert NAMES["en"]["role"] in spoken and "Bonjour, je regarde votre dossier." in spoken, spoken
    assert "Assistant" not in spoken, spoken
    # shown: the widget acknowledges it, once, for its own session
    wait_until(page, lambda: bool(scripted.said("received")))
    session = widget.session_id()
    assert scripted.said("received") == [{"session_id": session, "receipts": [4242]}]
