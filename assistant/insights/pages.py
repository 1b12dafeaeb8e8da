"""Console pages of insights: the dashboard and CSV export, unanswered questions grouped,
knowledge drafts (write, review, publish) and operator controls. Under /staff/insights
and /staff/knowledge; same login, CSRF and languages as the rest of the console."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode

from aiohttp import web
from sqlalchemy import or_, select, update

from assistant.contract import TOPICS as KB_TOPICS
from assistant.db.engine import session_scope
from assistant.db.models import StaffUser
from assistant.db.types import utcnow
from assistant.insights import controls, drafts, feedback_stats
from assistant.insights.facts import UNANSWERED
from assistant.insights.grouping import Question, group_questions
from assistant.insights.metrics import SERIES, Filters, compute, csv_rows
from assistant.insights.models import InsightTurn
from assistant.languages import VARIETIES
from assistant.service import auth
from assistant.service.console import CHANNELS, KNOWLEDGE, TOPICS, _json_for_script, render, require_staff, ui_language
from assistant.service.i18n import catalog, t

MAX_GROUPED = 2000


def _see_other(path: str, **query: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(path + ("?" + urlencode(query) if query else ""))


async def _form(request: web.Request, back: str) -> dict[str, str]:
    form = await request.post()
    if not auth.csrf_ok(request, str(form.get("csrf", ""))):
        raise _see_other(back, error="csrf_failed")
    return {k: str(v) for k, v in form.items()}


# ------------------------------------------------------------------ dashboard


async def dashboard(request: web.Request) -> web.Response:
    require_staff(request)
    lang = ui_language(request)
    filters = Filters.from_query(request.query, VARIETIES, CHANNELS, TOPICS)
    data = await compute(filters)
    feedback = await feedback_stats.summarise(data.start, filters.variety, filters.channel, filters.topic)
    strings = catalog(lang)
    chart = {
        "days": data.days,
        "series": data.series,
        "labels": {k: strings[k] for k in (*SERIES, "helpful", "not_helpful")},
        "topics": {
            "labels": [strings.get(f"topic_{k}", k) for k in data.topics],
            **{o: [data.topics[k].get(o, 0) for k in data.topics] for o in ("answered", "not_covered", "not_understood")},
        },
    }
    return await render(
        request, "insights.html", section="dashboard", filters=filters, data=data, varieties=VARIETIES, channels=CHANNELS, topics=TOPICS,
        chart_json=_json_for_script(chart), csv_query=urlencode(filters.as_query()), feedback=feedback,
    )


async def export_csv(request: web.Request) -> web.Response:
    require_staff(request)
    filters = Filters.from_query(request.query, VARIETIES, CHANNELS, TOPICS)
    data = await compute(filters)
    feedback = await feedback_stats.summarise(data.start, filters.variety, filters.channel, filters.topic)
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*csv_rows(data), [], *feedback_stats.csv_rows(feedback)])
    name = f"insights-{dt.date.today().isoformat()}-{filters.days}d.csv"
    return web.Response(
        text=buffer.getvalue(), content_type="text/csv", charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


# ------------------------------------------------------------------ unanswered questions


async def _unanswered_groups(request: web.Request, lang: str) -> list:  # type: ignore[type-arg]
    async with session_scope() as session:
        rows = (
            await session.execute(
                select(InsightTurn.id, InsightTurn.text, InsightTurn.topic, InsightTurn.variety, InsightTurn.feedback)
                # the learning loop: questions not answered, and answers investors found not useful
                .where(or_(InsightTurn.outcome.in_(UNANSWERED), InsightTurn.feedback == -1),
                       InsightTurn.text.is_not(None), InsightTurn.handled_at.is_(None))
                .order_by(InsightTurn.at.desc())
                .limit(MAX_GROUPED)
            )
        ).all()
    index = await request.app[KNOWLEDGE].index()
    questions = [Question(r.id, r.text, r.topic, r.variety, unhelpful=r.feedback == -1) for r in rows]
    return group_questions(questions, index, lang)


async def unanswered(request: web.Request) -> web.Response:
    require_staff(request)
    lang = ui_language(request)
    return await render(request, "insights_unanswered.html", section="unanswered", groups=await _unanswered_groups(request, lang))


async def mark_handled(request: web.Request) -> web.Response:
    require_staff(request)
    form = await _form(request, "/staff/insights/unanswered")
    ids = [int(i) for i in form.get("ids", "").split(",") if i.strip().isdigit()]
    if ids:
        async with session_scope() as session:
            await session.execute(update(InsightTurn).where(InsightTurn.id.in_(ids)).values(handled_at=utcnow()))
    raise _see_other("/staff/insights/unanswered", done="group_handled")


# ------------------------------------------------------------------ drafts


async def drafts_page(request: web.Request) -> web.Response:
    staff = require_staff(request)
    return await render(request, "insights_drafts.html", section="drafts", drafts=await drafts.list_drafts(), role=await drafts.role_of(staff))


async def _draft_form(request: web.Request, form: dict[str, str], draft: object = None, error: str | None = None,
                      status: int = 200) -> web.Response:
    staff = require_staff(request)
    return await render(
        request, "insights_draft.html", section="drafts", status=status, form=form, draft=draft, error=error, topics=KB_TOPICS,
        text_languages=drafts.TEXT_LANGUAGES, varieties=drafts.VARIETIES, role=await drafts.role_of(staff),
        staff_id=staff.id,
    )


async def new_draft(request: web.Request) -> web.Response:
    """An empty draft, or one started from a group of questions or from a staff reply."""
    require_staff(request)
    form: dict[str, str] = {"status": "to_confirm", "reviewed_on": dt.date.today().isoformat()}
    group = request.query.get("group")
    if group:
        lang = ui_language(request)
        for candidate in await _unanswered_groups(request, lang):
            if candidate.key == group:
                form["origin"] = f"group:{group}"
                form["topic"] = next((q.topic for q in candidate.questions if q.topic), "") or ""
                for q in candidate.questions[:5]:
                    key = f"questions_{q.variety}" if q.variety in drafts.VARIETIES else "questions_fr"
                    form[key] = (form.get(key, "") + "\n" + q.text).strip()
                break
    reply = request.query.get("reply", "")
    if reply.isdigit():
        from assistant.db.models import StaffMessage

        async with session_scope() as session:
            message = await session.get(StaffMessage, int(reply))
        if message is not None and message.text:
            form["origin"] = f"reply:{message.id}"
            form["answer_fr"] = message.text
    return await _draft_form(request, form)


async def create_draft(request: web.Request) -> web.Response:
    staff = require_staff(request)
    form = await _form(request, "/staff/knowledge/drafts/new")
    lang = ui_language(request)
    try:
        draft = await drafts.save_draft(drafts.document_from_form(form), staff, origin=form.get("origin") or None)
    except drafts.DraftError as exc:
        return await _draft_form(request, form, error=t(lang, exc.key, error=exc.detail), status=422)
    raise _see_other(f"/staff/knowledge/drafts/{draft.id}", done="draft_saved")


async def draft_page(request: web.Request) -> web.Response:
    require_staff(request)
    draft = await drafts.get_draft(int(request.match_info["id"]))
    if draft is None:
        raise web.HTTPNotFound()
    form = drafts.form_from_document(draft.document)
    return await _draft_form(request, form, draft=draft)


DraftStep = Callable[[int, StaffUser, dict[str, str]], Awaitable[object]]
#: What each button of a draft's page does, and the notice shown after it.
DRAFT_ACTIONS: dict[str, DraftStep] = {
    "save": lambda draft_id, staff, form: drafts.save_draft(drafts.document_from_form(form), staff, draft_id=draft_id),
    "submit": lambda draft_id, staff, form: drafts.submit(draft_id, staff),
    "publish": lambda draft_id, staff, form: drafts.publish(draft_id, staff),
    "reject": lambda draft_id, staff, form: drafts.reject(draft_id, staff, form.get("note", "")),
}
DRAFT_DONE = {"save": "draft_saved", "submit": "draft_submitted", "publish": "draft_published", "reject": "draft_rejected"}


async def draft_action(request: web.Request) -> web.Response:
    staff = require_staff(request)
    draft_id = int(request.match_info["id"])
    back = f"/staff/knowledge/drafts/{draft_id}"
    form = await _form(request, back)
    lang = ui_language(request)
    action = form.get("action", "")
    if action not in DRAFT_ACTIONS:
        raise web.HTTPBadRequest()
    try:
        await DRAFT_ACTIONS[action](draft_id, staff, form)
    except drafts.DraftError as exc:
        draft = await drafts.get_draft(draft_id)
        values = form if action == "save" else (drafts.form_from_document(draft.document) if draft else form)
        return await _draft_form(request, values, draft=draft, error=t(lang, exc.key, error=exc.detail), status=422)
    raise _see_other(back, done=DRAFT_DONE[action])


# ------------------------------------------------------------------ operator controls


async def controls_page(request: web.Request) -> web.Response:
    require_staff(request)
    return await render(
        request, "insights_controls.html", section="controls", switches=await controls.switches(), history=await controls.history(),
        varieties=VARIETIES, topics=TOPICS,
    )


async def controls_change(request: web.Request) -> web.Response:
    staff = require_staff(request)
    form = await _form(request, "/staff/insights/controls")
    scope, value = form.get("scope", ""), form.get("value", "")
    allowed = VARIETIES if scope == "variety" else TOPICS if scope == "topic" else ()
    if value not in allowed:
        raise web.HTTPBadRequest(text="unknown scope or value")
    await controls.set_switch(scope, value, form.get("handoff") == "1", staff)
    raise _see_other("/staff/insights/controls", done="control_changed")


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/insights", dashboard)
    app.router.add_get("/staff/insights.csv", export_csv)
    app.router.add_get("/staff/insights/unanswered", unanswered)
    app.router.add_post("/staff/insights/unanswered/handled", mark_handled)
    app.router.add_get("/staff/insights/controls", controls_page)
    app.router.add_post("/staff/insights/controls", controls_change)
    app.router.add_get("/staff/knowledge/drafts", drafts_page)
    app.router.add_get("/staff/knowledge/drafts/new", new_draft)
    app.router.add_post("/staff/knowledge/drafts", create_draft)
    app.router.add_get(r"/staff/knowledge/drafts/{id:\d+}", draft_page)
    app.router.add_post(r"/staff/knowledge/drafts/{id:\d+}", draft_action)
