"""Staff replies have one delivery path: what is relayed again, when, and what the console says."""

from __future__ import annotations

import datetime as dt

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from assistant.actions.handoff import ActionRelayStaffMessages
from assistant.cases import replies, store
from assistant.contract import REPLY_GIVE_UP_HOURS, reply_backoff
from assistant.db.engine import session_scope
from assistant.db.models import StaffMessage
from assistant.db.types import utcnow
from assistant.service.delivery_labels import delivery_key, delivery_label, reply_flash_key
from assistant.service.i18n import TABLES, catalog, load_table
from assistant.settings import Settings
from tests.app_env.test_case_store import request_for, staff_member
from tests.support.trackers import make_tracker

SQLITE = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
WEB = "web:" + "a" * 32


async def set_state(message_id: int, **values: object) -> None:
    async with session_scope() as session:
        message = await session.get(StaffMessage, message_id)
        assert message is not None
        for key, value in values.items():
            setattr(message, key, value)


async def state(message_id: int) -> tuple[str, int, str | None]:
    async with session_scope() as session:
        message = await session.scalar(select(StaffMessage).where(StaffMessage.id == message_id))
        assert message is not None
        return message.status, message.attempts, message.delivery_note


def test_backoff_doubles_and_is_capped() -> None:
    assert reply_backoff(0) == dt.timedelta(0)
    assert [reply_backoff(n, 10).total_seconds() for n in (1, 2, 3)] == [10, 20, 40]
    assert reply_backoff(30, 10) == dt.timedelta(minutes=30)


@SQLITE
async def test_refused_replies_wait_their_backoff_and_a_stored_one_is_never_relayed_again(database: str) -> None:
    case, _ = await store.open_case(request_for("whatsapp:212661234567", channel="whatsapp"))
    web_case, _ = await store.open_case(request_for(WEB, channel="socketio"))
    samira = await staff_member()
    refused = await store.queue_reply(case.reference or "", samira, "Bonjour")
    kept = await store.queue_reply(web_case.reference or "", samira, "Bonjour Amina")
    # Rasa was unreachable: relayed again once it is 10 s old
    assert await replies.conversations_due(dt.timedelta(seconds=10), 15) == []
    assert set(await replies.conversations_due(dt.timedelta(0), 15)) == {"whatsapp:212661234567", WEB}
    # refused twice by the Graph API, last try 20 s ago: the backoff (30 s) is not over
    await set_state(refused.id, status="pending", attempts=2, sending_since=utcnow() - dt.timedelta(seconds=20))
    await set_state(kept.id, status="stored")
    assert await replies.conversations_due(dt.timedelta(0), 15) == []
    await set_state(refused.id, sending_since=utcnow() - dt.timedelta(seconds=31))
    assert await replies.conversations_due(dt.timedelta(0), 15) == ["whatsapp:212661234567"]
    # no number of tries ends it (only REPLY_GIVE_UP_HOURS, when Rasa records a refusal): the
    # 12th refusal still waits its capped backoff (30 min) and is relayed again after it
    await set_state(refused.id, attempts=12, sending_since=utcnow() - dt.timedelta(minutes=29))
    assert await replies.conversations_due(dt.timedelta(0), 15) == []
    await set_state(refused.id, sending_since=utcnow() - dt.timedelta(minutes=31))
    assert await replies.conversations_due(dt.timedelta(0), 15) == ["whatsapp:212661234567"]
    # a reply reported on by nobody (Rasa stopped while sending) is relayed again after a while
    await set_state(refused.id, status="sending", sending_since=utcnow() - replies.SENDING_TIMEOUT * 2)
    assert await replies.conversations_due(dt.timedelta(0), 15) == ["whatsapp:212661234567"]


@SQLITE
async def test_only_a_failed_reply_can_be_resent_and_it_gets_fresh_tries(database: str) -> None:
    case, _ = await store.open_case(request_for("whatsapp:212661234567", channel="whatsapp"))
    other, _ = await store.open_case(request_for("whatsapp:212661234568", channel="whatsapp"))
    samira = await staff_member()
    message = await store.queue_reply(case.reference or "", samira, "Bonjour")
    with pytest.raises(replies.NotFailed):
        await replies.resend_reply(case.reference or "", message.id, samira)
    await set_state(message.id, status="failed", attempts=40, delivery_note="channel_refused")
    with pytest.raises(replies.ReplyNotFound):  # another case's reply
        await replies.resend_reply(other.reference or "", message.id, samira)
    await replies.resend_reply(case.reference or "", message.id, samira)
    assert await state(message.id) == ("pending", 0, None)
    detail = await store.get_case(case.reference or "")
    assert detail.events[-1].action == "reply_resent"
    await set_state(message.id, status="failed")
    await store.set_status(case.reference or "", "resolved", samira)
    with pytest.raises(store.ConversationClosed):
        await replies.resend_reply(case.reference or "", message.id, samira)


