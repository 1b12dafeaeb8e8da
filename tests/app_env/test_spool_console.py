"""Staff see the case requests set aside from the spool: a banner on every console page
(fr/ar/en, right-to-left in Arabic, the count isolated), the list at /staff/spool, and a
button to mark one handled. The same entries through the JSON API."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient

from assistant.cases.spool import CaseSpool
from assistant.settings import get_settings
from tests.app_env.test_case_store import request_for
from tests.app_env.test_service import client, csrf_of, login  # noqa: F401  (fixtures)

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

BANNER = re.compile(r'<div class="banner set-aside" role="alert">(.*?)</div>', re.S)


async def set_aside(name: str) -> None:
    """A request the database refuses for good (NOT NULL language), through the real spool."""
    spool = CaseSpool(get_settings().data_dir / "spool" / "cases.jsonl")
    await spool.add(replace(request_for("whatsapp:212600000088"), name=name, language=None))  # type: ignore[arg-type]
    if spool._task is not None:
        spool._task.cancel()
    assert await spool.flush() == 0


async def test_set_aside_requests_are_shown_to_staff_until_handled(client: TestClient, tmp_path: Path) -> None:  # noqa: F811
    await login(client)
    assert not BANNER.search(await (await client.get("/staff/")).text())
    await set_aside("Nadia Refusée")
    for lang, words in (("fr", "mises de côté"), ("en", "set aside"), ("ar", "وُضعت جانبا")):
        page = await (await client.get(f"/staff/?lang={lang}")).text()
        banner = BANNER.search(page)
        assert banner and words in banner.group(1), lang
        assert '<bdi dir="ltr" class="count">1</bdi>' in banner.group(1) and 'href="/staff/spool"' in banner.group(1)
        if lang == "ar":
            assert '<html lang="ar" dir="rtl">' in page
    # on the other pages too
    assert BANNER.search(await (await client.get("/staff/insights?lang=fr")).text())
    listing = await (await client.get("/staff/spool?lang=fr")).text()
    assert "Nadia Refusée" in listing and "Marquer comme traitée" in listing
    api = await (await client.get("/api/spool/rejected")).json()
    assert api["count"] == 1 and api["entries"][0]["request"]["name"] == "Nadia Refusée"
    entry_id = api["entries"][0]["id"]
    # marking it handled needs the CSRF token, then the banner goes
    refused = await client.post(f"/staff/spool/{entry_id}/dismiss", data={"csrf": "wrong"}, allow_redirects=False)
    assert refused.status == 303 and "error=csrf_failed" in refused.headers["Location"]
    done = await client.post(f"/staff/spool/{entry_id}/dismiss", data={"csrf": await csrf_of(client)},
                             allow_redirects=False)
    assert done.status == 303 and "done=done_spool_dismissed" in done.headers["Location"]
    page = await (await client.get("/staff/spool?done=done_spool_dismissed&lang=en")).text()
    assert not BANNER.search(page) and "Request marked handled." in page and "No request set aside." in page
    assert (await (await client.get("/api/spool/rejected")).json())["count"] == 0


async def test_the_api_dismisses_an_entry(client: TestClient) -> None:  # noqa: F811
    await set_aside("Karim Refusé")
    await login(client)
    headers = {"X-CSRF-Token": await csrf_of(client)}
    entry_id = (await (await client.get("/api/spool/rejected")).json())["entries"][0]["id"]
    assert (await client.post(f"/api/spool/rejected/{entry_id}/dismiss")).status == 403  # no CSRF header
    assert (await client.post(f"/api/spool/rejected/{entry_id}/dismiss", headers=headers)).status == 200
    assert (await client.post(f"/api/spool/rejected/{entry_id}/dismiss", headers=headers)).status == 404
    assert (await client.get("/staff/spool")).status == 200
