"""The JSON API under /api/ (documented at /api/openapi.json).

Authenticated by the staff session cookie; state-changing requests also need the
session's CSRF token in the X-CSRF-Token header. Every error is JSON:
`{"error": {"code": "...", "message": "..."}}` with a 4xx status; anonymous requests
get 401, unknown cases 404, malformed JSON 400.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from assistant.contract import REPLY_DELIVERED
from assistant.db.models import CASE_STATUSES, Case, StaffUser
from assistant.db.types import utcnow
from assistant.safe_input import MAX_DEPTH, clean_json, json_depth
from assistant.service import openapi
from assistant.service.auth import csrf_ok, current_staff
from assistant.service.cases import (
    MAX_TEXT,
    CaseFilters,
    CaseNotFound,
    ConversationClosed,
    InvalidTransition,
    InvalidValue,
    NotFailed,
    ReplyNotFound,
    StaffNotFound,
)
from assistant.service.delivery_labels import delivery_key
from assistant.service.keys import CASE_SERVICE
from assistant.service.rasa_client import RasaUnavailable
from assistant.service.richtext import rich_html
from assistant.settings import Settings

logger = logging.getLogger(__name__)

SETTINGS = web.AppKey("api_settings", Settings)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


@web.middleware
async def api_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authentication, CSRF and JSON errors for /api/ (except the public OpenAPI document)."""
    if not request.path.startswith("/api/"):
        return await handler(request)
    if request.path != "/api/openapi.json":
        if current_staff(request) is None:
            return error(401, "unauthenticated", "Log in to the staff console first (session cookie).")
        if request.method not in SAFE_METHODS and not csrf_ok(request, request.headers.get("X-CSRF-Token")):
            return error(403, "csrf", "Missing or wrong X-CSRF-Token header.")
    try:
        return await handler(request)
    except web.HTTPException as exc:
        if exc.status == 404:
            return error(404, "not_found", "No such resource.")
        if exc.status == 405:
            return error(405, "method_not_allowed", "Method not allowed.")
        if exc.status == 413:
            return error(413, "too_large", "Request body too large.")
        raise
    except CaseNotFound:
        return error(404, "case_not_found", "No case with this reference.")
    except ReplyNotFound:
        return error(404, "reply_not_found", "No such reply in this case.")
    except NotFailed as exc:
        return error(409, "not_failed", f"Only a failed reply can be sent again (this one is {exc}).")
    except ConversationClosed as exc:
        return error(409, "conversation_closed", str(exc))
    except InvalidTransition as exc:
        return error(409, "invalid_transition", str(exc))
    except InvalidValue as exc:
        return error(400, "bad_request", f"{exc}.")
    except StaffNotFound:
        return error(404, "staff_not_found", "No active staff member with this id.")
    except RasaUnavailable:
        return error(503, "rasa_unavailable", "The assistant (Rasa) is unreachable; try again.")
    except Exception:
        logger.exception("API error on %s %s", request.method, request.path)
        return error(500, "internal", "Internal error.")


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurd nesting
        raise web.HTTPBadRequest(
            text=json.dumps({"error": {"code": "bad_json", "message": "The body is not valid JSON."}}),
            content_type="application/json",
        ) from None
    if json_depth(body) > MAX_DEPTH:
        raise _bad(f"The body is nested deeper than {MAX_DEPTH} levels.")
    if not isinstance(body, dict):
        raise _bad("The body must be a JSON object.")
    return dict(clean_json(body))  # lone surrogates: no database takes them


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(
        text=json.dumps({"error": {"code": "bad_request", "message": message}}), content_type="application/json"
    )


def text_field(body: dict[str, Any], name: str, max_length: int = MAX_TEXT) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise _bad(f"`{name}` must be a non-empty string.")
    if len(value) > max_length:
        raise _bad(f"`{name}` is longer than {max_length} characters.")
    return value.strip()


def staff_of(request: web.Request) -> StaffUser:
    staff = current_staff(request)
    assert staff is not None  # the middleware refused anonymous requests
    return staff


def case_summary(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "name": case.name,
        "sector": case.sector,
        "summary_excerpt": (case.summary or "")[:200] or None,
        "status": case.status,
        "language": case.language,
        "channel": case.channel,
        "region": case.region,
        "topic": case.topic,
        "stage": case.stage,
        "live": case.live,
        "assignee": case.assignee.name if case.assignee else None,
        "created_at": case.created_at.isoformat(),
        "updated_at": case.updated_at.isoformat() if case.updated_at else None,
        "erased": case.erased_at is not None,
    }


