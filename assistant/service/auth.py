"""Staff authentication: argon2 passwords, server-side sessions, CSRF, login rate limiting.

- Passwords are hashed with argon2id (argon2-cffi's defaults).
- The session cookie holds a random token; the database keeps only its SHA-256, so a
  database leak gives no usable cookie. Cookies are HttpOnly, SameSite=Strict and
  Secure (COOKIE_SECURE=false only for plain-http development).
- Every state-changing request carries the session's CSRF token (a form field or the
  X-CSRF-Token header); SameSite=Strict is the second layer.
- Failed logins are counted per e-mail and per client address in the database, so the
  limit holds across several service replicas.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Final

from aiohttp import web
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from assistant.db.engine import session_scope
from assistant.db.models import LoginAttempt, StaffSession, StaffUser
from assistant.db.types import utcnow

COOKIE_NAME: Final = "mre_staff_session"
SESSION_LIFETIME: Final = dt.timedelta(hours=12)
LOGIN_WINDOW: Final = dt.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL: Final = 5
MAX_FAILURES_PER_ADDRESS: Final = 20
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
    return request.remote or "unknown"


async def _failures(keys: list[str]) -> dict[str, int]:
    since = utcnow() - LOGIN_WINDOW
    async with session_scope() as session:
        rows = await session.execute(
            select(LoginAttempt.key, func.count())
            .where(LoginAttempt.key.in_(keys), LoginAttempt.at >= since)
            .group_by(LoginAttempt.key)
        )
        return {key: count for key, count in rows.all()}


async def login(email: str, password: str, address: str) -> LoginResult:
    email = email.strip().lower()
    email_key, address_key = f"email:{email}", f"ip:{address}"
    failures = await _failures([email_key, address_key])
    if failures.get(email_key, 0) >= MAX_FAILURES_PER_EMAIL or failures.get(address_key, 0) >= MAX_FAILURES_PER_ADDRESS:
        return LoginResult(None, rate_limited=True)
    async with session_scope() as session:
        staff = await session.scalar(select(StaffUser).where(StaffUser.email == email, StaffUser.active.is_(True)))
        valid = verify_password(staff.password_hash if staff else _DUMMY_HASH, password) and staff is not None
        if not valid or staff is None:
            session.add_all([LoginAttempt(key=email_key), LoginAttempt(key=address_key)])
            return LoginResult(None)
        token = secrets.token_urlsafe(32)
        session.add(
            StaffSession(
                token_hash=_token_hash(token),
                staff_id=staff.id,
                csrf_token=secrets.token_urlsafe(32),
                expires_at=utcnow() + SESSION_LIFETIME,
            )
        )
        staff.last_login_at = utcnow()
        await session.execute(delete(LoginAttempt).where(LoginAttempt.key == email_key))
        await session.execute(delete(StaffSession).where(StaffSession.expires_at < utcnow()))
        return LoginResult(staff, token)


async def session_for(token: str | None) -> StaffSession | None:
    if not token:
        return None
    async with session_scope() as session:
        found = await session.scalar(
            select(StaffSession).where(StaffSession.token_hash == _token_hash(token), StaffSession.expires_at > utcnow())
        )
        if found is None or not found.staff.active:
            return None
        return found


async def logout(token: str | None) -> None:
    if token:
        async with session_scope() as session:
            await session.execute(delete(StaffSession).where(StaffSession.token_hash == _token_hash(token)))


def set_session_cookie(response: web.StreamResponse, token: str, secure: bool) -> None:
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
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
