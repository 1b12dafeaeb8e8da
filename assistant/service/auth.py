"""Staff authentication: argon2 passwords, server-side sessions, CSRF, login rate limiting.

- Passwords are hashed with argon2id (argon2-cffi's defaults).
- The session cookie holds a random token; the database keeps only its SHA-256, so a
  database leak gives no usable cookie. Cookies are HttpOnly, SameSite=Strict and
  Secure (COOKIE_SECURE=false only for plain-http development).
- Every state-changing request carries the session's CSRF token (a form field or the
  X-CSRF-Token header); SameSite=Strict is the second layer.
- Login attempts are counted per account and per client address in the database,
  atomically and *before* the password is checked (one UPDATE … RETURNING per key), so
  30 parallel wrong passwords check at most the limit, across service replicas. A
  successful login gives its attempt back: only failures add up. The client address is
  the peer, or the `X-Forwarded-For` entry added by a proxy listed in TRUSTED_PROXIES.
- Sessions end after STAFF_SESSION_IDLE_MINUTES without a request and, at the latest,
  STAFF_SESSION_MAX_HOURS after login.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import secrets
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from assistant.db.engine import session_scope
from assistant.db.models import LoginCounter, StaffSession, StaffUser
from assistant.db.types import utcnow
from assistant.settings import get_settings

COOKIE_NAME: Final = "mre_staff_session"
LOGIN_WINDOW: Final = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL: Final = 5
MAX_FAILURES_PER_ADDRESS: Final = 20
#: A session's last use is written at most this often (not on every request).
TOUCH_EVERY: Final = dt.timedelta(seconds=60)


def session_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=get_settings().staff_session_max_hours)


def idle_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=get_settings().staff_session_idle_minutes)
STAFF_KEY: Final = web.RequestKey("staff", StaffUser)
SESSION_KEY: Final = web.RequestKey("staff_session", StaffSession)

_hasher = PasswordHasher()
# verifying against this keeps the timing of unknown e-mails close to known ones
_DUMMY_HASH: Final = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class LoginResult:
    staff: StaffUser | None
    token: str | None = None
    rate_limited: bool = False


def client_address(request: web.Request) -> str:
    """The peer's address; behind a trusted proxy, the client address that proxy saw."""
    peer = request.remote or "unknown"
    trusted = get_settings().trusted_proxies
    if peer not in trusted:
        return peer
    hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    for hop in reversed(hops):  # the right-most entry not added by one of our proxies
        if hop not in trusted:
            return hop[:100]
    return peer


_counting_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = weakref.WeakKeyDictionary()


def _counting() -> asyncio.Lock:
    """The event loop's lock around the counting transaction."""
    return _counting_locks.setdefault(asyncio.get_running_loop(), asyncio.Lock())


async def _count_attempt(session: AsyncSession, key: str, now: dt.datetime) -> int:
    """Adds one attempt to `key`'s counter (a new window if the old one ended); returns the count."""
    insert = postgresql_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(LoginCounter).values(key=key, window_start=now, count=0).on_conflict_do_nothing(index_elements=["key"])
    )
    expired = LoginCounter.window_start < now - LOGIN_WINDOW
    count = await session.scalar(
        update(LoginCounter)
        .where(LoginCounter.key == key)
        .values(
            count=case((expired, 1), else_=LoginCounter.count + 1),
            window_start=case((expired, now), else_=LoginCounter.window_start),
        )
        .returning(LoginCounter.count)
    )
    return int(count or 0)


async def _give_back(session: AsyncSession, keys: list[str]) -> None:
    await session.execute(
        update(LoginCounter)
        .where(LoginCounter.key.in_(keys), LoginCounter.count > 0)
        .values(count=LoginCounter.count - 1)
    )


async def login(email: str, password: str, address: str) -> LoginResult:
    email = email.strip().lower()[:254]
    email_key, address_key = f"email:{email}", f"ip:{address}"
    now = utcnow()
    # committed before any password is checked; one counting transaction at a time in this
    # process (SQLite refuses concurrent writers; PostgreSQL's row locks order the replicas)
    async with _counting(), session_scope() as session:
        per_email = await _count_attempt(session, email_key, now)
        per_address = await _count_attempt(session, address_key, now)
    if per_email > MAX_FAILURES_PER_EMAIL or per_address > MAX_FAILURES_PER_ADDRESS:
        return LoginResult(None, rate_limited=True)
    async with session_scope() as session:
        staff = await session.scalar(select(StaffUser).where(StaffUser.email == email, StaffUser.active.is_(True)))
        valid = verify_password(staff.password_hash if staff else _DUMMY_HASH, password) and staff is not None
        if not valid or staff is None:
            return LoginResult(None)  # the attempt stays counted
        token = secrets.token_urlsafe(32)
        session.add(
            StaffSession(
                token_hash=_token_hash(token),
                staff_id=staff.id,
                csrf_token=secrets.token_urlsafe(32),
                last_seen_at=utcnow(),
                expires_at=utcnow() + session_lifetime(),
            )
        )
        staff.last_login_at = utcnow()
        await session.execute(update(LoginCounter).where(LoginCounter.key == email_key).values(count=0))
        await _give_back(session, [address_key])
        await session.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
        return LoginResult(staff, token)


async def session_for(token: str | None) -> StaffSession | None:
    if not token:
        return None
    now = utcnow()
    async with session_scope() as session:
        found = await session.scalar(
            select(StaffSession).where(StaffSession.token_hash == _token_hash(token), StaffSession.expires_at > now)
        )
        if found is None or not found.staff.active:
            return None
        last_seen = found.last_seen_at or found.created_at
        if now - last_seen > idle_timeout() or now - found.created_at > session_lifetime():
            await session.delete(found)
            return None
        if now - last_seen > TOUCH_EVERY:
            found.last_seen_at = now
        return found


async def logout(token: str | None) -> None:
    if token:
        async with session_scope() as session:
            await session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))


def set_session_cookie(response: web.StreamResponse, token: str, secure: bool) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=int(session_lifetime().total_seconds()),
        httponly=True,
        secure=secure,
        samesite="Strict",
        path="/",
    )


def clear_session_cookie(response: web.StreamResponse) -> None:
    response.del_cookie(COOKIE_NAME, path="/")


def csrf_ok(request: web.Request, submitted: str | None) -> bool:
    staff_session: StaffSession | None = request.get(SESSION_KEY)
    return bool(staff_session and submitted and hmac.compare_digest(staff_session.csrf_token, submitted))


@web.middleware
async def session_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """Attach the logged-in staff member (if any) to the request."""
    staff_session = await session_for(request.cookies.get(COOKIE_NAME))
    if staff_session is not None:
        request[SESSION_KEY] = staff_session
        request[STAFF_KEY] = staff_session.staff
    return await handler(request)


def current_staff(request: web.Request) -> StaffUser | None:
    return request.get(STAFF_KEY)
