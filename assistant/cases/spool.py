"""Case requests that could not be stored are kept on disk and retried.

When the database is down, refuses or hangs while an investor submits a case, nothing
is lost: the request is appended to a spool file (owner-only, fsync'ed), the investor
is told honestly, and the action server re-submits it from start-up and every
SPOOL_RETRY_SECONDS until the database takes it. Opening is idempotent, so a retry
after a partial failure cannot create a second case.

A "poison" entry, one the database will never accept (a value it refuses, a line that
cannot be read), is not retried forever: it is set aside, logged without personal data,
and recorded in the database for staff (assistant/cases/rejections.py: a banner on the
console, the list at /staff/spool and `GET /api/spool/rejected`). If even that record
fails it waits in `rejected.jsonl` next to the spool, and the next retry records it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError, StatementError
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant import conversation_ids
from assistant.cases import rejections
from assistant.cases.store import CaseRequest, open_case
from assistant.db.types import utcnow
from assistant.settings import get_settings

logger = logging.getLogger(__name__)

#: Seconds one attempt to store a case may take before it counts as failed (a hanging database).
STORE_TIMEOUT = 4.0
#: Errors that say the request itself is wrong: retrying cannot help.
POISON_ERRORS: tuple[type[BaseException], ...] = (
    DataError, IntegrityError, ProgrammingError, ValueError, TypeError, KeyError,
)


def is_poison(error: BaseException) -> bool:
    if isinstance(error, StatementError) and not isinstance(error, POISON_ERRORS):
        return isinstance(error.orig, POISON_ERRORS)
    return isinstance(error, POISON_ERRORS)


def _append_private(path: Path, lines: list[str]) -> None:
    """Appends lines to an owner-only file (0600, directory 0700) and fsyncs."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.writelines(line + "\n" for line in lines)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(path, 0o600)


def _belongs_to(line: str, conversation_id: str) -> bool:
    try:
        data = json.loads(line)
    except ValueError:
        return conversation_id in line
    request = data.get("request", data) if isinstance(data, dict) else None
    return isinstance(request, dict) and request.get("conversation_id") == conversation_id


async def store_case(request: CaseRequest, engine: AsyncEngine | None = None) -> Any:
    """Opens the case, giving up after STORE_TIMEOUT seconds (raises TimeoutError)."""
    return await asyncio.wait_for(open_case(request, engine), timeout=STORE_TIMEOUT)


def _current(request: CaseRequest) -> CaseRequest:
    """A request kept from before conversation ids carried their channel gets the id its
    conversation has now (as migration 0009 and `make db` did for cases and trackers)."""
    current = conversation_ids.current_id(request.conversation_id, request.channel)
    return request if current == request.conversation_id else replace(request, conversation_id=current)


def _parsed_entry(line: str) -> dict[str, Any]:
    try:
        entry = json.loads(line)
    except ValueError:
        entry = None
    if not isinstance(entry, dict):
        return {"rejected_at": utcnow().isoformat(), "reason": "unreadable line", "request": line[:20_000]}
    return entry


