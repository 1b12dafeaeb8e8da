"""Creation plans in the database: one per conversation, behind an unguessable token.

Used by the action server (save the plan it built), the guidance service (serve the
PDF at /plan/<token>.pdf, show the plan on the case page) and erasure.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select

from assistant.db.engine import session_scope
from assistant.db.models import CreationPlan
from assistant.db.types import utcnow

TOKEN_BYTES = 32  # 43 URL-safe characters: not guessable, not derived from the conversation id


@dataclass(frozen=True)
class StoredPlan:
    token: str
    conversation_id: str
    language: str
    inputs: dict[str, Any]
    documents: dict[str, Any]
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None

    @property
    def pdf_links(self) -> dict[str, str]:
        """The PDF in each language (relative to the guidance service)."""
        return {lang: f"/plan/{self.token}.pdf?lang={lang}" for lang in self.documents}

    def as_json(self, *, every_language: bool = False) -> dict[str, Any]:
        """For the staff API (the plan in its language) and the case export (every language)."""
        out: dict[str, Any] = {
            "language": self.language,
            "inputs": self.inputs,
            "pdf": self.pdf_links,
            "created_at": self.created_at.isoformat() if self.created_at else None,
            "updated_at": self.updated_at.isoformat() if self.updated_at else None,
        }
        if every_language:
            out["documents"] = self.documents
        else:
            out["document"] = self.documents.get(self.language)
        return out


def _stored(row: CreationPlan) -> StoredPlan:
    return StoredPlan(
        row.token, row.conversation_id, row.language, dict(row.inputs), dict(row.documents), row.created_at, row.updated_at
    )


async def save_plan(conversation_id: str, language: str, inputs: dict[str, Any], documents: dict[str, Any]) -> StoredPlan:
    """Store (or replace) the conversation's plan; its link stays the same."""
    async with session_scope() as session:
        row = (await session.execute(select(CreationPlan).where(CreationPlan.conversation_id == conversation_id))).scalar_one_or_none()
        if row is None:
            row = CreationPlan(
                token=secrets.token_urlsafe(TOKEN_BYTES), conversation_id=conversation_id,
                language=language, inputs=inputs, documents=documents,
            )
            session.add(row)
        else:
            row.language, row.inputs, row.documents, row.updated_at = language, inputs, documents, utcnow()
        await session.flush()
        return _stored(row)


async def plan_by_token(token: str) -> StoredPlan | None:
    if not token or len(token) > 100:
        return None
    async with session_scope() as session:
        row = (await session.execute(select(CreationPlan).where(CreationPlan.token == token))).scalar_one_or_none()
        return _stored(row) if row else None


async def plan_for_conversation(conversation_id: str) -> StoredPlan | None:
    async with session_scope() as session:
        row = (await session.execute(select(CreationPlan).where(CreationPlan.conversation_id == conversation_id))).scalar_one_or_none()
        return _stored(row) if row else None


async def plan_of_case(conversation_id: str, erased: bool) -> StoredPlan | None:
    """The plan made in a case's conversation; none once the case is erased (it went with it)."""
    return None if erased else await plan_for_conversation(conversation_id)


async def delete_plans(conversation_id: str) -> int:
    """Erasure: the plan goes with the conversation."""
    async with session_scope() as session:
        result = await session.execute(delete(CreationPlan).where(CreationPlan.conversation_id == conversation_id))
        return int(result.rowcount or 0)  # type: ignore[attr-defined]
