"""Rasa tracker store configured from one database URL (Rasa's own SQLTrackerStore)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from sqlalchemy.engine.url import make_url

from assistant.settings import get_settings


class EnvironmentSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` reading `TRACKER_DATABASE_URL` (default: a SQLite file in `var/`)."""

    def __init__(self, domain: Domain | None = None, **kwargs: Any) -> None:
        url = make_url(get_settings().tracker_database_url)
        kwargs.pop("host", None)
        if url.get_backend_name() == "sqlite":
            db = url.database or "tracker.db"
            Path(db).parent.mkdir(parents=True, exist_ok=True)
            super().__init__(domain=domain, dialect="sqlite", db=db, **kwargs)
            return
        super().__init__(
            domain=domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database or "rasa",
            username=url.username,
            password=url.password,
            query=dict(url.query),
            **kwargs,
        )
