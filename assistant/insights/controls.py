"""Operator controls: hand a language variety's or a topic's questions to the unit.

For the day a regression or an outdated rule is found: staff flip a switch in the
console, and within seconds the action server stops answering such questions and
offers the guidance unit instead. Every change is logged with who and when.
"""

from __future__ import annotations

import contextlib
import time

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from assistant.db.engine import session_scope
from assistant.db.models import StaffUser
from assistant.db.types import utcnow
from assistant.insights.models import OperatorSwitch, OperatorSwitchLog

SCOPES = ("variety", "topic")


async def switches() -> dict[tuple[str, str], bool]:
    async with session_scope() as session:
        rows = (await session.scalars(select(OperatorSwitch))).all()
    return {(r.scope, r.value): r.handoff for r in rows}


async def set_switch(scope: str, value: str, handoff: bool, actor: StaffUser | None) -> None:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}")
    async with session_scope() as session:
        row = await session.scalar(select(OperatorSwitch).where(OperatorSwitch.scope == scope, OperatorSwitch.value == value))
        if row is None:
            row = OperatorSwitch(scope=scope, value=value)
            session.add(row)
        if row.handoff == handoff and row.id is not None:
            return
        row.handoff, row.updated_at = handoff, utcnow()
        row.updated_by = actor.id if actor else None
        session.add(OperatorSwitchLog(scope=scope, value=value, handoff=handoff, actor_id=actor.id if actor else None))


async def history(limit: int = 50) -> list[OperatorSwitchLog]:
    async with session_scope() as session:
        return list((await session.scalars(select(OperatorSwitchLog).order_by(OperatorSwitchLog.id.desc()).limit(limit))).all())


class OperatorControls:
    """The action server's view of the switches, re-read every few seconds. If the
    database is unreachable the last known switches stay in force."""

    CHECK_EVERY_SECONDS = 3.0

    def __init__(self) -> None:
        self._switches: dict[tuple[str, str], bool] = {}
        self._checked_at = float("-inf")

    async def hands_off(self, variety: str | None, topic: str | None) -> bool:
        if time.monotonic() - self._checked_at > self.CHECK_EVERY_SECONDS:
            with contextlib.suppress(SQLAlchemyError, OSError):
                self._switches = await switches()
            self._checked_at = time.monotonic()
        return bool(
            (variety and self._switches.get(("variety", variety)))
            or (topic and self._switches.get(("topic", topic)))
        )
