"""Bad input on the staff API and console: a clear 4xx, never a 500, nothing personal in the logs.

Deep JSON nesting, lone surrogates (in JSON escapes and in form fields), huge ids and
references, unknown channels: each gets a 4xx (or is stored cleaned), and the error log
holds neither the text nor the id.
"""

from __future__ import annotations

import logging

import pytest
from aiohttp.test_utils import TestClient

from assistant.cases import store
from tests.app_env.test_case_store import request_for
from tests.app_env.test_service import client, csrf_of, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.parametrize("database", ["sqlite", "postgresql"], indirect=True)

SECRET_TEXT = "Projet confidentiel 7731"


async def test_bad_input_gets_a_clear_4xx_and_nothing_personal_is_logged(
    client: TestClient, caplog: pytest.LogCaptureFixture  # noqa: F811
) -> None:
    caplog.set_level(logging.INFO)
    case, _ = await store.open_case(request_for("whatsapp:212600000077"))
    await login(client)
    headers = {"X-CSRF-Token": await csrf_of(client), "Content-Type": "application/json"}
    notes = f"/api/cases/{case.reference}/notes"
    deep = '{"body": ' + '{"a": ' * 5000 + '"x"' + "}" * 5001
    for body in (deep, "[" * 100_000 + "]" * 100_000):
        answer = await client.post(notes, data=body, headers=headers)
        assert answer.status == 400, answer.status
        assert (await answer.json())["error"]["code"] in ("bad_json", "bad_request")
    # a lone surrogate, escaped in JSON: stored cleaned (U+FFFD), never a 500
    lone = await client.post(notes, data='{"body": "\\ud800 ' + SECRET_TEXT + '"}', headers=headers)
    assert lone.status == 201, lone.status
    assert (await lone.json())["body"] == "\ufffd " + SECRET_TEXT
    for path in ("/api/cases/" + "M" * 20_000, "/api/cases/whatsapp:212600000077", "/api/cases/%ED%A0%80"):
        answer = await client.get(path)
        assert answer.status in (400, 404, 414, 431), (path[:40], answer.status)
    unknown = await client.get("/api/cases?channel=fax")
    assert unknown.status in (200, 400) and (unknown.status == 400 or (await unknown.json())["cases"] == [])
    huge_filter = await client.get("/api/cases?channel=" + "x" * 5000 + "&region=%ED%A0%80")
    assert huge_filter.status < 500
    for reference in ("9" * 40, "MRE-2026-" + "9" * 30):
        answer = await client.post(f"/api/cases/{reference}/status", json={"status": "resolved"}, headers=headers)
        assert answer.status == 404
    bad_status = await client.post(f"/api/cases/{case.reference}/status", json={"status": "\ud800" * 3}, headers=headers)
    assert bad_status.status == 400
    dismiss = await client.post("/api/spool/rejected/" + "9" * 50 + "/dismiss", headers=headers)
    assert dismiss.status == 404
    # the console's forms: a lone surrogate in a form field
    for body in ("%ED%A0%80+", "%FF%FE+"):  # a surrogate's UTF-8 bytes, and bytes that are no UTF-8 at all
        form = await client.post(
            f"/staff/cases/{case.reference}/note", allow_redirects=False,
            data=f"csrf={headers['X-CSRF-Token']}&body={body}{SECRET_TEXT.replace(' ', '+')}",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert form.status < 500, form.status
    errors = "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    assert SECRET_TEXT not in errors and "212600000077" not in errors
