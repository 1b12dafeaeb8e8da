"""Support cases in the database (SQLite and PostgreSQL)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from assistant.cases import replies, store
from assistant.cases.store import CaseRequest
from assistant.db.engine import session_scope
from assistant.db.models import CaseEvent, ErasureRequest, Notification, StaffMessage, StaffUser
from assistant.db.types import utcnow
from assistant.service.auth import hash_password


def request_for(conversation: str = "conv-1", **overrides: object) -> CaseRequest:
    values: dict[str, object] = dict(
        conversation_id=conversation, channel="rest", language="fr", name="Karim Benali", country="Belgique",
        summary="Je veux ouvrir un riad à Tanger.", consent_at=utcnow(), email="karim@example.com",
        phone="+32470123456", region="tanger_tetouan_al_hoceima", sector="tourisme", stage="creation",
        topic="financing", transcript=[{"from": "investor", "text": "Bonjour", "at": 1.0}],
    )
    values.update(overrides)
    return CaseRequest(**values)  # type: ignore[arg-type]


async def staff_member(email: str = "samira@cellule.ma") -> StaffUser:
    async with session_scope() as session:
        user = StaffUser(email=email, name="Samira", password_hash=hash_password("x" * 12))
        session.add(user)
    return user


async def test_opening_gives_a_reference_and_is_idempotent(database: str) -> None:
    case, created = await store.open_case(request_for())
    again, created_again = await store.open_case(request_for())
    assert created and not created_again
    assert case.reference == again.reference
    assert re.fullmatch(r"MRE-\d{4}-\d{6}", case.reference or "")
    async with session_scope() as session:
        count = await session.scalar(select(func.count()).select_from(CaseEvent))
    assert count == 1


async def test_notifications_are_queued_with_the_case(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.settings import get_settings

    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("NOTIFY_EMAIL_TO", "cellule@example.org")
    monkeypatch.setenv("NOTIFY_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    get_settings.cache_clear()
    case, _ = await store.open_case(request_for())
    async with session_scope() as session:
        kinds = sorted((await session.scalars(select(Notification.kind).where(Notification.case_id == case.id))).all())
    assert kinds == ["email", "webhook"]


async def test_status_only_for_the_conversation_that_opened_the_case(database: str) -> None:
    case, _ = await store.open_case(request_for("conv-1"))
    assert (await store.case_for_requester(case.reference, "conv-1")) is not None
    assert (await store.case_for_requester(None, "conv-1")) is not None
    # another conversation cannot read it, even knowing the reference
    assert (await store.case_for_requester(case.reference, "someone-else")) is None
    assert (await store.case_for_requester(None, "someone-else")) is None
    # the contact's phone number, used as an id on another channel, reads nothing
    assert (await store.case_for_requester(case.reference, "whatsapp:32470123456")) is None
    assert (await store.case_for_requester(None, "rest:32470123456")) is None
    whatsapp, _ = await store.open_case(request_for("whatsapp:32470123456"))
    found = await store.case_for_requester(None, "whatsapp:32470123456")
    assert found is not None and found.id == whatsapp.id
    assert (await store.case_for_requester(whatsapp.reference, "rest:32470123456")) is None
    assert (await store.case_for_requester(whatsapp.reference, "twilio:+32470123456")) is None


async def test_staff_workflow_and_audit_log(database: str) -> None:
    case, _ = await store.open_case(request_for())
    samira = await staff_member()
    reference = case.reference or ""
    await store.claim_case(reference, samira)
    await store.add_note(reference, samira, "Rappeler lundi")
    message = await store.queue_reply(reference, samira, "Bonjour Karim")
    assert [m.id for m in await replies.pending_messages_for("conv-1")] == [message.id]
    await replies.mark_sending([message.id])  # handed to Rasa, whose channel reports what became of it
    assert await replies.pending_messages_for("conv-1") == []
    await store.set_status(reference, "resolved", samira)
    detail = await store.get_case(reference)
    assert detail.status == "resolved" and detail.resolved_at is not None
    assert [e.action for e in detail.events] == ["created", "claimed", "note", "reply", "status"]
    with pytest.raises(store.InvalidTransition):
        await store.set_live(reference, True, samira)


async def test_filters(database: str) -> None:
    await store.open_case(request_for("a", language="fr", channel="rest", region="oriental"))
    await store.open_case(request_for("b", language="ar", channel="whatsapp", region="souss_massa", name="Amina"))
    cases, total = await store.list_cases(store.CaseFilters(language="ar"))
    assert total == 1 and cases[0].channel == "whatsapp"
    _, total = await store.list_cases(store.CaseFilters(region="oriental", status="new"))
    assert total == 1
    _, total = await store.list_cases(store.CaseFilters(topic="nothing"))
    assert total == 0


async def test_unknown_case_raises(database: str) -> None:
    with pytest.raises(store.CaseNotFound):
        await store.get_case("MRE-2026-999999")


async def test_export_and_erase(database: str) -> None:
    case, _ = await store.open_case(request_for("whatsapp:32470123456"))
    samira = await staff_member()
    await store.add_note(case.reference or "", samira, "Karim rappelle au +32 470 12 34 56")
    reply = await store.queue_reply(case.reference or "", samira, "Bonjour Karim")
    async with session_scope() as session:
        stored = await session.get(StaffMessage, reply.id)
        assert stored is not None
        stored.status, stored.channel_message_id = "delivered", "wamid.HBgLMzI0NzAxMjM0NTYVAgARGBI"
    exported = store.export_case(await store.get_case(case.reference or ""))
    assert exported["contact"]["email"] == "karim@example.com" and exported["transcript"]
    await store.erase_case(case.reference or "", samira)
    erased = await store.get_case(case.reference or "")
    assert erased.erased_at is not None and erased.name is None and erased.email is None and erased.transcript == []
    assert erased.status == "closed"
    assert erased.notes == []  # staff notes are personal data too
    assert [(m.text, m.channel_message_id) for m in erased.messages] == [("", None)]  # nor the channel's ids
    assert "32470123456" not in erased.conversation_id and erased.conversation_id.startswith("erased:")
    async with session_scope() as session:
        requests = (await session.scalars(select(ErasureRequest.conversation_id))).all()
    assert requests == ["whatsapp:32470123456"]  # until the tracker conversation is deleted


async def test_erasure_requested_in_the_chat(database: str) -> None:
    await store.open_case(request_for("conv-9"))
    await store.open_case(request_for("conv-9", summary="Une autre question sur la TVA."))
    assert await store.request_erasure("conv-9") == 2
    cases, _ = await store.list_cases(store.CaseFilters())
    assert all(c.erased_at is not None for c in cases)
