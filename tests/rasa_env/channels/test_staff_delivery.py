"""Staff replies on WhatsApp and Twilio show their real delivery state (real Rasa, fake APIs).

The Graph API is down when the adviser's reply is relayed: the reply is not reported as
sent, stays queued, and goes out when the relay is tried again with the API back. Down
for good: the reply stays queued whatever the number of tries, and is `failed` (never
"delivered") only when refused REPLY_GIVE_UP_HOURS after it was made; staff
resend it, it goes out once, and WhatsApp's status callbacks (sent by the fake Graph API
to the webhook, signed) make it `delivered`, then read. Twilio's status callbacks likewise.
"""

from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import urllib.request

from assistant.contract import REPLY_GIVE_UP_HOURS
from tests.rasa_env.channels.support import (
    conversation_of,
    post_twilio,
    post_whatsapp,
    text_notification,
    twilio_form,
    wa_id,
    wait_user_events,
)
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.stack import Stack
from tests.support.whatsapp_stack import (
    APP_SECRET,
    PHONE_NUMBER_ID,
)

QUEUE_REPLY = """
import asyncio, datetime as dt, sys
from assistant.cases.store import CaseRequest, open_case, queue_reply
from assistant.db.engine import session_scope
from assistant.db.models import StaffUser
async def main():
    case, _ = await open_case(CaseRequest(conversation_id=sys.argv[1], channel=sys.argv[1].split(":")[0], language="fr",
        name="Nadia", country="France", summary="Projet de riad a Fes", consent_at=dt.datetime.now(dt.timezone.utc)))
    async with session_scope() as session:
        staff = StaffUser(email=sys.argv[1][-8:] + "@cellule.ma", name="Samira", password_hash="x")
        session.add(staff)
    message = await queue_reply(case.reference, staff, "Bonjour Nadia, ici Samira.")
    print(message.id)
asyncio.run(main())
"""
STATUS = """
import asyncio, sys
from assistant.db.engine import session_scope
from assistant.db.models import StaffMessage
async def main():
    async with session_scope() as session:
        message = await session.get(StaffMessage, int(sys.argv[1]))
        print(message.status, message.delivery_note, message.attempts)
asyncio.run(main())
"""
RESEND = """
import asyncio, sys
from assistant.cases.replies import resend_reply
from assistant.db.engine import session_scope
from assistant.db.models import Case, StaffMessage, StaffUser
async def main():
    async with session_scope() as session:
        message = await session.get(StaffMessage, int(sys.argv[1]))
        reference = (await session.get(Case, message.case_id)).reference
        staff = await session.get(StaffUser, message.author_id)
    await resend_reply(reference, int(sys.argv[1]), staff)
asyncio.run(main())
"""
AGE = """
import asyncio, datetime as dt, sys
from assistant.db.engine import session_scope
from assistant.db.models import StaffMessage
async def main():
    async with session_scope() as session:
        message = await session.get(StaffMessage, int(sys.argv[1]))
        message.created_at -= dt.timedelta(hours=float(sys.argv[2]))
asyncio.run(main())
"""


