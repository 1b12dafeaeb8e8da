"""Turn latency and throughput under concurrent users (`make bench`).

Drives Rasa's REST channel with 1, 10 and 50 simulated users, each holding its own
conversations (the turn list below, then a new conversation), and reports per-turn latency
(p50/p95/p99), turns per second and the peak memory (VmHWM) of every process, for this
assistant and, as the baseline, Rasa's stock assistant (`rasa init`'s moodbot, its default
pipeline and policies). Everything listens on 127.0.0.1, on free ports.

The machine is shared and its load changes by the minute, so the two are not measured one
after the other: both run at once and, at each load level, take turns in short rounds of
the same number of turns (ABBA order: stock, ours, ours, stock, ...), each simulated user
carrying on its conversation from one round to the next. Latencies are pooled per
assistant; turns/s is its turns over the time of its own rounds. A load change during the
level hits both alike; the spread of the per-round ratios shows how much noise was left.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.moodbot import MODEL_LOAD_SECONDS, Moodbot
from tests.support.stack import Stack

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"

# What our simulated investors say, in every language the assistant speaks.
OUR_TURNS = [
    "Bonjour", "Quel est le capital minimum pour une SARL ?", "et pour une SA ?", "merci",
    "مرحبا", "ما هي مدة صلاحية الشهادة السلبية؟", "wach n9der ndir auto-entrepreneur w ana sakn f Italia?",
    "Hello", "What is MDM Invest?", "and the tax rate?", "شنو هو MDM Invest؟", "thanks",
]
MOODBOT_TURNS = ["hi", "I am sad", "yes", "great", "bye", "hello", "very good", "no", "goodbye", "are you a bot?"]


@dataclass
class Run:
    users: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time its server processes used meanwhile (when measured)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


    def add(self, other: Run) -> None:
        """Pool another round's turns into this run (latencies, errors, time)."""
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.seconds += other.seconds
        self.cpu_seconds += other.cpu_seconds

    @property
    def cpu_ms_per_turn(self) -> float:
        return self.cpu_seconds / len(self.latencies) * 1000 if self.latencies else float("nan")


class Speaker:
    """One simulated user: conversations of len(turns) messages, one after another.

    Keeps its place between calls, so a conversation goes on across the rounds of a level.
    """

    def __init__(self, turns: Sequence[str]) -> None:
        self.turns = turns
        self.sender = uuid.uuid4().hex
        self.said = 0

    async def say(self, session: aiohttp.ClientSession, url: str, count: int, run: Run) -> None:
        for _ in range(count):
            if self.said and self.said % len(self.turns) == 0:
                self.sender = uuid.uuid4().hex  # a new conversation
            text = self.turns[self.said % len(self.turns)]
            self.said += 1
            started = time.perf_counter()
            try:
                async with session.post(url, json={"sender": self.sender, "message": text}) as response:
                    await response.read()
                    if response.status != 200:
                        run.errors += 1
                        continue
            except (aiohttp.ClientError, TimeoutError):
                run.errors += 1
                continue
            run.latencies.append(time.perf_counter() - started)


async def user(session: aiohttp.ClientSession, url: str, turns: Sequence[str], count: int, run: Run) -> None:
    """One simulated user saying `count` turns."""
    await Speaker(turns).say(session, url, count, run)


async def load(url: str, turns: Sequence[str], users: int, turns_per_user: int) -> Run:
    run = Run(users)
    timeout = aiohttp.ClientTimeout(total=120)
    connector = aiohttp.TCPConnector(limit=users + 5)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        await user(session, url, turns, 4, Run(1))  # warm-up (model caches, first KB index)
        started = time.perf_counter()
        await asyncio.gather(*(user(session, url, turns, turns_per_user, run) for _ in range(users)))
        run.seconds = time.perf_counter() - started
    return run


