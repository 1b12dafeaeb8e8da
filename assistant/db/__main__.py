"""Database command line: `python -m assistant.db upgrade|revision -m MESSAGE`.

`upgrade` (`make db`) applies the Alembic migrations to DATABASE_URL, then moves old
conversations of the tracker store (TRACKER_DATABASE_URL) to the ids that carry their
channel (assistant/db/tracker_ids.py).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from assistant.settings import get_settings


def alembic_config(url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.set_main_option("sqlalchemy.url", (url or get_settings().database_url).replace("%", "%%"))
    return cfg


async def _migrate_trackers() -> int:
    from assistant.db.engine import dispose_all
    from assistant.db.tracker_ids import migrate_or_report

    try:
        return await migrate_or_report(get_settings().tracker_database_url)
    finally:
        await dispose_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.db")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade", help="apply every migration")
    rev = sub.add_parser("revision", help="autogenerate a migration from the models")
    rev.add_argument("-m", "--message", required=True)
    args = parser.parse_args(argv)
    cfg = alembic_config()
    if args.command == "upgrade":
        command.upgrade(cfg, "head")
        moved = asyncio.run(_migrate_trackers())
        if moved:
            print(f"tracker store: {moved} events moved to conversation ids with their channel")
    else:
        command.revision(cfg, message=args.message, autogenerate=True)
    return 0


sys.exit(main()) if __name__ == "__main__" else None
