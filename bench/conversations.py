"""Conversation-level evaluation on the held-out set (`make bench-conversations`).

Runs every conversation of tests/data/conversations/*.yml (written independently of the
training data, never trained on) through the real stack (tests/support/stack.py: Rasa
server, action server and database, REST channel), and, in the same run, through the
baseline: another commit (default: main before issue #10) checked out into
bench/.baseline/<sha> and trained there once. Prints pass rates per variety and per
phenomenon for both, and a table of the first failures' kinds per phenomenon (counts only:
it says which mechanism fails without anyone reading the held-out examples), and writes them to
bench/results/conversations.{md,json}: for the held-out set only counts (failures by kind per
phenomenon and variety), never a conversation's id or text; for another directory (`--dir
tests/data/dev_conversations`: bench/results/dev_conversations.*) the failures with their text.
Runs in the app environment (it only talks HTTP).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.support.stack import ROOT, Stack

HELDOUT = ROOT / "tests" / "data" / "conversations"
RESULTS = ROOT / "bench" / "results"
BASELINES = ROOT / "bench" / ".baseline"
DEFAULT_BASELINE = "f7a217f"  # main before issue #10 (conversation understanding)
VARIETIES = ("fr", "ar", "darija", "arabizi", "en")
ANSWER_LANGUAGE = {"fr": "fr", "arabizi": "fr", "ar": "ar", "darija": "ar", "en": "en"}
PHENOMENA = ("follow_up", "typo_sms", "greeting", "two_part", "code_switch", "clarification", "form",
             "boundary", "stickiness", "bad_input")
KB_ENTRY_RE = re.compile(r'"kb_entry"\s*:\s*"([^"]+)"')
TITLE_RE = re.compile(r"^\*(.+?)\*")


@dataclass
class Turn:
    text: str | None
    press: str | None
    expect: dict[str, Any]


@dataclass
class Conversation:
    id: str
    variety: str
    tags: list[str]
    turns: list[Turn]


@dataclass
class Outcome:
    conversation: Conversation
    passed: bool
    failures: list[str] = field(default_factory=list)  # with the turns' text: for dev sets
    kinds: list[str] = field(default_factory=list)  # each failure's kind, without text: for any set


def load_conversations(directory: Path = HELDOUT) -> list[Conversation]:
    conversations = []
    for path in sorted(directory.glob("*.yml")):
        variety = path.stem
        for raw in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            turns = []
            for t in raw["turns"]:
                if isinstance(t, str):
                    turns.append(Turn(t, None, {}))
                elif isinstance(t, list):
                    turns.append(Turn(str(t[0]), None, dict(t[1]) if len(t) > 1 else {}))
                else:
                    turns.append(Turn(t.get("say"), t.get("press"), dict(t.get("expect") or {})))
            conversations.append(Conversation(raw["id"], raw.get("variety", variety), list(raw["tags"]), turns))
    return conversations


@dataclass
class Knowledge:
    """Entry ids by title (every language) and topics, read from a checkout's knowledge/."""

    by_title: dict[str, str]
    topic: dict[str, str]

    @classmethod
    def read(cls, root: Path) -> Knowledge:
        by_title, topic = {}, {}
        for path in (root / "knowledge").glob("*/*.yml"):
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if "id" not in data:
                continue
            topic[data["id"]] = str(data.get("topic"))
            for title in (data.get("title") or {}).values():
                by_title[str(title).strip()] = data["id"]
        return cls(by_title, topic)


def as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def turn_events(tracker: dict[str, Any]) -> list[dict[str, Any]]:
    """The assistant's messages since the latest user message."""
    events = tracker.get("events") or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return [e for e in events[last_user + 1:] if e.get("event") == "bot"]


