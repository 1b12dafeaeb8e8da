"""Case requests that could not be stored are kept on disk and retried.

When the database is down while an investor submits a case, nothing is lost: the
request is appended to a spool file (fsync'ed), the investor is told honestly, and
a background task re-submits it until the database takes it. Opening is idempotent,
so a retry after a partial failure cannot create a second case.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.cases.store import CaseRequest, open_case

logger = logging.getLogger(__name__)


class CaseSpool:
    RETRY_SECONDS = 20.0

    def __init__(self, path: Path, engine: AsyncEngine | None = None) -> None:
        self.path = path
        self.engine = engine
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    def _append(self, request: CaseRequest) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(request.as_json(), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    async def add(self, request: CaseRequest) -> None:
        async with self._lock:
            await asyncio.to_thread(self._append, request)
        self.ensure_retrying()

    def pending(self) -> list[CaseRequest]:
        if not self.path.exists():
            return []
        requests = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                requests.append(CaseRequest.from_json(json.loads(line)))
        return requests

    async def flush(self) -> int:
        """Submit every spooled request; keep those that still fail. Returns how many were stored."""
        async with self._lock:
            requests = await asyncio.to_thread(self.pending)
            remaining: list[CaseRequest] = []
            stored = 0
            for request in requests:
                try:
                    await open_case(request, self.engine)
                    stored += 1
                except (SQLAlchemyError, OSError) as exc:
                    logger.warning("spooled case still not stored: %s", exc.__class__.__name__)
                    remaining.append(request)
            if requests:
                await asyncio.to_thread(self._rewrite, remaining)
            if stored:
                logger.info("stored %d spooled case request(s); %d left", stored, len(remaining))
            return stored

    def _rewrite(self, requests: list[CaseRequest]) -> None:
        if not requests:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_suffix(".tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            for request in requests:
                handle.write(json.dumps(request.as_json(), ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(self.path)

    def ensure_retrying(self) -> None:
        """Start the retry loop (once per process) if there is something to retry."""
        if self._task is not None and not self._task.done():
            return
        if not self.path.exists():
            return
        self._task = asyncio.get_running_loop().create_task(self._retry_loop())

    async def _retry_loop(self) -> None:
        while self.path.exists():
            await asyncio.sleep(self.RETRY_SECONDS)
            try:
                await self.flush()
            except Exception:  # the loop must survive anything; the file keeps the requests
                logger.exception("case spool retry failed")
