"""Staff accounts under attack: atomic login throttling, trusted proxies, session timeouts,
bad JSON on the API. Runs on SQLite and PostgreSQL (real concurrency on PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from aiohttp.test_utils import make_mocked_request

from assistant.db.engine import session_scope
from assistant.db.models import StaffSession, StaffUser
from assistant.service import auth
from assistant.settings import get_settings

PASSWORD = "correct-horse-battery"


@pytest.fixture
async def accounts(database: str) -> list[str]:
    emails = [f"adviser{n}@cellule.ma" for n in range(3)]
    async with session_scope() as session:
        for email in emails:
            session.add(StaffUser(email=email, name=email, password_hash=auth.hash_password(PASSWORD)))
    return emails


async def test_thirty_parallel_wrong_logins_check_at_most_the_limit(
    accounts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    checked = 0
    verify = auth.verify_password

    def counting(password_hash: str, password: str) -> bool:
        nonlocal checked
        checked += 1
        return verify(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    results = await asyncio.gather(
        *(auth.login(accounts[0], "wrong-password", f"10.0.0.{n}") for n in range(30)), return_exceptions=True
    )
    assert not [r for r in results if isinstance(r, BaseException)]
    assert checked <= auth.MAX_FAILURES_PER_EMAIL
    assert sum(1 for r in results if isinstance(r, auth.LoginResult) and r.rate_limited) >= 30 - auth.MAX_FAILURES_PER_EMAIL
    # the attacked account waits; the others, even from the attacker's addresses, do not
    assert (await auth.login(accounts[0], PASSWORD, "10.0.1.1")).rate_limited
    assert (await auth.login(accounts[1], PASSWORD, "10.0.0.1")).staff is not None


async def test_one_address_does_not_lock_out_the_accounts_behind_it(accounts: list[str]) -> None:
    for n in range(auth.MAX_FAILURES_PER_ADDRESS - 1):
        await auth.login(f"nobody{n}@x.ma", "wrong", "192.0.2.7")
    # successful logins give their attempt back: colleagues behind one address keep logging in
    for _ in range(5):
        for email in accounts:
            assert (await auth.login(email, PASSWORD, "192.0.2.7")).staff is not None
    await auth.login("nobody@x.ma", "wrong", "192.0.2.7")
    assert (await auth.login(accounts[2], PASSWORD, "192.0.2.7")).rate_limited  # the address's failures add up
    assert (await auth.login(accounts[2], PASSWORD, "192.0.2.8")).staff is not None


def request_from(peer: str, forwarded: str | None) -> Any:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = make_mocked_request("POST", "/staff/login", headers=headers)
    request._transport_peername = (peer, 1234)  # type: ignore[attr-defined]
    return request


def test_forwarded_for_is_trusted_only_from_configured_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.1.1.1")
    get_settings.cache_clear()
    try:
        assert auth.client_address(request_from("10.1.1.1", "203.0.113.5")) == "203.0.113.5"
        assert auth.client_address(request_from("10.1.1.1", "1.2.3.4, 203.0.113.5")) == "203.0.113.5"
        assert auth.client_address(request_from("10.1.1.1", "203.0.113.5, 10.1.1.1")) == "203.0.113.5"
        assert auth.client_address(request_from("198.51.100.9", "203.0.113.5")) == "198.51.100.9"  # forged
    finally:
        get_settings.cache_clear()


async def test_sessions_end_when_idle_and_after_the_absolute_lifetime(accounts: list[str]) -> None:
    first = await auth.login(accounts[0], PASSWORD, "192.0.2.1")
    assert first.token and await auth.session_for(first.token) is not None
    async with session_scope() as session:
        row = await session.scalar(auth.select(StaffSession))
        assert row is not None
        row.last_seen_at = auth.utcnow() - auth.idle_timeout() - dt.timedelta(minutes=1)
    assert await auth.session_for(first.token) is None  # idle too long
    second = await auth.login(accounts[0], PASSWORD, "192.0.2.1")
    async with session_scope() as session:
        row = await session.scalar(auth.select(StaffSession))
        assert row is not None
        row.created_at = auth.utcnow() - auth.session_lifetime() - dt.timedelta(minutes=1)
    assert await auth.session_for(second.token) is None  # active, but logged in too long ago