def check(expect: dict[str, Any], bots: list[dict[str, Any]], tracker: dict[str, Any], variety: str,
          kb: Knowledge) -> list[str]:
    """What this turn got wrong (empty: the turn passes)."""
    errors: list[str] = []
    texts = [str(b.get("text") or "") for b in bots]
    answered = [kb.by_title.get(m.group(1).strip()) for t in texts if (m := TITLE_RE.match(t))]
    buttons = [btn for b in bots for btn in ((b.get("data") or {}).get("buttons") or [])]
    offered = [m.group(1) for btn in buttons if (m := KB_ENTRY_RE.search(str(btn.get("payload"))))]
    responses = [(b.get("metadata") or {}).get("utter_action") for b in bots]
    slots = tracker.get("slots") or {}
    loop = (tracker.get("active_loop") or {}).get("name")
    summary = f"got {responses} answered={answered}"
    instead = ("clarified" if "utter_kb_clarify" in responses else "another entry" if any(answered)
           else next((str(r) for r in responses if r), "no response"))
    if "entry" in expect and not set(as_list(expect["entry"])) & set(answered):
        errors.append(f"[entry → {instead}] expected entry {expect['entry']}, {summary}")
    if expect.get("alone") and len([a for a in answered if a]) > 1:
        errors.append(f"[extra answer] expected {expect.get('entry')} alone, {summary}")
    if "entries" in expect:
        first, *rest = expect["entries"]
        if first not in answered or any(e not in answered and e not in offered for e in rest):
            errors.append(f"[entries → {'first part missing' if first not in answered else 'a part dropped'}] "
                          f"expected entries {expect['entries']}, {summary} offered={offered}")
    if "clarify" in expect:
        wanted = set(expect["clarify"])
        topics = {kb.topic.get(e) for e in wanted}
        options = offered if "utter_kb_clarify" in responses else []
        if not wanted & set(options) or any(kb.topic.get(o) not in topics for o in options):
            kind = "options off the question" if options else f"clarify → {instead}"
            errors.append(f"[{kind}] expected clarification among {sorted(wanted)}, {summary} options={options}")
    if "response" in expect and not set(as_list(expect["response"])) & set(responses):
        errors.append(f"[response → {instead}] expected response {expect['response']}, {summary}")
    if "form" in expect:
        want = expect["form"]
        got = slots.get("requested_slot") if loop == "case_form" else None
        if want != got:
            errors.append(f"[form slot] expected form slot {want}, form={loop} requested={slots.get('requested_slot')} {summary}")
    if expect.get("no_form") and loop == "case_form":
        errors.append(f"[form opened] a form was opened: {summary}")
    if expect:
        language = expect.get("lang", ANSWER_LANGUAGE[variety])
        if slots.get("language") != language:
            errors.append(f"[language] expected language {language}, got {slots.get('language')}")
    return errors


def run_conversation(stack: Stack, conversation: Conversation, kb: Knowledge) -> Outcome:
    sender = f"bench-{conversation.id}-{uuid.uuid4().hex[:8]}"
    outcome = Outcome(conversation, True)
    last_buttons: list[dict[str, Any]] = []

    def fail(number: int, kind: str, failure: str) -> None:
        outcome.passed = False
        outcome.failures.append(failure)
        outcome.kinds.append(f"{kind} (turn {'1' if number == 1 else '2+'})")

    for number, turn in enumerate(conversation.turns, 1):
        text = turn.text
        if turn.press is not None:
            chosen = [b for b in last_buttons if turn.press in (b.get("title"), *KB_ENTRY_RE.findall(str(b.get("payload"))))]
            if not chosen:
                fail(number, "no button to press", f"turn {number}: no button {turn.press!r} to press")
                break
            text = str(chosen[0]["payload"])
        try:
            stack.say(sender, text or "", timeout=120)
            tracker = stack.tracker(sender)
        except Exception as exc:  # a failed turn is a failed conversation, reported
            fail(number, "turn failed (error)", f"turn {number}: {exc.__class__.__name__}: {exc}")
            break
        bots = turn_events(tracker)
        last_buttons = [btn for b in bots for btn in ((b.get("data") or {}).get("buttons") or [])]
        for error in check(turn.expect, bots, tracker, conversation.variety, kb):
            fail(number, error[1:error.index("]")], f"turn {number} {text!r}: {error}")
    return outcome


