"""The staff operations on cases: one layer for the JSON API and the console.

`api.py` and `console.py` only parse requests and render results; what an operation
does, which values it accepts and how it behaves when Rasa is down is decided here, and
what staff read (the queue, a case, its activity and plan, the set-aside requests) is read
here too: neither imports the case store. The errors they turn into answers are named here.
Taking a case live pauses the bot and tells the investor a person joined; replies are
queued in the database and relayed by the action server (through Rasa's HTTP API), so
a reply is never lost if Rasa is briefly unreachable: the relay worker retries it;
handing back resumes the bot and tells the investor. Erasing a live case hands it
back first; when Rasa is down the erasure still happens (the bot stays paused).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from assistant.cases import rejections, replies, store
from assistant.cases.rejections import Rejection
from assistant.cases.replies import NotFailed, ReplyNotFound
from assistant.cases.spool import case_spool
from assistant.cases.store import CaseFilters, CaseNotFound, ConversationClosed, InvalidTransition
from assistant.cases.transcript import transcript
from assistant.contract import CASE_STATUSES, REPLY_DELIVERED, TOPICS
from assistant.db.engine import session_scope
from assistant.db.models import Case, CaseNote, StaffMessage, StaffUser
from assistant.plan.store import StoredPlan, plan_of_case
from assistant.service.activity import Activity, activity_for
from assistant.service.rasa_client import RasaClient, RasaUnavailable
from assistant.settings import get_settings

__all__ = [
    "CaseFilters",
    "CaseNotFound",
    "CaseService",
    "ConversationClosed",
    "InvalidTransition",
    "InvalidValue",
    "NotFailed",
    "RasaUnavailable",
    "Rejection",
    "ReplyNotFound",
    "ReplyOutcome",
    "StaffNotFound",
]

logger = logging.getLogger(__name__)

#: Longest note or reply staff may write.
MAX_TEXT = 4000


class InvalidValue(ValueError):
    """A value the operation does not accept (unknown status or topic, empty text)."""


class StaffNotFound(LookupError):
    """No active staff member with this id."""


def clean_text(text: str) -> str:
    """A note or reply as stored: stripped, not empty, at most MAX_TEXT characters."""
    text = text.strip()
    if not text:
        raise InvalidValue("empty text")
    if len(text) > MAX_TEXT:
        raise InvalidValue(f"longer than {MAX_TEXT} characters")
    return text


@dataclass(frozen=True)
class ReplyOutcome:
    message: StaffMessage
    status: str  # assistant.contract.REPLY_STATES, as known right after the relay
    note: str | None  # e.g. "whatsapp_template": sent as a template (outside WhatsApp's 24 h window)

    @property
    def delivered(self) -> bool:
        """Only true when the investor's device has it: never for a reply merely queued or sent."""
        return self.status == REPLY_DELIVERED


