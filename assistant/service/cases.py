"""Staff operations on cases that also touch the live conversation.

Taking a case live pauses the bot and tells the investor a person joined; replies are
queued in the database and relayed by the action server (through Rasa's HTTP API), so
a reply is never lost if Rasa is briefly unreachable: the relay worker retries it;
handing back resumes the bot and tells the investor.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from assistant.cases import store
from assistant.cases.transcript import transcript
from assistant.db.engine import session_scope
from assistant.db.models import Case, StaffMessage, StaffUser
from assistant.db.types import utcnow
from assistant.service.rasa_client import RasaClient, RasaUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplyOutcome:
    message: StaffMessage
    delivered: bool
    note: str | None  # e.g. "whatsapp_template": sent as a template (outside WhatsApp's 24 h window)


class CaseService:
    def __init__(self, rasa: RasaClient) -> None:
        self.rasa = rasa

    async def take_live(self, reference: str, staff: StaffUser) -> Case:
        case = await store.set_live(reference, True, staff)
        try:
            await self.rasa.execute(case.conversation_id, "action_agent_joined")
        except RasaUnavailable:
            await store.set_live(reference, False, staff)
            raise
        return case

    async def hand_back(self, reference: str, staff: StaffUser) -> Case:
        case = await store.get_case(reference)
        await self.rasa.execute(case.conversation_id, "action_agent_left")
        return await store.set_live(reference, False, staff)

    async def reply(self, reference: str, staff: StaffUser, text: str) -> ReplyOutcome:
        message = await store.queue_reply(reference, staff, text)
        case = await store.get_case(reference)
        try:
            await self.rasa.execute(case.conversation_id, "action_relay_staff_messages")
        except RasaUnavailable as exc:
            logger.warning("staff reply queued, relay will retry: %s", exc)
            return ReplyOutcome(message, False, None)
        async with session_scope() as session:
            refreshed = await session.get(StaffMessage, message.id)
        assert refreshed is not None
        return ReplyOutcome(refreshed, refreshed.status in ("sent", "delivered"), refreshed.delivery_note)

    async def conversation(self, case: Case) -> dict[str, Any]:
        """The live conversation from Rasa's tracker (the case keeps a snapshot if Rasa is down)."""
        try:
            tracker = await self.rasa.tracker(case.conversation_id)
        except RasaUnavailable:
            return {"live": False, "paused": None, "messages": case.transcript, "source": "snapshot"}
        # button payloads are skipped: the investor saw the button title
        messages = transcript(tracker.get("events") or [], skip_payloads=True)
        return {"live": True, "paused": bool(tracker.get("paused")), "messages": messages, "source": "tracker"}

    async def retry_pending_replies(self, older_than: dt.timedelta = dt.timedelta(seconds=10)) -> int:
        """Relay staff replies still pending (Rasa unreachable, the channel refused them, no
        widget open) or reported on by nobody: retried until a channel accepts them."""
        async with session_scope() as session:
            conversations = (
                await session.scalars(
                    select(Case.conversation_id)
                    .join(StaffMessage)
                    .where(
                        or_(
                            and_(StaffMessage.status == "pending", StaffMessage.created_at < utcnow() - older_than),
                            and_(StaffMessage.status == "sending",
                                 StaffMessage.sending_since < utcnow() - store.SENDING_TIMEOUT),
                        )
                    )
                    .distinct()
                )
            ).all()
        relayed = 0
        for conversation_id in conversations:
            try:
                await self.rasa.execute(conversation_id, "action_relay_staff_messages")
                relayed += 1
            except RasaUnavailable:
                break
        return relayed
