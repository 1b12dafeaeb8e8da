"""The inbound message log on PostgreSQL (psycopg2), in a throwaway schema of TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from assistant.channels.dedup import InboundMessageLog, inbound_messages
from tests.conftest import service_unavailable

pytestmark = pytest.mark.postgres


@pytest.fixture
def schema_engine() -> Iterator[object]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        service_unavailable("PostgreSQL", "TEST_DATABASE_URL is not set")
    schema = f"channels_test_{secrets.token_hex(4)}"
    admin = create_engine(url, future=True)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # unreachable server
        service_unavailable("PostgreSQL", str(exc))
    engine = create_engine(url, future=True, connect_args={"options": f"-csearch_path={schema}"})
    inbound_messages.metadata.create_all(engine, tables=[inbound_messages])
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_claims_are_atomic_on_postgresql(schema_engine: object) -> None:
    logs = [InboundMessageLog("unused", "whatsapp", engine=schema_engine) for _ in range(4)]  # type: ignore[arg-type]

    async def scenario() -> list[bool]:
        return list(await asyncio.gather(*(log.claim("wamid.pg", "212600000001") for log in logs)))

    assert sorted(asyncio.run(scenario())) == [False, False, False, True]
