"""One Rasa replica vs two behind HAProxy, in the same run (`make bench-scaled`).

Starts the scaled stack (tests/support/scaled.py: two Rasa replicas, two action servers,
HAProxy, PostgreSQL, Redis) and drives REST users (bench/turns.py's conversations) at
each concurrency level against:

1. one replica directly (no balancer),
2. the same replica through a second HAProxy that has only it as backend (the balancer's
   own overhead is the difference between 1 and 2),
3. both replicas through the balancer.

As in bench/turns.py, the three setups are measured interleaved: at each load level they take
turns in rounds of the same number of turns (ABC, CBA, ...), so a change of the shared
machine's load hits all three alike.

The action servers (behind their own balancer), PostgreSQL and Redis are the same for all
three. Needs TEST_DATABASE_URL or SCALED_DATABASE_URL (PostgreSQL server; a throwaway
database is created) and REDIS_URL. Results in bench/results/scaled.md and .json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import subprocess
import sys
import time

from sqlalchemy.engine import make_url

from bench.turns import (
    OUR_TURNS,
    Contender,
    Level,
    Run,
    interleaved,
    memory_table,
    peak_memory_mb,
    table,
    write_results,
)
from deploy.local import Layout, render_haproxy
from tests.support.scaled import ScaledStack
from tests.support.stack import free_port, wait_http


async def _admin(base: str, statement: str) -> None:
    import asyncpg

    url = make_url(base)
    connection = await asyncpg.connect(host=url.host or "127.0.0.1", port=url.port or 5432,
                                       user=url.username or "postgres", password=url.password,
                                       database="postgres", timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def round_range(level: Level, setup: str, baseline: str) -> tuple[float, float]:
    """Lowest and highest per-round turns/s ratio of `setup` to `baseline` (rounds run back to back,
    so a ratio's spread shows how much the shared machine's load moved the pooled figure)."""
    ratios = [a.throughput / b.throughput for a, b in zip(level.rounds[setup], level.rounds[baseline], strict=True)
              if b.throughput]
    return (min(ratios), max(ratios)) if ratios else (float("nan"), float("nan"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scaled")
    parser.add_argument("--users", default="1,10,50", help="concurrency levels")
    parser.add_argument("--turns", type=int, default=300, help="turns per level and setup (shared among users)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per level and setup, interleaved")
    args = parser.parse_args(argv)
    levels = [(u, max(1, args.turns // (args.rounds * u))) for u in (int(x) for x in args.users.split(","))]
    base = os.environ.get("SCALED_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    redis_url = os.environ.get("SCALED_REDIS_URL") or os.environ.get("REDIS_URL")
    if not (base and base.startswith("postgresql") and redis_url):
        print("bench-scaled needs PostgreSQL (TEST_DATABASE_URL) and Redis (REDIS_URL)", file=sys.stderr)
        return 2
    name = f"mre_bench_{secrets.token_hex(4)}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    database_url = make_url(base).set(database=name).render_as_string(hide_password=False)
    rows: list[tuple[str, Run]] = []
    loads: list[float] = []
    by_level: dict[int, Level] = {}
    memory: dict[str, float] = {}
    stack = ScaledStack(database_url=database_url, redis_url=redis_url, replicas=2, start_service=False)
    single = None
    try:
        with stack:
            # a second balancer with only replica 1 behind it: the balancer's own overhead
            single_layout = Layout(rasa_port=free_port(), actions_port=free_port(), stats_port=free_port(),
                                   rasa_backends=(stack.rasa_ports[0],), action_backends=tuple(stack.action_ports))
            config = stack.data_dir / "haproxy-single.cfg"
            config.write_text(render_haproxy(single_layout, log_to_stdout=False), encoding="utf-8")
            single = subprocess.Popen(["haproxy", "-W", "-db", "-f", str(config)], stdout=subprocess.DEVNULL)
            single_url = f"http://127.0.0.1:{single_layout.rasa_port}"
            wait_http(f"{single_url}/", 30, single)
            time.sleep(2.5)  # HAProxy's first health checks
            setups = [("1 replica, direct", stack.replica_url(0)), ("1 replica via HAProxy", single_url),
                      ("2 replicas via HAProxy", stack.rasa_url)]
            # CPU per turn: every process of the stack and both balancers (PostgreSQL and Redis not counted)
            pids = [process.pid for process in stack.processes.values()] + [single.pid]
            contenders = [Contender(setup, f"{url}/webhooks/rest/webhook", OUR_TURNS, pids) for setup, url in setups]
            loads = [os.getloadavg()[0]]  # the machine is shared: the figures mean little without it
            for users, per_user in levels:
                level = asyncio.run(interleaved(contenders, users, per_user, args.rounds))
                rows.extend((setup, level.runs[setup]) for setup, _ in setups)
                by_level[users] = level
                loads.append(os.getloadavg()[0])
            for process_name, process in stack.processes.items():
                memory[process_name] = peak_memory_mb(process.pid)
    finally:
        if single and single.poll() is None:
            single.terminate()
            single.wait(timeout=10)
        stack.cleanup()
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    by = {(setup, run.users): run for setup, run in rows}
    notes = []
    for users, _ in levels:
        direct, via, two = (by[(s, users)] for s in ("1 replica, direct", "1 replica via HAProxy",
                                                     "2 replicas via HAProxy"))
        low, high = round_range(by_level[users], "2 replicas via HAProxy", "1 replica, direct")
        notes.append(f"- {users} user(s): HAProxy adds {via.percentile(50) - direct.percentile(50):+.1f} ms at p50; "
                     f"two replicas give {two.throughput / direct.throughput:.2f}x one replica's turns/s "
                     f"(rounds {low:.2f}-{high:.2f}), "
                     f"p95 {two.percentile(95) / direct.percentile(95):.2f}x; CPU per turn (Rasa, action servers, "
                     f"HAProxy) {direct.cpu_ms_per_turn:.0f} / {via.cpu_ms_per_turn:.0f} / {two.cpu_ms_per_turn:.0f} ms")
    report = (f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {os.cpu_count()} CPU(s) (1-minute load average "
              f"{min(loads):.1f}-{max(loads):.1f} at the start and after each level), REST channel, loopback, conversations of {len(OUR_TURNS)} turns; PostgreSQL tracker "
              f"store, Redis lock store, two action servers behind HAProxy in every setup; the setups measured in "
              f"{args.rounds} interleaved rounds per level (ABC, CBA, ...), the same number of turns each.\n\n"
              f"{table(rows, 'Setup')}\n\n" + "\n".join(notes) + f"\n\n{memory_table(memory)}\n")
    write_results("scaled", report, rows, memory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
