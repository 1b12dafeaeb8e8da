"""End-to-end fixtures: the real stack on loopback (see tests/support/stack.py), and a browser.

`faulty` is a second stack for the fault and bad-input tests (tests/e2e/test_faults.py,
test_bad_input.py): REST, socket.io, WhatsApp (the Graph API a local fake, `graph`) and
Twilio (its REST API a local fake, `twilio_api`),
its project database in PostgreSQL behind a TCP proxy (`proxy`) that can refuse or hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy.engine import make_url

from tests.conftest import service_unavailable
from tests.support import ahead, fake_api_fixtures
from tests.support.fakes import FakeGraphApi, FakeTwilioApi
from tests.support.faulty_tcp import FaultyProxy
from tests.support.stack import ROOT, TEARDOWN_GRACE, Stack, start_together
from tests.support.whatsapp_stack import whatsapp_stack

#: Settings of the `faulty` stack the tests rely on.
ACTION_TIMEOUT = 10.0  # the default (settings ACTION_TIMEOUT)
SPOOL_RETRY_SECONDS = 3
STALE_AFTER_SECONDS = 20
RECOVERY_SECONDS = 5  # the WhatsApp channels' recovery loop's period

RABBITMQ_URL = os.environ.get("TEST_RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/")

#: Debian's chromium (Playwright cannot download its own browser here); `make browser` installs it.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """An e2e test's timeout (pyproject's, or its own marker's) counts the test, not its fixtures:
    the first test using a shared stack waited for the stack's start too (minutes on a loaded
    machine; Stack.start has its own deadlines)."""
    here = Path(__file__).parent
    for item in items:
        if here not in item.path.parents:
            continue
        marker = item.get_closest_marker("timeout")
        seconds = (marker.args[0] if marker.args else marker.kwargs.get("timeout")) if marker else None
        item.add_marker(pytest.mark.timeout(float(seconds or config.getini("timeout")), func_only=True), append=False)


#: The default stack when `faulty` started it beside itself, until the `stack` fixture takes it.
PRESTARTED = pytest.StashKey[Stack]()


def _default_stack() -> Stack:
    """The service's demo page points the chat widget at this Rasa (RASA_PUBLIC_URL), since
    Rasa listens on a free port rather than 5005."""
    running = Stack()
    running.env_overrides.setdefault("RASA_PUBLIC_URL", running.rasa_url)
    return running


def _collected_use(session: pytest.Session, name: str) -> bool:
    """Whether a collected test uses this conftest's fixture `name` (not a module's own of that name)."""
    for item in session.items:
        info = getattr(item, "_fixtureinfo", None)
        definitions = info.name2fixturedefs.get(name) if info else None
        if definitions and definitions[-1].func.__module__ == __name__:
            return True
    return False


def _stopped(running: Stack) -> None:
    running.stop(grace=TEARDOWN_GRACE)
    running.cleanup()


@pytest.fixture(scope="session")
def stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    """The assistant with its default channels (REST, socketio) and the guidance service.

    When the session's tests use `faulty` too, both start at once (`faulty` starts this one beside
    itself): two model loads at the same time on two cores instead of one after the other."""
    if _collected_use(request.session, "faulty"):
        # when `faulty` cannot start (no PostgreSQL), its own tests say so and this one starts alone
        with contextlib.suppress(Exception, pytest.skip.Exception, pytest.fail.Exception):
            request.getfixturevalue("faulty")
    running = request.config.stash.get(PRESTARTED, None)
    if running is None:
        running = _default_stack().start()
    ahead.begin(request.config)
    try:
        yield running
    finally:
        _stopped(running)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright's sync API (one per test module: the sync API runs an
    event loop in this thread while it is open, and the later modules' `asyncio.run` calls (faults,
    identity, handoff, the scaled stacks) fail under a running loop; a session-wide browser broke them)."""
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()


async def _fetch(base: str, statement: str, *args: Any) -> Any:
    """Runs one statement on a PostgreSQL database; returns the first column of the first row."""
    import asyncpg

    url = make_url(base)
    connection = await asyncpg.connect(host=url.host or "127.0.0.1", port=url.port or 5432,
                                       user=url.username or "postgres", password=url.password,
                                       database=url.database or "postgres", timeout=5)
    try:
        return await connection.fetchval(statement, *args)
    finally:
        await connection.close()


