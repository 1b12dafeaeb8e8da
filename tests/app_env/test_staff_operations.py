"""One staff-operations layer (service/cases.py) behind the JSON API and the console.

Each scenario runs through both front ends with Rasa down (nothing listens on RASA_URL)
and must leave the case in the same state: erasing a live case still erases it (the bot
stays paused), taking a case live is refused and leaves it as it was, a reply is queued,
an unknown or inactive assignee and an unknown status are refused.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from assistant.cases import store
from assistant.db.engine import session_scope
from assistant.db.models import Case, StaffUser
from tests.app_env.test_case_store import request_for
from tests.app_env.test_service import client, csrf_of, login  # noqa: F401  (fixture)

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

FRONT_ENDS = ["api", "console"]
Act = Callable[[str, str, dict[str, object]], Awaitable[tuple[int, str]]]


async def front_end(client: TestClient, name: str) -> Act:  # noqa: F811
    """A function posting one staff action through the JSON API or the console's forms."""
    await login(client)
    csrf = await csrf_of(client)
    api_paths = {"handback": ("live", {"live": False}), "live": ("live", {"live": True})}

    async def act(reference: str, action: str, values: dict[str, object]) -> tuple[int, str]:
        if name == "api":
            path, body = api_paths.get(action, (action, values))
            response = await client.post(f"/api/cases/{reference}/{path}", json=body, headers={"X-CSRF-Token": csrf})
            return response.status, (await response.json()).get("error", {}).get("code", "ok")
        form = {"csrf": csrf, **{k: str(v) for k, v in values.items()}}
        response = await client.post(f"/staff/cases/{reference}/{action}", data=form, allow_redirects=False)
        match = re.search(r"(?:done|error)=(\w+)", response.headers.get("Location", ""))
        return response.status, match.group(1) if match else ""

    return act


async def staff_named(email: str) -> StaffUser:
    async with session_scope() as session:
        user = await session.scalar(select(StaffUser).where(StaffUser.email == email))
        assert user is not None
        return user


async def live_case(conversation: str) -> str:
    """A case a staff member took over while Rasa was still up."""
    case, _ = await store.open_case(request_for(conversation))
    await store.set_live(case.reference or "", True, await staff_named("samira@cellule.ma"))
    return case.reference or ""


@pytest.mark.parametrize("name", FRONT_ENDS)
async def test_erasing_a_live_case_while_rasa_is_down(client: TestClient, name: str) -> None:  # noqa: F811
    act = await front_end(client, name)
    reference = await live_case(f"conv-erase-{name}")
    status, outcome = await act(reference, "erase", {})
    assert (status, outcome) == ((200, "ok") if name == "api" else (303, "done_erased"))
    case = await store.get_case(reference)
    assert case.erased_at is not None and case.name is None and case.live is False
    assert [e.action for e in case.events][-1] == "erased"


@pytest.mark.parametrize("name", FRONT_ENDS)
async def test_taking_live_and_handing_back_while_rasa_is_down(client: TestClient, name: str) -> None:  # noqa: F811
    act = await front_end(client, name)
    case, _ = await store.open_case(request_for(f"conv-live-{name}"))
    reference = case.reference or ""
    status, outcome = await act(reference, "live", {})
    assert (status, outcome) == ((503, "rasa_unavailable") if name == "api" else (303, "error_rasa"))
    assert (await store.get_case(reference)).live is False
    reference = await live_case(f"conv-back-{name}")
    status, outcome = await act(reference, "handback", {})
    assert (status, outcome) == ((503, "rasa_unavailable") if name == "api" else (303, "error_rasa"))
    assert (await store.get_case(reference)).live is True  # the bot is still paused: say so, change nothing


@pytest.mark.parametrize("name", FRONT_ENDS)
async def test_replies_are_queued_while_rasa_is_down(client: TestClient, name: str) -> None:  # noqa: F811
    act = await front_end(client, name)
    case, _ = await store.open_case(request_for(f"conv-reply-{name}"))
    reference = case.reference or ""
    status, outcome = await act(reference, "reply", {"text": "  Bonjour, je vous rappelle.  "})
    assert (status, outcome) == ((201, "ok") if name == "api" else (303, "reply_queued"))
    messages = (await store.get_case(reference)).messages
    assert [(m.status, m.text) for m in messages] == [("pending", "Bonjour, je vous rappelle.")]
    status, outcome = await act(reference, "reply", {"text": "   "})
    assert (status, outcome) == ((400, "bad_request") if name == "api" else (303, "error_empty"))


@pytest.mark.parametrize("name", FRONT_ENDS)
async def test_assign_and_status_accept_the_same_values(client: TestClient, name: str) -> None:  # noqa: F811
    act = await front_end(client, name)
    case, _ = await store.open_case(request_for(f"conv-assign-{name}"))
    reference = case.reference or ""
    async with session_scope() as session:
        gone = StaffUser(email=f"gone-{name}@cellule.ma", name="Ancien", password_hash="x", active=False)
        session.add(gone)
    status, outcome = await act(reference, "assign", {"staff_id": gone.id})
    assert (status, outcome) == ((404, "staff_not_found") if name == "api" else (303, "error_transition"))
    youssef = await staff_named("youssef@cellule.ma")
    status, outcome = await act(reference, "assign", {"staff_id": youssef.id})
    assert (status, outcome) == ((200, "ok") if name == "api" else (303, "done_assigned"))
    status, outcome = await act(reference, "status", {"status": "archived"})
    assert (status, outcome) == ((400, "bad_request") if name == "api" else (303, "error_transition"))
    status, outcome = await act(reference, "topic", {"topic": "weather"})
    assert (status, outcome) == ((400, "bad_request") if name == "api" else (303, "error_transition"))
    stored: Case = await store.get_case(reference)
    assert (stored.assignee_id, stored.status, stored.topic) == (youssef.id, "assigned", "financing")

