"""The staff console's case page in headless Chromium: what the adviser sees of the investor (issue #12).

This module runs its own stack with every channel (REST, website, WhatsApp Cloud API and Twilio,
the last two against the local fake APIs of tests/support/fakes.py):
- the conversation pane opens at the newest message; a message arriving while the adviser reads
  older ones gets a "new messages" marker and a button that brings it into view;
- WhatsApp and Twilio cases show whether the 24-hour window is open: open after the investor
  wrote through the webhook, closed when their last message is older (a reply then goes out as
  the approved template, which the console says), in the queue and on the case page;
- a staff reply's delivery state on WhatsApp: sent, then delivered from Meta's status callback.
"""

from __future__ import annotations

import contextlib
import json
import re
import secrets
import subprocess
import time
import urllib.parse
import uuid
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_handoff import PASSWORD, StaffClient
from tests.e2e.test_widget_handoff_details import open_case
from tests.rasa_env.channels.support import (
    post_twilio,
    post_whatsapp,
    text_notification,
    twilio_form,
    wa_id,
)
from tests.support import ahead
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import APP_PYTHON, ROOT, Stack
from tests.support.whatsapp_stack import APP_SECRET, PHONE_NUMBER_ID, whatsapp_stack

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def presence_started() -> Iterator[tuple[Stack, FakeGraphApi, FakeTwilioApi]]:
    """The whole assistant with the website, REST, WhatsApp and Twilio channels, and the fakes it talks to
    (started ahead of this module, tests/support/ahead.py)."""
    graph, twilio_api = FakeGraphApi(), FakeTwilioApi()
    with graph, twilio_api:
        stack = whatsapp_stack(graph, twilio_api)
        stack.env_overrides.setdefault("RASA_PUBLIC_URL", stack.rasa_url)
        with stack:
            yield stack, graph, twilio_api
        stack.cleanup()


AHEAD = {"presence": presence_started}


@pytest.fixture(scope="module")
def presence(request: pytest.FixtureRequest) -> Iterator[tuple[Stack, FakeGraphApi, FakeTwilioApi]]:
    yield from ahead.take(request, presence_started)


@pytest.fixture(scope="module")
def graph(presence: tuple[Stack, FakeGraphApi, FakeTwilioApi]) -> FakeGraphApi:
    return presence[1]


@pytest.fixture(scope="module")
def twilio_api(presence: tuple[Stack, FakeGraphApi, FakeTwilioApi]) -> FakeTwilioApi:
    return presence[2]


@pytest.fixture(scope="module")
def stack(presence: tuple[Stack, FakeGraphApi, FakeTwilioApi]) -> Stack:
    return presence[0]


@pytest.fixture(scope="module")
def adviser(stack: Stack) -> StaffClient:
    email = f"karima.{secrets.token_hex(3)}@cellule.ma"
    subprocess.run(
        [str(APP_PYTHON), "-m", "assistant.service.users", "create", "--email", email, "--name", "Karima Idrissi"],
        cwd=ROOT, env={**stack.env, "STAFF_PASSWORD": PASSWORD}, check=True, capture_output=True,
    )
    client = StaffClient(stack)
    client.login(email)
    client.email = email  # type: ignore[attr-defined]
    return client


def console(browser: Browser, stack: Stack, adviser: StaffClient, language: str = "fr") -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{stack.service_url}/staff/login?lang={language}")
    page.get_by_label({"fr": "Adresse e-mail", "ar": "البريد الإلكتروني", "en": "E-mail address"}[language]).fill(
        adviser.email)  # type: ignore[attr-defined]
    page.get_by_label({"fr": "Mot de passe", "ar": "كلمة المرور", "en": "Password"}[language]).fill(PASSWORD)
    page.get_by_role("button", name={"fr": "Se connecter", "ar": "دخول", "en": "Log in"}[language]).click()
    expect(page.locator("h1")).to_be_visible()
    return page


def append_user_message(stack: Stack, conversation: str, text: str, channel: str, hours_ago: float) -> None:
    """The investor's message as the channel's webhook would have stored it, `hours_ago` hours ago."""
    quoted = urllib.parse.quote(conversation, safe=":+")  # Rasa's routes do not percent-decode
    at = time.time() - hours_ago * 3600
    stack.post_json(
        f"{stack.rasa_url}/conversations/{quoted}/tracker/events?token={stack.token}",
        [{"event": "user", "text": text, "timestamp": at, "input_channel": channel,
          "parse_data": {"text": text, "intent": {"name": "greet", "confidence": 1.0}, "entities": []}}],
    )


# ------------------------------------------------------------------------------- new messages


