"""Alembic environment: runs migrations on DATABASE_URL with the async driver."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import assistant.insights.models  # noqa: F401  (insights tables in Base.metadata)
from assistant.db.channel_tables import metadata as channel_metadata
from assistant.db.engine import async_url
from assistant.db.models import Base
from assistant.db.types import UTCDateTime
from assistant.settings import get_settings

config = context.config
target_metadata = [Base.metadata, channel_metadata]


def _url() -> str:
    return async_url(config.get_main_option("sqlalchemy.url") or get_settings().database_url)


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Migrations use plain SQLAlchemy types, never the project's decorators."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline() -> None:
    context.configure(
        url=_url(), target_metadata=target_metadata, literal_binds=True, render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    # batch mode: SQLite cannot ALTER constraints in place
    context.configure(
        connection=connection, target_metadata=target_metadata, render_as_batch=True, render_item=render_item
    )
    with context.begin_transaction():
        context.run_migrations()


async def run_migrations_online() -> None:
    engine = create_async_engine(_url())
    async with engine.connect() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    asyncio.run(run_migrations_online())
