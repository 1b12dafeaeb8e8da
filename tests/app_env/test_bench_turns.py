"""`make bench`'s interleaved comparison (bench/turns.py) against two small HTTP servers on loopback.

The comparison is only fair if both assistants get the same turns, in alternating rounds, with
conversations that go on across rounds; these tests check that, not any timing.
"""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bench.turns import OURS, STOCK, Contender, Level, Run, cpu_seconds, interleaved, ratio_line, ratios, round_order

TURNS = ["a", "b", "c", "d", "e"]


class Recorder:
    """Every request the servers got, in arrival order: (server, sender, message)."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str, str]] = []

    def app(self, name: str, fail_on: str | None = None) -> web.Application:
        async def webhook(request: web.Request) -> web.Response:
            body = await request.json()
            self.seen.append((name, body["sender"], body["message"]))
            if body["message"] == fail_on:
                return web.json_response({"error": "refused"}, status=503)
            return web.json_response([{"text": "ok"}])

        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        return app


@pytest.fixture
async def servers() -> AsyncIterator[tuple[Recorder, list[Contender]]]:
    recorder = Recorder()
    runners = []
    contenders = []
    for name, fail_on in ((STOCK, None), (OURS, "d")):
        runner = web.AppRunner(recorder.app(name, fail_on))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        runners.append(runner)
        contenders.append(Contender(name, f"http://127.0.0.1:{port}/webhooks/rest/webhook", TURNS))
    yield recorder, contenders
    for runner in runners:
        await runner.cleanup()


def test_rounds_alternate_abba() -> None:
    assert round_order(["A", "B"], 4) == [["A", "B"], ["B", "A"], ["A", "B"], ["B", "A"]]


async def test_both_get_the_same_turns_in_alternating_rounds(servers: tuple[Recorder, list[Contender]]) -> None:
    recorder, contenders = servers
    level = await interleaved(contenders, users=2, per_user_per_round=3, rounds=4)

    # warm-up (4 turns each), then rounds of 6 turns: stock, ours | ours, stock | stock, ours | ours, stock
    segments = [(STOCK, 4), (OURS, 4)] + [(name, 6) for name in [STOCK, OURS, OURS, STOCK, STOCK, OURS, OURS, STOCK]]
    assert [name for name, _, _ in recorder.seen] == [name for name, count in segments for _ in range(count)]
    for name in (STOCK, OURS):
        assert len(level.rounds[name]) == 4
        assert all(len(r.latencies) + r.errors == 6 for r in level.rounds[name])
        assert len(level.runs[name].latencies) + level.runs[name].errors == 24
        assert level.runs[name].seconds == pytest.approx(sum(r.seconds for r in level.rounds[name]))
    assert level.runs[STOCK].errors == 0
    assert level.runs[OURS].errors == 4  # "d", twice per user: a refused turn is counted, not timed


async def test_conversations_go_on_across_rounds(servers: tuple[Recorder, list[Contender]]) -> None:
    recorder, contenders = servers
    await interleaved(contenders, users=2, per_user_per_round=3, rounds=4)
    warm_up = recorder.seen[0][1]
    by_sender: dict[str, list[str]] = {}
    for name, sender, message in recorder.seen:
        if name == STOCK and sender != warm_up:
            by_sender.setdefault(sender, []).append(message)
    # 2 users x 12 turns in rounds of 3: each goes on with its conversation (a, b, c | d, e, then a new one…)
    assert sorted(len(m) for m in by_sender.values()) == [2, 2, 5, 5, 5, 5]
    assert all(messages == TURNS[:len(messages)] for messages in by_sender.values())


def test_ratios_pool_rounds_and_show_their_spread() -> None:
    def run(latency: float, count: int, seconds: float) -> Run:
        return Run(10, [latency] * count, 0, seconds)

    level = Level(10)
    level.rounds = {OURS: [run(0.1, 10, 1.0), run(0.3, 10, 4.0)], STOCK: [run(0.2, 10, 2.0), run(0.2, 10, 2.0)]}
    for name, rounds in level.rounds.items():
        level.runs[name] = Run(10)
        for one in rounds:
            level.runs[name].add(one)
    found = ratios(level)
    assert found["throughput"] == pytest.approx((20 / 5.0) / (20 / 4.0))  # pooled: turns over the rounds' time
    assert (found["throughput_round_min"], found["throughput_round_max"]) == pytest.approx((0.5, 2.0))
    assert found["p95"] == pytest.approx(1.5)
    assert "not met" in ratio_line(level)


def test_cpu_time_is_the_processes_own() -> None:
    before = cpu_seconds([os.getpid()])
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # busy, in this process
        pass
    assert 0.2 <= cpu_seconds([os.getpid()]) - before < 5


def test_scaled_bench_shows_the_spread_of_two_replicas_over_one_per_round() -> None:
    """`make bench-scaled` reports the per-round range of two replicas' turns/s over one's."""
    from bench.scaled import round_range

    level = Level(10)
    level.rounds = {"two": [Run(10, [0.1] * 10, 0, 1.0), Run(10, [0.1] * 10, 0, 0.5)],
                    "one": [Run(10, [0.1] * 10, 0, 2.0), Run(10, [0.1] * 10, 0, 0.5)],
                    "stopped": [Run(10, [], 0, 0.0), Run(10, [], 0, 0.0)]}
    assert round_range(level, "two", "one") == pytest.approx((1.0, 2.0))
    assert all(value != value for value in round_range(level, "two", "stopped"))  # NaN, not a crash
