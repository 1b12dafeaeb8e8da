"""Durable local buffer of broker events that could not be published (dependency-free).

When the event broker (database or RabbitMQ) is down, Rasa keeps answering: events go
to a JSON-lines file under `DATA_DIR/event-spool/` and are replayed, in order, once the
broker is back. Each process appends to its own file and holds a lock on it; a file
nobody holds (a process that died) is replayed by whichever process finds it. Processes
sharing the directory (Rasa replicas of `make run-scaled`) replay one at a time (a lock on
`.replay.lock`): two replicas replaying the same claimed file published its events twice.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

logger = logging.getLogger(__name__)


class EventSpool:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._file: IO[str] | None = None
        self._path: Path | None = None
        # the SQL broker appends from its own thread and, when its queue is full, from Rasa's
        self._lock = threading.RLock()
        self._replaying_now = False

    def _open(self) -> IO[str]:
        if self._file is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._path = self.directory / f"{socket.gethostname()}-{os.getpid()}-{time.time_ns()}.jsonl"
            self._file = self._path.open("a", encoding="utf-8")
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return self._file

    def append(self, event: dict[str, Any]) -> None:
        """Keep one event on disk (flushed and synced: it must survive a crash)."""
        self.extend([event])

    def extend(self, events: list[dict[str, Any]]) -> None:
        """Keep events on disk, in order, with one sync."""
        if not events:
            return
        with self._lock:
            handle = self._open()
            handle.write("".join(json.dumps(event, ensure_ascii=False) + "\n" for event in events))
            handle.flush()
            os.fsync(handle.fileno())

    def pending(self) -> bool:
        return self.directory.is_dir() and any(self.directory.glob("*.jsonl*"))

    def holding(self) -> bool:
        """Whether this process has events spooled or being replayed (its own: new events go behind them)."""
        return self._file is not None or self._replaying_now

    def _claim(self) -> list[Path]:
        """Rotate our own file and adopt orphaned ones; returns files to replay, oldest first."""
        with self._lock:
            return self._claim_locked()

    def _claim_locked(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        if self._file is not None and self._path is not None:
            self._file.close()  # releases our lock
            self._path.rename(self._path.with_suffix(".jsonl.replay"))
            self._file = self._path = None
        claimed: list[Path] = []
        for path in sorted(self.directory.glob("*.jsonl*"), key=lambda p: p.stat().st_mtime):
            if path.suffix == ".jsonl":
                try:
                    with path.open("a") as probe:
                        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # a live process is writing it
                target = path.with_suffix(".jsonl.replay")
                path.rename(target)
                path = target
            claimed.append(path)
        return claimed

    @contextmanager
    def _replaying(self) -> Iterator[bool]:
        """Whether this process may replay now (no other process sharing the directory does)."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with (self.directory / ".replay.lock").open("a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                yield False  # another process is replaying: its files, and ours next time
                return
            self._replaying_now = True
            try:
                yield True  # closing the file releases the lock
            finally:
                self._replaying_now = False

    def replay(self, send: Callable[[dict[str, Any]], None]) -> int:
        """Send spooled events in order; stops at the first failure and keeps the rest."""
        with self._replaying() as ours:
            return self._replay(send) if ours else 0

    def _replay(self, send: Callable[[dict[str, Any]], None]) -> int:
        sent = 0
        for path, events in self.claim_batches():
            for position, event in enumerate(events):
                try:
                    send(event)
                except Exception:
                    self.keep(path, events[position:])
                    raise
                sent += 1
            path.unlink()
        return sent

    async def replay_async(self, send: Callable[[dict[str, Any]], Awaitable[None]]) -> int:
        """`replay` for an asynchronous publisher (RabbitMQ)."""
        with self._replaying() as ours:
            return await self._replay_async(send) if ours else 0

    async def _replay_async(self, send: Callable[[dict[str, Any]], Awaitable[None]]) -> int:
        sent = 0
        for path, events in self.claim_batches():
            for position, event in enumerate(events):
                try:
                    await send(event)
                except Exception:
                    self.keep(path, events[position:])
                    raise
                sent += 1
            path.unlink()
        return sent

    def claim_batches(self) -> list[tuple[Path, list[dict[str, Any]]]]:
        batches = []
        for path in self._claim():
            events = []
            for line in path.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                try:
                    events.append(json.loads(line))
                except json.JSONDecodeError:
                    logger.warning("event spool: skipped an unreadable line in %s", path.name)
            batches.append((path, events))
        return batches

    @staticmethod
    def keep(path: Path, events: list[dict[str, Any]]) -> None:
        path.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in events), encoding="utf-8")

    def close(self) -> None:
        with self._lock:
            if self._file is not None:
                self._file.close()
                self._file = None
