"""Live handoff as an investor on a phone and an adviser in the console live it, in headless Chromium.

An investor fills the case form in Arabic on a 390 px phone, confirms and closes the page. The
adviser takes the conversation over and replies while nobody is connected. The investor comes
back: the "adviser joined" notice and the reply are there, once and in order; the header says a
person answers, no "typing" shows for the paused bot; the console shows them connected, then not
once the page is closed again; handing back shows the leave note. Screenshots (Arabic, phone) of
the widget's summary, the paused widget and the console go to tests/artifacts/screenshots/.
"""

from __future__ import annotations

import re
import subprocess
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from assistant.conversation_ids import web_id
from tests.e2e.test_handoff import PASSWORD, StaffClient
from tests.e2e.test_widget import BOT_TIMEOUT_MS, PHONE, Widget, screenshot
from tests.support.stack import APP_PYTHON, ROOT, Stack

pytestmark = pytest.mark.browser

ADVISER = "Samira Alaoui"


@pytest.fixture(scope="module")
def adviser(stack: Stack) -> StaffClient:
    email = "samira.handoff@cellule.ma"
    subprocess.run(
        [str(APP_PYTHON), "-m", "assistant.service.users", "create", "--email", email, "--name", ADVISER],
        cwd=ROOT, env={**stack.env, "STAFF_PASSWORD": PASSWORD}, check=True, capture_output=True,
    )
    client = StaffClient(stack)
    client.login(email)
    client.email = email  # type: ignore[attr-defined]
    return client


def phone_context(browser: Browser, locale: str = "ar-MA") -> BrowserContext:
    return browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale=locale)


def eventually(condition: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.3)


def answer(widget: Widget, text: str | None = None, reply: str | None = None, button: str | None = None) -> str:
    """The investor types `text`, taps the suggested reply `reply` or the `button`; returns the bot's last message."""
    before = widget.bot_messages.count()
    if button:
        widget.page.get_by_role("button", name=button).click()
    elif reply:
        widget.replies.filter(has_text=reply).first.click()
    else:
        widget.say(text or "")
    return widget.wait_for_bot(before + 1).inner_text()


#: How often the guidance service's relay worker looks for replies to send again (assistant/service/app.py).
RELAY_WORKER_PERIOD = 15


def reply_states(adviser: StaffClient, reference: str) -> list[str]:
    return [m["status"] for m in adviser.get(f"/api/cases/{reference}")["staff_messages"]]


def staff_utterances(stack: Stack, session: str) -> int:
    """Staff replies in the conversation (the widget's outbox): each must be there once."""
    events = stack.tracker(web_id(session))["events"]
    return sum(1 for e in events if e["event"] == "bot" and (e.get("metadata") or {}).get("staff_message_id"))


def activity(adviser: StaffClient, reference: str) -> dict[str, object]:
    return adviser.get(f"/api/cases/{reference}/conversation")["activity"]  # type: ignore[no-any-return]


