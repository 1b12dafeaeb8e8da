"""What staff see at a glance about each case: is the investor here, since when do they wait.

- last investor message: from Rasa's tracker store (the `events` table Rasa writes, the
  same one the erasure worker deletes from), whatever the channel;
- connected now / last seen: the socketio channel's presence rows (website visitors);
- WhatsApp's 24-hour window: open while the investor's last message is under 24 hours old
  (after that a staff reply goes out as the approved template);
- waiting and overdue: the time since the investor's last message when the unit has not
  answered since, against the promised response time (CASE_RESPONSE_DAYS working days).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from assistant.contract import WHATSAPP_CHANNELS, WHATSAPP_WINDOW
from assistant.db.channel_tables import channel_presence
from assistant.db.engine import get_engine, session_scope
from assistant.db.models import Case, StaffMessage
from assistant.db.types import utcnow
from assistant.service.i18n import t

logger = logging.getLogger(__name__)

#: A widget beats every 45 s; missing two beats means the page is gone (or its server crashed).
PRESENCE_FRESH = dt.timedelta(seconds=120)
OPEN_STATUSES = ("new", "assigned", "waiting_user")


def working_days_between(start: dt.datetime, end: dt.datetime) -> float:
    """Working days (Monday to Friday) elapsed from `start` to `end`, in fractions of a day."""
    if end <= start:
        return 0.0
    total = 0.0
    day = start
    while day < end:
        next_day = min(end, (day + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0))
        if day.weekday() < 5:
            total += (next_day - day).total_seconds() / 86400
        day = next_day
    return total


@dataclass(frozen=True)
class Activity:
    channel: str
    status: str
    created_at: dt.datetime
    last_investor_at: dt.datetime | None = None
    last_reply_at: dt.datetime | None = None
    presence_connected: bool = False
    presence_seen_at: dt.datetime | None = None

    def connected(self, now: dt.datetime) -> bool:
        return bool(self.presence_connected and self.presence_seen_at and now - self.presence_seen_at < PRESENCE_FRESH)

    @property
    def last_seen(self) -> dt.datetime | None:
        times = [t for t in (self.last_investor_at, self.presence_seen_at) if t is not None]
        return max(times) if times else None

    def whatsapp_window_open(self, now: dt.datetime) -> bool | None:
        """None for other channels."""
        if self.channel not in WHATSAPP_CHANNELS:
            return None
        return self.last_investor_at is not None and now - self.last_investor_at < WHATSAPP_WINDOW

    @property
    def waiting_since(self) -> dt.datetime | None:
        """Since when the investor waits for the unit (None: answered, or the case is done)."""
        if self.status not in OPEN_STATUSES:
            return None
        since = self.last_investor_at or self.created_at
        if self.last_reply_at is not None and self.last_reply_at >= since:
            return None
        return since

    def overdue(self, now: dt.datetime, response_days: int) -> bool:
        since = self.waiting_since
        return since is not None and working_days_between(since, now) > response_days

    def as_json(self, now: dt.datetime, response_days: int) -> dict[str, object]:
        waiting = self.waiting_since
        return {
            "connected": self.connected(now),
            "last_seen": self.last_seen.isoformat() if self.last_seen else None,
            "last_investor_message": self.last_investor_at.isoformat() if self.last_investor_at else None,
            "whatsapp_window_open": self.whatsapp_window_open(now),
            "waiting_since": waiting.isoformat() if waiting else None,
            "waiting_seconds": int((now - waiting).total_seconds()) if waiting else None,
            "overdue": self.overdue(now, response_days),
        }


def _utc(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return dt.datetime.fromtimestamp(float(value), tz=dt.timezone.utc)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)
    return None


async def last_investor_messages(conversation_ids: Sequence[str], tracker_url: str) -> dict[str, dt.datetime]:
    """Time of each conversation's last user message, from Rasa's tracker store."""
    if not conversation_ids:
        return {}
    query = text(
        "SELECT sender_id, MAX(timestamp) FROM events WHERE type_name = 'user' AND sender_id IN :ids GROUP BY sender_id"
    ).bindparams(bindparam("ids", expanding=True))
    try:
        async with get_engine(tracker_url).connect() as connection:
            rows = (await connection.execute(query, {"ids": list(conversation_ids)})).all()
    except SQLAlchemyError as exc:  # no conversation yet (no table), or the tracker store is down
        missing_table = "no such table" in str(exc) or "does not exist" in str(exc)
        logger.log(logging.DEBUG if missing_table else logging.WARNING, "last investor messages unavailable: %s", exc.__class__.__name__)
        return {}
    return {str(sender): at for sender, stamp in rows if (at := _utc(stamp)) is not None}


async def activity_for(cases: Sequence[Case], tracker_url: str) -> dict[int, Activity]:
    """Each case's activity (by case id), in three queries whatever the number of cases."""
    if not cases:
        return {}
    conversations = sorted({c.conversation_id for c in cases})
    last_messages = await last_investor_messages(conversations, tracker_url)
    async with session_scope() as session:
        rows = await session.execute(
            select(StaffMessage.case_id, func.max(StaffMessage.created_at))
            .where(StaffMessage.case_id.in_([c.id for c in cases]))
            .group_by(StaffMessage.case_id)
        )
        replies: dict[int, dt.datetime] = {case_id: at for case_id, at in rows.all()}
        presence = {
            row.conversation_id: row
            for row in (
                await session.execute(
                    select(channel_presence).where(channel_presence.c.conversation_id.in_(conversations))
                )
            ).all()
        }
    result = {}
    for case in cases:
        seen = presence.get(case.conversation_id)
        result[case.id] = Activity(
            channel=case.channel,
            status=case.status,
            created_at=case.created_at,
            last_investor_at=last_messages.get(case.conversation_id),
            last_reply_at=_utc(replies.get(case.id)),
            presence_connected=bool(seen.connected) if seen else False,
            presence_seen_at=_utc(seen.seen_at) if seen else None,
        )
    return result


def waiting_label(seconds: int, lang: str) -> str:
    """"3 min", "5 h", "2 j" in the console's language."""
    minutes = max(seconds, 0) // 60
    if minutes < 60:
        return t(lang, "waiting_minutes", n=minutes)
    if minutes < 48 * 60:
        return t(lang, "waiting_hours", n=minutes // 60)
    return t(lang, "waiting_days", n=minutes // 1440)


__all__ = ["Activity", "activity_for", "utcnow", "waiting_label", "working_days_between"]