def app_python(stack: Stack, code: str, *args: str) -> str:
    done = subprocess.run([str(stack.app_python), "-c", code, *args], cwd=stack.root, env=stack.env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def relay(stack: Stack, conversation: str) -> None:
    channel = conversation.split(":")[0]
    quoted = urllib.parse.quote(conversation, safe=":+")  # Rasa's routes do not percent-decode
    request = urllib.request.Request(
        f"{stack.rasa_url}/conversations/{quoted}/execute?output_channel={channel}&token={stack.token}",
        data=json.dumps({"name": "action_relay_staff_messages"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200


def reply_queued(stack: Stack, graph: FakeGraphApi) -> tuple[str, str, str]:
    """A WhatsApp investor said hello and was answered; a staff reply to them is queued.
    Returns (their number, the conversation, the reply's id)."""
    sender = wa_id()
    conversation = f"whatsapp:{sender}"
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    wait_user_events(stack, sender, 1)
    graph.wait_messages(sender)
    return sender, conversation, app_python(stack, QUEUE_REPLY, conversation)


def test_graph_api_down_for_a_staff_reply_keeps_it_queued_then_sends_it(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender, conversation, message_id = reply_queued(stack, fresh_graph)
    fresh_graph.fail_next(*([500] * 10))  # every retry of the send fails: the API is down
    relay(stack, conversation)
    status, note, attempts = app_python(stack, STATUS, message_id).split()
    assert (status, note, attempts) == ("pending", "channel_refused", "1")  # not "delivered"
    fresh_graph.reset()
    relay(stack, conversation)  # what the service's relay worker does
    assert app_python(stack, STATUS, message_id).split()[:1] == ["sent"]
    sent = [m for m in fresh_graph.messages_to(sender) if "ici Samira" in json.dumps(m, ensure_ascii=False)]
    assert len(sent) == 1
    relay(stack, conversation)  # nothing left to send: not sent twice
    assert len([m for m in fresh_graph.quiet(1) if b"ici Samira" in m.body]) == 1


def state_becomes(stack: Stack, message_id: str, expected: list[str], timeout: float = 20) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        state = app_python(stack, STATUS, message_id).split()
        if state[: len(expected)] == expected or time.monotonic() > deadline:
            return state
        time.sleep(0.3)


def test_a_reply_whatsapp_never_accepts_is_retried_until_the_time_limit_then_resent_and_delivered(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender, conversation, message_id = reply_queued(stack, fresh_graph)
    fresh_graph.fail_next(*([503] * 200))  # down for good
    for attempt in range(1, 7):  # more tries than the old limit (5): no number of tries gives up
        relay(stack, conversation)  # what the relay worker does, after each backoff
        status, note, attempts = app_python(stack, STATUS, message_id).split()
        assert (status, note, attempts) == ("pending", "channel_refused", str(attempt))
    # the reply was made REPLY_GIVE_UP_HOURS ago (fast-forwarded): the next refusal gives up
    app_python(stack, AGE, message_id, str(REPLY_GIVE_UP_HOURS - 0.05))
    relay(stack, conversation)
    assert app_python(stack, STATUS, message_id).split() == ["pending", "channel_refused", "7"]
    app_python(stack, AGE, message_id, "0.1")
    relay(stack, conversation)
    assert app_python(stack, STATUS, message_id).split() == ["failed", "channel_refused", "8"]
    relay(stack, conversation)  # given up: not tried again
    assert app_python(stack, STATUS, message_id).split() == ["failed", "channel_refused", "8"]
    assert not [m for m in fresh_graph.messages_to(sender) if "ici Samira" in json.dumps(m, ensure_ascii=False)]

    fresh_graph.reset()  # the API is back; the adviser presses "resend"
    app_python(stack, RESEND, message_id)
    relay(stack, conversation)
    assert app_python(stack, STATUS, message_id).split()[:1] == ["sent"]  # accepted, not yet on the phone
    (wamid, _), = [(i, m) for i, m in fresh_graph.accepted(sender) if "ici Samira" in json.dumps(m, ensure_ascii=False)]
    webhook = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    assert FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, wamid, sender, "sent") == 200
    assert FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, wamid, sender, "delivered") == 200
    assert state_becomes(stack, message_id, ["delivered"])[:1] == ["delivered"]
    assert FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, wamid, sender, "read") == 200
    assert state_becomes(stack, message_id, ["delivered", "read"])[:2] == ["delivered", "read"]
    # a receipt for another message id changes nothing of this reply
    FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, "wamid.other", sender, "failed",
                             errors=[{"code": 131047}])
    assert state_becomes(stack, message_id, ["delivered", "read"])[:2] == ["delivered", "read"]


def test_whatsapp_reporting_a_reply_failed_after_accepting_it_shows_failed(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender, conversation, message_id = reply_queued(stack, fresh_graph)
    relay(stack, conversation)
    (wamid, _), = [(i, m) for i, m in fresh_graph.accepted(sender) if "ici Samira" in json.dumps(m, ensure_ascii=False)]
    webhook = f"{stack.rasa_url}/webhooks/whatsapp/webhook"
    FakeGraphApi.send_status(webhook, APP_SECRET, PHONE_NUMBER_ID, wamid, sender, "failed", errors=[{"code": 131026}])
    assert state_becomes(stack, message_id, ["failed", "channel_failed"])[:2] == ["failed", "channel_failed"]


def test_twilio_status_callbacks_make_a_staff_reply_delivered(stack: Stack, fresh_twilio: FakeTwilioApi) -> None:
    sender = "whatsapp:+2126" + str(time.time_ns())[-8:]
    post_twilio(stack, twilio_form(sender, "Bonjour"))
    fresh_twilio.wait_messages(sender)
    wait_user_events(stack, sender, 1)
    conversation = conversation_of(sender)
    message_id = app_python(stack, QUEUE_REPLY, conversation)
    relay(stack, conversation)
    assert app_python(stack, STATUS, message_id).split()[:1] == ["sent"]
    reply = [r for r in fresh_twilio.requests if r.status < 300 and "ici Samira" in str(r.form.get("Body"))]
    assert len(reply) == 1
    sid = reply[0].answer["sid"]
    callback = {"MessageSid": sid, "MessageStatus": "delivered", "SmsStatus": "delivered", "To": sender,
                "From": "whatsapp:+14155238886", "AccountSid": "AC" + "0" * 32}
    assert post_twilio(stack, callback)[0] == 204
    assert state_becomes(stack, message_id, ["delivered"])[:1] == ["delivered"]
