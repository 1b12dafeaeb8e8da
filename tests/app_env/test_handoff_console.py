"""The staff console's view of a live handoff: queue facts, presence, case page, topic, refusals.

Pure parts (rich text, working days, activity) directly; the rest through the service over
real HTTP (aiohttp's test server) on a real database, with a real tracker-store table.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import insert, text, update

from assistant.cases import store
from assistant.cases.topic import request_topic
from assistant.db.channel_tables import channel_presence
from assistant.db.engine import get_engine, session_scope
from assistant.db.models import Case
from assistant.db.types import utcnow
from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex
from assistant.kb.vocabulary import load_vocabulary
from assistant.service.activity import Activity, working_days_between
from assistant.service.richtext import rich_html
from assistant.settings import get_settings
from tests.app_env.test_case_store import request_for, staff_member
from tests.app_env.test_service import client, csrf_of, login  # noqa: F401  (fixture)

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)  # a Tuesday


# ---------------------------------------------------------------------------------------- pure


def test_bot_text_is_rendered_safely_with_bold_lists_and_links() -> None:
    html = str(rich_html("*Capital minimum* : aucun.\n\n• certificat négatif\n• statuts\n1. un\nVoir https://example.org/a. <b>x</b>"))
    assert "<strong>Capital minimum</strong>" in html and "*" not in html
    assert "<ul><li>certificat négatif</li><li>statuts</li></ul><ol><li>un</li></ol>" in html
    assert '<a href="https://example.org/a" target="_blank" rel="noopener noreferrer" dir="ltr">' in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>" not in html
    hostile = str(rich_html('javascript:alert(1) "onmouseover=alert(1)" <script>alert(1)</script>'))
    assert "<script" not in hostile and "href" not in hostile


def test_numbers_references_and_emails_are_isolated_left_to_right() -> None:
    html = str(rich_html("الهاتف: +4915123456789 والبريد amina@example.fr والمرجع MRE-2026-000007"))
    for value in ("+4915123456789", "amina@example.fr", "MRE-2026-000007"):
        assert f'<bdi dir="ltr">{value}</bdi>' in html


def test_working_days_skip_weekends() -> None:
    friday = dt.datetime(2026, 11, 27, 12, tzinfo=dt.timezone.utc)
    assert working_days_between(friday, friday + dt.timedelta(days=3)) == pytest.approx(1.0)  # Fri noon -> Mon noon
    assert working_days_between(NOW, NOW - dt.timedelta(days=1)) == 0


def test_activity_waiting_overdue_presence_and_whatsapp_window() -> None:
    old = NOW - dt.timedelta(days=8)
    waiting = Activity("socketio", "new", created_at=old, last_investor_at=old + dt.timedelta(hours=1))
    assert waiting.waiting_since == old + dt.timedelta(hours=1) and waiting.overdue(NOW, 3)
    answered = Activity("socketio", "waiting_user", created_at=old, last_investor_at=old, last_reply_at=old + dt.timedelta(hours=2))
    assert answered.waiting_since is None and not answered.overdue(NOW, 3)
    done = Activity("socketio", "resolved", created_at=old)
    assert done.waiting_since is None
    here = Activity("socketio", "new", created_at=old, presence_connected=True, presence_seen_at=NOW - dt.timedelta(seconds=30))
    assert here.connected(NOW) and here.whatsapp_window_open(NOW) is None
    stale = Activity("socketio", "new", created_at=old, presence_connected=True, presence_seen_at=NOW - dt.timedelta(minutes=10))
    assert not stale.connected(NOW)  # a crashed server cannot leave anyone "online"
    whatsapp = Activity("whatsapp", "new", created_at=old, last_investor_at=NOW - dt.timedelta(hours=23))
    assert whatsapp.whatsapp_window_open(NOW) is True
    assert Activity("whatsapp", "new", created_at=old, last_investor_at=old).whatsapp_window_open(NOW) is False


def test_topic_comes_from_the_request_summary() -> None:
    index = KnowledgeIndex(load_directory(KNOWLEDGE), load_vocabulary(KNOWLEDGE))
    summary = "Je voudrais bénéficier de MDM Invest pour mon projet de restaurant"
    assert request_topic(index, summary, fallback="taxes") == "financing"  # not the last question's topic
    assert request_topic(index, "أريد الاستفادة من برنامج MDM Invest لمشروعي", fallback="legal_forms") == "financing"
    assert request_topic(index, "I want to know the corporate tax for a small company") == "taxes"
    assert request_topic(index, "bonjour", fallback="regions") == "regions"  # nothing found: the fallback
    assert request_topic(None, summary, fallback="regions") == "regions"


# ---------------------------------------------------------------------------------------- store



@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
async def test_replies_to_closed_or_erased_cases_are_refused(database: str) -> None:
    staff = await staff_member()
    case, _ = await store.open_case(request_for())
    await store.set_status(case.reference or "", "closed", staff)
    with pytest.raises(store.ConversationClosed, match="closed"):
        await store.queue_reply(case.reference or "", staff, "Bonjour")
    other, _ = await store.open_case(request_for("conv-2"))
    await store.erase_case(other.reference or "", staff)
    with pytest.raises(store.ConversationClosed, match="erased"):
        await store.queue_reply(other.reference or "", staff, "Bonjour")
    assert (await store.get_case(case.reference or "")).messages == []


@pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)
async def test_staff_change_the_topic_and_it_is_audited(database: str) -> None:
    staff = await staff_member()
    case, _ = await store.open_case(request_for())
    await store.set_topic(case.reference or "", "programmes", staff)
    changed = await store.get_case(case.reference or "")
    assert changed.topic == "programmes"
    assert [e.action for e in changed.events][-1] == "topic"


# ---------------------------------------------------------------------------------------- service


async def _tracker_events(rows: list[tuple[str, str, float]]) -> None:
    """Rasa's `events` table, as its SQL tracker store writes it (only the columns read here)."""
    engine = get_engine(get_settings().tracker_database_url)
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255), type_name VARCHAR(255),"
                " timestamp FLOAT, intent_name VARCHAR(255), action_name VARCHAR(255), data TEXT)"
            )
        )
        for sender, kind, stamp in rows:
            await connection.execute(
                text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, :k, :t, '{}')"),
                {"s": sender, "k": kind, "t": stamp},
            )


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_queue_shows_who_what_and_how_long_sorted_by_waiting(client: TestClient) -> None:  # noqa: F811
    now = utcnow()
    old, _ = await store.open_case(request_for("web-old", channel="socketio", name="Amina Tazi", sector="agriculture",
                                              summary="Je cherche des financements pour une exploitation agricole à Oujda."))
    recent, _ = await store.open_case(request_for("web-recent", channel="socketio", name="Karim Benali"))
    async with session_scope() as session:
        await session.execute(update(Case).where(Case.id == old.id).values(created_at=now - dt.timedelta(days=9)))
        await session.execute(insert(channel_presence).values(conversation_id="web-recent", channel="socketio", connected=True, seen_at=now))
    await _tracker_events([
        ("web-old", "user", (now - dt.timedelta(days=8)).timestamp()),
        ("web-recent", "user", (now - dt.timedelta(minutes=5)).timestamp()),
    ])
    await login(client)
    html = await (await client.get("/staff/")).text()
    assert html.index("Amina Tazi") < html.index("Karim Benali")  # the longest wait first
    assert "Je cherche des financements pour une exploitation agricole" in html and "agriculture" in html
    assert "Délai dépassé" in html and "8 j" in html and "5 min" in html
    assert "Connecté maintenant" in html
    assert f'<bdi dir="ltr">{old.reference}</bdi>' in html
    newest = await (await client.get("/staff/?sort=newest")).text()
    assert newest.index("Karim Benali") < newest.index("Amina Tazi")

    listed = await (await client.get("/api/cases")).json()
    by_ref = {c["reference"]: c for c in listed["cases"]}
    assert by_ref[old.reference]["activity"]["overdue"] is True
    assert by_ref[recent.reference]["activity"]["connected"] is True and by_ref[recent.reference]["name"] == "Karim Benali"


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_case_page_buttons_follow_the_state_and_the_reply_box_names_the_channel(client: TestClient) -> None:  # noqa: F811
    case, _ = await store.open_case(request_for("web-1", channel="socketio"))
    await login(client)
    page = await (await client.get(f"/staff/cases/{case.reference}")).text()
    assert ">Prendre en charge</button>" in page
    assert "Répondre à l&#39;investisseur — sur le site web (fenêtre de discussion)" in page
    assert "il verra la réponse à son retour" in page  # not connected
    csrf = await csrf_of(client)
    await client.post(f"/staff/cases/{case.reference}/claim", data={"csrf": csrf}, allow_redirects=False)
    page = await (await client.get(f"/staff/cases/{case.reference}")).text()
    assert ">Prendre en charge</button>" not in page and "Pris en charge par Samira Alaoui" in page

    moved = await client.post(f"/staff/cases/{case.reference}/topic", data={"csrf": csrf, "topic": "programmes"}, allow_redirects=False)
    assert "done=done_topic" in moved.headers["Location"]
    assert (await store.get_case(case.reference or "")).topic == "programmes"
    bad = await client.post(f"/api/cases/{case.reference}/topic", json={"topic": "astrology"}, headers={"X-CSRF-Token": csrf})
    assert bad.status == 400
    cleared = await client.post(f"/api/cases/{case.reference}/topic", json={"topic": None}, headers={"X-CSRF-Token": csrf})
    assert cleared.status == 200 and (await cleared.json())["topic"] is None

    await client.post(f"/staff/cases/{case.reference}/status", data={"csrf": csrf, "status": "closed"}, allow_redirects=False)
    page = await (await client.get(f"/staff/cases/{case.reference}")).text()
    assert 'id="reply-form"' not in page and "Demande clôturée" in page and ">Prendre la conversation en direct<" not in page
    refused = await client.post(f"/api/cases/{case.reference}/reply", json={"text": "Bonjour"}, headers={"X-CSRF-Token": csrf})
    body = await refused.json()
    assert refused.status == 409 and body["error"]["code"] == "conversation_closed" and "closed" in body["error"]["message"]
    form = await client.post(f"/staff/cases/{case.reference}/reply", data={"csrf": csrf, "text": "Bonjour"}, allow_redirects=False)
    assert "error=error_reply_closed" in form.headers["Location"]
    flash = await (await client.get(form.headers["Location"])).text()
    assert "Réponse refusée" in flash


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_conversation_api_gives_safe_html_and_presence(client: TestClient) -> None:  # noqa: F811
    case, _ = await store.open_case(
        request_for("web-2", channel="socketio", transcript=[{"from": "assistant", "text": "*SARL* <b>x</b>", "at": 1.0}])
    )
    await login(client)
    data = await (await client.get(f"/api/cases/{case.reference}/conversation")).json()  # Rasa is down: the snapshot
    assert data["source"] == "snapshot"
    assert data["messages"][0]["html"] == "<p><strong>SARL</strong> &lt;b&gt;x&lt;/b&gt;</p>"
    assert data["activity"]["connected"] is False and data["activity"]["whatsapp_window_open"] is None


@pytest.mark.parametrize("database", ["sqlite"], indirect=True)
async def test_arabic_case_page_isolates_contact_details(client: TestClient) -> None:  # noqa: F811
    case, _ = await store.open_case(request_for("wa-1", channel="whatsapp", language="ar", phone="+4915123456789"))
    await login(client, "youssef@cellule.ma")
    page = await (await client.get(f"/staff/cases/{case.reference}")).text()
    assert '<bdi dir="ltr">+4915123456789</bdi>' in page and '<bdi dir="ltr">karim@example.com</bdi>' in page
    assert "الرد على المستثمر — على واتساب" in page
    assert re.search(r"نافذة واتساب \(24 ساعة\) مغلقة", page)  # no message from them in the tracker
