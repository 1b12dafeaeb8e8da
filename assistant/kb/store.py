"""The knowledge base in the database: versioned, all-or-nothing loads.

Each successful load inserts a new version with every entry, in one transaction;
the newest version is live. A failed validation writes nothing, so the assistant
keeps serving the previous version whole. Loading the same content again is a
no-op (same checksum).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.db.engine import session_scope
from assistant.db.models import KnowledgeEntry, KnowledgeVersion
from assistant.kb.live import LiveDocuments, checksum, entries_query, latest_query, vocabulary_query
from assistant.kb.schema import load_directory
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents

#: Versions kept for inspection and rollback; older ones are pruned.
KEEP_VERSIONS = 5


@dataclass(frozen=True)
class LoadResult:
    version_id: int
    entry_count: int
    changed: bool


def _json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_safe(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


async def load_knowledge(directory: Path, engine: AsyncEngine | None = None) -> LoadResult:
    """Validate `directory` and make it the live knowledge base (raises KnowledgeError)."""
    entries = load_directory(directory)  # validates everything before touching the database
    vocabulary = read_vocabulary_documents(directory)
    build_vocabulary(entries, vocabulary)  # validates the vocabulary files too
    digest = checksum(directory)
    async with session_scope(engine) as session:
        latest = await session.scalar(select(KnowledgeVersion).order_by(KnowledgeVersion.id.desc()).limit(1))
        if latest is not None and latest.checksum == digest:
            return LoadResult(latest.id, latest.entry_count, changed=False)
        # the same content loaded earlier (a rollback): make it newest again
        await session.execute(delete(KnowledgeVersion).where(KnowledgeVersion.checksum == digest))
        version = KnowledgeVersion(checksum=digest, entry_count=len(entries), vocabulary=_json_safe(vocabulary))
        version.entries = [
            KnowledgeEntry(
                entry_id=e.id,
                topic=e.topic,
                subject=e.subject,
                facet=e.facet,
                status=e.status,
                reviewed_on=e.reviewed_on,
                document=_json_safe(e.raw),
                source_file=e.file,
            )
            for e in entries
        ]
        session.add(version)
        await session.flush()
        old = (
            await session.scalars(
                select(KnowledgeVersion.id).order_by(KnowledgeVersion.id.desc()).offset(KEEP_VERSIONS)
            )
        ).all()
        if old:
            await session.execute(delete(KnowledgeEntry).where(KnowledgeEntry.version_id.in_(old)))
            await session.execute(delete(KnowledgeVersion).where(KnowledgeVersion.id.in_(old)))
        return LoadResult(version.id, len(entries), changed=True)


async def live_version(engine: AsyncEngine | None = None) -> int | None:
    head = await live_head(engine)
    return head[0] if head else None


async def live_head(engine: AsyncEngine | None = None) -> tuple[int, str] | None:
    """id and checksum of the live version (the queries every process uses: `kb/live.py`)."""
    async with session_scope(engine) as session:
        row = (await session.execute(latest_query())).first()
    return (int(row[0]), str(row[1])) if row else None


async def live_documents(engine: AsyncEngine | None = None) -> LiveDocuments | None:
    """The live version's stored documents, or None when nothing was ever loaded."""
    async with session_scope(engine) as session:
        head = (await session.execute(latest_query())).first()
        if head is None:
            return None
        version_id = int(head[0])
        vocabulary = (await session.execute(vocabulary_query(version_id))).scalar()
        rows = (await session.execute(entries_query(version_id))).all()
    return LiveDocuments(version_id, str(head[1]), [(row[0], row[1]) for row in rows], vocabulary or {})
