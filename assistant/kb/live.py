"""The live knowledge base: the one version the NLU and the actions both serve.

`make kb-load` validates `knowledge/` and stores it as a new version in the database;
the newest version is live. The Rasa process (entity patterns, `nlu/vocabulary_source.py`)
and the action server (search, `kb/service.py`) read that version with the same queries
below and build the same `Vocabulary` from it (`LiveDocuments.build`), so they always
agree on the subjects, cities and facets, and both switch to a new version within
seconds of a load.

When `knowledge/` was edited without `make kb-load`, both keep serving the loaded
version and log, once per edit, that the files differ from it (`StaleFiles`). Only
when no version was ever loaded (or no database is configured: training, unit tests)
does the NLU read the files, and it says so.

SQLAlchemy Core only: works with Rasa's SQLAlchemy 1.4 and the app's 2.0.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, Column, Integer, MetaData, String, Table, Text, select
from sqlalchemy.engine import make_url

from assistant.kb.schema import Entry, validate_entry
from assistant.kb.vocabulary import build_vocabulary
from assistant.kb.vocabulary_model import Vocabulary

logger = logging.getLogger(__name__)

# The two tables as both environments read them (the app's ORM models in db/models.py own them).
_metadata = MetaData()
VERSIONS = Table(
    "kb_versions", _metadata, Column("id", Integer, primary_key=True), Column("checksum", String(64)),
    Column("vocabulary", JSON),
)
ENTRIES = Table(
    "kb_entries", _metadata, Column("id", Integer, primary_key=True), Column("version_id", Integer),
    Column("entry_id", String(120)), Column("document", JSON), Column("source_file", Text),
)


def latest_query() -> Any:
    """id and checksum of the live (newest) version."""
    return select(VERSIONS.c.id, VERSIONS.c.checksum).order_by(VERSIONS.c.id.desc()).limit(1)


def vocabulary_query(version_id: int) -> Any:
    return select(VERSIONS.c.vocabulary).where(VERSIONS.c.id == version_id)


def entries_query(version_id: int) -> Any:
    return (
        select(ENTRIES.c.document, ENTRIES.c.source_file)
        .where(ENTRIES.c.version_id == version_id)
        .order_by(ENTRIES.c.entry_id)
    )


@dataclass(frozen=True)
class LiveKnowledge:
    version_id: int
    entries: list[Entry]
    vocabulary: Vocabulary


@dataclass(frozen=True)
class LiveDocuments:
    """The live version as stored: entry documents and vocabulary documents."""

    version_id: int
    checksum: str
    entries: list[tuple[dict[str, Any], str]]
    vocabulary: dict[str, Any]

    def build(self) -> LiveKnowledge:
        """Validate and render again (CPU work: run it in a thread from async code)."""
        entries = [validate_entry(doc, source_file) for doc, source_file in self.entries]
        return LiveKnowledge(self.version_id, entries, build_vocabulary(entries, self.vocabulary))


def checksum(directory: Path) -> str:
    """Digest of every YAML file of a knowledge folder (a version's identity)."""
    digest = hashlib.sha256()
    for path in sorted(directory.rglob("*.yml")):
        digest.update(str(path.relative_to(directory)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def files_stamp(directory: Path) -> float:
    """Newest modification time of the folder's YAML files (cheap change detection)."""
    try:
        return max((p.stat().st_mtime for p in directory.rglob("*.yml")), default=0.0)
    except OSError:
        return 0.0


class StaleFiles:
    """Notices, and logs once per edit, that `knowledge/` differs from the live version."""

    def __init__(self, directory: Path, process: str) -> None:
        self.directory = directory
        self.process = process
        self.stale = False
        self._seen: tuple[int, float] | None = None

    def check(self, version_id: int, live_checksum: str) -> bool:
        key = (version_id, files_stamp(self.directory))
        if key == self._seen:
            return self.stale
        self._seen = key
        try:
            self.stale = self.directory.is_dir() and checksum(self.directory) != live_checksum
        except OSError:
            self.stale = False
        if self.stale:
            logger.warning(
                "%s: %s differs from the loaded knowledge base (version %s): it keeps serving version %s "
                "(as do the NLU and the actions); run `make kb-load` to make the edit live",
                self.process, self.directory, version_id, version_id,
            )
        return self.stale


def sync_url(url: str) -> str | None:
    """The database URL for a synchronous engine (Rasa process), or None when there is
    nothing to read (a SQLite file that does not exist: never create it here)."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:" or not Path(parsed.database).is_file():
            return None
        return str(parsed.set(drivername="sqlite").render_as_string(hide_password=False))
    if backend == "postgresql":
        return str(parsed.set(drivername="postgresql").render_as_string(hide_password=False))
    return str(parsed.render_as_string(hide_password=False))


class SyncLiveReader:
    """Reads the live version with a synchronous engine (the Rasa process; a background thread)."""

    def __init__(self, url: str, timeout: int = 5) -> None:
        from sqlalchemy import create_engine

        if url.startswith("sqlite"):
            self.engine = create_engine(url, connect_args={"timeout": timeout})
        else:
            self.engine = create_engine(
                url, pool_pre_ping=True, pool_size=1, max_overflow=0, connect_args={"connect_timeout": timeout}
            )

    def latest(self) -> tuple[int, str] | None:
        with self.engine.connect() as connection:
            row = connection.execute(latest_query()).first()
        return (int(row[0]), str(row[1])) if row else None

    def documents(self, version_id: int, live_checksum: str) -> LiveDocuments:
        with self.engine.connect() as connection:
            vocabulary = connection.execute(vocabulary_query(version_id)).scalar()
            rows = connection.execute(entries_query(version_id)).all()
        return LiveDocuments(version_id, live_checksum, [(row[0], row[1]) for row in rows], vocabulary or {})

    def close(self) -> None:
        self.engine.dispose()
