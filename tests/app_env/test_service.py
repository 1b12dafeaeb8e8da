"""The guidance service over real HTTP (aiohttp's test server) and a real database."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from assistant.cases import store
from assistant.service import api
from assistant.service.app import create_app
from assistant.settings import get_settings
from tests.app_env.test_case_store import request_for
from tests.support.stack import free_port

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

PASSWORD = "correct-horse-battery"
Client = Callable[..., Awaitable[TestClient]]


@pytest.fixture
async def client(loaded_knowledge: str, aiohttp_client: Client, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("COOKIE_SECURE", "false")  # the test server speaks plain http
    monkeypatch.setenv("RASA_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens: Rasa "down"
    get_settings.cache_clear()
    from assistant.db.engine import session_scope
    from assistant.db.models import StaffUser
    from assistant.service.auth import hash_password

    async with session_scope() as session:
        session.add(StaffUser(email="samira@cellule.ma", name="Samira Alaoui", password_hash=hash_password(PASSWORD)))
        session.add(StaffUser(email="youssef@cellule.ma", name="Youssef", password_hash=hash_password(PASSWORD), language="ar"))
    return await aiohttp_client(create_app(get_settings(), run_background_tasks=False))


async def login(client: TestClient, email: str = "samira@cellule.ma", password: str = PASSWORD) -> Any:
    page = await client.get("/staff/login")
    token = re.search(r'name="csrf" value="([^"]+)"', await page.text())
    assert token
    return await client.post(
        "/staff/login", data={"csrf": token.group(1), "email": email, "password": password, "next": "/staff/"},
        allow_redirects=False,
    )


async def csrf_of(client: TestClient) -> str:
    page = await client.get("/staff/")
    match = re.search(r'name="csrf-token" content="([^"]+)"', await page.text())
    assert match
    return match.group(1)


async def test_health(client: TestClient) -> None:
    response = await client.get("/health")
    assert response.status == 200 and (await response.json())["knowledge_version"] >= 1


async def test_anonymous_requests_are_refused(client: TestClient) -> None:
    response = await client.get("/api/cases")
    assert response.status == 401
    assert (await response.json())["error"]["code"] == "unauthenticated"
    page = await client.get("/staff/", allow_redirects=False)
    assert page.status == 302 and page.headers["Location"].startswith("/staff/login")


async def test_login_sets_a_protected_session_cookie(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    response = await login(client)
    assert response.status == 303
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    me = await client.get("/api/me")
    assert (await me.json())["email"] == "samira@cellule.ma"


async def test_cookies_are_secure_by_default(database: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from aiohttp import web

    from assistant.service.auth import set_session_cookie
    from assistant.settings import Settings

    monkeypatch.delenv("COOKIE_SECURE", raising=False)
    settings = Settings.from_env()
    assert settings.cookie_secure is True
    response = web.Response()
    set_session_cookie(response, "token", secure=settings.cookie_secure)
    morsel = response.cookies["mre_staff_session"]
    assert morsel["secure"] and morsel["httponly"] and morsel["samesite"] == "Strict"


async def test_wrong_password_then_rate_limiting(client: TestClient) -> None:
    for _ in range(5):
        response = await login(client, password="wrong-password!")
        assert response.status == 401
        assert "incorrect" in await response.text()
    response = await login(client)  # even the right password is refused for a while
    assert response.status == 429 and response.headers["Retry-After"] == "900"


async def test_login_form_needs_its_csrf_token(client: TestClient) -> None:
    response = await client.post("/staff/login", data={"email": "samira@cellule.ma", "password": PASSWORD})
    assert response.status == 403


async def test_api_writes_need_the_csrf_header(client: TestClient) -> None:
    case, _ = await store.open_case(request_for())
    await login(client)
    response = await client.post(f"/api/cases/{case.reference}/claim")
    assert response.status == 403 and (await response.json())["error"]["code"] == "csrf"
    response = await client.post(f"/api/cases/{case.reference}/claim", headers={"X-CSRF-Token": await csrf_of(client)})
    assert response.status == 200 and (await response.json())["assignee"] == "Samira Alaoui"


async def test_queue_filters_and_case_detail(client: TestClient) -> None:
    await store.open_case(request_for("a", language="fr", region="oriental"))
    await store.open_case(request_for("b", language="ar", channel="whatsapp", region="souss_massa"))
    await login(client)
    body = await (await client.get("/api/cases?language=ar")).json()
    assert body["total"] == 1 and body["cases"][0]["channel"] == "whatsapp"
    assert (await (await client.get("/api/cases?region=oriental&status=new")).json())["total"] == 1
    assert (await client.get("/api/cases?status=nonsense")).status == 400
    assert (await client.get("/api/cases?limit=abc")).status == 400
    reference = body["cases"][0]["reference"]
    detail = await (await client.get(f"/api/cases/{reference}")).json()
    assert detail["contact"]["email"] == "karim@example.com" and detail["transcript"]


async def test_errors_are_clear_json(client: TestClient) -> None:
    case, _ = await store.open_case(request_for())
    await login(client)
    headers = {"X-CSRF-Token": await csrf_of(client), "Content-Type": "application/json"}
    assert (await client.get("/api/cases/MRE-2026-999999")).status == 404
    bad = await client.post(f"/api/cases/{case.reference}/notes", data="{not json", headers=headers)
    assert bad.status == 400 and (await bad.json())["error"]["code"] == "bad_json"
    wrong = await client.post(f"/api/cases/{case.reference}/notes", json={"body": ""}, headers=headers)
    assert wrong.status == 400
    huge = await client.post(f"/api/cases/{case.reference}/notes", json={"body": "x" * 5000}, headers=headers)
    assert huge.status == 400
    array = await client.post(f"/api/cases/{case.reference}/status", json=["resolved"], headers=headers)
    assert array.status == 400
    too_big = await client.post(f"/api/cases/{case.reference}/notes", data="x" * (2 * 1024 * 1024), headers=headers)
    assert too_big.status == 413
    note = await client.post(f"/api/cases/{case.reference}/notes", json={"body": "Rappeler lundi"}, headers=headers)
    assert note.status == 201


async def test_when_rasa_is_down_replies_are_queued_and_live_takeover_says_so(client: TestClient) -> None:
    case, _ = await store.open_case(request_for())
    await login(client)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    reply = await client.post(f"/api/cases/{case.reference}/reply", json={"text": "Bonjour"}, headers=headers)
    assert reply.status == 201 and (await reply.json())["delivered"] is False
    assert [m.status for m in (await store.get_case(case.reference or "")).messages] == ["pending"]
    live = await client.post(f"/api/cases/{case.reference}/live", json={"live": True}, headers=headers)
    assert live.status == 503
    assert (await store.get_case(case.reference or "")).live is False
    conversation = await (await client.get(f"/api/cases/{case.reference}/conversation")).json()
    assert conversation["source"] == "snapshot" and conversation["messages"]


async def test_status_resolve_export_and_erase(client: TestClient) -> None:
    case, _ = await store.open_case(request_for())
    await login(client)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    resolved = await client.post(f"/api/cases/{case.reference}/status", json={"status": "resolved"}, headers=headers)
    assert (await resolved.json())["status"] == "resolved"
    export = await client.get(f"/api/cases/{case.reference}/export")
    assert export.status == 200 and "attachment" in export.headers["Content-Disposition"]
    assert (await export.json())["contact"]["name"] == "Karim Benali"
    erased = await client.post(f"/api/cases/{case.reference}/erase", headers=headers)
    assert (await erased.json())["erased"] is True
    detail = await (await client.get(f"/api/cases/{case.reference}")).json()
    assert detail["contact"] == {"name": None, "email": None, "phone": None}
    assert [e["action"] for e in detail["events"]][-2:] == ["exported", "erased"]


async def test_openapi_documents_every_route(database: str) -> None:
    from assistant.service.openapi import document

    spec = document()
    documented = {(method.upper(), path) for path, ops in spec["paths"].items() for method in ops}
    routes = {(method, path) for method, path, _ in api.ROUTES}
    assert documented == routes
    assert spec["openapi"].startswith("3.")


async def test_openapi_is_public(client: TestClient) -> None:
    response = await client.get("/api/openapi.json")
    assert response.status == 200 and "/api/cases" in (await response.json())["paths"]


async def test_console_in_arabic_is_right_to_left(client: TestClient) -> None:
    await store.open_case(request_for())
    await login(client, "youssef@cellule.ma")
    page = await client.get("/staff/")
    html = await page.text()
    assert '<html lang="ar" dir="rtl">' in html and "قائمة الطلبات" in html
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    english = await (await client.get("/staff/?lang=en")).text()
    assert '<html lang="en" dir="ltr">' in english and "Request queue" in english


async def test_console_case_actions_through_forms(client: TestClient) -> None:
    case, _ = await store.open_case(request_for())
    await login(client)
    page = await client.get(f"/staff/cases/{case.reference}")
    html = await page.text()
    assert "Karim Benali" in html and "Tanger-Tétouan-Al Hoceïma" in html
    csrf = re.search(r'name="csrf-token" content="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    claimed = await client.post(f"/staff/cases/{case.reference}/claim", data={"csrf": csrf}, allow_redirects=False)
    assert claimed.status == 303 and "done=done_claimed" in claimed.headers["Location"]
    forged = await client.post(f"/staff/cases/{case.reference}/note", data={"csrf": "forged", "body": "x"}, allow_redirects=False)
    assert "error=csrf_failed" in forged.headers["Location"]
    live = await client.post(f"/staff/cases/{case.reference}/live", data={"csrf": csrf}, allow_redirects=False)
    assert "error=error_rasa" in live.headers["Location"]
    missing = await client.get("/staff/cases/MRE-2026-999999")
    assert missing.status == 404


async def test_logout_revokes_the_session(client: TestClient) -> None:
    await login(client)
    csrf = await csrf_of(client)
    await client.post("/staff/logout", data={"csrf": csrf}, allow_redirects=False)
    assert (await client.get("/api/me")).status == 401
