"""The staff console in headless Chromium, against the real stack (screenshots in fr and ar)."""

from __future__ import annotations

import re
import subprocess
import uuid

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.stack import APP_PYTHON, ROOT, Stack

pytestmark = pytest.mark.browser

SCREENSHOTS = ROOT / "tests" / "artifacts" / "screenshots"
PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="module")
def staff_account(stack: Stack) -> str:
    email = f"agent-{uuid.uuid4().hex[:6]}@cellule.ma"
    subprocess.run(
        [str(APP_PYTHON), "-m", "assistant.service.users", "create", "--email", email, "--name", "Samira Alaoui"],
        cwd=ROOT, env={**stack.env, "STAFF_PASSWORD": PASSWORD}, check=True, capture_output=True,
    )
    return email


def open_case_by_rest(stack: Stack, name: str = "Karim Benali") -> tuple[str, str]:
    sender = uuid.uuid4().hex
    for text in ["Bonjour", "je veux parler à un conseiller", "oui", name, "Belgique", "karim@example.com",
                 "Oujda", "agriculture", "idée", "Je cherche un financement pour une ferme à Oujda.", "oui"]:
        replies = stack.say(sender, text)
    reference = re.search(r"MRE-\d{4}-\d{6}", " ".join(m.get("text", "") for m in replies))
    assert reference
    return sender, reference.group(0)


def login(page: Page, stack: Stack, email: str, language: str = "fr") -> None:
    page.goto(f"{stack.service_url}/staff/login?lang={language}")
    page.get_by_label({"fr": "Adresse e-mail", "ar": "البريد الإلكتروني", "en": "E-mail address"}[language]).fill(email)
    page.get_by_label({"fr": "Mot de passe", "ar": "كلمة المرور", "en": "Password"}[language]).fill(PASSWORD)
    page.get_by_role("button", name={"fr": "Se connecter", "ar": "دخول", "en": "Log in"}[language]).click()


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def test_login_queue_case_live_reply_in_french(stack: Stack, browser: Browser, staff_account: str) -> None:
    sender, reference = open_case_by_rest(stack)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, stack, staff_account)
    expect(page.get_by_role("heading", name=re.compile("File des demandes"))).to_be_visible()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    page.get_by_label("Région").select_option("oriental")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name=reference)).to_be_visible()
    shot(page, "console-queue-fr.png")

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("complementary").get_by_text("Karim Benali", exact=True)).to_be_visible()  # the profile
    page.get_by_role("button", name="Prendre la conversation en direct").click()
    expect(page.get_by_role("status").first).to_contain_text("rejoint")
    assert stack.tracker(sender)["paused"] is True

    stack.say(sender, "Merci, j'ai une question sur les garanties")  # the investor writes while paused
    log = page.get_by_role("log")
    expect(log).to_contain_text("j'ai une question sur les garanties", timeout=8000)  # appears within seconds

    page.get_by_label("Répondre à l'investisseur").fill("Bonjour Karim, regardons Damane Istitmar ensemble.")
    page.get_by_role("button", name="Envoyer").click()
    # a REST client cannot receive pushed messages: the console says so instead of "sent"
    expect(page.locator("#reply-status")).to_contain_text("non remise")
    expect(log).to_contain_text("regardons Damane Istitmar", timeout=8000)
    shot(page, "console-case-live-fr.png")

    page.get_by_role("button", name="Rendre la main à l'assistant").click()
    expect(page.get_by_role("status").first).to_contain_text("repris")
    assert stack.tracker(sender)["paused"] is False
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_console_in_arabic_is_right_to_left(stack: Stack, browser: Browser, staff_account: str) -> None:
    open_case_by_rest(stack, name="Amina Tazi")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    login(page, stack, staff_account, "ar")
    expect(page.get_by_role("heading", name=re.compile("قائمة الطلبات"))).to_be_visible()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.querySelector('main')).direction") == "rtl"
    shot(page, "console-queue-ar.png")
    page.get_by_role("link", name=re.compile(r"MRE-\d{4}-\d{6}")).first.click()
    expect(page.get_by_role("heading", name="ملف المستثمر")).to_be_visible()
    shot(page, "console-case-ar.png")


def test_keyboard_login_and_wrong_password(stack: Stack, browser: Browser, staff_account: str) -> None:
    page = browser.new_page()
    page.goto(f"{stack.service_url}/staff/login?lang=en")
    assert page.evaluate("document.activeElement.id") == "email"  # focus starts in the e-mail field
    page.keyboard.type(staff_account)
    page.keyboard.press("Tab")
    page.keyboard.type("not-the-password")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Wrong e-mail or password")
