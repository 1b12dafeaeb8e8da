"""Validate (`check`) and load (`load`) the knowledge base."""

from __future__ import annotations

import argparse
from pathlib import Path

from assistant.kb.schema import KnowledgeError, load_directory


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.kb")
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="validate every entry, change nothing")
    check.add_argument("directory", nargs="?", default="knowledge", type=Path)
    check.add_argument("--partial", action="store_true", help="allow `related` ids not written yet")
    args = parser.parse_args(argv)
    try:
        entries = load_directory(args.directory, partial=args.partial)
    except KnowledgeError as exc:
        print(f"error: {exc}")
        return 1
    print(f"ok: {len(entries)} entries valid in {args.directory}")
    return 0
