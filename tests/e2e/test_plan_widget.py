"""The creation plan in the website widget (headless Chromium): the form, the plan's messages and
the PDF downloaded from the link in the chat. Screenshots go to tests/artifacts/screenshots/."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Download, Page, expect

from tests.e2e.test_widget import SCREENSHOTS, Widget, direction, open_page, screenshot
from tests.support.stack import Stack

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser)


def test_plan_pdf_is_downloaded_from_the_widget(page: Page, stack: Stack) -> None:
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    answers = [
        "je veux mon plan de création", "Belgique", "Al Hoceima", "un petit hôtel", "seule", "600k", "tout", "idée",
        "300 000 DH",  # turnover (alone: the auto-entrepreneur ceilings)
        "je ne sais pas",  # capital
        "2",  # stable jobs
        "oui",
    ]
    for text in answers:
        before = widget.bot_messages.count()
        widget.say(text)
        widget.wait_for_bot(before + 1)
    link = page.locator(".msg--bot a[href*='/plan/'][href$='lang=fr']").first
    expect(link).to_be_visible()
    screenshot(page, "plan-widget-fr")
    downloads: list[Download] = []
    page.context.on("page", lambda popup: popup.on("download", lambda download: downloads.append(download)))
    page.on("download", lambda download: downloads.append(download))
    link.click()
    for _ in range(100):
        if downloads:
            break
        page.wait_for_timeout(200)
    assert downloads, "clicking the plan link downloaded nothing"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / "plan-widget-fr.pdf"
    downloads[0].save_as(path)
    assert downloads[0].suggested_filename == "plan-fr.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Forme conseillée : SARL" in text and "Certificat négatif" in text
    # what the chat said is what the PDF says
    chat = "\n".join(widget.texts())
    assert "Forme conseillée : SARL" in chat and "MBI" in chat and "MBI" in text
    assert "Chiffre d'affaires annuel prévu : 300 000 MAD" in " ".join(text.split())  # the turnover question's answer, in the PDF


def test_arabic_plan_in_the_widget(page: Page, stack: Stack) -> None:
    """The Arabic plan right-to-left: figures and links isolated (U+2068 … U+2069) yet the PDF link
    whole (no isolate mark in its href), every figure's source listed; a screenshot to look at."""
    widget = Widget(page, stack).goto(stack.service_url)
    widget.open()
    answers = ["أريد خطة لإنشاء مشروعي", "بلجيكا", "الحسيمة", "فندق صغير", "مع أخي", "نعم", "٦٠٠ ألف درهم", "الكل", "فكرة",
               "100 ألف درهم", "3", "نعم"]
    for text in answers:
        before = widget.bot_messages.count()
        widget.say(text)
        widget.wait_for_bot(before + 1)
    link = page.locator(".msg--bot a[href*='/plan/'][href$='lang=ar']").first
    expect(link).to_be_visible()
    href = link.get_attribute("href") or ""
    assert href.endswith(".pdf?lang=ar") and "%E2%81" not in href, href
    plan = [m for m in widget.texts() if "🪜" in m or "💶" in m]  # the steps, the financing
    assert len(plan) == 2 and all("المصادر" in m for m in plan), plan
    steps = next(m for m in plan if "🪜" in m)
    assert "\u2068" in steps and "\u2069" in steps, steps  # figures isolated
    messages = page.locator(".msg--bot .msg__text")
    assert direction(messages.last) == "rtl"
    page.locator(".msg--bot", has_text="🪜").last.scroll_into_view_if_needed()
    screenshot(page, "plan-widget-ar")