@pytest.mark.timeout(900)  # a whole case form, three page visits and a relay-worker pass, on a loaded machine
def test_investor_away_while_the_adviser_joins_and_replies_sees_both_on_return(
    browser: Browser, stack: Stack, adviser: StaffClient
) -> None:
    context = phone_context(browser)
    page = context.new_page()
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    answer(widget, reply=None, button="العربية")  # the demo page starts in French
    expect(widget.input).to_have_attribute("placeholder", "اكتبوا سؤالكم…")

    # the case form, in Arabic, on a phone
    assert "توافقون" in answer(widget, "السلام عليكم، أريد التحدث مع مستشار من الخلية")
    answer(widget, reply="أوافق")
    answer(widget, "أمينة التازي")
    answer(widget, "ألمانيا")
    answer(widget, "+4915123456789")
    answer(widget, "طنجة")
    answer(widget, "السياحة")
    answer(widget, reply="فكرة")
    summary = answer(widget, "أريد فتح رياض في طنجة، ما هي أنواع الدعم المتاحة؟")
    assert "+4915123456789" in summary
    last = widget.bot_messages.last
    assert last.get_attribute("dir") == "rtl"
    expect(last.locator('bdi[dir="ltr"]', has_text="+4915123456789")).to_be_visible()  # not "4915123456789+"
    expect(last.locator("strong, .msg__text")).not_to_have_count(0)
    assert "*" not in summary
    screenshot(page, "widget-summary-ar-phone")
    opened = answer(widget, reply="تأكيد")
    reference = re.search(r"MRE-\d{4}-\d{6}", opened)
    assert reference, opened
    expect(widget.bot_messages.last.locator('bdi[dir="ltr"]', has_text=reference.group(0)).first).to_be_visible()
    reference_id = reference.group(0)
    session = widget.session_id()
    before = widget.texts()

    # the investor closes the page; the console says so
    page.close()
    eventually(lambda: activity(adviser, reference_id)["connected"] is False)

    # the adviser joins and replies while nobody is connected: the reply is kept in the conversation
    # (the widget's outbox), not "delivered", and the relay worker does not send it again meanwhile
    adviser.post(f"/api/cases/{reference_id}/live", {"live": True})
    reply = adviser.post(f"/api/cases/{reference_id}/reply", {"text": "مرحبا أمينة، أنا هنا لمساعدتك في ملف الدعم."})
    assert (reply["status"], reply["delivered"]) == ("stored", False), reply
    assert stack.tracker(web_id(str(session)))["paused"] is True
    time.sleep(RELAY_WORKER_PERIOD + 2)  # at least one pass of the relay worker while the investor is away
    assert reply_states(adviser, reference_id) == ["stored"]
    assert staff_utterances(stack, str(session)) == 1

    # the investor comes back: the notice, then the reply, once each and in order
    page = context.new_page()
    widget = Widget(page, stack)
    page.goto(f"{stack.service_url}/")
    expect(widget.panel).to_be_visible()  # it was open when they left
    agent_message = page.locator(".msg--agent")
    expect(agent_message).to_have_count(1, timeout=BOT_TIMEOUT_MS)
    texts = widget.texts()
    assert texts[: len(before)] == before
    missed = texts[len(before):]
    assert len(missed) == 2 and ADVISER in missed[0] and "انضم" in missed[0], missed
    assert missed[1] == "مرحبا أمينة، أنا هنا لمساعدتك في ملف الدعم."
    expect(page.locator(".msg--notice")).to_have_count(1)
    expect(agent_message.locator(".msg__author")).to_contain_text(ADVISER)
    expect(page.locator(".panel__agent")).to_have_text(f"مستشار يجيبكم: {ADVISER}")
    expect(page.locator(".panel__subtitle")).to_be_hidden()
    assert page.locator(".msg--agent").evaluate("e => getComputedStyle(e).backgroundColor") != page.locator(
        ".msg--bot:not(.msg--agent):not(.msg--notice):not(.msg--welcome)"
    ).first.evaluate("e => getComputedStyle(e).backgroundColor")

    # the console sees them connected now, and the reply delivered (the widget acknowledged it)
    eventually(lambda: activity(adviser, reference_id)["connected"] is True)
    eventually(lambda: reply_states(adviser, reference_id) == ["delivered"])
    assert staff_utterances(stack, str(session)) == 1

    # paused: the investor writes, nobody "types"
    widget.say("شكرا، متى يمكنني إرسال الوثائق؟")
    expect(widget.user_messages.last).to_contain_text("متى يمكنني")
    page.wait_for_timeout(1500)
    expect(widget.typing).to_be_hidden()
    # a live reply arrives once; a reload shows nothing twice
    adviser.post(f"/api/cases/{reference_id}/reply", {"text": "يمكنك إرسالها غدا."})
    expect(agent_message).to_have_count(2, timeout=BOT_TIMEOUT_MS)
    screenshot(page, "widget-adviser-answering-ar-phone")
    shown = widget.texts()
    page.reload()
    expect(widget.panel).to_be_visible()
    page.wait_for_timeout(2000)  # the catch-up after the reload has come back
    assert widget.texts() == shown
    eventually(lambda: reply_states(adviser, reference_id) == ["delivered", "delivered"])

    # the console on a phone, in Arabic: connected now; then not, once the page is closed
    console = phone_context(browser).new_page()
    console_login(console, stack, adviser.email, "ar")  # type: ignore[attr-defined]
    console.goto(f"{stack.service_url}/staff/cases/{reference_id}")
    expect(console.locator("#presence-state")).to_contain_text("متصل الآن", timeout=10_000)
    expect(console.locator("#messages .msg.staff").last).to_contain_text("يمكنك إرسالها غدا")
    expect(console.locator("#staff-replies li .delivery")).to_have_text(["(وصلت)", "(وصلت)"])
    expect(console.get_by_text("الرد على المستثمر — على الموقع الإلكتروني", exact=False)).to_be_visible()
    assert_no_sideways_scroll(console)
    screenshot(console, "console-case-ar-phone")
    page.close()
    expect(console.locator("#presence-state")).to_contain_text("غير متصل", timeout=15_000)

    # the adviser hands back: the investor sees the leave note on return and the header is the bot's again
    adviser.post(f"/api/cases/{reference_id}/live", {"live": False})
    page = context.new_page()
    widget = Widget(page, stack)
    page.goto(f"{stack.service_url}/")
    expect(page.locator(".msg--notice")).to_have_count(2, timeout=BOT_TIMEOUT_MS)
    expect(page.locator(".msg--notice").last).to_contain_text("غادر")
    expect(page.locator(".panel__agent")).to_be_hidden()
    expect(page.locator(".panel__subtitle")).to_be_visible()
    context.close()
    console.context.close()


def console_login(page: Page, stack: Stack, email: str, language: str) -> None:
    page.goto(f"{stack.service_url}/staff/login?lang={language}")
    page.get_by_label({"fr": "Adresse e-mail", "ar": "البريد الإلكتروني", "en": "E-mail address"}[language]).fill(email)
    page.get_by_label({"fr": "Mot de passe", "ar": "كلمة المرور", "en": "Password"}[language]).fill(PASSWORD)
    page.get_by_role("button", name={"fr": "Se connecter", "ar": "دخول", "en": "Log in"}[language]).click()
    expect(page.locator("h1")).to_be_visible()


def assert_no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page is {width} px wide on a {PHONE['width']} px phone"


def test_arabic_queue_fits_a_phone(browser: Browser, stack: Stack, adviser: StaffClient) -> None:
    context = phone_context(browser)
    page = context.new_page()
    console_login(page, stack, adviser.email, "ar")  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name=re.compile("قائمة الطلبات"))).to_be_visible()
    rows = page.locator("table.queue tbody tr")
    if rows.count():
        expect(rows.first.locator("td").first).to_contain_text(re.compile(r"MRE-\d{4}-\d{6}"))
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    assert_no_sideways_scroll(page)
    screenshot(page, "console-queue-ar-phone")
    context.close()