def test_the_case_page_opens_at_the_newest_message_and_marks_new_ones_out_of_view(
    browser: Browser, stack: Stack, adviser: StaffClient
) -> None:
    sender = uuid.uuid4().hex
    for text in ("Bonjour", "Quels financements pour un projet agricole ?", "Et pour le tourisme ?",
                 "Combien de temps pour le certificat négatif ?", "Merci"):
        stack.say(sender, text)
    reference = open_case(stack, f"rest:{sender}", "rest")
    page = console(browser, stack, adviser)
    page.goto(f"{stack.service_url}/staff/cases/{reference}")
    log = page.locator("#messages")
    expect(log.locator("li.msg.investor").last).to_contain_text("Merci")
    scroll = "e => ({top: e.scrollTop, max: e.scrollHeight - e.clientHeight})"
    page.wait_for_timeout(2500)  # a poll has come and gone: still at the newest message
    opened = log.evaluate(scroll)
    assert opened["max"] > 0 and opened["top"] >= opened["max"] - 2, opened  # the newest message in view
    expect(page.locator(".new-marker")).to_have_count(0)

    log.evaluate("e => { e.scrollTop = 0; }")  # the adviser reads older messages
    page.wait_for_timeout(300)
    stack.say(sender, "J'ai trouvé un terrain à Meknès, que faire ensuite ?")
    marker = page.locator(".new-marker")
    expect(marker).to_have_count(1, timeout=10_000)
    expect(marker).to_have_text("Nouveaux messages")
    expect(marker).to_have_attribute("role", "separator")
    assert log.evaluate("e => e.scrollTop") < 5  # the adviser's reading place is kept
    jump = page.get_by_role("button", name="Voir les nouveaux messages ↓")
    expect(jump).to_be_visible()
    marker_next = page.locator(".new-marker + li.msg")
    expect(marker_next).to_contain_text("terrain à Meknès")
    jump.click()
    expect(jump).to_be_hidden()
    in_view = log.evaluate(
        """e => { const m = e.querySelector('.new-marker').getBoundingClientRect(), l = e.getBoundingClientRect();
                   return m.top >= l.top - 1 && m.bottom <= l.bottom + 1; }"""
    )
    assert in_view, "the marker is not brought into view"
    page.close()


# ------------------------------------------------------------------------------- WhatsApp and Twilio


def test_whatsapp_and_twilio_cases_show_whether_the_24_hour_window_is_open(
    browser: Browser, stack: Stack, adviser: StaffClient, graph: FakeGraphApi, twilio_api: FakeTwilioApi
) -> None:
    recent = wa_id()  # writes now, through the webhook
    assert post_whatsapp(stack, text_notification(recent, "Salam, je voudrais investir à Agadir"))[0] == 200
    graph.wait_messages(recent)
    twilio_sender = "whatsapp:+2126" + str(uuid.uuid4().int)[:8]
    assert post_twilio(stack, twilio_form(twilio_sender, "Bonjour"))[0] == 204
    twilio_api.wait_messages(twilio_sender)
    away = wa_id()  # last wrote 30 hours ago
    append_user_message(stack, f"whatsapp:{away}", "Bonjour, je reviens vers vous", "whatsapp", hours_ago=30)
    cases = {
        "recent": open_case(stack, f"whatsapp:{recent}", "whatsapp"),
        "twilio": open_case(stack, "twilio:" + twilio_sender.removeprefix("whatsapp:"), "twilio"),
        "away": open_case(stack, f"whatsapp:{away}", "whatsapp"),
    }
    for name, reference in cases.items():
        activity = adviser.get(f"/api/cases/{reference}/conversation")["activity"]
        assert activity["whatsapp_window_open"] is (name != "away"), (name, activity)

    page = console(browser, stack, adviser)
    for name, reference in cases.items():
        page.goto(f"{stack.service_url}/staff/cases/{reference}")
        window = page.locator("#presence-window")
        if name == "away":
            expect(window).to_contain_text("Fenêtre WhatsApp de 24 h fermée")
            expect(window).to_have_class(re.compile(r"\bclosed\b"))
        else:
            expect(window).to_have_text("Fenêtre WhatsApp de 24 h ouverte")
            expect(window).to_have_class(re.compile(r"\bonline\b"))
        expect(page.locator("#presence-state")).to_have_count(0)  # no "connected now" for a phone
        via = "sur WhatsApp (Twilio)" if name == "twilio" else "sur WhatsApp"
        expect(page.get_by_text(f"Répondre à l'investisseur — {via}", exact=True)).to_be_visible()
    page.goto(f"{stack.service_url}/staff/")
    for name, reference in cases.items():
        row = page.locator("table.queue tbody tr", has=page.get_by_role("link", name=reference))
        expect(row).to_contain_text("fermée" if name == "away" else "ouverte")

    # outside the window the reply goes out as the approved template, and the console says so
    page.goto(f"{stack.service_url}/staff/cases/{cases['away']}")
    page.get_by_label(re.compile("Répondre à l'investisseur")).fill("Bonjour, avez-vous pu avancer ?")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("#reply-status")).to_contain_text("modèle approuvé", timeout=15_000)
    sent = graph.wait_messages(away)
    assert sent[-1]["type"] == "template"
    expect(page.locator("#staff-replies li").last).to_contain_text("envoyée comme modèle WhatsApp", timeout=10_000)
    page.close()


