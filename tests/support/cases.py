"""A case closed by the unit, in a running stack's project database (any environment: the
case is written by the app environment's Python in a subprocess)."""

from __future__ import annotations

import subprocess

from tests.support.stack import APP_PYTHON, ROOT, Stack

CLOSE_CASE = """
import asyncio, sys
from assistant.cases import store
from assistant.db.engine import session_scope
from assistant.db.models import Case
from assistant.db.types import utcnow

async def main(conversation, channel):
    request = store.CaseRequest(conversation_id=conversation, channel=channel, language="fr", name="Karim",
                                country="Belgique", summary="Un riad a Tanger", consent_at=utcnow(), topic="financing")
    case, _ = await store.open_case(request)
    async with session_scope() as session:
        row = await session.get(Case, case.id)
        row.status, row.resolved_at = "resolved", utcnow()
    print(case.reference)

asyncio.run(main(sys.argv[1], sys.argv[2]))
"""


def closed_case(stack: Stack, conversation: str, channel: str) -> str:
    """Opens a case for this conversation and closes it; returns its reference."""
    done = subprocess.run([str(APP_PYTHON), "-c", CLOSE_CASE, conversation, channel], cwd=ROOT, env=stack.env,
                          check=True, capture_output=True, text=True)
    return done.stdout.strip().splitlines()[-1]