class CaseSpool:
    def __init__(self, path: Path, engine: AsyncEngine | None = None, retry_seconds: float = 20.0) -> None:
        self.path = path
        self.rejected_path = path.with_name("rejected.jsonl")
        self.engine = engine
        self.retry_seconds = retry_seconds
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None

    async def add(self, request: CaseRequest) -> None:
        line = json.dumps(request.as_json(), ensure_ascii=False)
        async with self._lock:
            await asyncio.to_thread(_append_private, self.path, [line])
        self.ensure_retrying()

    def _lines(self) -> list[str]:
        if not self.path.exists():
            return []
        return [line for line in self.path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]

    def pending(self) -> list[CaseRequest]:
        requests = []
        for line in self._lines():
            try:
                requests.append(CaseRequest.from_json(json.loads(line)))
            except (ValueError, TypeError, KeyError):
                continue
        return requests

    def rejected(self) -> list[dict[str, Any]]:
        """Entries set aside but not yet recorded in the database (this machine's file)."""
        return [_parsed_entry(line) for line in self._rejected_lines()]

    async def flush(self) -> int:
        """Submit every spooled request; keep those that still fail, set poison aside.
        Returns how many were stored."""
        async with self._lock:
            lines = await asyncio.to_thread(self._lines)
            remaining: list[str] = []
            rejected: list[str] = []
            stored = 0
            for index, line in enumerate(lines):
                try:
                    request = _current(CaseRequest.from_json(json.loads(line)))
                    await store_case(request, self.engine)
                    stored += 1
                except asyncio.CancelledError:
                    remaining.extend(lines[index:])
                    await asyncio.to_thread(self._rewrite, remaining)
                    raise
                except Exception as exc:  # every failure keeps the line: retried, or set aside
                    if is_poison(exc):
                        logger.error("spooled case request set aside for staff: %s", type(exc).__name__)
                        rejected.append(self._rejection(line, exc))
                    else:
                        logger.warning("spooled case still not stored: %s", type(exc).__name__)
                        remaining.append(line)
            await self._set_aside(rejected)
            if lines:
                await asyncio.to_thread(self._rewrite, remaining)
            if stored:
                logger.info("stored %d spooled case request(s); %d left", stored, len(remaining))
            return stored

    async def _set_aside(self, rejected: list[str]) -> None:
        """Records set-aside entries, and those left in `rejected.jsonl`, in the database;
        whatever cannot be recorded now stays in (or goes to) the file."""
        waiting = await asyncio.to_thread(self._rejected_lines)
        entries = [*waiting, *rejected]
        if not entries:
            return
        try:
            await asyncio.wait_for(
                rejections.record([_parsed_entry(line) for line in entries], self.engine), timeout=STORE_TIMEOUT
            )
        except Exception as exc:  # the database is down again: the file keeps them
            logger.warning("set-aside case requests not recorded yet: %s", type(exc).__name__)
            if rejected:
                await asyncio.to_thread(_append_private, self.rejected_path, rejected)
            return
        if waiting:
            await asyncio.to_thread(self.rejected_path.unlink, True)

    def _rejected_lines(self) -> list[str]:
        if not self.rejected_path.exists():
            return []
        text = self.rejected_path.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if line.strip()]

    @staticmethod
    def _rejection(line: str, error: BaseException) -> str:
        try:
            request: Any = json.loads(line)
        except ValueError:
            request = line[:20_000]
        return json.dumps(
            {"rejected_at": utcnow().isoformat(), "reason": type(error).__name__, "request": request},
            ensure_ascii=False,
        )

    async def forget(self, conversation_id: str) -> int:
        """Erasure: drops the conversation's pending and set-aside requests. Returns how many."""
        async with self._lock:
            return await asyncio.to_thread(self._forget, conversation_id)

    def _forget(self, conversation_id: str) -> int:
        dropped = 0
        for path in (self.path, self.rejected_path):
            if not path.exists():
                continue
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            kept = [line for line in lines if not _belongs_to(line, conversation_id)]
            dropped += len(lines) - len(kept)
            if len(kept) != len(lines):
                tmp = path.with_suffix(".tmp")
                tmp.unlink(missing_ok=True)
                if kept:
                    _append_private(tmp, kept)
                    tmp.replace(path)
                else:
                    path.unlink()
        return dropped

    def _rewrite(self, lines: list[str]) -> None:
        if not lines:
            self.path.unlink(missing_ok=True)
            return
        tmp = self.path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        _append_private(tmp, lines)
        tmp.replace(self.path)

    def ensure_retrying(self) -> None:
        """Start the retry loop (once per process): at start-up and whenever a case is spooled."""
        if self._task is not None and not self._task.done():
            return
        self._task = asyncio.get_running_loop().create_task(self._retry_loop())

    async def _retry_loop(self) -> None:
        while True:
            if self.path.exists():
                try:
                    await self.flush()
                except Exception:  # the loop must survive anything; the file keeps the requests
                    logger.error("case spool retry failed")
            await asyncio.sleep(self.retry_seconds)


@cache
def _spool_at(path: Path, retry_seconds: float) -> CaseSpool:
    return CaseSpool(path, retry_seconds=retry_seconds)


def case_spool() -> CaseSpool:
    """The spool of requests the database did not take (one per data directory): the action
    server adds to it and retries it, the guidance service lists what it set aside."""
    settings = get_settings()
    return _spool_at(settings.data_dir / "spool" / "cases.jsonl", settings.spool_retry_seconds)
