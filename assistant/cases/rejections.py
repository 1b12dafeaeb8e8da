"""Case requests set aside from the spool, kept for staff (table `spool_rejections`).

The spool (assistant/cases/spool.py) sets aside a request the database refused for good.
It is recorded here, in the project database, so every console shows it whatever machine
the action server runs on: a banner on every staff page while some are not dismissed,
and the list at /staff/spool (JSON: GET /api/spool/rejected). When the database cannot
take even that, the entry stays in `rejected.jsonl` beside the spool and is moved here by
a later retry. Erasure deletes a conversation's entries (by digest of its id).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.db.engine import session_scope
from assistant.db.models import SpoolRejection, StaffUser
from assistant.db.types import utcnow


def conversation_digest(conversation_id: object) -> str | None:
    if not isinstance(conversation_id, str) or not conversation_id:
        return None
    return hashlib.sha256(conversation_id.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Rejection:
    """One set-aside entry as staff see it."""

    id: int | None
    rejected_at: str
    reason: str
    request: Any

    @property
    def fields(self) -> dict[str, str]:
        """The request's main fields, as text (for the console's list)."""
        request = self.request if isinstance(self.request, dict) else {}
        return {key: str(request.get(key) or "") for key in ("name", "channel", "country", "email", "phone", "summary")}

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "rejected_at": self.rejected_at, "reason": self.reason, "request": self.request}


def _request_of(line_entry: dict[str, Any]) -> Any:
    return line_entry.get("request") if isinstance(line_entry, dict) else line_entry


async def record(entries: list[dict[str, Any]], engine: AsyncEngine | None = None) -> None:
    """Stores set-aside entries (`{"rejected_at", "reason", "request"}`); raises on failure."""
    async with session_scope(engine) as session:
        for entry in entries:
            request = _request_of(entry)
            conversation = request.get("conversation_id") if isinstance(request, dict) else None
            session.add(SpoolRejection(
                reason=str(entry.get("reason") or "unknown")[:100],
                conversation_digest=conversation_digest(conversation),
                request=json.dumps(request, ensure_ascii=True),
            ))


async def pending(limit: int = 200, engine: AsyncEngine | None = None) -> tuple[int, list[Rejection]]:
    """(how many are not dismissed, the newest `limit` of them)."""
    async with session_scope(engine) as session:
        count = await session.scalar(
            select(func.count()).select_from(SpoolRejection).where(SpoolRejection.dismissed_at.is_(None))
        )
        rows = (await session.scalars(
            select(SpoolRejection).where(SpoolRejection.dismissed_at.is_(None))
            .order_by(SpoolRejection.rejected_at.desc(), SpoolRejection.id.desc()).limit(limit)
        )).all()
    return int(count or 0), [_shown(row) for row in rows]


async def pending_count(engine: AsyncEngine | None = None) -> int:
    async with session_scope(engine) as session:
        count = await session.scalar(
            select(func.count()).select_from(SpoolRejection).where(SpoolRejection.dismissed_at.is_(None))
        )
    return int(count or 0)


def _shown(row: SpoolRejection) -> Rejection:
    try:
        request: Any = json.loads(row.request)
    except ValueError:
        request = row.request
    return Rejection(row.id, row.rejected_at.isoformat(), row.reason, request)


async def dismiss(rejection_id: int, staff: StaffUser, engine: AsyncEngine | None = None) -> bool:
    """A staff member handled the entry (e.g. re-created the case by hand). False if unknown."""
    async with session_scope(engine) as session:
        row = await session.get(SpoolRejection, rejection_id)
        if row is None or row.dismissed_at is not None:
            return False
        row.dismissed_at = utcnow()
        row.dismissed_by_id = staff.id
    return True


async def forget(conversation_id: str, engine: AsyncEngine | None = None) -> int:
    """Erasure: deletes the conversation's entries. Returns how many."""
    digest = conversation_digest(conversation_id)
    async with session_scope(engine) as session:
        result = await session.execute(delete(SpoolRejection).where(SpoolRejection.conversation_digest == digest))
    return int(getattr(result, "rowcount", 0) or 0)