async def _admin(base: str, statement: str) -> None:
    await _fetch(base, statement)


def fetch_value(database_url: str, statement: str, *args: Any) -> Any:
    """One value read from PostgreSQL (e.g. the `postgres` fixture's database, not through the proxy)."""
    return asyncio.run(_fetch(database_url, statement, *args))


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        pytest.fail("TEST_DATABASE_URL is not set: these tests need PostgreSQL (a database that can hang)")
    name = f"mre_faults_{secrets.token_hex(4)}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    yield make_url(base).set(database=name).render_as_string(hide_password=False)
    asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def proxy(postgres: str) -> Iterator[FaultyProxy]:
    url = make_url(postgres)
    with FaultyProxy(url.host or "127.0.0.1", url.port or 5432) as running:
        yield running

#: The fakes' fixtures, defined once (also used by tests/rasa_env/channels).
graph = fake_api_fixtures.graph
twilio_api = fake_api_fixtures.twilio_api


@pytest.fixture(scope="session")
def faulty(request: pytest.FixtureRequest, postgres: str, proxy: FaultyProxy, graph: FakeGraphApi,
           twilio_api: FakeTwilioApi) -> Iterator[Stack]:
    through_proxy = make_url(postgres).set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    running = whatsapp_stack(
        graph, twilio_api, database_url=through_proxy,
        settings={
            "SPOOL_RETRY_SECONDS": str(SPOOL_RETRY_SECONDS), "ACTION_TIMEOUT": str(int(ACTION_TIMEOUT)),
            "COOKIE_SECURE": "false",  # the staff console over plain http on loopback
        },
        whatsapp={"recovery_seconds": RECOVERY_SECONDS, "stale_after_seconds": STALE_AFTER_SECONDS},
        twilio={"recovery_seconds": RECOVERY_SECONDS, "stale_after_seconds": STALE_AFTER_SECONDS},
    )
    beside = [_default_stack()] if _collected_use(request.session, "stack") and PRESTARTED not in request.config.stash else []
    start_together(running, *beside)
    if beside:
        request.config.stash[PRESTARTED] = beside[0]
    ahead.begin(request.config)
    try:
        yield running
    finally:
        _stopped(running)
        if beside and beside[0].processes:  # never taken by `stack` (its tests did not run)
            _stopped(beside[0])


# ---------------------------------------------------------------- stacks started ahead
# The modules' own stacks (the insights modules', console presence's, the scaled ones) start in the
# background, one after the other, once the session's first stacks serve (tests/support/ahead.py).


def pytest_collection_finish(session: pytest.Session) -> None:
    ahead.plan(session, AHEAD)


def pytest_sessionfinish(session: pytest.Session) -> None:
    started = session.config.stash.get(ahead.AHEAD, None)
    if started is not None:
        started.close()


@contextlib.contextmanager
def _running(stack: Stack) -> Iterator[Stack]:
    stack.start()
    try:
        yield stack
    finally:
        _stopped(stack)


def insights_started() -> contextlib.AbstractContextManager[Stack]:
    """test_insights_browser.py's stack: publication writes into KNOWLEDGE_DIR, here a copy of knowledge/."""
    running = Stack(start_timeout=900)
    knowledge = running.data_dir / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    running.env_overrides["KNOWLEDGE_DIR"] = str(knowledge)
    return _running(running)


def rabbit_started() -> contextlib.AbstractContextManager[Stack]:
    """test_insights_events.py's stack: Rasa's event broker is RabbitMQ (a queue of this session)."""
    try:
        socket.create_connection(("127.0.0.1", 5672), timeout=2).close()
    except OSError as exc:
        service_unavailable("RabbitMQ", f"{RABBITMQ_URL} unreachable ({exc.__class__.__name__})")
    return _running(Stack(env_overrides={"EVENT_BROKER_URL": RABBITMQ_URL, "EVENT_QUEUE": f"e2e_{secrets.token_hex(4)}"},
                          start_timeout=900))


AHEAD: dict[str, ahead.Factory] = {"insights_stack": insights_started, "rabbit_stack": rabbit_started}


@pytest.fixture(scope="module")
def insights_stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    yield from ahead.take(request, insights_started)


@pytest.fixture(scope="module")
def rabbit_stack(request: pytest.FixtureRequest) -> Iterator[Stack]:
    yield from ahead.take(request, rabbit_started)