def case_detail(case: Case) -> dict[str, Any]:
    return {
        **case_summary(case),
        "contact": {"name": case.name, "email": case.email, "phone": case.phone},
        "profile": {"country": case.country, "region": case.region, "sector": case.sector, "stage": case.stage},
        "summary": case.summary,
        "transcript": case.transcript,
        "notes": [
            {"author": n.author.name if n.author else None, "body": n.body, "at": n.created_at.isoformat()}
            for n in case.notes
        ],
        "events": [
            {"actor": e.actor.name if e.actor else None, "action": e.action, "detail": e.detail, "at": e.created_at.isoformat()}
            for e in case.events
        ],
        "staff_messages": [
            {
                "id": m.id,
                "author": m.author.name if m.author else None,
                "text": m.text,
                "status": m.status,
                "delivery_note": m.delivery_note,
                "delivery": delivery_key(m.status, m.delivery_note),  # the console's label (i18n key)
                "attempts": m.attempts,
                "at": m.created_at.isoformat(),
            }
            for m in case.messages
        ],
    }


def _int_param(request: web.Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _bad(f"`{name}` must be an integer.") from None
    return max(low, min(high, value))


def filters_from(query: Any, request: web.Request) -> CaseFilters:
    status = query.get("status") or None
    if status is not None and status not in CASE_STATUSES:
        raise _bad(f"`status` must be one of {', '.join(CASE_STATUSES)}.")
    assignee = query.get("assignee")
    return CaseFilters(
        status=status,
        language=query.get("language") or None,
        region=query.get("region") or None,
        topic=query.get("topic") or None,
        channel=query.get("channel") or None,
        assignee_id=int(assignee) if assignee and assignee.isdigit() else None,
        limit=_int_param(request, "limit", 50, 1, 200),
        offset=_int_param(request, "offset", 0, 0, 1_000_000),
    )


# ------------------------------------------------------------------ handlers


async def activity_json(request: web.Request, cases: list[Case]) -> dict[int, dict[str, Any]]:
    activities = await request.app[CASE_SERVICE].activity(cases)
    now = utcnow()
    days = request.app[SETTINGS].case_response_days
    return {case_id: a.as_json(now, days) for case_id, a in activities.items()}


async def list_cases(request: web.Request) -> web.Response:
    cases, total = await request.app[CASE_SERVICE].cases(filters_from(request.query, request))
    activity = await activity_json(request, cases)
    return web.json_response(
        {"total": total, "cases": [{**case_summary(c), "activity": activity.get(c.id)} for c in cases]}
    )


async def get_case(request: web.Request) -> web.Response:
    service = request.app[CASE_SERVICE]
    case = await service.case(request.match_info["reference"])
    plan = await service.plan_of(case)
    return web.json_response({**case_detail(case), "plan": plan.as_json() if plan else None})


async def get_conversation(request: web.Request) -> web.Response:
    case = await request.app[CASE_SERVICE].case(request.match_info["reference"])
    conversation = await request.app[CASE_SERVICE].conversation(case)
    for message in conversation["messages"]:
        message["html"] = str(rich_html(message["text"]))  # escaped, then bold, lists, links
    conversation["staff_messages"] = case_detail(case)["staff_messages"]
    conversation["case_live"] = case.live
    conversation["activity"] = (await activity_json(request, [case])).get(case.id)
    return web.json_response(conversation)


async def claim(request: web.Request) -> web.Response:
    case = await request.app[CASE_SERVICE].claim(request.match_info["reference"], staff_of(request))
    return web.json_response(case_summary(await request.app[CASE_SERVICE].case(case.reference or "")))


async def assign(request: web.Request) -> web.Response:
    body = await json_body(request)
    staff_id = body.get("staff_id")
    if not isinstance(staff_id, int):
        raise _bad("`staff_id` must be an integer.")
    case = await request.app[CASE_SERVICE].assign(request.match_info["reference"], staff_id, staff_of(request))
    return web.json_response(case_summary(await request.app[CASE_SERVICE].case(case.reference or "")))


async def add_note(request: web.Request) -> web.Response:
    body = await json_body(request)
    note = await request.app[CASE_SERVICE].add_note(
        request.match_info["reference"], staff_of(request), text_field(body, "body")
    )
    return web.json_response({"id": note.id, "body": note.body}, status=201)


async def reply(request: web.Request) -> web.Response:
    body = await json_body(request)
    outcome = await request.app[CASE_SERVICE].reply(
        request.match_info["reference"], staff_of(request), text_field(body, "text")
    )
    return web.json_response(reply_json(outcome.message.id, outcome.status, outcome.note), status=201)


def reply_json(message_id: int, status: str, note: str | None) -> dict[str, Any]:
    return {
        "id": message_id,
        "status": status,
        "delivered": status == REPLY_DELIVERED,  # only once the investor's device has it
        "delivery_note": note,
        "delivery": delivery_key(status, note),
    }


async def resend_reply(request: web.Request) -> web.Response:
    """A failed staff reply sent again (fresh tries)."""
    try:
        message_id = int(request.match_info["message_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    message = await request.app[CASE_SERVICE].resend(request.match_info["reference"], message_id, staff_of(request))
    return web.json_response(reply_json(message.id, message.status, message.delivery_note))


async def set_status(request: web.Request) -> web.Response:
    body = await json_body(request)
    status = body.get("status")
    if not isinstance(status, str):
        raise _bad(f"`status` must be one of {', '.join(CASE_STATUSES)}.")
    case = await request.app[CASE_SERVICE].set_status(request.match_info["reference"], status, staff_of(request))
    return web.json_response(case_summary(await request.app[CASE_SERVICE].case(case.reference or "")))


async def set_topic(request: web.Request) -> web.Response:
    body = await json_body(request)
    topic = body.get("topic")
    if topic is not None and not isinstance(topic, str):
        raise _bad("`topic` must be null or a topic name.")
    case = await request.app[CASE_SERVICE].set_topic(request.match_info["reference"], topic, staff_of(request))
    return web.json_response(case_summary(await request.app[CASE_SERVICE].case(case.reference or "")))


async def set_live(request: web.Request) -> web.Response:
    body = await json_body(request)
    live = body.get("live")
    if not isinstance(live, bool):
        raise _bad("`live` must be true (take over) or false (hand back).")
    reference = request.match_info["reference"]
    await request.app[CASE_SERVICE].set_live(reference, live, staff_of(request))
    return web.json_response(case_summary(await request.app[CASE_SERVICE].case(reference)))


async def export(request: web.Request) -> web.Response:
    """Everything stored about the investor (right of access), as a JSON download."""
    document = await request.app[CASE_SERVICE].export(request.match_info["reference"], staff_of(request))
    return web.json_response(
        document, headers={"Content-Disposition": f'attachment; filename="{document["reference"]}.json"'}
    )


async def erase(request: web.Request) -> web.Response:
    """Erase the investor's personal data and, once idle, the conversation itself."""
    reference = request.match_info["reference"]
    await request.app[CASE_SERVICE].erase(reference, staff_of(request))
    return web.json_response(case_summary(await request.app[CASE_SERVICE].case(reference)))


async def list_staff(request: web.Request) -> web.Response:
    staff = await request.app[CASE_SERVICE].active_staff()
    return web.json_response({"staff": [{"id": s.id, "name": s.name, "email": s.email} for s in staff]})


async def me(request: web.Request) -> web.Response:
    staff = staff_of(request)
    return web.json_response({"id": staff.id, "name": staff.name, "email": staff.email, "language": staff.language})


async def rejected_case_requests(request: web.Request) -> web.Response:
    """Spooled case requests set aside as impossible to store (see assistant/cases/rejections.py):
    those recorded in the database and not dismissed, and any still waiting in this machine's file."""
    count, entries, waiting = await request.app[CASE_SERVICE].rejected_requests()
    return web.json_response({"count": count + len(waiting),
                              "entries": [e.as_json() for e in entries] + [{"id": None, **e} for e in waiting]})


async def dismiss_rejected(request: web.Request) -> web.Response:
    raw = request.match_info["rejection_id"]
    if not raw.isdigit() or len(raw) > 12:
        return error(404, "not_found", "No such entry.")
    if not await request.app[CASE_SERVICE].dismiss_rejected(int(raw), staff_of(request)):
        return error(404, "not_found", "No such entry, or already dismissed.")
    return web.json_response({"dismissed": int(raw)})


async def openapi_document(request: web.Request) -> web.Response:
    return web.json_response(openapi.document())


ROUTES: list[tuple[str, str, Handler]] = [
    ("GET", "/api/openapi.json", openapi_document),
    ("GET", "/api/me", me),
    ("GET", "/api/staff", list_staff),
    ("GET", "/api/cases", list_cases),
    ("GET", "/api/cases/{reference}", get_case),
    ("GET", "/api/cases/{reference}/conversation", get_conversation),
    ("POST", "/api/cases/{reference}/claim", claim),
    ("POST", "/api/cases/{reference}/assign", assign),
    ("POST", "/api/cases/{reference}/notes", add_note),
    ("POST", "/api/cases/{reference}/reply", reply),
    ("POST", "/api/cases/{reference}/replies/{message_id}/resend", resend_reply),
    ("POST", "/api/cases/{reference}/status", set_status),
    ("POST", "/api/cases/{reference}/topic", set_topic),
    ("POST", "/api/cases/{reference}/live", set_live),
    ("GET", "/api/cases/{reference}/export", export),
    ("POST", "/api/cases/{reference}/erase", erase),
    ("GET", "/api/spool/rejected", rejected_case_requests),
    ("POST", "/api/spool/rejected/{rejection_id}/dismiss", dismiss_rejected),
]


def setup(app: web.Application, settings: Settings) -> None:
    """The routes; the staff-operations layer is `app[CASE_SERVICE]` (set by `app.create_app`)."""
    app[SETTINGS] = settings
    for method, path, handler in ROUTES:
        app.router.add_route(method, path, handler)
