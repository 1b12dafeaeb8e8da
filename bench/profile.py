"""Flame graphs of turns under load (`make bench-profile`).

Starts the real stack (tests/support/stack.py: Rasa server and action server, SQLite),
warms it up, then samples the Rasa process and the action server with py-spy (attached
to the running processes, so model loading is not in the graphs) while simulated REST
users hold bench/turns.py's conversations. Writes bench/results/flame-rasa.svg and
flame-actions.svg, and prints the share of samples of the frames that matter per turn.
If py-spy cannot attach (ptrace not allowed), run it as the launcher instead:
`py-spy record -o out.svg -- .venv-rasa/bin/python -m assistant.rasa_server ...`.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.turns import OUR_TURNS, RESULTS, load
from tests.support.stack import ROOT, Stack

PY_SPY = ROOT / ".venv-app" / "bin" / "py-spy"
_TITLE = re.compile(r"<title>(.*?) \(([\d,]+) samples?, ([\d.]+)%\)</title>")


def shares(svg: Path, needles: list[str]) -> dict[str, float]:
    """Largest share (%) of the samples of a frame whose name contains each needle."""
    found = dict.fromkeys(needles, 0.0)
    for match in _TITLE.finditer(svg.read_text(encoding="utf-8", errors="replace")):
        frame, percent = html.unescape(match.group(1)), float(match.group(3))
        for needle in needles:
            if needle in frame:
                found[needle] = max(found[needle], percent)
    return found


#: Frames reported after a run (the per-turn costs the README discusses).
RASA_FRAMES = [
    "handle_message", "parse_message", "predict_next_with_tracker_if_should", "_run_action",
    "RemoteAction.run", "_action_call_format", "as_dict (rasa/shared/core/domain.py", "current_state",
    "request (rasa/utils/endpoints.py", "save (", "retrieve (", "_retrieve (", "from_dict", "stream_events",
    "publish",
]
ACTION_FRAMES = ["webhook", "run (rasa_sdk/executor.py", "ActionAnswerQuestion", "search", "loads", "dumps",
                 "update_and_return_domain", "Tracker.from_dict"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--users", type=int, default=10, help="simulated users during the sampling")
    parser.add_argument("--turns", type=int, default=300, help="turns to drive (shared among users)")
    parser.add_argument("--rate", type=int, default=50, help="py-spy samples per second")
    args = parser.parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    outputs = {"rasa": RESULTS / "flame-rasa.svg", "actions": RESULTS / "flame-actions.svg"}
    with Stack(start_service=False) as stack:
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        asyncio.run(load(url, OUR_TURNS, 1, len(OUR_TURNS)))  # warm-up: caches, first knowledge index
        samplers = {
            name: subprocess.Popen([str(PY_SPY), "record", "--pid", str(stack.processes[name].pid), "--rate",
                                    str(args.rate), "--nonblocking", "-o", str(path)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for name, path in outputs.items()
        }
        time.sleep(1.0)
        for name, sampler in samplers.items():
            if sampler.poll() is not None:
                error = sampler.stderr.read().decode(errors="replace") if sampler.stderr else ""
                print(f"py-spy could not attach to {name}: {error.strip()[:400]}", file=sys.stderr)
                return 1
        run = asyncio.run(load(url, OUR_TURNS, args.users, max(4, args.turns // args.users)))
        for sampler in samplers.values():
            sampler.send_signal(2)  # SIGINT: py-spy stops and writes its flame graph
        for sampler in samplers.values():
            sampler.wait(timeout=60)
    stack.cleanup()
    print(f"{len(run.latencies)} turns, {args.users} users, {run.throughput:.1f} turns/s, "
          f"p50 {run.percentile(50):.0f} ms, p95 {run.percentile(95):.0f} ms, errors {run.errors}")
    for name, frames in (("rasa", RASA_FRAMES), ("actions", ACTION_FRAMES)):
        print(f"\n{outputs[name].relative_to(ROOT)}: share of samples")
        for frame, percent in shares(outputs[name], frames).items():
            print(f"  {percent:5.1f}%  {frame}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
