"""Replicas starting at once create the tracker table once, without errors (#15).

Rasa's `SQLTrackerStore` creates its `events` table when it starts. Two replicas of
`make run-scaled` starting together on an empty PostgreSQL database both ran CREATE TABLE:
one failed on PostgreSQL's catalogue (duplicate key), logged it, and waited 5 s before
trying again. Here several stores start at once on a new database.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy
from rasa.shared.core.domain import Domain
from sqlalchemy.engine.url import make_url

from assistant.settings import ROOT, get_settings
from assistant.stores.tracker import EnvironmentSQLTrackerStore
from tests.conftest import service_unavailable

DOMAIN = Domain.load(str(ROOT / "domain.yml"))
REPLICAS = 4


@pytest.fixture
def empty_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url:
        service_unavailable("PostgreSQL", "TEST_DATABASE_URL is not set")
    admin = sqlalchemy.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        admin.connect().close()
    except Exception as exc:
        service_unavailable("PostgreSQL", f"unreachable ({exc.__class__.__name__})")
    name = f"tracker_race_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    database_url = str(make_url(url).set(database=name))
    monkeypatch.setenv("TRACKER_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield database_url
    get_settings.cache_clear()
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_replicas_starting_together_create_the_table_once(
    empty_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="rasa.core.tracker_store")
    stores: list[EnvironmentSQLTrackerStore] = []
    errors: list[BaseException] = []
    start = threading.Barrier(REPLICAS)

    def replica() -> None:
        try:
            start.wait()
            stores.append(EnvironmentSQLTrackerStore(domain=DOMAIN))
        except BaseException as exc:  # reported below
            errors.append(exc)

    began = time.monotonic()
    threads = [threading.Thread(target=replica) for _ in range(REPLICAS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    elapsed = time.monotonic() - began

    assert not errors and len(stores) == REPLICAS
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert elapsed < 5  # nobody waited for Rasa's 5 s retry
    inspector = sqlalchemy.inspect(stores[0].engine)
    assert "events" in inspector.get_table_names()
    for store in stores:
        store.engine.dispose()
