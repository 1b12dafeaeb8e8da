"""Insights in headless Chromium against the real stack (`insights_stack`, tests/e2e/conftest.py): the page with its charts (fr, ar),
unanswered questions grouped, a draft written by an adviser, published by an editor, and
the published entry answered over the REST channel without retraining."""

from __future__ import annotations

import re
import subprocess
import time
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.stack import APP_PYTHON, ROOT, Stack

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"
QUESTIONS = [
    "Faut-il un visa pour investir au Maroc quand on est binational ?",
    "visa investisseur binational Maroc ? écrivez-moi à karim@example.com",
    "wach khassni visa ila kont binational",
]


def account(stack: Stack, name: str, role: str) -> str:
    email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@cellule.ma"
    env = {**stack.env, "STAFF_PASSWORD": PASSWORD}
    subprocess.run([str(APP_PYTHON), "-m", "assistant.service.users", "create", "--email", email, "--name", name],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([str(APP_PYTHON), "-m", "assistant.insights.roles", email, role], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    return email


def login(page: Page, stack: Stack, email: str, language: str) -> None:
    page.goto(f"{stack.service_url}/staff/login?lang={language}")
    page.get_by_label({"fr": "Adresse e-mail", "ar": "البريد الإلكتروني", "en": "E-mail address"}[language]).fill(email)
    page.get_by_label({"fr": "Mot de passe", "ar": "كلمة المرور", "en": "Password"}[language]).fill(PASSWORD)
    page.get_by_role("button", name={"fr": "Se connecter", "ar": "دخول", "en": "Log in"}[language]).click()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_insights_draft_review_publication(insights_stack: Stack, browser: Browser) -> None:
    stack = insights_stack
    stack.say(uuid.uuid4().hex, "Quel est le capital minimum pour une SARL ?")
    for question in QUESTIONS:
        stack.say(uuid.uuid4().hex, question)
    adviser, editor = account(stack, "Samira", "adviser"), account(stack, "Youssef", "editor")
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    errors: list[str] = []  # script errors, and missing files other than the browser's favicon request
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status == 404 and "favicon" not in r.url else None)
    login(page, stack, adviser, "fr")
    page.get_by_role("link", name="Indicateurs", exact=True).first.click()
    expect(page.locator("body[data-charts-ready='true']")).to_have_count(1)
    deadline = time.monotonic() + 20  # the consumer drains the broker table every second
    while int(page.locator("[data-kpi='questions']").inner_text() or 0) < 4 and time.monotonic() < deadline:
        time.sleep(1)
        page.reload()
    assert int(page.locator("[data-kpi='questions']").inner_text()) >= 4
    assert page.locator("canvas#chart-outcomes").bounding_box()["height"] > 100  # type: ignore[index]
    shot(page, "insights-fr.png")
    page.goto(f"{stack.service_url}/staff/insights?lang=ar&period=7")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="مؤشرات المساعد")).to_be_visible()
    expect(page.locator("body[data-charts-ready='true']")).to_have_count(1)
    shot(page, "insights-ar.png")
    download = page.request.get(f"{stack.service_url}/staff/insights.csv?period=7")
    assert download.ok and download.text().startswith("day,conversations,questions")

    page.goto(f"{stack.service_url}/staff/insights/unanswered?lang=fr")
    group = page.locator("section.group", has_text="wach khassni visa").first
    expect(group).to_contain_text("binational")
    assert "karim@example.com" not in page.content()
    shot(page, "insights-unanswered-fr.png")
    group.get_by_role("link", name="Rédiger une fiche").click()
    expect(page.locator("#d-q-arabizi")).to_have_value(re.compile("wach khassni visa"))
    fields = {
        "#d-id": "visa-binational", "#d-subject": "procedure:dual_nationality", "#d-title-fr": "Visa et double nationalité",
        "#d-title-ar": "التأشيرة وازدواجية الجنسية", "#d-title-en": "Visas and dual nationality",
        "#d-answer-fr": "Un MRE de nationalité marocaine entre au Maroc avec sa CNIE ou son passeport marocain, sans visa.",
        "#d-answer-ar": "يدخل مغاربة العالم الحاملون للجنسية المغربية إلى المغرب ببطاقتهم الوطنية أو جوازهم المغربي دون تأشيرة.",
        "#d-answer-en": "A Moroccan national living abroad enters Morocco with a Moroccan ID card or passport, without a visa.",
        "#d-caveat-fr": "À confirmer auprès du consulat.", "#d-caveat-ar": "يجب التأكد لدى القنصلية.",
        "#d-caveat-en": "To be confirmed with the consulate.",
        "#d-syn-fr": "double nationalité, binational", "#d-syn-arabizi": "binational, jouj jinsiyat",
        "#d-kw-fr": "visa, nationalité, binational", "#d-kw-ar": "تأشيرة, جنسية", "#d-kw-en": "visa, nationality",
        "#d-kw-darija": "الفيزا, الجنسية", "#d-kw-arabizi": "visa, binational",
    }
    for selector, value in fields.items():
        page.fill(selector, value)
    page.select_option("#d-topic", "creation")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#draft-error")).to_contain_text("sources")  # refused, the field named
    page.fill("#d-sources", "Département des Marocains du monde — formalités | https://mre.gov.ma/fr/formalites | official | undated")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Fiche enregistrée")
    page.get_by_role("button", name="Envoyer en relecture").click()
    expect(page.locator("#draft-status")).to_contain_text("En relecture")
    assert page.get_by_role("button", name="Publier").count() == 0  # not the author's to publish
    draft_url = page.url.split("?")[0]
    shot(page, "insights-draft-fr.png")
    page.get_by_role("button", name="Se déconnecter").click()

    login(page, stack, editor, "en")
    page.goto(draft_url + "?lang=en")
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_contain_text("Entry published")
    expect(page.locator("#draft-status")).to_contain_text("Published")
    shot(page, "insights-draft-published-en.png")
    assert not errors, errors

    # the assistant answers from the new version within seconds, over REST, without retraining;
    # the NLU's entity patterns re-read the new synonyms (a new subject) from the new version
    phrasings = ["Faut-il un visa pour créer mon entreprise au Maroc quand on est binational ?",
                 "J'ai la double nationalité, ai-je besoin d'un visa pour investir au Maroc ?",
                 "visa double nationalité binational pour investir"]
    deadline, replies = time.monotonic() + 60, []
    while time.monotonic() < deadline:
        replies = [" ".join(m.get("text", "") for m in stack.say(uuid.uuid4().hex, q)) for q in phrasings]
        if any("Visa et double nationalité" in r for r in replies):
            break
        time.sleep(3)
    assert any("Visa et double nationalité" in r and "sans visa" in r for r in replies), replies
    # the NLU serves the newly published version (one entry more) without a restart: it checks
    # the database at a message at most every 15 s (assistant/nlu/vocabulary_source.py)
    deadline, loaded = time.monotonic() + 60, []
    while time.monotonic() < deadline:
        stack.say(uuid.uuid4().hex, phrasings[0])
        loaded = [(int(v), int(n)) for v, n in
                  re.findall(r"NLU: knowledge base version (\d+) \((\d+) entries\)", stack.log("rasa"))]
        if len(loaded) >= 2:
            break
        time.sleep(3)
    assert len(loaded) >= 2 and loaded[-1][0] > loaded[0][0] and loaded[-1][1] > loaded[0][1], loaded