class CaseService:
    def __init__(self, rasa: RasaClient, tracker_database_url: str | None = None) -> None:
        self.rasa = rasa
        self.tracker_database_url = tracker_database_url or get_settings().tracker_database_url

    # ------------------------------------------------------------- what staff read

    async def cases(self, filters: CaseFilters) -> tuple[list[Case], int]:
        """One page of the queue, and how many cases match the filters."""
        return await store.list_cases(filters)

    async def case(self, reference: str) -> Case:
        """One case (raises CaseNotFound)."""
        return await store.get_case(reference)

    async def activity(self, cases: list[Case]) -> dict[int, Activity]:
        """Each case's activity by case id: is the investor here, since when do they wait."""
        return await activity_for(cases, self.tracker_database_url)

    async def plan_of(self, case: Case) -> StoredPlan | None:
        """The creation plan made in the case's conversation; none once the case is erased."""
        return await plan_of_case(case.conversation_id, case.erased_at is not None)

    async def rejected_requests(self) -> tuple[int, list[Rejection], list[dict[str, Any]]]:
        """Case requests set aside as impossible to store: (count recorded, recorded entries not
        dismissed, entries still waiting in this machine's spool file)."""
        count, entries = await rejections.pending()
        waiting = case_spool().rejected()
        return count, entries, waiting

    async def set_aside_count(self) -> int:
        """How many set-aside case requests are not dismissed (the console's banner)."""
        return await rejections.pending_count()

    async def dismiss_rejected(self, rejection_id: int, staff: StaffUser) -> bool:
        return await rejections.dismiss(rejection_id, staff)

    # ------------------------------------------------------------- operations through Rasa

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
        message = await store.queue_reply(reference, staff, clean_text(text))
        case = await store.get_case(reference)
        try:
            await self.rasa.execute(case.conversation_id, "action_relay_staff_messages")
        except RasaUnavailable as exc:
            logger.warning("staff reply queued, relay will retry: %s", exc)
            return ReplyOutcome(message, message.status, None)
        async with session_scope() as session:
            refreshed = await session.get(StaffMessage, message.id)
        assert refreshed is not None
        return ReplyOutcome(refreshed, refreshed.status, refreshed.delivery_note)

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
        """Relay again the replies due (Rasa was unreachable, the channel refused them and their
        backoff is over, or nobody reported on them); a reply kept for a closed widget is not
        relayed again: the widget catches up from the conversation."""
        base = get_settings().reply_retry_seconds
        relayed = 0
        for conversation_id in await replies.conversations_due(older_than, base):
            try:
                await self.rasa.execute(conversation_id, "action_relay_staff_messages")
                relayed += 1
            except RasaUnavailable:
                break
        return relayed

    async def resend(self, reference: str, message_id: int, staff: StaffUser) -> StaffMessage:
        """Staff send a failed reply again: queued with fresh tries, relayed now if Rasa answers."""
        message = await replies.resend_reply(reference, message_id, staff)
        case = await store.get_case(reference)
        try:
            await self.rasa.execute(case.conversation_id, "action_relay_staff_messages")
        except RasaUnavailable as exc:
            logger.warning("resent reply queued, relay will retry: %s", exc)
        async with session_scope() as session:
            refreshed = await session.get(StaffMessage, message.id)
        assert refreshed is not None
        return refreshed

    # ------------------------------------------------------------- database-only operations

    async def active_staff(self) -> list[StaffUser]:
        async with session_scope() as session:
            rows = await session.scalars(select(StaffUser).where(StaffUser.active.is_(True)).order_by(StaffUser.name))
            return list(rows.all())

    async def claim(self, reference: str, staff: StaffUser) -> Case:
        return await store.claim_case(reference, staff)

    async def assign(self, reference: str, staff_id: int, actor: StaffUser) -> Case:
        async with session_scope() as session:
            assignee = await session.get(StaffUser, staff_id)
        if assignee is None or not assignee.active:
            raise StaffNotFound(staff_id)
        return await store.assign_case(reference, assignee, actor)

    async def add_note(self, reference: str, staff: StaffUser, text: str) -> CaseNote:
        return await store.add_note(reference, staff, clean_text(text))

    async def set_status(self, reference: str, status: str, staff: StaffUser) -> Case:
        if status not in CASE_STATUSES:
            raise InvalidValue(f"status must be one of {', '.join(CASE_STATUSES)}")
        return await store.set_status(reference, status, staff)

    async def set_topic(self, reference: str, topic: str | None, staff: StaffUser) -> Case:
        if topic is not None and topic not in TOPICS:
            raise InvalidValue("topic must be null or one of " + ", ".join(sorted(TOPICS)))
        return await store.set_topic(reference, topic, staff)

    async def set_live(self, reference: str, live: bool, staff: StaffUser) -> Case:
        """Take over (pause the bot) or hand back; raises RasaUnavailable when Rasa is down."""
        return await (self.take_live(reference, staff) if live else self.hand_back(reference, staff))

    async def export(self, reference: str, staff: StaffUser) -> dict[str, Any]:
        """Everything stored about the investor (right of access); the export is audited."""
        case = await store.get_case(reference)
        await store.record_event(reference, staff, "exported")
        plan = await plan_of_case(case.conversation_id, case.erased_at is not None)
        return {**store.export_case(case), "plan": plan.as_json(every_language=True) if plan else None}

    async def erase(self, reference: str, staff: StaffUser) -> Case:
        """Erase the investor's personal data; a live case is handed back to the bot first.

        Erasure never waits for Rasa: when it is down the case is erased anyway and the
        conversation stays paused (the erasure worker deletes it from the tracker store)."""
        case = await store.get_case(reference)
        if case.live:
            try:
                await self.hand_back(reference, staff)
            except RasaUnavailable:
                logger.warning("erasing a live case while Rasa is unreachable: the bot stays paused")
        return await store.erase_case(reference, staff)
