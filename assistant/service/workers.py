"""Background work of the guidance service, each step callable on its own (tests) and
run in a loop by the service:

- notifications: the outbox rows written with each new case are sent to the unit by
  e-mail (SMTP) and/or a signed webhook, with retries and exponential backoff;
- erasure: conversations whose investor asked for erasure are deleted from the tracker
  store once idle;
- relay: staff replies still pending (Rasa was unreachable) are relayed again.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from email.message import EmailMessage

import aiohttp
import aiosmtplib
from sqlalchemy import delete, select, text
from sqlalchemy.exc import SQLAlchemyError

from assistant.cases.rejections import conversation_digest
from assistant.cases.store import erased_id
from assistant.db.channel_tables import channel_inbound_messages, channel_presence
from assistant.db.engine import get_engine, session_scope
from assistant.db.models import Case, ErasureRequest, Notification, SpoolRejection
from assistant.db.types import utcnow
from assistant.insights.store import erase_conversation
from assistant.settings import Settings

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
ERASURE_GRACE = dt.timedelta(seconds=60)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 6 * 3600))


def case_facts(case: Case, settings: Settings) -> dict[str, str | None]:
    """What a notification says: no contact details (staff read them in the console)."""
    return {
        "reference": case.reference,
        "language": case.language,
        "channel": case.channel,
        "region": case.region,
        "topic": case.topic,
        "stage": case.stage,
        "created_at": case.created_at.isoformat(),
        "url": f"{settings.service_public_url}/staff/cases/{case.reference}",
    }


def email_for(case: Case, settings: Settings) -> EmailMessage:
    facts = case_facts(case, settings)
    message = EmailMessage()
    message["Subject"] = f"[MRE] Nouvelle demande / طلب جديد / New request {case.reference}"
    message["From"] = settings.smtp.sender
    message["To"] = ", ".join(settings.smtp.recipients)
    details = (
        f"Langue / اللغة / Language: {facts['language']} · Canal / القناة / Channel: {facts['channel']}\n"
        f"Région / الجهة / Region: {facts['region'] or '-'} · Sujet / الموضوع / Topic: {facts['topic'] or '-'}"
    )
    message.set_content(
        f"Nouvelle demande d'un investisseur : {case.reference}.\n"
        f"طلب جديد من مستثمر: {case.reference}.\n"
        f"New request from an investor: {case.reference}.\n\n{details}\n\n"
        f"Console : {facts['url']}\n"
    )
    return message


async def _send(notification: Notification, case: Case, settings: Settings, http: aiohttp.ClientSession) -> None:
    if notification.kind == "email":
        if not settings.smtp.enabled:
            raise RuntimeError("SMTP is not configured")
        await aiosmtplib.send(
            email_for(case, settings),
            hostname=settings.smtp.host,
            port=settings.smtp.port,
            username=settings.smtp.username or None,
            password=settings.smtp.password or None,
            start_tls=settings.smtp.starttls,
            timeout=20,
        )
    elif notification.kind == "webhook":
        if not settings.notify_webhook_url:
            raise RuntimeError("NOTIFY_WEBHOOK_URL is not configured")
        body = json.dumps({"event": "case.created", **case_facts(case, settings)}).encode()
        headers = {"Content-Type": "application/json"}
        if settings.notify_webhook_secret:
            digest = hmac.new(settings.notify_webhook_secret.encode(), body, hashlib.sha256).hexdigest()
            headers["X-Signature-256"] = f"sha256={digest}"
        async with http.post(settings.notify_webhook_url, data=body, headers=headers) as response:
            if response.status >= 300:
                raise RuntimeError(f"webhook answered {response.status}")
    else:
        raise RuntimeError(f"unknown notification kind {notification.kind!r}")


async def deliver_due_notifications(settings: Settings, limit: int = 20) -> int:
    """Send the notifications that are due; returns how many were sent."""
    async with session_scope() as session:
        due = (
            await session.scalars(
                select(Notification)
                .where(Notification.status == "pending", Notification.next_attempt_at <= utcnow())
                .order_by(Notification.id)
                .limit(limit)
            )
        ).all()
        cases = {n.case_id: await session.get(Case, n.case_id) for n in due}
    sent = 0
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=20)) as http:
        for notification in due:
            case = cases[notification.case_id]
            error: str | None = None
            try:
                assert case is not None
                await _send(notification, case, settings, http)
            except Exception as exc:  # any delivery failure is retried later
                error = f"{exc.__class__.__name__}: {exc}"[:500]
            async with session_scope() as session:
                row = await session.get(Notification, notification.id)
                assert row is not None
                row.attempts += 1
                if error is None:
                    row.status, row.sent_at, row.last_error = "sent", utcnow(), None
                    sent += 1
                else:
                    row.last_error = error
                    if row.attempts >= MAX_ATTEMPTS:
                        row.status = "failed"
                        logger.error("notification %s for a case failed for good: %s", row.id, error)
                    else:
                        row.next_attempt_at = utcnow() + backoff(row.attempts)
                        logger.warning("notification %s not sent (attempt %s), will retry", row.id, row.attempts)
    return sent


def tracker_ids(conversation_id: str) -> list[str]:
    """The conversation's id and the bare id it had before ids carried their channel
    (migration 0009_conversation_ids), so conversations recorded before that are erased too."""
    ids = [conversation_id]
    channel, _, local = conversation_id.partition(":")
    if channel == "whatsapp":
        ids.append(local)
    elif channel == "twilio":
        ids.append(f"whatsapp:{local}")
    return ids


async def process_erasures(settings: Settings, grace: dt.timedelta = ERASURE_GRACE) -> int:
    """Delete erased conversations from Rasa's tracker store (SQL), once idle for `grace`."""
    async with session_scope() as session:
        due = (
            await session.scalars(
                select(ErasureRequest).where(ErasureRequest.done_at.is_(None), ErasureRequest.requested_at <= utcnow() - grace)
            )
        ).all()
    done = 0
    tracker_engine = get_engine(settings.tracker_database_url)
    for request in due:
        senders = tracker_ids(request.conversation_id)
        try:
            async with tracker_engine.begin() as connection:
                for sender in senders:
                    await connection.execute(text("DELETE FROM events WHERE sender_id = :sender"), {"sender": sender})
        except SQLAlchemyError as exc:
            if "no such table" not in str(exc) and "does not exist" not in str(exc):
                logger.error("conversation erasure failed, will retry: %s", exc.__class__.__name__)
                continue
        for sender in senders:  # insights: texts and feedback, also under the id from before the prefixes
            await erase_conversation(sender)
        async with session_scope() as session:
            # WhatsApp/Twilio message ids are stored with the sender's number
            await session.execute(
                delete(channel_inbound_messages).where(channel_inbound_messages.c.sender_id.in_(senders))
            )
            await session.execute(delete(channel_presence).where(channel_presence.c.conversation_id == request.conversation_id))
            # case requests set aside from the spool (the investor's data, under a digest of the id)
            await session.execute(delete(SpoolRejection).where(
                SpoolRejection.conversation_digest.in_([conversation_digest(sender) for sender in senders])))
            row = await session.get(ErasureRequest, request.id)
            if row is not None:
                row.done_at = utcnow()
                row.conversation_id = erased_id(row.conversation_id)  # done: no phone number kept
        done += 1
    return done


async def prune_login_attempts() -> None:
    from assistant.db.models import LoginAttempt, LoginCounter

    async with session_scope() as session:
        await session.execute(delete(LoginAttempt).where(LoginAttempt.at < utcnow() - dt.timedelta(days=1)))
        await session.execute(delete(LoginCounter).where(LoginCounter.window_start < utcnow() - dt.timedelta(days=1)))


async def run_every(seconds: float, step: Callable[[], Awaitable[object]], name: str) -> None:
    """Run `step` forever; a failing step is logged and retried at the next tick."""
    while True:
        try:
            await step()
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("background task %s failed", name)
        await asyncio.sleep(seconds)
