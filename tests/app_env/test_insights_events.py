"""Insights: broker events into turn facts (SQL broker table and RabbitMQ), idempotent,
with redaction, retention and erasure; on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import secrets

import pytest
from sqlalchemy import func, insert, select

from assistant.db.engine import session_scope
from assistant.insights import store
from assistant.insights.consumer import consume_rabbitmq, drain_sql
from assistant.insights.facts import conversation_key
from assistant.insights.models import InsightTurn, broker_events
from assistant.insights.redact import redact
from assistant.settings import get_settings
from tests.conftest import service_unavailable
from tests.support import rasa_events as ev

RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")


async def put_in_broker_table(events: list[dict]) -> None:
    """What Rasa's SQL event broker writes."""
    async with session_scope() as session:
        for event in events:
            await session.execute(insert(broker_events).values(sender_id=event.get("sender_id"), data=json.dumps(event)))


async def turns() -> list[InsightTurn]:
    async with session_scope() as session:
        return list((await session.scalars(select(InsightTurn).order_by(InsightTurn.id))).all())


async def test_turn_facts_from_the_sql_broker(loaded_knowledge: str) -> None:
    events = [
        *ev.answered("web-1", "Quel capital minimum pour une SARL ?", "sarl-capital"),
        *ev.not_covered("web-1", "Combien coûte un local à Tanger ? appelez moi au 0612345678", variety="fr"),
        *ev.not_understood("wa-2", "chno hadchi kifach bla bla", variety="arabizi"),
        ev.user("wa-2", "bghit nhder m3a chi wa7ed", "request_human", variety="arabizi", channel="whatsapp"),
        ev.bot("wa-2", "utter_ask_case_consent"),
        ev.bot("wa-2", "utter_case_opened"),
        ev.user("web-3", "SARL ou SAS ?", "ask_legal_form"),
        ev.bot("web-3", "utter_kb_clarify"),
    ]
    await put_in_broker_table(events)
    assert await drain_sql() == len(events)
    rows = await turns()
    assert [r.outcome for r in rows] == ["answered", "not_covered", "not_understood", "other", "other"]
    answered, uncovered, not_understood, handoff, clarified = rows
    assert answered.entry_id == "sarl-capital" and answered.topic == "legal_forms"
    assert answered.variety == "fr" and answered.channel == "rest" and answered.intent == "ask_legal_form"
    assert answered.text is None and answered.pending_text is None  # answered, unrated: no text kept
    assert uncovered.text == "Combien coûte un local à Tanger ? appelez moi au [phone]"
    assert uncovered.topic == "creation"
    assert not_understood.text == "chno hadchi kifach bla bla" and not_understood.variety == "arabizi"
    assert handoff.handoff and handoff.case_opened and handoff.channel == "whatsapp"
    assert clarified.clarification
    assert answered.conversation == conversation_key("web-1") and "web-1" not in answered.conversation
    async with session_scope() as session:  # processed rows leave the broker table (they hold texts)
        assert await session.scalar(select(func.count()).select_from(broker_events)) == 0


async def test_duplicate_events_count_once_and_malformed_are_skipped(loaded_knowledge: str) -> None:
    events = ev.not_covered("web-9", "Aide pour un projet de ferme solaire ?")
    await put_in_broker_table(events + events)  # delivered twice
    async with session_scope() as session:
        for bad in ("not json", "[1, 2]", json.dumps({"event": "user"}), json.dumps({"event": "user", "sender_id": "x", "timestamp": "soon"})):
            await session.execute(insert(broker_events).values(sender_id="x", data=bad))
    await put_in_broker_table(ev.answered("web-9", "capital SARL", "sarl-capital"))
    await drain_sql()
    rows = await turns()
    assert [r.outcome for r in rows] == ["not_covered", "answered"]
    # the same event again later (e.g. replayed from a spool) still counts once
    async with session_scope() as session:
        assert await store.apply_event(session, events[0]) is False


async def test_events_without_a_fact_leave_no_trace(loaded_knowledge: str) -> None:
    """Actions, slots other than the rated ones, bot messages without a fact: nothing is
    recorded for them, not even their key (they were most of the per-turn work)."""
    from assistant.insights.models import SeenEvent

    events = ev.answered("web-8", "capital SARL", "sarl-capital")  # user, action, bot, kb_entry slot, action
    await put_in_broker_table([*events, ev.slot("web-8", "language", "fr")])
    await drain_sql()
    async with session_scope() as session:
        assert await session.scalar(select(func.count()).select_from(SeenEvent)) == 3  # user, answer, kb_entry
        assert await store.apply_event(session, ev.action("web-8", "action_listen")) is False
    assert [(r.outcome, r.entry_id) for r in await turns()] == [("answered", "sarl-capital")]