@SQLITE
async def test_relay_never_utters_twice_a_reply_the_website_conversation_already_holds(database: str) -> None:
    case, _ = await store.open_case(request_for(WEB, channel="socketio"))
    samira = await staff_member()
    first = await store.queue_reply(case.reference or "", samira, "Bonjour Amina")
    second = await store.queue_reply(case.reference or "", samira, "Avez-vous vos statuts ?")
    # the first was uttered (it is in the tracker) but its report was lost: still `sending`, stale
    await set_state(first.id, status="sending", sending_since=utcnow() - replies.SENDING_TIMEOUT * 2)
    uttered = {"event": "bot", "text": "Bonjour Amina", "timestamp": 1.0,
               "metadata": {"utter_action": "utter_staff_message", "staff_message_id": first.id}}
    base = make_tracker("merci", sender=WEB, channel="socketio")
    tracker = Tracker(WEB, base.slots, base.latest_message, [uttered, *base.events], False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    await ActionRelayStaffMessages().run(dispatcher, tracker, {})
    assert [m.get("staff_text") for m in dispatcher.messages] == ["Avez-vous vos statuts ?"]
    assert (await state(first.id))[0] == "stored"
    assert (await state(second.id))[0] == "sending"


def test_the_console_says_where_each_reply_is_in_every_language() -> None:
    assert delivery_key("pending", None) == delivery_key("sending", None) == "delivery_queued"
    assert delivery_key("pending", "channel_refused") == "delivery_retrying"
    assert delivery_key("stored", "investor_away") == "delivery_stored"
    assert delivery_key("sent", None) == "delivery_sent"
    assert delivery_key("sent", "whatsapp_template") == "delivery_template"
    assert delivery_key("delivered", None) == "delivery_delivered"
    assert delivery_key("delivered", "read") == "delivery_read"
    assert delivery_key("failed", "channel_refused") == "delivery_failed"
    assert delivery_key("failed", "channel_cannot_push") == "delivery_cannot_push"
    assert reply_flash_key("stored", "investor_away") == "reply_stored"
    assert reply_flash_key("pending", None) == "reply_queued"
    table = load_table(next(path for path in TABLES if path.name == "delivery_strings.yml"))  # one place: the YAML table
    assert {"delivery_queued", "delivery_retrying", "reply_queued", "reply_stored", "resend"} <= set(table)
    for language in ("fr", "ar", "en"):
        strings = catalog(language)
        assert all(strings[key].strip() and strings[key] == table[key][language] for key in table)
    # "sent" is not "delivered", in no language
    assert len({catalog(lang)["delivery_sent"] for lang in ("fr", "ar", "en")} & {
        catalog(lang)["delivery_delivered"] for lang in ("fr", "ar", "en")}) == 0
    # a retrying reply says how many tries it had, the number isolated (Arabic is RTL)
    assert delivery_label(catalog("en"), "delivery_retrying", 3) == "retrying: the channel refused it, tries: \u20683\u2069"
    assert delivery_label(catalog("fr"), "delivery_retrying", 7).startswith("nouvel essai automatique")
    for language in ("fr", "ar", "en"):
        label = delivery_label(catalog(language), "delivery_retrying", 12)
        assert "\u206812\u2069" in label and "{" not in label
        assert delivery_label(catalog(language), "delivery_sent", 1) == catalog(language)["delivery_sent"]


def test_the_give_up_limit_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REPLY_GIVE_UP_HOURS", raising=False)
    assert Settings.from_env().reply_give_up_hours == REPLY_GIVE_UP_HOURS == 24
    monkeypatch.setenv("REPLY_GIVE_UP_HOURS", "0.5")
    assert Settings.from_env().reply_give_up_hours == 0.5
    for wrong in ("a day", "0", "-2"):
        monkeypatch.setenv("REPLY_GIVE_UP_HOURS", wrong)
        with pytest.raises(ValueError, match="REPLY_GIVE_UP_HOURS"):
            Settings.from_env()