def evaluate(stack: Stack, conversations: list[Conversation], workers: int = 3) -> list[Outcome]:
    kb = Knowledge.read(stack.root)
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda c: run_conversation(stack, c, kb), conversations))


#: What a model is trained from (the Makefile's TRAINING_INPUTS): two commits alike here share a model.
TRAINING_PATHS = ("config.yml", "domain.yml", "data", "assistant/nlu", "assistant/text.py", "assistant/words/langid.yml")


def trained_alike(sha: str) -> Path | None:
    """The model of another baseline whose training inputs are the same as `sha`'s: a baseline
    is trained once per training data, not once per commit (each helper's main moves often)."""
    for model in sorted(BASELINES.glob("*/models/assistant.tar.gz")):
        other = model.parent.parent.name
        same = subprocess.run(["git", "diff", "--quiet", other, sha, "--", *TRAINING_PATHS], cwd=ROOT,
                              capture_output=True).returncode == 0
        if other != sha and same:
            return model
    return None


def prepare_baseline(ref: str) -> Path:
    """A checkout of `ref` with this checkout's environments and its own trained model."""
    sha = subprocess.run(["git", "rev-parse", "--short=7", ref], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    path = BASELINES / sha
    if not path.exists():
        BASELINES.mkdir(parents=True, exist_ok=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(path), sha], cwd=ROOT, check=True)
    for venv in (".venv-rasa", ".venv-app"):  # the real environment, not a link another checkout may remove
        if not (path / venv).exists():
            (path / venv).unlink(missing_ok=True)  # a link left dangling by a removed checkout
            (path / venv).symlink_to((ROOT / venv).resolve())
    model = path / "models" / "assistant.tar.gz"
    if not model.exists() and (same := trained_alike(sha)) is not None:
        print(f"baseline {sha}: the model of {same.parent.parent.name} (same training inputs)", file=sys.stderr)
        model.parent.mkdir(exist_ok=True)
        shutil.copyfile(same, model)
    if not model.exists():
        print(f"training the baseline {sha} (once)…", file=sys.stderr)
        env = {**os.environ, "PYTHONPATH": str(path), "RASA_TELEMETRY_ENABLED": "false"}
        subprocess.run([str(path / ".venv-rasa" / "bin" / "rasa"), "train", "--quiet", "--fixed-model-name",
                        "assistant", "--out", "models"], cwd=path, env=env, check=True)
    return path


def rates(outcomes: list[Outcome], key: str) -> dict[str, tuple[int, int]]:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for outcome in outcomes:
        groups = [outcome.conversation.variety] if key == "variety" else outcome.conversation.tags
        for group in groups:
            counts[group][0] += outcome.passed
            counts[group][1] += 1
    return {k: (v[0], v[1]) for k, v in counts.items()}


def table(title: str, order: tuple[str, ...], current: list[Outcome], baseline: list[Outcome] | None,
          key: str, label: str) -> str:
    now, before = rates(current, key), rates(baseline or [], key)
    head = f"| {title} | Conversations | This branch |" + (f" Baseline {label} |" if baseline else "")
    lines = [head, "|---|---|---|" + ("---|" if baseline else "")]
    for group in [*order, "all"]:
        if group == "all":
            passed, n = sum(o.passed for o in current), len(current)
            b = (sum(o.passed for o in baseline or []), len(baseline or []))
        elif group in now:
            passed, n = now[group]
            b = before.get(group, (0, 0))
        else:
            continue
        row = f"| {group} | {n} | {passed / n:.2f} |"
        if baseline:
            row += f" {b[0] / b[1]:.2f} |" if b[1] else " – |"
        lines.append(row)
    return "\n".join(lines)


def first_failure_kind(outcome: Outcome) -> str:
    """The kind of a failed conversation's first wrong turn, without its text (an aggregate to look at)."""
    return outcome.kinds[0]