def test_a_whatsapp_reply_shows_sent_then_delivered_then_read_in_the_console(
    browser: Browser, stack: Stack, adviser: StaffClient, graph: FakeGraphApi
) -> None:
    sender = wa_id()
    assert post_whatsapp(stack, text_notification(sender, "Bonjour"))[0] == 200
    graph.wait_messages(sender)
    reference = open_case(stack, f"whatsapp:{sender}", "whatsapp", "ar")
    page = console(browser, stack, adviser, "ar")
    page.goto(f"{stack.service_url}/staff/cases/{reference}")
    page.get_by_label(re.compile("الرد على المستثمر")).fill("مرحبا، أنا كريمة من الخلية.")
    page.get_by_role("button", name="إرسال").click()
    expect(page.locator("#reply-status")).to_contain_text("تم إرسال الرد", timeout=15_000)
    state = page.locator("#staff-replies li .delivery")
    expect(state).to_have_text("(أرسلت)", timeout=10_000)  # sent: accepted by WhatsApp, not yet on the phone
    wamid = next(i for i, m in graph.accepted(sender) if "كريمة" in json.dumps(m, ensure_ascii=False))
    webhook = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    assert FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, wamid, sender, "delivered") == 200
    expect(state).to_have_text("(وصلت)", timeout=10_000)
    assert FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, wamid, sender, "read") == 200
    expect(state).to_have_text("(قرئت)", timeout=10_000)
    page.close()


def test_a_reply_whatsapp_keeps_refusing_ends_failed_and_can_be_resent(
    browser: Browser, stack: Stack, adviser: StaffClient, graph: FakeGraphApi
) -> None:
    sender = wa_id()
    assert post_whatsapp(stack, text_notification(sender, "Bonjour"))[0] == 200
    graph.wait_messages(sender)
    reference = open_case(stack, f"whatsapp:{sender}", "whatsapp", "en")
    graph.fail_next(*([400] * 1))  # refused at once (a 4xx is not retried inside one send)
    reply = adviser.post(f"/api/cases/{reference}/reply", {"text": "Hello, this is Karima from the unit."})
    assert (reply["status"], reply["delivery"]) == ("pending", "delivery_retrying"), reply
    fast_forward(stack, reply["id"], "pending", 3)  # refused 3 times, last try now: next one in 60 s
    page = console(browser, stack, adviser, "en")
    page.goto(f"{stack.service_url}/staff/cases/{reference}")
    item = page.locator("#staff-replies li")
    expect(item.locator(".delivery")).to_have_text("(retrying: the channel refused it, tries: \u20683\u2069)")
    fast_forward(stack, reply["id"], "failed", 40)
    expect(item.locator(".delivery")).to_have_text("(failed: not delivered after several tries)")
    item.get_by_role("button", name="Resend").click()
    expect(page.get_by_role("status").first).to_contain_text("Reply queued again.")
    expect(item.locator(".delivery")).to_have_text("(sent)", timeout=15_000)
    assert [m for m in graph.messages_to(sender) if "Karima from the unit" in json.dumps(m)], "not resent"
    page.close()


def fast_forward(stack: Stack, message_id: int, status: str, attempts: int) -> None:
    """The relay worker's tries, fast-forwarded: refused `attempts` times, still retrying or, once
    REPLY_GIVE_UP_HOURS are over, failed (the limit itself is tried against the fake Graph API in
    tests/rasa_env/channels/test_staff_delivery.py)."""
    code = (
        "import asyncio, sys\n"
        "from assistant.db.engine import session_scope\n"
        "from assistant.db.models import StaffMessage\n"
        "from assistant.db.types import utcnow\n"
        "async def main():\n"
        "    async with session_scope() as session:\n"
        "        m = await session.get(StaffMessage, int(sys.argv[1]))\n"
        "        m.status, m.attempts, m.delivery_note = sys.argv[2], int(sys.argv[3]), 'channel_refused'\n"
        "        m.sending_since = utcnow()\n"
        "asyncio.run(main())\n"
    )
    subprocess.run([str(APP_PYTHON), "-c", code, str(message_id), status, str(attempts)], cwd=ROOT, env=stack.env,
                   check=True, capture_output=True)