def _conversations(prefix: str) -> list[dict]:
    """Two interleaved conversations with every kind of fact, a rating of an earlier turn, a
    redelivered event and a bot message after a turn it does not belong to."""
    first = ev.answered(f"{prefix}-1", "capital SARL", "sarl-capital")
    events = [
        *first,
        *ev.not_covered(f"{prefix}-2", "un local à Tanger ? 0612345678"),
        ev.user(f"{prefix}-1", "SARL ou SAS ?", "ask_legal_form"),
        ev.bot(f"{prefix}-1", "utter_kb_clarify"),
        ev.slot(f"{prefix}-1", "answer_feedback", {"value": "up", "message_id": first[0]["message_id"],
                                                  "question": "capital SARL", "comment": None}),
        first[2],  # redelivered
        *ev.not_understood(f"{prefix}-2", "bla bla", variety="arabizi"),
        ev.user(f"{prefix}-2", "bghit nhder m3a chi wa7ed", "request_human", variety="arabizi"),
        ev.bot(f"{prefix}-2", "utter_ask_case_consent"),
        ev.bot(f"{prefix}-2", "utter_case_opened"),
        *ev.answered(f"{prefix}-1", "taux IS", "corporate-tax"),
        ev.slot(f"{prefix}-1", "kb_entry", "sarl-capital"),
    ]
    start = events[0]["timestamp"] - 60
    for index, event in enumerate(events):  # 0.4 s apart: some within a turn's one-second slack, some not
        if event is not first[2] or index == 2:
            event["timestamp"] = start + 0.4 * index
    return events


async def test_a_batch_records_what_its_events_one_by_one_record(loaded_knowledge: str) -> None:
    """The drain applies a batch's facts in memory, with a few statements per batch: the turns
    are those recorded when each event is its own batch (#15)."""
    one_by_one = _conversations("a")
    together = [{**event, "sender_id": event["sender_id"].replace("a-", "b-", 1)} for event in one_by_one]
    await put_in_broker_table(one_by_one[:3])
    assert await drain_sql(batch=1) == 3
    await put_in_broker_table(one_by_one[3:])
    assert await drain_sql(batch=1) == len(one_by_one) - 3
    await put_in_broker_table(together[:3])
    await drain_sql()  # a turn stored by an earlier batch, updated by the next one
    await put_in_broker_table(together[3:])
    assert await drain_sql(batch=500) == len(together) - 3

    def facts(prefix: str, rows: list[InsightTurn]) -> list[tuple]:
        return [(r.conversation == conversation_key(f"{prefix}-1"), r.message_id, r.at, r.variety, r.intent,
                 r.outcome, r.entry_id, r.topic, r.clarification, r.handoff, r.case_opened, r.pending_text,
                 r.text, r.feedback) for r in rows if r.conversation in {conversation_key(f"{prefix}-{n}") for n in (1, 2)}]

    rows = await turns()
    assert len(facts("a", rows)) == 6
    assert facts("b", rows) == facts("a", rows)


async def test_feedback_keeps_the_rated_question(loaded_knowledge: str) -> None:
    """A button press ("not useful") and a typed "oui" after the question both rate the
    answered turn by its message id; the feedback message is not a turn of its own."""
    asked = ev.answered("web-5", "Quel est le taux de l'IS ? mon mail: a.b@example.org", "corporate-tax")
    rated_id = asked[0]["message_id"]
    await put_in_broker_table([
        *asked,
        ev.user("web-5", "/feedback_unhelpful", "feedback_unhelpful"),
        ev.slot("web-5", "answer_feedback", {"value": "down", "message_id": rated_id,
                                             "question": asked[0]["text"], "comment": None}),
        *ev.answered("web-5", "capital SARL", "sarl-capital"),
    ])
    await drain_sql()
    turn, second = await turns()
    assert turn.feedback == -1 and turn.text == "Quel est le taux de l'IS ? mon mail: [email]"
    assert second.feedback is None and second.text is None
    # typed feedback on the second answer (after the next turn began): the question comes with it,
    # the comment is redacted; a later rating of the same turn wins
    await put_in_broker_table([
        ev.user("web-5", "pas utile, appelez moi 0612345678", "feedback_unhelpful"),
        ev.slot("web-5", "answer_feedback", {"value": "down", "message_id": second.message_id,
                                             "question": "capital SARL", "comment": "pas utile, appelez moi 0612345678"}),
        ev.slot("web-5", "answer_feedback", None),
    ])
    await drain_sql()
    _, second = await turns()
    assert second.feedback == -1 and second.text == "capital SARL"
    assert second.feedback_comment == "pas utile, appelez moi [phone]"


