"""Validate (`check`) and load (`load`) the knowledge base."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from assistant.kb.schema import KnowledgeError, load_directory
from assistant.kb.sources import untied_facts
from assistant.settings import get_settings


async def _load(directory: Path) -> int:
    from assistant.db.engine import dispose_all
    from assistant.kb.store import load_knowledge

    try:
        result = await load_knowledge(directory)
    finally:
        await dispose_all()
    state = "loaded" if result.changed else "unchanged"
    print(f"ok: knowledge base {state}: version {result.version_id}, {result.entry_count} entries")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.kb")
    sub = parser.add_subparsers(dest="command", required=True)
    default_dir = get_settings().knowledge_dir
    check = sub.add_parser("check", help="validate every entry and the plan rules, change nothing")
    check.add_argument("directory", nargs="?", default=default_dir, type=Path)
    check.add_argument("--partial", action="store_true", help="allow `related` ids not written yet")
    rep = sub.add_parser("report", help="entries by age of their newest source, and source kinds")
    rep.add_argument("directory", nargs="?", default=default_dir, type=Path)
    load = sub.add_parser("load", help="validate, then make it the live knowledge base (DATABASE_URL)")
    load.add_argument("directory", nargs="?", default=default_dir, type=Path)
    args = parser.parse_args(argv)
    try:
        if args.command == "load":
            return asyncio.run(_load(args.directory))
        entries = load_directory(args.directory, partial=getattr(args, "partial", False))
    except KnowledgeError as exc:
        print(f"error: {exc}")
        print("The knowledge base was not changed." if args.command == "load" else "")
        return 1
    if args.command == "report":
        from assistant.kb.report import report

        print(report(entries))
        return 0
    untied = [(e, facts) for e in entries if (facts := untied_facts(e.sources, e.facts))]
    if untied:
        print("\n".join(f"error: {e.topic}/{e.id}.yml: facts.{facts[0]}: not named in any source's `supports` "
                        f"(untied: {', '.join(facts)})" for e, facts in untied))
        return 1
    if (args.directory / "rules").is_dir() and (problems := _rule_problems(args.directory, entries)):
        print("\n".join(f"error: rules: {p}" for p in problems))
        return 1
    print(f"ok: {len(entries)} entries valid in {args.directory}")
    return 0


def _rule_problems(directory: Path, entries: list[Any]) -> list[str]:
    """The creation plan's rules (knowledge/rules), with their sources validated like the entries'."""
    from assistant.plan.rules import RulesError, load_rules, problems_with_entries

    try:
        rules = load_rules(directory / "rules")
    except RulesError as exc:
        return [str(exc)]
    return problems_with_entries(rules, {e.id: e for e in entries})
