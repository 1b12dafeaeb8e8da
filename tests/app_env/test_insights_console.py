"""Insights in the staff console over real HTTP (aiohttp test server, SQLite): dashboard and
CSV, unanswered groups, drafts (validation, roles, review, publication), operator controls."""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions import knowledge as knowledge_actions
from assistant.actions.knowledge import ActionAnswerQuestion
from assistant.insights import drafts
from assistant.insights.consumer import drain_sql
from assistant.kb.schema import load_directory
from assistant.settings import ROOT, get_settings
from tests.app_env.test_insights_events import put_in_broker_table
from tests.app_env.test_service import PASSWORD, Client, login
from tests.support import rasa_events as ev
from tests.support.trackers import make_tracker

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

NEW_ENTRY = {
    "id": "visa-binational", "topic": "creation", "facet": "overview", "status": "to_confirm",
    "reviewed_on": "2026-11-30",
    "title_fr": "Visa et double nationalité", "title_ar": "التأشيرة وازدواجية الجنسية", "title_en": "Visas and dual nationality",
    "answer_fr": "Un MRE de nationalité marocaine entre au Maroc avec sa CNIE ou son passeport marocain, sans visa.",
    "answer_ar": "يدخل مغاربة العالم الحاملون للجنسية المغربية إلى المغرب ببطاقتهم الوطنية أو جوازهم المغربي دون تأشيرة.",
    "answer_en": "A Moroccan national living abroad enters Morocco with a Moroccan ID card or passport, without a visa.",
    "caveat_fr": "À confirmer auprès du consulat.", "caveat_ar": "يجب التأكد لدى القنصلية.", "caveat_en": "To be confirmed with the consulate.",
    "synonyms_fr": "double nationalité, binational", "synonyms_ar": "ازدواجية الجنسية", "synonyms_en": "dual nationality",
    "synonyms_darija": "جوج جنسيات", "synonyms_arabizi": "jouj jinsiyat, binational",
    "keywords_fr": "visa, nationalité", "keywords_ar": "تأشيرة, جنسية", "keywords_en": "visa, nationality",
    "keywords_darija": "الفيزا, الجنسية", "keywords_arabizi": "visa, jinsiya",
    "sources": "Département des Marocains du monde — formalités | https://mre.gov.ma/fr/formalites | official | undated",
}