def peak_memory_mb(pid: int) -> float:
    """Peak resident memory of a process (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def with_children(pids: Sequence[int]) -> list[int]:
    """The processes and their running descendants (HAProxy's worker under its master)."""
    found, todo = [], list(pids)
    while todo:
        pid = todo.pop()
        found.append(pid)
        for children in Path(f"/proc/{pid}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in children.read_text().split())
            except OSError:
                continue
    return found


def cpu_seconds(pids: Sequence[int]) -> float:
    """User + system CPU time the processes and their children used so far (/proc/<pid>/stat), in seconds."""
    ticks = 0
    for pid in with_children(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the line)
    return ticks / os.sysconf("SC_CLK_TCK")


@dataclass
class Contender:
    """An assistant in the interleaved comparison: its REST webhook and what its users say."""

    name: str
    url: str
    turns: Sequence[str]
    pids: Sequence[int] = ()  # its server processes, for the CPU time per turn


@dataclass
class Level:
    """One load level of the interleaved comparison: pooled runs and each round's run, per assistant."""

    users: int
    runs: dict[str, Run] = field(default_factory=dict)
    rounds: dict[str, list[Run]] = field(default_factory=dict)
    load_average: float = field(default_factory=lambda: os.getloadavg()[0])  # 1 min, at the level's start


async def settle(pids: Sequence[int], quiet: float = 0.15, longest: float = 10.0) -> None:
    """Waits until the processes use under `quiet` of a core (deferred work done: the guidance
    service records a round's events for insights after the answers), so that it does not
    run during the other assistant's round. Its CPU counts towards the CPU per turn; its time
    does not count in turns/s."""
    if not pids:
        return
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline:
        before = cpu_seconds(pids)
        await asyncio.sleep(0.5)
        if cpu_seconds(pids) - before < quiet * 0.5:
            return


def round_order(names: Sequence[str], rounds: int) -> list[list[str]]:
    """ABBA: the order is reversed every other round, so a steady drift of the load hits both alike."""
    return [list(names) if index % 2 == 0 else list(reversed(names)) for index in range(rounds)]


async def interleaved(contenders: Sequence[Contender], users: int, per_user_per_round: int, rounds: int) -> Level:
    """At one load level, the contenders take turns in rounds of `users` x `per_user_per_round` turns each."""
    level = Level(users, {c.name: Run(users) for c in contenders}, {c.name: [] for c in contenders})
    speakers = {c.name: [Speaker(c.turns) for _ in range(users)] for c in contenders}
    by_name = {c.name: c for c in contenders}
    timeout = aiohttp.ClientTimeout(total=120)
    sessions = {c.name: aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=users + 5))
                for c in contenders}
    try:
        for c in contenders:  # warm-up (model caches, first KB index)
            await Speaker(c.turns).say(sessions[c.name], c.url, 4, Run(1))
        for order in round_order([c.name for c in contenders], rounds):
            for name in order:
                part = Run(users)
                cpu, started = cpu_seconds(by_name[name].pids), time.perf_counter()
                await asyncio.gather(*(s.say(sessions[name], by_name[name].url, per_user_per_round, part)
                                       for s in speakers[name]))
                part.seconds = time.perf_counter() - started
                await settle(by_name[name].pids)
                part.cpu_seconds = cpu_seconds(by_name[name].pids) - cpu
                level.runs[name].add(part)
                level.rounds[name].append(part)
    finally:
        for session in sessions.values():
            await session.close()
    return level


