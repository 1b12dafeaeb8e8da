"""Create and manage staff accounts: `python -m assistant.service.users create --email … --name …`.

The password is read from the terminal (twice), or from STAFF_PASSWORD for scripts;
it is never accepted as a command-line argument (shell history, process list).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import re
import sys

from sqlalchemy import select

from assistant.db.engine import dispose_all, session_scope
from assistant.db.models import StaffUser
from assistant.service.auth import hash_password

EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12


def read_password() -> str:
    password = os.environ.get("STAFF_PASSWORD")
    if password is None:
        password = getpass.getpass("Password: ")
        if getpass.getpass("Repeat: ") != password:
            raise SystemExit("error: the passwords differ")
    if len(password) < MIN_PASSWORD:
        raise SystemExit(f"error: the password needs at least {MIN_PASSWORD} characters")
    return password


async def create(email: str, name: str, language: str) -> int:
    email = email.strip().lower()
    if not EMAIL_RE.match(email):
        raise SystemExit("error: invalid e-mail address")
    password = read_password()
    async with session_scope() as session:
        existing = await session.scalar(select(StaffUser).where(StaffUser.email == email))
        if existing is not None:
            existing.password_hash = hash_password(password)
            existing.name = name
            existing.language = language
            existing.active = True
            print(f"updated {email}")
            return 0
        session.add(StaffUser(email=email, name=name, language=language, password_hash=hash_password(password)))
    print(f"created {email}")
    return 0


async def deactivate(email: str) -> int:
    async with session_scope() as session:
        user = await session.scalar(select(StaffUser).where(StaffUser.email == email.strip().lower()))
        if user is None:
            print("error: no such account")
            return 1
        user.active = False
    print(f"deactivated {email} (their sessions stop working)")
    return 0


async def _main(args: argparse.Namespace) -> int:
    try:
        if args.command == "create":
            return await create(args.email, args.name, args.language)
        return await deactivate(args.email)
    finally:
        await dispose_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.service.users")
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("create", help="create (or reset) a staff account")
    c.add_argument("--email", required=True)
    c.add_argument("--name", required=True)
    c.add_argument("--language", choices=["fr", "ar", "en"], default="fr")
    d = sub.add_parser("deactivate", help="disable an account")
    d.add_argument("--email", required=True)
    return asyncio.run(_main(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