@pytest.fixture
async def knowledge_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Publication writes into KNOWLEDGE_DIR: a copy, never the repository."""
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(target))
    get_settings.cache_clear()
    return target


@pytest.fixture
async def client(loaded_knowledge: str, knowledge_copy: Path, aiohttp_client: Client, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    from assistant.db.engine import session_scope
    from assistant.db.models import StaffUser
    from assistant.service.app import create_app
    from assistant.service.auth import hash_password
    from tests.support.stack import free_port

    monkeypatch.setenv("COOKIE_SECURE", "false")  # the test server speaks plain http
    monkeypatch.setenv("RASA_URL", f"http://127.0.0.1:{free_port()}")
    get_settings.cache_clear()
    async with session_scope() as session:
        session.add(StaffUser(email="samira@cellule.ma", name="Samira Alaoui", password_hash=hash_password(PASSWORD)))
        session.add(StaffUser(email="youssef@cellule.ma", name="Youssef", password_hash=hash_password(PASSWORD), language="ar"))
    return await aiohttp_client(create_app(get_settings(), run_background_tasks=False))


async def csrf(client: TestClient, path: str) -> str:
    page = await client.get(path)
    match = re.search(r'name="csrf" value="([^"]+)"', await page.text())
    assert match, path
    return match.group(1)


async def seed_turns() -> None:
    liked = ev.answered("web-1", "Quel capital minimum pour une SARL ?", "sarl-capital")
    disliked = ev.answered("wa-1", "chhal ras lmal dyal SARL", "sarl-capital", variety="arabizi", channel="whatsapp")
    await put_in_broker_table([
        *liked,
        *disliked,
        *ev.not_covered("web-2", "Faut-il un visa pour investir au Maroc quand on est binational ?"),
        *ev.not_covered("web-3", "visa investisseur binational Maroc ? mon mail x@y.fr"),
        *ev.not_covered("wa-4", "wach khassni visa ila kont binational", variety="arabizi"),
        *ev.not_understood("web-5", "blablabla zzz"),
        ev.user("web-1", "/feedback_helpful", "feedback_helpful"),
        ev.slot("web-1", "answer_feedback", {"value": "up", "message_id": liked[0]["message_id"]}),
        ev.user("wa-1", "machi howa hadak, 3ayet lia 0612345678", "feedback_unhelpful", variety="arabizi", channel="whatsapp"),
        ev.slot("wa-1", "answer_feedback", {"value": "down", "message_id": disliked[0]["message_id"],
                                            "question": "chhal ras lmal dyal SARL",
                                            "comment": "machi howa hadak, 3ayet lia 0612345678"}),
        ev.slot("web-2", "case_rating", {"reference": "MRE-2026-000007", "value": 4, "comment": "rapide, merci (k@x.ma)"}),
    ])
    await drain_sql()


async def test_dashboard_csv_in_three_languages(client: TestClient) -> None:
    await seed_turns()
    assert (await client.get("/staff/insights", allow_redirects=False)).status == 302  # login first
    await login(client)
    for lang, word in (("fr", "Taux de réponse"), ("ar", "نسبة الإجابة"), ("en", "Answer rate")):
        page = await (await client.get(f"/staff/insights?lang={lang}")).text()
        assert word in page and f'lang="{lang}"' in page
        assert ('dir="rtl"' in page) == (lang == "ar")
    page = await (await client.get("/staff/insights?lang=en")).text()
    assert re.search(r'data-kpi="questions"><bdi dir="ltr">6<', page)
    assert re.search(r'data-kpi="answer_rate"><bdi dir="ltr">33 %<', page)
    assert "/static/dist/insights.js" in page and 'id="insights-data"' in page
    filtered = await (await client.get("/staff/insights?lang=en&variety=arabizi&channel=whatsapp")).text()
    assert re.search(r'data-kpi="questions"><bdi dir="ltr">1<', filtered)
    assert re.search(r'data-kpi="answer_rate"><bdi dir="ltr">100 %<', filtered)
    response = await client.get("/staff/insights.csv?period=7")
    assert response.status == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(await response.text())))
    assert rows[0][:4] == ["day", "conversations", "questions", "answered"]
    total = next(r for r in rows if r and r[0] == "total")
    assert total[2:7] == ["6", "2", "3", "1", "0"] and total[7] == "1"  # questions, answered, not covered, not understood, clarif., helpful
    # what investors thought: by topic and by entry, the case rating, comments without personal data
    page = await (await client.get("/staff/insights?lang=fr")).text()
    by_entry = page.split('id="feedback-by-entry"')[1].split("</table>")[0]
    assert "sarl-capital" in by_entry and re.search(r"<td><bdi dir=\"ltr\">1</bdi></td><td><bdi dir=\"ltr\">1</bdi></td>"
                                                    r"<td><bdi dir=\"ltr\">50 %</bdi>", by_entry)
    assert "Formes juridiques" in page.split('id="feedback-by-topic"')[1].split("</table>")[0]
    assert re.search(r'data-kpi="case_rating"><bdi dir="ltr">4.0 / 5', page)
    comments = page.split('id="feedback-comments"')[1].split("</ul>")[0]
    assert "machi howa hadak, 3ayet lia [phone]" in comments and "rapide, merci ([email])" in comments
    assert "0612345678" not in page and "k@x.ma" not in page
    arabic = await (await client.get("/staff/insights?lang=ar")).text()
    assert "آراء المستثمرين" in arabic and "متوسط تقييم الطلبات المغلقة" in arabic
    feedback_rows = rows[rows.index(["feedback_by_entry", "helpful", "not_helpful", "helpful_rate"]) + 1]
    assert feedback_rows == ["sarl-capital", "1", "1", "0.5"]
    assert ["total", "1", "4.0"] in rows
    bogus = await client.get("/staff/insights?period=9999&variety=klingon&topic=<script>")
    assert bogus.status == 200 and "<script>" not in (await bogus.text()).split('id="insights-data"')[0].split("</nav>")[-1]


async def test_unanswered_groups_and_handled(client: TestClient) -> None:
    await seed_turns()
    await login(client)
    page = await (await client.get("/staff/insights/unanswered?lang=fr")).text()
    assert "x@y.fr" not in page and "[email]" in page
    groups = re.findall(r'data-group="([0-9a-f]+)"', page)
    assert groups
    first = page.split('data-group="')[1]
    assert "binational" in first and "wach khassni visa" in first  # French and Arabizi together
    ids = re.search(r'name="ids" value="([0-9,]+)"', first)
    assert ids and len(ids.group(1).split(",")) == 3
    # the learning loop: an answer rated "not useful" is grouped with what is to be written
    rated = next(part for part in page.split('data-group="')[1:] if "chhal ras lmal dyal SARL" in part)
    assert 'data-unhelpful="1"' in rated and "Réponses jugées pas utiles" in rated
    token = await csrf(client, "/staff/insights/unanswered")
    response = await client.post("/staff/insights/unanswered/handled", data={"csrf": token, "ids": ids.group(1)}, allow_redirects=False)
    assert response.status == 303
    page = await (await client.get("/staff/insights/unanswered")).text()
    assert "binational" not in page
    forged = await client.post("/staff/insights/unanswered/handled", data={"csrf": "nope", "ids": "1"}, allow_redirects=False)
    assert forged.status == 303 and "csrf_failed" in forged.headers["Location"]


async def _make_users() -> None:
    from assistant.db.engine import session_scope
    from assistant.db.models import StaffUser
    from assistant.service.auth import hash_password

    async with session_scope() as session:
        session.add(StaffUser(email="nadia@cellule.ma", name="Nadia", password_hash=hash_password(PASSWORD)))
    await drafts.set_role("youssef@cellule.ma", "editor")
    await drafts.set_role("nadia@cellule.ma", "editor")


async def test_draft_review_and_publication(client: TestClient, knowledge_copy: Path) -> None:
    await _make_users()
    await login(client, "nadia@cellule.ma")  # an editor writes...
    token = await csrf(client, "/staff/knowledge/drafts/new")
    missing = {**NEW_ENTRY, "answer_ar": "", "csrf": token}
    response = await client.post("/staff/knowledge/drafts", data=missing)
    assert response.status == 422 and "answer.ar" in await response.text()  # the field is named
    no_source = {**NEW_ENTRY, "sources": "", "csrf": token}
    response = await client.post("/staff/knowledge/drafts", data=no_source)
    assert response.status == 422 and "sources" in await response.text()
    response = await client.post("/staff/knowledge/drafts", data={**NEW_ENTRY, "csrf": token}, allow_redirects=False)
    assert response.status == 303
    path = response.headers["Location"].split("?")[0]
    token = await csrf(client, path)
    assert (await client.post(path, data={"csrf": token, "action": "submit"}, allow_redirects=False)).status == 303
    # ...but cannot publish her own entry
    response = await client.post(path, data={"csrf": token, "action": "publish"})
    assert response.status == 422 and not (knowledge_copy / "creation" / "visa-binational.yml").exists()
    await client.post("/staff/logout", data={"csrf": token})
    await login(client, "samira@cellule.ma")  # an adviser cannot publish either
    token = await csrf(client, path)
    assert (await client.post(path, data={"csrf": token, "action": "publish"})).status == 422
    await client.post("/staff/logout", data={"csrf": token})
    await login(client, "youssef@cellule.ma")  # another editor publishes
    token = await csrf(client, path)
    response = await client.post(path, data={"csrf": token, "action": "publish"}, allow_redirects=False)
    assert response.status == 303 and "draft_published" in response.headers["Location"]
    exported = knowledge_copy / "creation" / "visa-binational.yml"
    assert exported.exists() and "dual nationality" in exported.read_text(encoding="utf-8")
    assert {e.id for e in load_directory(knowledge_copy)} >= {"visa-binational"}  # `make kb-check` accepts it
    # the action server answers from the new version (no retraining)
    knowledge_actions.knowledge._checked_at = float("-inf")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker("visa double nationalité binational", "ask_creation"), {})
    assert dispatcher.messages[0].get("title") == "Visa et double nationalité"


async def test_operator_switch_hands_questions_to_the_unit(client: TestClient) -> None:
    await login(client)
    token = await csrf(client, "/staff/insights/controls")
    response = await client.post("/staff/insights/controls", data={"csrf": token, "scope": "topic", "value": "legal_forms", "handoff": "1"}, allow_redirects=False)
    assert response.status == 303
    assert (await client.post("/staff/insights/controls", data={"csrf": token, "scope": "topic", "value": "klingon", "handoff": "1"})).status == 400
    page = await (await client.get("/staff/insights/controls?lang=ar")).text()
    assert "Samira Alaoui" in page and "محال إلى الخلية" in page
    knowledge_actions.controls._checked_at = float("-inf")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker("Quel capital minimum pour une SARL ?", "ask_legal_form"), {})
    assert dispatcher.messages[0]["response"] == "utter_operator_handoff"
    dispatcher = CollectingDispatcher()  # other topics are still answered
    await ActionAnswerQuestion().run(dispatcher, make_tracker("Quel est le taux de la TVA ?", "ask_tax"), {})
    assert dispatcher.messages[0]["response"].startswith("utter_kb_answer")
    await client.post("/staff/insights/controls", data={"csrf": token, "scope": "topic", "value": "legal_forms", "handoff": "0"})
    knowledge_actions.controls._checked_at = float("-inf")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker("Quel capital minimum pour une SARL ?", "ask_legal_form"), {})
    assert dispatcher.messages[0]["response"].startswith("utter_kb_answer")


async def test_operator_switch_per_language_variety(client: TestClient) -> None:
    """#14 item 7: a variety's switch hands only that variety's questions to the unit, logged with who."""
    from tests.support.trackers import user_event

    arabizi = "chhal lcapital li khassni bach ndir SARL f lmaghrib?"
    assert user_event(arabizi)["parse_data"]["language_detection"]["variety"] == "arabizi"
    await login(client)
    token = await csrf(client, "/staff/insights/controls")
    response = await client.post("/staff/insights/controls", data={"csrf": token, "scope": "variety", "value": "arabizi", "handoff": "1"}, allow_redirects=False)
    assert response.status == 303
    page = await (await client.get("/staff/insights/controls?lang=fr")).text()
    assert "Samira Alaoui" in page and "arabizi" in page.lower()
    knowledge_actions.controls._checked_at = float("-inf")
    dispatcher = CollectingDispatcher()
    await ActionAnswerQuestion().run(dispatcher, make_tracker(arabizi, "ask_legal_form"), {})
    assert dispatcher.messages[0]["response"] == "utter_operator_handoff"
    dispatcher = CollectingDispatcher()  # the same question in French is still answered
    await ActionAnswerQuestion().run(dispatcher, make_tracker("Quel capital minimum pour une SARL ?", "ask_legal_form"), {})
    assert dispatcher.messages[0]["response"].startswith("utter_kb_answer")
