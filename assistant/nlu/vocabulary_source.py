"""The NLU's view of the knowledge vocabulary: the live version, as the actions see it.

With a database (`DATABASE_URL`, the Rasa server in every deployment) the patterns come
from the live knowledge-base version (`assistant/kb/live.py`), the one the action server
searches; a new version (`make kb-load`) is picked up within `CHECK_EVERY_SECONDS`, read
in a background thread so a slow database never delays a message. Files edited without
`make kb-load` are not served: `stale` turns true and the log says so once per edit.

Without a database (training, unit tests, `knowledge_dir` given in config.yml), or while
no version was ever loaded, the patterns come from the files, re-read when they change;
the log says that the NLU reads the files.

Rasa-free (built by `entity_extractor.py`), so both environments can test it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from assistant.kb.live import StaleFiles, SyncLiveReader, files_stamp, sync_url
from assistant.kb.schema import KnowledgeError
from assistant.kb.vocabulary import Vocabulary, load_vocabulary

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: `version` when the patterns come from the files rather than a loaded version.
FILES = "files"


class VocabularySource(Generic[T]):
    """Keeps `current` (what `build` makes of the vocabulary) in step with the live version."""

    CHECK_EVERY_SECONDS = 15.0

    def __init__(self, knowledge_dir: Path, build: Callable[[Vocabulary], T], database_url: str | None = None) -> None:
        self.directory = knowledge_dir
        self.build = build
        url = sync_url(database_url) if database_url else None
        self.reader = SyncLiveReader(url) if url else None
        self.current: T | None = None
        self.version: int | str | None = None  # a loaded version's id, or FILES
        self.stale_files = StaleFiles(knowledge_dir, "NLU")
        self._files_stamp = -1.0
        self._checked_at = 0.0
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self.refresh()

    @property
    def stale(self) -> bool:
        """knowledge/ differs from the version served (edited without `make kb-load`)."""
        return self.version != FILES and self.stale_files.stale

    def maybe_refresh(self) -> None:
        """Called for each message: a refresh when one is due (in the background for the database)."""
        if time.monotonic() - self._checked_at < self.CHECK_EVERY_SECONDS:
            return
        if self.reader is None:  # files only: a few stat() calls, done at once
            self.refresh()
            return
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._checked_at = time.monotonic()
            self._thread = threading.Thread(target=self.refresh, name="kb-vocabulary", daemon=True)
            self._thread.start()

    def refresh(self) -> None:
        """One check: the live version when there is one, else the files."""
        self._checked_at = time.monotonic()
        if self.reader is not None:
            try:
                head = self.reader.latest()
            except Exception as exc:  # the database is down: keep what is served
                logger.error("NLU: knowledge base version not checked (%s)", exc.__class__.__name__)
                if self.current is None:
                    self._from_files()
                return
            if head is not None:
                self._from_version(*head)
                return
            if self.version != FILES:
                logger.warning("NLU: no knowledge base loaded in the database: reading %s until `make kb-load`",
                               self.directory)
        self._from_files()

    def _from_version(self, version_id: int, checksum: str) -> None:
        if version_id != self.version:
            try:
                assert self.reader is not None
                live = self.reader.documents(version_id, checksum).build()
                self.current = self.build(live.vocabulary)
                self.version = version_id
                logger.info("NLU: knowledge base version %s (%d entries)", version_id, len(live.entries))
            except Exception as exc:  # keep the previous patterns: a bad version must not break the NLU
                logger.error("NLU: knowledge base version %s not used: %s", version_id, exc)
                return
        self.stale_files.check(version_id, checksum)

    def _from_files(self) -> None:
        stamp = files_stamp(self.directory)
        if self.version == FILES and stamp == self._files_stamp:
            return
        try:
            self.current = self.build(load_vocabulary(self.directory))
            self.version = FILES
            logger.info("NLU: knowledge vocabulary read from %s", self.directory)
        except (KnowledgeError, OSError) as exc:
            # keep the previous patterns: a broken edit must not break the assistant
            logger.error("NLU: knowledge vocabulary not reloaded: %s", exc)
        self._files_stamp = stamp
