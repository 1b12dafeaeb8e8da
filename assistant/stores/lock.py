"""Rasa lock store chosen from the environment: Redis when `REDIS_URL` is set."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore

from assistant.settings import get_settings

#: Seconds a Redis call may take. Rasa's lock store calls Redis synchronously, inside the
#: event loop: with Rasa's 10 s default a Redis that hangs froze every conversation of the
#: replica for 10 s per call. Past this the turn is refused (503 / `turn_failed`).
REDIS_TIMEOUT_SECONDS = 2.0


class EnvironmentLockStore(LockStore):
    """Factory for Rasa's lock stores (Rasa instantiates the `type` class of endpoints.yml).

    With one Rasa process the in-memory store is enough; several replicas must share
    a Redis lock store so one conversation is never processed twice at once.
    """

    def __new__(cls, endpoint_config: Any = None, **_: Any) -> LockStore:  # type: ignore[misc]
        redis_url = get_settings().redis_url
        if not redis_url:
            return InMemoryLockStore()
        parsed = urlparse(redis_url)
        db = int(parsed.path.lstrip("/") or 0)
        return RedisLockStore(
            host=parsed.hostname or "localhost",
            port=parsed.port or 6379,
            db=db,
            password=parsed.password,
            use_ssl=parsed.scheme == "rediss",
            socket_timeout=REDIS_TIMEOUT_SECONDS,
        )
