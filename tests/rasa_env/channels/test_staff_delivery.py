"""Staff replies on WhatsApp show their real delivery state (real Rasa, fake Graph API).

The Graph API is down when the adviser's reply is relayed: the reply is not reported as
sent, stays queued, and goes out when the relay is tried again with the API back.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request

from tests.rasa_env.channels.support import post_whatsapp, text_notification, wa_id, wait_user_events
from tests.support.fakes import FakeGraphApi
from tests.support.stack import Stack

QUEUE_REPLY = """
import asyncio, datetime as dt, sys
from assistant.cases.store import CaseRequest, open_case, queue_reply
from assistant.db.engine import session_scope
from assistant.db.models import StaffUser
async def main():
    case, _ = await open_case(CaseRequest(conversation_id=sys.argv[1], channel="whatsapp", language="fr",
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


def app_python(stack: Stack, code: str, *args: str) -> str:
    done = subprocess.run([str(stack.app_python), "-c", code, *args], cwd=stack.root, env=stack.env, check=True,
                          capture_output=True, text=True)
    return done.stdout.strip()


def relay(stack: Stack, conversation: str) -> None:
    request = urllib.request.Request(
        f"{stack.rasa_url}/conversations/{conversation}/execute?output_channel=whatsapp&token={stack.token}",
        data=json.dumps({"name": "action_relay_staff_messages"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 200


def test_graph_api_down_for_a_staff_reply_keeps_it_queued_then_sends_it(
    stack: Stack, fresh_graph: FakeGraphApi
) -> None:
    sender = wa_id()
    conversation = f"whatsapp:{sender}"
    post_whatsapp(stack, text_notification(sender, "Bonjour"))
    wait_user_events(stack, sender, 1)
    fresh_graph.wait_messages(sender)
    message_id = app_python(stack, QUEUE_REPLY, conversation)
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
