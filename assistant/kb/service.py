"""The action server's view of the knowledge base: the live index, kept fresh.

Checks the live version at most every few seconds (one small query) and rebuilds
the index in a worker thread when a new version was loaded: content changes reach
running conversations without a restart or a retraining. If the database is
unreachable, the last index keeps serving. The NLU reads the same version
(`kb/live.py`); files edited without `make kb-load` are reported, not served.
"""

from __future__ import annotations

import asyncio
import logging
import time

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.kb.live import StaleFiles
from assistant.kb.schema import KnowledgeError
from assistant.kb.search import KnowledgeIndex
from assistant.kb.store import live_documents, live_head
from assistant.settings import get_settings

logger = logging.getLogger(__name__)


class KnowledgeService:
    CHECK_EVERY_SECONDS = 5.0

    def __init__(self, engine: AsyncEngine | None = None) -> None:
        self.engine = engine
        self._index: KnowledgeIndex | None = None
        self._checked_at = float("-inf")
        self._lock = asyncio.Lock()
        self._stale_files: StaleFiles | None = None

    @property
    def ready(self) -> bool:
        """Whether the first look at the live knowledge base is done (index built, or none to build)."""
        return self._checked_at != float("-inf")

    @property
    def stale_files(self) -> StaleFiles:
        """Whether knowledge/ was edited without `make kb-load` (checked on each refresh)."""
        if self._stale_files is None:
            self._stale_files = StaleFiles(get_settings().knowledge_dir, "action server")
        return self._stale_files

    async def index(self) -> KnowledgeIndex | None:
        if time.monotonic() - self._checked_at < self.CHECK_EVERY_SECONDS:
            return self._index
        async with self._lock:
            if time.monotonic() - self._checked_at < self.CHECK_EVERY_SECONDS:
                return self._index
            try:
                head = await live_head(self.engine)
                version = head[0] if head else None
                if version is not None and (self._index is None or self._index.version != version):
                    documents = await live_documents(self.engine)
                    if documents is not None:
                        live = await asyncio.to_thread(documents.build)
                        self._index = await asyncio.to_thread(
                            lambda: KnowledgeIndex(live.entries, live.vocabulary, live.version_id).warm()
                        )
                        logger.info("knowledge base version %s: %d entries", live.version_id, len(live.entries))
                if head is not None:
                    await asyncio.to_thread(self.stale_files.check, *head)
            except (SQLAlchemyError, OSError, KnowledgeError) as exc:
                logger.error("knowledge base not refreshed, serving the previous one: %s", exc)
            self._checked_at = time.monotonic()
            return self._index
