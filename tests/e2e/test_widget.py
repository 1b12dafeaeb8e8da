"""The website chat widget, in headless Chromium, on the service's demo page.

Most tests talk to the real stack (Rasa's socketio channel, the action server, the guidance
service). The last ones put a scripted Socket.IO server in Rasa's place (Playwright routes the
WebSocket), to show what Rasa does not send on demand: crafted markup, a lost connection.
Screenshots go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import json
import re
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, ViewportSize, WebSocketRoute, expect

from assistant import conversation_ids
from assistant.conversation_ids import web_id
from tests.support.stack import ROOT, Stack

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
BUNDLE = ROOT / "assistant" / "service" / "static" / "dist" / "widget.js"
BOT_TIMEOUT_MS = 30_000
DESKTOP: ViewportSize = {"width": 1280, "height": 860}
PHONE: ViewportSize = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def bundle_built() -> None:
    if not BUNDLE.exists():
        pytest.fail("the widget bundle is missing: run `make setup` (or `cd widget && npm ci && npm run build`)")


def open_page(browser: Browser, viewport: ViewportSize = DESKTOP, **options: Any) -> Iterator[Page]:
    """A fresh browser context (empty localStorage) on the demo page; fails on script or CSP errors."""
    context = browser.new_context(viewport=viewport, locale="fr-FR", **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"page error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        # network failures are part of the connection tests; a CSP violation never is
        expected = re.search(r"net::ERR_|WebSocket connection to", message.text)
        if "Content Security Policy" in message.text or (message.type == "error" and not expected):
            errors.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    yield page
    context.close()
    assert not errors, errors


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser, PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")


class Widget:
    """The widget on a page (Playwright's CSS and role locators pierce its open shadow root)."""

    def __init__(self, page: Page, stack: Stack | None = None) -> None:
        self.page = page
        self.stack = stack
        self.launcher = page.locator(".launcher")
        self.panel = page.locator(".panel")
        self.log = page.get_by_role("log")
        self.input = page.locator("textarea.composer__input")
        self.send_button = page.locator(".composer__send")
        self.status = page.locator(".status")
        self.typing = page.locator(".typing")
        self.user_messages = page.locator(".msg--user")
        self.bot_messages = page.locator(".msg--bot:not(.msg--welcome)")
        self.replies = page.locator(".replies .reply")

    def goto(self, base_url: str) -> Widget:
        self.page.goto(f"{base_url}/")
        expect(self.launcher).to_be_visible()
        return self

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()

    def say(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def wait_for_bot(self, count: int) -> Locator:
        """Waits until the bot has sent at least `count` messages, then for the rest of its turn."""
        try:
            expect(self.bot_messages.nth(count - 1)).to_be_visible(timeout=BOT_TIMEOUT_MS)
        except AssertionError as error:
            raise AssertionError(self.diagnose()) from error
        settled, seen = time.monotonic(), self.bot_messages.count()
        while time.monotonic() - settled < 0.8:  # Rasa sends a turn as several bot_uttered events
            self.page.wait_for_timeout(100)
            if (now := self.bot_messages.count()) != seen:
                settled, seen = time.monotonic(), now
        return self.bot_messages.last

    def diagnose(self) -> str:
        message = "no answer from the bot in the widget"
        log = self.stack.log("rasa") if self.stack else ""
        if "'AsyncServer.enter_room' was never awaited" in log:
            message += (
                ": Rasa's socketio channel never joined the session room (Rasa 3.6 calls python-socketio's "
                "enter_room coroutine without await, https://github.com/RasaHQ/rasa/issues/13027), so "
                "replies to session_persistence conversations are lost. Use a socketio channel that awaits it, "
                "or python-socketio<5.10."
            )
        return message

    def session_id(self) -> str | None:
        value = self.page.evaluate("() => localStorage.getItem('mre-chat:session')")
        return str(value) if value else None

    def focused_class(self) -> str:
        """The class of the element focused inside the widget ('' when focus is elsewhere)."""
        return str(
            self.page.evaluate(
                "() => document.getElementById('mre-chat-widget').shadowRoot.activeElement?.className ?? ''"
            )
        )

    def texts(self) -> list[str]:
        return [text.strip() for text in self.page.locator(".msg:not(.msg--welcome) .msg__text").all_inner_texts()]


def direction(locator: Locator) -> str:
    return str(locator.evaluate("element => getComputedStyle(element).direction"))


# ---------------------------------------------------------------------------------------- the page


class ScriptTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.rtl_sections: list[str | None] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "section" and attributes.get("dir") == "rtl":
            self.rtl_sections.append(attributes.get("lang"))


def test_demo_page_embeds_the_widget_with_one_script_tag(stack: Stack) -> None:
    with urllib.request.urlopen(f"{stack.service_url}/") as response:
        csp = response.headers["Content-Security-Policy"]
        parser = ScriptTags()
        parser.feed(response.read().decode())
    [script] = parser.scripts
    assert str(script["src"]).startswith("/static/dist/widget.js?v=")
    assert script["data-socket-url"] == stack.rasa_url  # rendered from RASA_PUBLIC_URL
    assert script["data-language"] == "fr" and "defer" in script
    assert parser.rtl_sections == ["ar"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert f"ws://127.0.0.1:{stack.rasa_port}" in csp

    with urllib.request.urlopen(f"{stack.service_url}{script['src']}") as response:
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert response.headers["Content-Type"].startswith(("application/javascript", "text/javascript"))
    with urllib.request.urlopen(f"{stack.service_url}/static/dist/widget.js") as response:
        assert response.headers["Cache-Control"] == "public, max-age=300"
        assert response.headers["ETag"]


# ---------------------------------------------------------------------------------------- conversations


def test_french_then_arabic_conversation_is_kept_across_reloads(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    expect(widget.panel).to_be_hidden()
    widget.open()
    assert widget.focused_class() == "composer__input"  # focus goes to the text box
    expect(widget.input).to_have_attribute("placeholder", "Écrivez votre question…")
    expect(page.get_by_role("textbox", name="Votre message")).to_be_visible()
    expect(widget.log).to_have_attribute("aria-live", "polite")

    widget.say("Bonjour")
    expect(widget.user_messages.last).to_contain_text("Bonjour")
    widget.wait_for_bot(1)
    expect(widget.bot_messages.first).to_contain_text("Bonjour et bienvenue")
    assert direction(widget.bot_messages.first) == "ltr"
    expect(widget.replies).to_have_text(
        ["Formes juridiques", "Démarches de création", "Financements", "Parler à un conseiller"]
    )
    screenshot(page, "widget-fr")

    # a suggested reply: shows its title, sends its payload, and the replies go away
    before = widget.bot_messages.count()
    widget.replies.filter(has_text="Formes juridiques").click()
    expect(widget.user_messages.last).to_have_text(re.compile(r"Formes juridiques$"))
    expect(widget.replies).to_have_count(0)
    widget.wait_for_bot(before + 1)
    expect(page.locator(".msg--bot strong").first).to_be_visible()  # *title* in bold
    link = page.locator(".msg--bot a").first
    expect(link).to_have_attribute("href", re.compile(r"^https://"))
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")

    # the language picker: Arabic interface, right-to-left, and an Arabic answer
    before = widget.bot_messages.count()
    page.get_by_role("button", name="العربية").click()
    expect(page.get_by_role("button", name="العربية")).to_have_attribute("aria-pressed", "true")
    expect(widget.user_messages.last).to_have_text(re.compile("العربية$"))
    answer = widget.wait_for_bot(before + 1)
    expect(answer).to_contain_text("العربية")
    assert answer.get_attribute("dir") == "rtl" and direction(answer) == "rtl"
    assert direction(widget.bot_messages.first) == "ltr"  # the French greeting stays left-to-right
    assert direction(widget.panel) == "rtl"
    expect(widget.input).to_have_attribute("placeholder", "اكتبوا سؤالكم…")
    expect(widget.send_button).to_have_text("إرسال")
    expect(page.get_by_role("textbox", name="رسالتكم")).to_be_visible()
    expect(page.get_by_role("button", name="إغلاق المحادثة")).to_be_visible()
    screenshot(page, "widget-ar")

    session = widget.session_id()
    assert session and re.fullmatch(r"[0-9a-f]{32}", session)
    history, bot_count = widget.texts(), widget.bot_messages.count()

    page.reload()
    widget = Widget(page, stack)
    expect(widget.panel).to_be_visible()  # it was open
    expect(widget.bot_messages).to_have_count(bot_count)
    assert widget.texts() == history
    assert widget.session_id() == session
    assert direction(widget.panel) == "rtl"

    # the same Rasa conversation goes on after the reload
    before = widget.bot_messages.count()
    widget.say("شكرا")
    widget.wait_for_bot(before + 1)
    assert widget.session_id() == session
    events = stack.tracker(conversation_ids.web_id(session or ""))["events"]
    said = [e.get("text") for e in events if e.get("event") == "user"]
    assert said[0] == "Bonjour" and said[-1] == "شكرا"


def test_keyboard_only(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    for _ in range(12):  # skip link, three language links, then the widget
        page.keyboard.press("Tab")
        if widget.focused_class() == "launcher":
            break
    assert widget.focused_class() == "launcher"
    assert widget.launcher.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # visible focus
    expect(widget.launcher).to_have_attribute("aria-expanded", "false")

    page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.launcher).to_have_attribute("aria-expanded", "true")
    assert widget.focused_class() == "composer__input"

    page.keyboard.type("   ")
    page.keyboard.press("Enter")  # nothing to send
    expect(widget.user_messages).to_have_count(0)
    page.keyboard.press("Control+A")
    page.keyboard.type("Bonjour")
    page.keyboard.press("Enter")
    widget.wait_for_bot(1)
    expect(widget.input).to_have_value("")

    page.keyboard.press("Shift+Tab")  # back into the conversation: the last suggested reply
    assert widget.focused_class() == "reply"
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # "Financements"
    expect(widget.user_messages.last).to_have_text(re.compile("Financements$"))
    assert widget.focused_class() == "composer__input"  # the buttons are gone, focus stays usable

    page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    assert widget.focused_class() == "launcher"


def test_mobile_layout_is_full_screen(phone: Page, stack: Stack) -> None:
    widget = Widget(phone, stack).goto(stack.service_url)
    launcher = widget.launcher.bounding_box()
    assert launcher and launcher["x"] + launcher["width"] <= PHONE["width"]
    widget.open()
    assert widget.panel.bounding_box() == {"x": 0, "y": 0, **PHONE}
    expect(widget.launcher).to_be_hidden()
    widget.say("Bonjour")
    widget.wait_for_bot(1)
    expect(widget.replies.first).to_be_in_viewport()
    screenshot(phone, "widget-mobile-fr")

    before = widget.bot_messages.count()
    phone.get_by_role("button", name="العربية").click()
    widget.wait_for_bot(before + 1)
    screenshot(phone, "widget-mobile-ar")

    phone.get_by_role("button", name="إغلاق المحادثة").click()
    expect(widget.panel).to_be_hidden()
    expect(widget.launcher).to_be_visible()


def test_html_typed_by_the_user_is_shown_as_text(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    typed = '<img src=x onerror="window.__xss=1"><b>gras</b><script>window.__xss=2</script>'
    widget.say(typed)
    expect(widget.user_messages.last.locator(".msg__text")).to_have_text(typed)
    assert widget.log.locator("img, b, script").count() == 0
    widget.wait_for_bot(1)
    assert page.evaluate("() => window.__xss") is None


def test_long_input_is_capped_with_a_counter(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    counter = page.locator(".counter")
    widget.input.fill("a" * 1000)
    expect(counter).to_be_hidden()
    widget.input.fill("a" * 2500)
    expect(widget.input).to_have_value("a" * 2000)
    expect(counter).to_have_text("2000 / 2000 caractères")
    expect(widget.status).to_contain_text("Limite de 2000 caractères atteinte")
    widget.input.press("Backspace")
    expect(counter).to_have_text("1999 / 2000 caractères")
    expect(widget.status).to_have_text("")


def test_advisor_messages_arrive_without_a_user_message(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    widget.say("Bonjour")
    widget.wait_for_bot(1)
    session = widget.session_id()
    page.keyboard.press("Escape")
    before = widget.bot_messages.count()

    # what the staff console does when an advisor takes the conversation over
    url = f"{stack.rasa_url}/conversations/{web_id(str(session))}/execute?output_channel=latest&token={stack.token}"
    stack.post_json(url, {"name": "action_agent_joined"})
    try:
        badge = page.locator(".launcher__badge")
        expect(badge).to_have_text("1", timeout=BOT_TIMEOUT_MS)
        expect(widget.launcher).to_contain_text("1 nouveau(x) message(s)")
        widget.open()
        expect(badge).to_be_hidden()
        expect(widget.bot_messages).to_have_count(before + 1)
        expect(widget.bot_messages.last).to_contain_text("a rejoint la conversation")
    finally:
        stack.post_json(url, {"name": "action_agent_left"})
    expect(widget.bot_messages.last).to_contain_text("a quitté la conversation", timeout=BOT_TIMEOUT_MS)


# ---------------------------------------------------------------------------------------- a scripted server


class ScriptedRasa:
    """Rasa's socketio channel played by the test (Engine.IO 4 / Socket.IO 5 packets over a routed WebSocket)."""

    def __init__(self, page: Page) -> None:
        self.sockets: list[WebSocketRoute] = []
        self.received: list[tuple[str, Any]] = []
        self.accepting = True
        page.route(re.compile(r"/socket\.io/"), lambda route: route.abort())  # no long-polling fallback
        page.route_web_socket(re.compile(r"/socket\.io/"), self._connect)

    def _connect(self, socket: WebSocketRoute) -> None:
        if not self.accepting:
            socket.close()
            return
        self.sockets.append(socket)
        socket.on_message(lambda message: self._on_message(socket, str(message)))
        handshake = {"sid": uuid.uuid4().hex, "upgrades": [], "pingInterval": 25000, "pingTimeout": 20000}
        socket.send("0" + json.dumps(handshake))

    def _on_message(self, socket: WebSocketRoute, message: str) -> None:
        if message.startswith("40"):  # connect to the default namespace
            socket.send("40" + json.dumps({"sid": uuid.uuid4().hex}))
        elif message.startswith("42"):
            event, *args = json.loads(message[2:])
            data = args[0] if args else None
            self.received.append((event, data))
            if event == "session_request" and isinstance(data, dict):
                socket.send("42" + json.dumps(["session_confirm", data["session_id"]]))

    def said(self, event: str = "user_uttered") -> list[Any]:
        return [data for name, data in self.received if name == event]

    def bot_says(self, payload: dict[str, Any]) -> None:
        self.sockets[-1].send("42" + json.dumps(["bot_uttered", payload]))

    def drop(self) -> None:
        for socket in self.sockets:
            socket.close()
        self.sockets.clear()


def wait_until(page: Page, condition: Callable[[], bool], timeout: float = 10) -> None:
    """Lets Playwright dispatch the routed socket's events until `condition` holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting for the scripted server"
        page.wait_for_timeout(50)


@pytest.fixture
def scripted(page: Page) -> ScriptedRasa:
    return ScriptedRasa(page)


def test_bot_text_is_formatted_safely(page: Page, stack: Stack, scripted: ScriptedRasa) -> None:
    widget = Widget(page).goto(stack.service_url)
    widget.open()
    widget.say("Bonjour")
    expect(widget.typing).to_be_visible()
    expect(widget.typing).to_contain_text("L'assistant écrit…")
    wait_until(page, lambda: bool(scripted.said()))
    assert scripted.said()[-1]["message"] == "Bonjour"
    session = scripted.said("session_request")[-1]["session_id"]
    assert scripted.said()[-1]["session_id"] == session

    scripted.bot_says(
        {
            "text": "*Capital minimum* : aucun.\nVoir https://example.org/sarl_(maroc), www.ae.gov.ma. "
            'ou <img src=x onerror="window.__xss=1"> javascript:alert(1)',
            "quick_replies": [{"content_type": "text", "title": "Oui", "payload": "/affirm"}],
        }
    )
    message = widget.bot_messages.last
    expect(message).to_be_visible()
    expect(widget.typing).to_be_hidden()
    expect(message.locator("strong")).to_have_text("Capital minimum")
    links = message.locator("a")
    expect(links).to_have_count(2)
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "https://example.org/sarl_(maroc)",
        "https://www.ae.gov.ma/",
    ]
    for i in range(2):
        expect(links.nth(i)).to_have_attribute("rel", "noopener noreferrer")
        expect(links.nth(i)).to_have_attribute("target", "_blank")
    expect(message.locator(".msg__text")).to_contain_text('<img src=x onerror="window.__xss=1"> javascript:alert(1)')
    assert message.locator("img").count() == 0 and page.evaluate("() => window.__xss") is None
    assert "\n" in message.locator(".msg__text").inner_text()  # line breaks kept

    # mixed text: laid out by its dominant script
    scripted.bot_says({"text": "ما هو رأس مال SARL؟ راجعوا https://example.org/sarl-capital-minimum"})
    expect(widget.bot_messages).to_have_count(2)
    assert direction(widget.bot_messages.last) == "rtl"
    scripted.bot_says({"text": "La SARL se dit شركة ذات مسؤولية محدودة en arabe."})
    expect(widget.bot_messages).to_have_count(3)
    assert direction(widget.bot_messages.last) == "ltr"

    widget.replies.filter(has_text="Oui").click()
    wait_until(page, lambda: scripted.said()[-1]["message"] == "/affirm")
    expect(widget.user_messages.last).to_have_text(re.compile("Oui$"))


def test_connection_lost_queued_message_and_typing_timeout(page: Page, stack: Stack, scripted: ScriptedRasa) -> None:
    page.clock.install()
    widget = Widget(page).goto(stack.service_url)
    widget.open()
    wait_until(page, lambda: bool(scripted.said("session_request")))
    page.get_by_role("button", name="English").click()
    expect(widget.input).to_have_attribute("placeholder", "Type your question…")

    scripted.accepting = False
    scripted.drop()
    expect(widget.status).to_have_text("Connection lost. Reconnecting…")
    widget.say("Hello?")
    expect(widget.status).to_have_text("Your message will be sent as soon as the connection is back.")
    page.get_by_role("button", name="العربية").click()  # queued as well
    expect(widget.status).to_have_text("سترسل رسالتكم فور عودة الاتصال.")

    scripted.accepting = True
    page.clock.fast_forward(15_000)  # past socket.io's reconnection delay
    expect(widget.status).to_have_text("عاد الاتصال.")
    wait_until(page, lambda: len(scripted.said()) == 4)
    said = scripted.said()
    assert [m["message"] for m in said] == [
        '/switch_language{"language": "en"}',
        '/switch_language{"language": "en"}',  # unanswered when the connection dropped: sent again...
        "Hello?",
        '/switch_language{"language": "ar"}',
    ]
    assert said[0]["message_id"] == said[1]["message_id"]  # ...with its id, so Rasa answers it once
    assert len({m["message_id"] for m in said}) == 3

    expect(widget.typing).to_be_visible()
    page.clock.fast_forward(26_000)  # the bot never answers
    expect(widget.typing).to_be_hidden()
    expect(widget.status).to_have_text("المساعد يتأخر في الرد. أعيدوا المحاولة بعد لحظة.")


def test_unreachable_assistant_then_queued_message_delivered(page: Page, stack: Stack) -> None:
    page.clock.install()
    widget = Widget(page, stack).goto(stack.service_url)
    page.context.set_offline(True)
    widget.open()
    expect(widget.status).to_have_text("Impossible de joindre l'assistant. Nouvelle tentative en cours…")
    expect(widget.status).to_have_attribute("role", "status")
    widget.say("Bonjour")
    expect(widget.user_messages.last).to_contain_text("Bonjour")
    expect(widget.typing).to_be_hidden()  # nothing can answer yet
    expect(widget.status).to_have_text("Votre message sera envoyé dès le retour de la connexion.")

    page.context.set_offline(False)
    page.clock.fast_forward(11_000)  # socket.io's longest reconnection delay
    widget.wait_for_bot(1)  # the queued message reached Rasa
    expect(widget.bot_messages.first).to_contain_text("Bonjour et bienvenue")
    expect(widget.status).to_have_text("")
