"""Database command line: `python -m assistant.db upgrade|revision -m MESSAGE`."""

from __future__ import annotations

import argparse
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
    else:
        command.revision(cfg, message=args.message, autogenerate=True)
    return 0


sys.exit(main()) if __name__ == "__main__" else None
