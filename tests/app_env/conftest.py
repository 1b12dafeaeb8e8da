"""Fixtures for the app environment (action server, guidance service, stores).

`database` runs each test against a real, migrated database: a SQLite file, and a
PostgreSQL database created for the test session when TEST_DATABASE_URL is set
(`.ci/run` sets it; `make test` without PostgreSQL skips those cases and says why).
"""

from __future__ import annotations

import asyncio
import filecmp
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from assistant.db.engine import dispose_all
from assistant.settings import ROOT, get_settings
from tests.conftest import service_unavailable

KNOWLEDGE = ROOT / "knowledge"


def migrate(url: str, tracker: str | None = None) -> None:
    """Alembic upgrade in a subprocess (its env.py runs its own event loop)."""
    env = {**os.environ, "DATABASE_URL": url, "PYTHONPATH": str(ROOT), **({"TRACKER_DATABASE_URL": tracker} if tracker else {})}
    subprocess.run([sys.executable, "-m", "assistant.db", "upgrade"], env=env, check=True, capture_output=True)


async def _admin(base: str, statement: str) -> None:
    import asyncpg

    url = make_url(base)
    connection = await asyncpg.connect(
        host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
        password=url.password, database=url.database or "postgres", timeout=5,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        service_unavailable("PostgreSQL", "TEST_DATABASE_URL is not set")
    name = f"mre_test_{secrets.token_hex(4)}"
    try:
        asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        service_unavailable("PostgreSQL", f"{base} unreachable ({exc.__class__.__name__})")
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _tables(url: str, truncate: bool = False) -> tuple[frozenset[str], str | None]:
    """The public tables and the Alembic revision of a PostgreSQL database; with `truncate`, emptied
    first (every table but alembic_version)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from assistant.db.engine import async_url

    engine = create_async_engine(async_url(url))
    async with engine.begin() as connection:
        rows = await connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
        tables = frozenset(row[0] for row in rows)
        emptied = [t for t in sorted(tables) if t != "alembic_version"]
        if truncate and emptied:
            await connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in emptied) + " RESTART IDENTITY CASCADE"))
        revision = None
        if "alembic_version" in tables:
            revision = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    await engine.dispose()
    return tables, revision


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite database migrated once per session; each test gets a copy of the file.

    A copy is what a migration per test made (a subprocess each time, ~1-2 s, for ~200 tests).
    """
    folder = tmp_path_factory.mktemp("migrated")
    path = folder / "assistant.db"
    # its own (absent) tracker store: the template's upgrade must not touch another one
    migrate(f"sqlite:///{path}", tracker=f"sqlite:///{folder / 'tracker.db'}")
    with sqlite3.connect(path) as connection:  # everything in the main file (WAL mode), nothing in -wal
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres_url: str) -> tuple[str, frozenset[str], str | None]:
    """The session's PostgreSQL database, migrated once; its tables and revision right after."""
    migrate(postgres_url)
    return postgres_url, *asyncio.run(_tables(postgres_url))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL of a migrated, empty database (SQLite, then PostgreSQL)."""
    if request.param == "sqlite":
        path = tmp_path / "assistant.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url, tables, revision = request.getfixturevalue("migrated_postgres")
        found, at = asyncio.run(_tables(url, truncate=True))
        if not tables <= found or at != revision:  # a test changed the schema: migrate again, as before
            migrate(url)
            asyncio.run(_tables(url, truncate=True))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
async def _dispose_engines() -> AsyncIterator[None]:
    """Engines are per event loop in tests: dispose them after each test."""
    yield
    await dispose_all()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def sqlite_knowledge_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated SQLite template with the knowledge base loaded by `python -m assistant.kb load`
    (the same load_knowledge), once per session instead of ~2.5 s of CPU per test."""
    folder = tmp_path_factory.mktemp("knowledge")
    path = folder / "assistant.db"
    shutil.copyfile(sqlite_template, path)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{path}", "DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "assistant.kb", "load", str(KNOWLEDGE)], env=env, check=True,
                   capture_output=True)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return path


def _untouched_copy(path: Path, template: Path) -> bool:
    """The test's SQLite file is still the migrated template, byte for byte (nothing opened it)."""
    return not Path(f"{path}-wal").exists() and filecmp.cmp(path, template, shallow=False)


@pytest.fixture
async def loaded_knowledge(database: str, request: pytest.FixtureRequest) -> str:
    """A database with the knowledge base loaded, and the action server's cache reset."""
    from assistant.actions import knowledge as knowledge_actions
    from assistant.kb.store import load_knowledge

    path = Path(make_url(database).database or "") if database.startswith("sqlite") else None
    if path is not None and _untouched_copy(path, request.getfixturevalue("sqlite_template")):
        shutil.copyfile(request.getfixturevalue("sqlite_knowledge_template"), path)
    else:
        await load_knowledge(KNOWLEDGE)
    knowledge_actions.knowledge._index = None
    knowledge_actions.knowledge._checked_at = float("-inf")
    return database