def table(rows: list[tuple[str, Run]], first_column: str = "Assistant") -> str:
    lines = [
        f"| {first_column} | Users | Turns | p50 ms | p95 ms | p99 ms | Turns/s | Errors |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, run in rows:
        lines.append(
            f"| {name} | {run.users} | {len(run.latencies)} | {run.percentile(50):.0f} | {run.percentile(95):.0f} | "
            f"{run.percentile(99):.0f} | {run.throughput:.1f} | {run.errors} |"
        )
    return "\n".join(lines)


def memory_table(memory: dict[str, float]) -> str:
    return "\n".join(["| Process | Peak memory (MB) |", "|---|---|"] + [f"| {n} | {mb:.0f} |" for n, mb in memory.items()])


def write_results(name: str, report: str, rows: list[tuple[str, Run]], memory: dict[str, float],
                  extra: dict[str, object] | None = None) -> None:
    """bench/results/<name>.md (the report) and <name>.json (latency summary per setup and load)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(report, encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(json.dumps(
        {f"{setup}|{run.users}": {"p50": run.percentile(50), "p95": run.percentile(95), "p99": run.percentile(99),
                                  "turns_per_second": run.throughput, "errors": run.errors} for setup, run in rows}
        | {"memory_mb": memory} | (extra or {}), indent=2), encoding="utf-8")
    print(report)


OURS, STOCK = "this assistant", "stock moodbot"
#: The aim of issue #15 part 5, at every load level of the same run.
AIM_THROUGHPUT, AIM_P95 = 1.1, 1.0


def ratios(level: Level) -> dict[str, float]:
    """This assistant against the stock one at a level: pooled, and the range of the per-round ratios."""
    ours, stock = level.runs[OURS], level.runs[STOCK]
    pairs = zip(level.rounds[OURS], level.rounds[STOCK], strict=True)
    per_round = [(o.throughput / s.throughput if s.throughput else float("nan"), o.percentile(95) / s.percentile(95))
                 for o, s in pairs]
    return {"throughput": ours.throughput / stock.throughput if stock.throughput else float("nan"),
            "p95": ours.percentile(95) / stock.percentile(95),
            "throughput_round_min": min(t for t, _ in per_round), "throughput_round_max": max(t for t, _ in per_round),
            "p95_round_min": min(p for _, p in per_round), "p95_round_max": max(p for _, p in per_round)}


def ratio_line(level: Level) -> str:
    ours, stock, r = level.runs[OURS], level.runs[STOCK], ratios(level)
    met = r["throughput"] >= AIM_THROUGHPUT and r["p95"] <= AIM_P95
    return (f"- {level.users} user(s): turns/s {ours.throughput:.1f} vs {stock.throughput:.1f} = "
            f"**{r['throughput']:.2f}x** the stock assistant (rounds {r['throughput_round_min']:.2f}–"
            f"{r['throughput_round_max']:.2f}); p95 {ours.percentile(95):.0f} ms vs {stock.percentile(95):.0f} ms = "
            f"**{r['p95']:.2f}x** (rounds {r['p95_round_min']:.2f}–{r['p95_round_max']:.2f}); "
            f"aim (≥ {AIM_THROUGHPUT}x turns/s, ≤ {AIM_P95}x p95) {'met' if met else 'not met'}; CPU per turn "
            f"{ours.cpu_ms_per_turn:.0f} ms vs {stock.cpu_ms_per_turn:.0f} ms; "
            f"load average {level.load_average:.1f} at the level's start")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.turns")
    parser.add_argument("--users", default="1,10,50", help="concurrency levels")
    parser.add_argument("--turns", type=int, default=400, help="turns per level and assistant (shared among users)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds per level and assistant, interleaved (ABBA)")
    args = parser.parse_args(argv)
    plan = [(u, max(1, args.turns // (args.rounds * u))) for u in (int(x) for x in args.users.split(","))]

    memory: dict[str, float] = {}
    load_before, started = os.getloadavg(), time.strftime("%Y-%m-%d %H:%M")
    moodbot, stack = Moodbot(), Stack(start_timeout=MODEL_LOAD_SECONDS)
    try:
        moodbot.start()  # both load their models at once (minutes each on the shared machine)
        stack.start()
        moodbot.wait()
        assert moodbot.process is not None
        contenders = [Contender(STOCK, moodbot.url, MOODBOT_TURNS, [moodbot.process.pid]),
                      Contender(OURS, f"{stack.rasa_url}/webhooks/rest/webhook", OUR_TURNS,
                                [process.pid for process in stack.processes.values()])]
        levels = [asyncio.run(interleaved(contenders, users, per_user, args.rounds)) for users, per_user in plan]
        memory[f"{STOCK}: rasa"] = peak_memory_mb(moodbot.process.pid)
        for name, process in stack.processes.items():
            memory[f"{OURS}: {name}"] = peak_memory_mb(process.pid)
        load_after = os.getloadavg()
        report(args.rounds, started, load_before, load_after, levels, memory)  # before stopping: a slow stop loses nothing
    finally:
        try:
            moodbot.stop()
        finally:
            stack.stop()
            stack.cleanup()
    return 0


def report(rounds: int, started: str, load_before: tuple[float, float, float],
           load_after: tuple[float, float, float], levels: list[Level], memory: dict[str, float]) -> None:

    rows = [(name, level.runs[name]) for level in levels for name in (STOCK, OURS)]
    text = (f"Measured {started}–{time.strftime('%H:%M')} on {os.cpu_count()} CPU(s), load average (1 min) "
              f"{load_before[0]:.1f} before and {load_after[0]:.1f} after; REST channel, loopback; conversations of "
              f"{len(OUR_TURNS)} turns (this assistant) and {len(MOODBOT_TURNS)} turns (moodbot); both running "
              f"at once, measured in {rounds} interleaved rounds per level (ABBA order), each round the same "
              f"number of turns for both.\n\n{table(rows)}\n\n"
              + "\n".join(ratio_line(level) for level in levels) + f"\n\n{memory_table(memory)}\n")
    write_results("turns", text, rows, memory, {
        "ratios": {str(level.users): ratios(level) for level in levels},
        "cpu_ms_per_turn": {f"{name}|{level.users}": level.runs[name].cpu_ms_per_turn
                            for level in levels for name in (STOCK, OURS)},
        "load_average": {"before": load_before[0], "after": load_after[0]},
    })


if __name__ == "__main__":
    sys.exit(main())
