"""Stacks started ahead of the test module that needs them (tests/e2e/conftest.py).

A Rasa server loads its model for 30-60 s, mostly on one core. Started by its module's fixture,
that time is waited for with the other core mostly idle; started earlier, in a background thread,
it overlaps the tests of the modules before it. The stacks are started one after the other (one
model load at a time beside the running tests), in the order their modules run, once the first
stacks of the session serve. A module's fixture takes its stack when its module begins (waiting
if it is not up yet) and stops it when its module ends, as before; a stack never taken (its tests
deselected or the session stopped early) is stopped at the end of the session.

A module opts in with `AHEAD = {"fixture_name": factory}`: the factory is a context manager
function whose value the fixture yields (`yield from take(request, factory)`); its failure
(a service missing: skip, or fail with REQUIRE_SERVICES=1) is raised by the fixture, as if the
fixture had started the stack itself.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field
from typing import Any

import pytest

Factory = Callable[[], AbstractContextManager[Any]]


@dataclass
class Job:
    factory: Factory
    done: threading.Event = field(default_factory=threading.Event)
    exits: ExitStack = field(default_factory=ExitStack)
    value: Any = None
    error: BaseException | None = None


class Ahead:
    """The session's stacks started ahead, one job at a time in one background thread."""

    def __init__(self, factories: Iterable[Factory]) -> None:
        self.jobs = {factory: Job(factory) for factory in factories}
        self.thread: threading.Thread | None = None
        self.closing = threading.Event()
        self.lock = threading.Lock()

    def begin(self) -> None:
        """Starts the background thread (once; the first stacks of the session serve by then)."""
        with self.lock:
            if self.thread is None and self.jobs:
                self.thread = threading.Thread(target=self._run, name="stacks-ahead", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        for job in self.jobs.values():
            try:
                if self.closing.is_set():
                    raise RuntimeError("the session ended before this stack was started")
                job.value = job.exits.enter_context(job.factory())
            except BaseException as error:  # pytest's skip/fail too: raised by the fixture
                job.error = error
            finally:
                job.done.set()

    def take(self, factory: Factory) -> Generator[Any, None, None]:
        """The factory's value (waiting until it is started), stopped when the caller's module ends."""
        job = self.jobs[factory]
        self.begin()
        job.done.wait()
        if job.error is not None:
            raise job.error
        try:
            yield job.value
        finally:
            job.exits.close()

    def close(self) -> None:
        """Session end: no new start; what was started and never taken is stopped."""
        self.closing.set()
        if self.thread is not None:
            self.thread.join()
        for job in self.jobs.values():
            job.exits.close()


AHEAD = pytest.StashKey[Ahead]()


def plan(session: pytest.Session, shared: dict[str, Factory]) -> Ahead:
    """The factories the collected tests will use, in the order their modules run: a module's own
    `AHEAD` (fixture name -> factory) over the conftest's `shared` one."""
    factories: dict[Factory, None] = {}
    for item in session.items:
        module = getattr(item, "module", None)
        names = getattr(item, "fixturenames", ())
        for name, factory in {**shared, **getattr(module, "AHEAD", {})}.items():
            if name in names:
                factories.setdefault(factory)
    ahead = Ahead(factories)
    session.config.stash[AHEAD] = ahead
    return ahead


def take(request: pytest.FixtureRequest, factory: Factory) -> Iterator[Any]:
    """A fixture's body: the stack started ahead, or started now when it was not planned."""
    ahead = request.config.stash.get(AHEAD, None)
    if ahead is None or factory not in ahead.jobs:
        with factory() as value:
            yield value
        return
    yield from ahead.take(factory)


def begin(config: pytest.Config) -> None:
    """The first stacks of the session serve: the others may start."""
    ahead = config.stash.get(AHEAD, None)
    if ahead is not None:
        ahead.begin()
