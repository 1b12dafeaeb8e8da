"""Case ratings (#14): which closed case of a conversation is to be rated, and the
service's worker that asks for the rating once a case is closed.

The worker finds cases closed in the last `ASK_WINDOW` that were never asked, records
the question (`insights_case_ratings.asked_at`, so a case is asked once, even with
several service processes) and runs `action_ask_case_rating` on the case's own
conversation through Rasa's HTTP API (so the question reaches the widget, WhatsApp or
Twilio); when Rasa is unreachable the mark is removed and the next round retries.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Protocol

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.contract import CLOSED_STATUSES
from assistant.db.engine import session_scope
from assistant.db.models import Case
from assistant.db.types import utcnow
from assistant.insights.facts import conversation_key
from assistant.insights.models import CaseRating

logger = logging.getLogger(__name__)

#: Cases closed longer ago than this are not asked any more (nor rated by a typed number).
ASK_WINDOW = dt.timedelta(days=7)
#: The investor can still rate a case this long after being asked.
RATE_WINDOW = dt.timedelta(days=14)


class ActionRunner(Protocol):
    async def execute(self, conversation_id: str, action: str) -> object: ...


async def closed_case_to_rate(conversation_id: str, engine: AsyncEngine | None = None) -> str | None:
    """Reference of the conversation's latest closed, unrated case (None if there is none)."""
    async with session_scope(engine) as session:
        rows = (
            await session.execute(
                select(Case.reference, CaseRating.rating)
                .outerjoin(CaseRating, CaseRating.reference == Case.reference)
                .where(
                    Case.conversation_id == conversation_id,
                    Case.status.in_(CLOSED_STATUSES),
                    Case.erased_at.is_(None),
                    Case.resolved_at > utcnow() - RATE_WINDOW,
                )
                .order_by(Case.resolved_at.desc())
                .limit(1)
            )
        ).all()
    for reference, rating in rows:
        return reference if rating is None else None
    return None


async def _claim(reference: str, case: Case, engine: AsyncEngine | None) -> bool:
    try:
        async with session_scope(engine) as session:
            session.add(
                CaseRating(
                    reference=reference,
                    conversation=conversation_key(case.conversation_id),
                    topic=case.topic,
                    channel=case.channel,
                    language=case.language,
                    asked_at=utcnow(),
                )
            )
    except IntegrityError:  # another process asked (or the investor rated) first
        return False
    return True


async def ask_closed_cases(rasa: ActionRunner, engine: AsyncEngine | None = None, limit: int = 20) -> int:
    """Ask the investors of newly closed cases for a rating; returns how many were asked."""
    from assistant.service.rasa_client import RasaUnavailable

    async with session_scope(engine) as session:
        cases = (
            await session.scalars(
                select(Case)
                .outerjoin(CaseRating, CaseRating.reference == Case.reference)
                .where(
                    Case.status.in_(CLOSED_STATUSES),
                    Case.reference.is_not(None),
                    Case.erased_at.is_(None),
                    Case.resolved_at > utcnow() - ASK_WINDOW,
                    CaseRating.reference.is_(None),
                )
                .order_by(Case.resolved_at)
                .limit(limit)
            )
        ).all()
    asked = 0
    for case in cases:
        assert case.reference is not None
        if not await _claim(case.reference, case, engine):
            continue
        try:
            await rasa.execute(case.conversation_id, "action_ask_case_rating")
            asked += 1
        except RasaUnavailable:
            async with session_scope(engine) as session:
                await session.execute(
                    delete(CaseRating).where(CaseRating.reference == case.reference, CaseRating.rating.is_(None))
                )
            logger.warning("case rating: Rasa unreachable, asking again later")
            break
    return asked
