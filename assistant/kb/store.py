"""The knowledge base in the database: versioned, all-or-nothing loads.

Each successful load inserts a new version with every entry, in one transaction;
the newest version is live. A failed validation writes nothing, so the assistant
keeps serving the previous version whole. Loading the same content again is a
no-op (same checksum).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.db.engine import session_scope
from assistant.db.models import KnowledgeEntry, KnowledgeVersion
from assistant.kb.schema import Entry, load_directory, validate_entry
from assistant.kb.vocabulary import Vocabulary, build_vocabulary, read_vocabulary_documents

#: Versions kept for inspection and rollback; older ones are pruned.
KEEP_VERSIONS = 5


@dataclass(frozen=True)
class LoadResult:
    version_id: int
    entry_count: int
    changed: bool


def checksum(directory: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yml")):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


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
    async with session_scope(engine) as session:
        return await session.scalar(select(func.max(KnowledgeVersion.id)))


@dataclass(frozen=True)
class LiveKnowledge:
    version_id: int
    entries: list[Entry]
    vocabulary: Vocabulary


@dataclass(frozen=True)
class LiveDocuments:
    """The live version as stored: entry documents and vocabulary documents."""

    version_id: int
    entries: list[tuple[dict[str, Any], str]]
    vocabulary: dict[str, Any]

    def build(self) -> LiveKnowledge:
        """Validate and render again (CPU work: run it in a thread from async code)."""
        entries = [validate_entry(doc, source_file) for doc, source_file in self.entries]
        return LiveKnowledge(self.version_id, entries, build_vocabulary(entries, self.vocabulary))


async def live_documents(engine: AsyncEngine | None = None) -> LiveDocuments | None:
    """The live version's stored documents, or None when nothing was ever loaded."""
    async with session_scope(engine) as session:
        version = await session.scalar(select(KnowledgeVersion).order_by(KnowledgeVersion.id.desc()).limit(1))
        if version is None:
            return None
        rows = (
            await session.scalars(
                select(KnowledgeEntry).where(KnowledgeEntry.version_id == version.id).order_by(KnowledgeEntry.entry_id)
            )
        ).all()
        return LiveDocuments(version.id, [(row.document, row.source_file) for row in rows], version.vocabulary)
