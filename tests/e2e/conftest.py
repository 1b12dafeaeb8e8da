"""End-to-end fixtures: the real stack on loopback (see tests/support/stack.py), and a browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.support.stack import Stack

#: Debian's chromium (Playwright cannot download its own browser here); `make browser` installs it.
CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def stack() -> Iterator[Stack]:
    """The assistant with its default channels (REST, socketio) and the guidance service.

    The service's demo page points the chat widget at this Rasa (RASA_PUBLIC_URL), since
    Rasa listens on a free port rather than 5005.
    """
    running = Stack()
    running.env_overrides.setdefault("RASA_PUBLIC_URL", running.rasa_url)
    with running:
        yield running
    running.cleanup()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium driven by Playwright's sync API (one per test module)."""
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make browser` (or set CHROMIUM_PATH)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        yield chromium
        chromium.close()