def failure_counts(outcomes: list[Outcome]) -> dict[str, Any]:
    """What a held-out run may keep: failures counted by kind, per phenomenon and variety (no ids, no text)."""
    failed = [o for o in outcomes if not o.passed]
    by_group: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in failed:
        for group in (outcome.conversation.variety, *outcome.conversation.tags):
            by_group[group][first_failure_kind(outcome)] += 1
    return {
        "conversations": len(outcomes),
        "failed": len(failed),
        "first_failure_kinds": dict(Counter(first_failure_kind(o) for o in failed)),
        "failure_kinds": dict(Counter(kind for o in failed for kind in o.kinds)),
        "first_failure_kinds_by_group": {group: dict(kinds) for group, kinds in sorted(by_group.items())},
    }


def kinds_table(outcomes: list[Outcome]) -> str:
    """Counts of first-failure kinds per phenomenon: where the failures are, not which examples."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for outcome in outcomes:
        if not outcome.passed:
            kind = first_failure_kind(outcome)
            counts["all"][kind] += 1
            for tag in outcome.conversation.tags:
                counts[tag][kind] += 1
    lines = ["| First failure | All | " + " | ".join(p for p in PHENOMENA if p in counts) + " |",
             "|---|---|" + "---|" * sum(p in counts for p in PHENOMENA)]
    for kind, total in counts["all"].most_common():
        cells = [str(counts[p][kind] or "") for p in PHENOMENA if p in counts]
        lines.append(f"| {kind} | {total} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def is_heldout(directory: Path) -> bool:
    """The held-out set or a folder inside it: its results keep no example text."""
    path = directory.resolve()
    return path == HELDOUT.resolve() or HELDOUT.resolve() in path.parents


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", default=os.environ.get("BASELINE", DEFAULT_BASELINE))
    parser.add_argument("--runs", default="baseline,current", help="which checkouts to run (baseline,current)")
    parser.add_argument("--only", help="comma-separated conversation-id prefixes or tags")
    parser.add_argument("--dir", type=Path, default=HELDOUT,
                        help="conversations to run (default: the held-out set; tests/data/dev_conversations for development)")
    args = parser.parse_args()
    conversations = load_conversations(args.dir)
    if args.only:
        keys = args.only.split(",")
        conversations = [c for c in conversations if any(c.id.startswith(k) or k in c.tags for k in keys)]
    print(f"{len(conversations)} conversations, {sum(len(c.turns) for c in conversations)} turns", file=sys.stderr)
    runs: dict[str, list[Outcome]] = {}
    wanted = args.runs.split(",")
    roots = {"baseline": prepare_baseline(args.baseline)} if "baseline" in wanted else {}
    if "current" in wanted:
        roots["current"] = ROOT

    def measure(name: str, root: Path) -> None:
        started = time.monotonic()
        stack = Stack(root=root, start_service=False, start_timeout=900)
        with stack:
            runs[name] = evaluate(stack, conversations)
        stack.cleanup()
        passed = sum(o.passed for o in runs[name])
        print(f"{name}: {passed}/{len(conversations)} in {time.monotonic() - started:.0f}s", file=sys.stderr)

    # both checkouts run side by side, so they share the machine's load alike
    with ThreadPoolExecutor(len(roots) or 1) as pool:
        list(pool.map(lambda item: measure(*item), roots.items()))
    runs = {name: runs[name] for name in roots}
    current, baseline = runs.get("current") or runs["baseline"], runs.get("baseline") if "current" in runs else None
    label = f"({args.baseline})"
    report = "\n\n".join([
        table("Variety", VARIETIES, current, baseline, "variety", label),
        table("Phenomenon", PHENOMENA, current, baseline, "tags", label),
        kinds_table(current),
    ])
    print(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    heldout = is_heldout(args.dir)
    name = "conversations" if heldout else args.dir.name
    (RESULTS / f"{name}.md").write_text(report + "\n", encoding="utf-8")
    details = {run: failure_counts(outcomes) if heldout else
               [{"id": o.conversation.id, "tags": o.conversation.tags, "failures": o.failures}
                for o in outcomes if not o.passed]
               for run, outcomes in runs.items()}
    (RESULTS / f"{name}.json").write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
