"""Turn latency and throughput under concurrent users (`make bench`).

Drives Rasa's REST channel with 1, 10 and 50 simulated users, each holding its own
conversations (the turn list below, then a new conversation), and reports per-turn latency (p50/p95/p99), turns per second and the
peak memory (VmHWM) of every process. In the same run and on the same machine it does
the same for Rasa's stock assistant (`rasa init`'s moodbot, its default pipeline and
policies) as the baseline. Everything listens on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from tests.support.stack import RASA, Stack, free_port, wait_http

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
MOODBOT_DIR = ROOT / "bench" / ".moodbot"  # build output (git-ignored)

# What our simulated investors say, in every language the assistant speaks.
OUR_TURNS = [
    "Bonjour", "Quel est le capital minimum pour une SARL ?", "et pour une SA ?", "merci",
    "مرحبا", "ما هي مدة صلاحية الشهادة السلبية؟", "wach n9der ndir auto-entrepreneur w ana sakn f Italia?",
    "Hello", "What is MDM Invest?", "and the tax rate?", "شنو هو MDM Invest؟", "thanks",
]
#: Seconds a Rasa server may take to load its model (over 7 minutes seen on the shared 2-CPU machine).
MODEL_LOAD_SECONDS = 900.0
MOODBOT_TURNS = ["hi", "I am sad", "yes", "great", "bye", "hello", "very good", "no", "goodbye", "are you a bot?"]


@dataclass
class Run:
    users: int
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))
        return ordered[index] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


async def user(session: aiohttp.ClientSession, url: str, turns: Sequence[str], count: int, run: Run) -> None:
    """One simulated user: conversations of len(turns) messages, one after another."""
    sender = uuid.uuid4().hex
    for i in range(count):
        if i and i % len(turns) == 0:
            sender = uuid.uuid4().hex  # a new conversation
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": turns[i % len(turns)]}) as response:
                await response.read()
                if response.status != 200:
                    run.errors += 1
                    continue
        except (aiohttp.ClientError, TimeoutError):
            run.errors += 1
            continue
        run.latencies.append(time.perf_counter() - started)


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


def build_moodbot() -> Path:
    """`rasa init`'s assistant, trained once and kept under bench/.moodbot/."""
    model = MOODBOT_DIR / "models"
    if not any(model.glob("*.tar.gz")) if model.exists() else True:
        MOODBOT_DIR.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        subprocess.run([str(RASA), "init", "--no-prompt", "--init-dir", str(MOODBOT_DIR)], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return next(iter(sorted((MOODBOT_DIR / "models").glob("*.tar.gz"))))


class Moodbot:
    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.log = Path(tempfile.mkstemp(prefix="moodbot-", suffix=".log")[1])

    def __enter__(self) -> Moodbot:
        model = build_moodbot()
        env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(RASA), "run", "--model", str(model), "--port", str(self.port), "--interface", "127.0.0.1"],
                cwd=MOODBOT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        try:  # loading a model takes minutes on a busy 2-CPU machine (as for Stack)
            wait_http(f"http://127.0.0.1:{self.port}/", MODEL_LOAD_SECONDS, self.process)
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


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


def write_results(name: str, report: str, rows: list[tuple[str, Run]], memory: dict[str, float]) -> None:
    """bench/results/<name>.md (the report) and <name>.json (latency summary per setup and load)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text(report, encoding="utf-8")
    (RESULTS / f"{name}.json").write_text(json.dumps(
        {f"{setup}|{run.users}": {"p50": run.percentile(50), "p95": run.percentile(95), "p99": run.percentile(99),
                                  "turns_per_second": run.throughput, "errors": run.errors} for setup, run in rows}
        | {"memory_mb": memory}, indent=2), encoding="utf-8")
    print(report)


async def measure(url: str, turns: Sequence[str], levels: Sequence[tuple[int, int]]) -> list[Run]:
    return [await load(url, turns, users, per_user) for users, per_user in levels]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.turns")
    parser.add_argument("--users", default="1,10,50", help="concurrency levels")
    parser.add_argument("--turns", type=int, default=400, help="turns per level (shared among users)")
    args = parser.parse_args(argv)
    levels = [(u, max(4, args.turns // u)) for u in (int(x) for x in args.users.split(","))]

    rows: list[tuple[str, Run]] = []
    memory: dict[str, float] = {}
    with Moodbot() as moodbot:
        url = f"http://127.0.0.1:{moodbot.port}/webhooks/rest/webhook"
        for run in asyncio.run(measure(url, MOODBOT_TURNS, levels)):
            rows.append(("stock moodbot", run))
        assert moodbot.process is not None
        memory["stock moodbot: rasa"] = peak_memory_mb(moodbot.process.pid)
    with Stack(start_timeout=MODEL_LOAD_SECONDS) as stack:
        url = f"{stack.rasa_url}/webhooks/rest/webhook"
        for run in asyncio.run(measure(url, OUR_TURNS, levels)):
            rows.append(("this assistant", run))
        for name, process in stack.processes.items():
            memory[f"this assistant: {name}"] = peak_memory_mb(process.pid)
    stack.cleanup()

    rows.sort(key=lambda r: (r[1].users, r[0] != "stock moodbot"))
    turns_table = table(rows)
    by = {(name, run.users): run for name, run in rows}
    ratio_lines = []
    for users, _ in levels:
        ours, stock = by[("this assistant", users)], by[("stock moodbot", users)]
        ratio_lines.append(f"- {users} user(s): p95 {ours.percentile(95):.0f} ms vs {stock.percentile(95):.0f} ms "
                           f"= {ours.percentile(95) / stock.percentile(95):.2f}x the stock assistant")
    cpu = os.cpu_count()
    report = (f"Measured {time.strftime('%Y-%m-%d')} on {cpu} CPU(s), REST channel, loopback; "
              f"conversations of {len(OUR_TURNS)} turns (this assistant) and {len(MOODBOT_TURNS)} turns (moodbot).\n\n"
              f"{turns_table}\n\n" + "\n".join(ratio_lines) + f"\n\n{memory_table(memory)}\n")
    write_results("turns", report, rows, memory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