async def test_case_rating_is_kept_with_the_case_topic_and_erased_with_the_conversation(
    loaded_knowledge: str,
) -> None:
    from assistant.insights.models import CaseRating

    await put_in_broker_table([
        ev.user("web-6", "/rate_case{\"rating_value\": \"5\"}", "rate_case"),
        ev.slot("web-6", "case_rating", {"reference": "MRE-2026-000042", "value": 4, "comment": "bien, merci a@b.ma"}),
        ev.slot("web-6", "case_rating", {"reference": "MRE-2026-000042", "value": 9}),  # malformed: skipped
    ])
    await drain_sql()
    assert await turns() == []
    async with session_scope() as session:
        rating = await session.get(CaseRating, "MRE-2026-000042")
        assert rating is not None and rating.rating == 4 and rating.comment == "bien, merci [email]"
        assert rating.conversation == conversation_key("web-6")
    await store.erase_conversation("web-6")
    async with session_scope() as session:
        assert await session.get(CaseRating, "MRE-2026-000042") is None


async def test_retention_and_erasure(loaded_knowledge: str) -> None:
    import datetime as dt

    await put_in_broker_table([*ev.not_covered("web-7", "question sans réponse"),
                               *ev.not_covered("web-8", "autre question")])
    await drain_sql()
    await store.erase_conversation("web-7")
    rows = await turns()
    assert rows[0].text is None and rows[0].feedback is None and rows[1].text == "autre question"
    async with session_scope() as session:
        row = await session.get(InsightTurn, rows[1].id)
        assert row is not None
        row.at = row.at - dt.timedelta(days=91)
    await store.housekeeping(get_settings().insights_retention_days)
    assert [r.id for r in await turns()] == [rows[0].id]


def test_redaction() -> None:
    assert redact("écrivez à ali.b@gmail.com ou au +33 6 12 34 56 78") == "écrivez à [email] ou au [phone]"
    assert redact("واش ملفي MRE-2026-000123 تقبل؟ رقمي ٠٦١٢٣٤٥٦٧٨") == "واش ملفي [case] تقبل؟ رقمي [phone]"
    assert redact("CIN BE123456, passport AB1234567, IBAN FR76 3000 6000 0112 3456 7890 189") == "CIN [id], passport [id], IBAN [id]"
    assert redact("capital de 10 000 dh en 2025, ou 1000000 dh ?") == "capital de 10 000 dh en 2025, ou 1000000 dh ?"
    assert redact("my id is 123456789") == "my id is [id]"


async def test_events_through_rabbitmq(loaded_knowledge: str, monkeypatch: pytest.MonkeyPatch) -> None:
    aio_pika = pytest.importorskip("aio_pika")
    try:
        connection = await aio_pika.connect(RABBITMQ_URL, timeout=5)
    except Exception as exc:
        service_unavailable("RabbitMQ", f"{RABBITMQ_URL} unreachable ({exc.__class__.__name__})")
    queue_name = f"test_events_{secrets.token_hex(4)}"
    monkeypatch.setenv("EVENT_BROKER_URL", RABBITMQ_URL)
    monkeypatch.setenv("EVENT_QUEUE", queue_name)
    get_settings.cache_clear()
    events = [*ev.answered("wa-1", "capital SARL", "sarl-capital", channel="whatsapp"),
              *ev.not_covered("wa-1", "Visa pour ma femme ?")]
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(queue_name, durable=True)
        for body in [*(json.dumps(e).encode() for e in events), json.dumps(events[0]).encode(), b"{broken"]:
            await channel.default_exchange.publish(aio_pika.Message(body), routing_key=queue_name)
        stop = asyncio.Event()
        consumer = asyncio.create_task(consume_rabbitmq(get_settings(), stop))
        try:
            for _ in range(100):
                rows = await turns()
                if len(rows) == 2 and rows[1].outcome == "not_covered":
                    break
                await asyncio.sleep(0.1)
            await asyncio.sleep(0.3)
        finally:
            consumer.cancel()
            await asyncio.gather(consumer, return_exceptions=True)
        rows = await turns()
        assert [(r.outcome, r.channel) for r in rows] == [("answered", "whatsapp"), ("not_covered", "rest")]
        declared = await channel.declare_queue(queue_name, durable=True, passive=True)
        assert declared.declaration_result.message_count == 0  # everything acknowledged, the malformed one too
        await queue.delete(if_unused=False, if_empty=False)
