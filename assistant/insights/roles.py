"""Set a staff member's knowledge role: `python -m assistant.insights.roles EMAIL adviser|editor`.

Advisers write drafts; editors also review and publish drafts written by someone else.
"""

from __future__ import annotations

import argparse
import asyncio
import sys

from assistant.db.engine import dispose_all
from assistant.insights.drafts import ROLES, set_role


async def _run(email: str, role: str) -> None:
    try:
        await set_role(email, role)
    finally:
        await dispose_all()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.insights.roles")
    parser.add_argument("email")
    parser.add_argument("role", choices=ROLES)
    args = parser.parse_args(argv)
    try:
        asyncio.run(_run(args.email, args.role))
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.email}: {args.role}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
