"""The plan in chat (assistant/plan/chat.py): every figure with its source and date, unconfirmed
items flagged, and in Arabic the amounts, percentages, URLs and references isolated (FSI … PDI)
while list numbers stay list numbers. The PDF is rendered from the same documents and read back
in tests/app_env/test_plan_pdf.py; here it is checked to carry no stray isolate around numbers."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from assistant.bidi import FSI, PDI, isolate_ltr, strip_isolates
from assistant.kb.schema import load_directory
from assistant.plan.chat import plan_messages
from assistant.plan.document import Display, build_documents, t
from assistant.plan.precheck import PlanInputs
from assistant.plan.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
INPUTS = PlanInputs(
    country="BE", region="tanger_tetouan_al_hoceima", sector="commerce", partners="alone", amount=600_000.0,
    fx_share=30.0, stage="extension", turnover=300_000.0, capital=150_000.0, jobs=4.0,
)
REGION = {"fr": "Tanger-Tétouan-Al Hoceïma", "ar": "طنجة تطوان الحسيمة", "en": "Tanger-Tetouan-Al Hoceima"}
LINKS = {lang: f"http://localhost:8080/plan/AbC-123_x.pdf?lang={lang}" for lang in ("fr", "ar", "en")}
NOTE = re.compile(r"\[(\d{1,2})\]")
ISOLATED = re.compile("\u2068([^\u2066-\u2069]*)\u2069")


@pytest.fixture(scope="module")
def documents() -> dict[str, dict[str, Any]]:
    entries = {e.id: e for e in load_directory(ROOT / "knowledge")}
    return build_documents(INPUTS, Display(region_label=REGION), load_rules(ROOT / "knowledge" / "rules"), entries, dt.date(2026, 12, 2))


def test_isolate_ltr() -> None:
    assert isolate_ltr("بنسبة 2% في المدن و1.75% في العالم القروي") == f"بنسبة {FSI}2%{PDI} في المدن و{FSI}1.75%{PDI} في العالم القروي"
    assert isolate_ltr("1. الشهادة السلبية (230 درهما)\n2. المقر") == f"1. الشهادة السلبية ({FSI}230{PDI} درهما)\n2. المقر"
    assert isolate_ltr("ملفكم MRE-2026-000123.") == f"ملفكم {FSI}MRE-2026-000123{PDI}."
    assert isolate_ltr("المصدر: https://www.cnss.ma/fr/faq-page/17.") == f"المصدر: {FSI}https://www.cnss.ma/fr/faq-page/17{PDI}."
    assert isolate_ltr(f"{FSI}Loi 5-96{PDI} [3]") == f"{FSI}Loi 5-96{PDI} [3]"  # already isolated, note numbers kept
    assert strip_isolates(isolate_ltr("300.000 درهم")) == "300.000 درهم"


@pytest.mark.parametrize("lang", ["fr", "ar", "en"])
def test_every_figure_has_its_source_and_date(documents: dict[str, dict[str, Any]], lang: str) -> None:
    doc = documents[lang]
    messages = plan_messages(doc, LINKS)
    texts = [strip_isolates(text) for text, _ in messages]
    heading = f"📚 {doc['headings']['sources']}"
    # every note number used in a message is listed at its end with a title, a date and a link
    for text in texts[:-1]:
        body, _, notes = text.partition(heading)
        used = {int(n) for n in NOTE.findall(body)}
        listed = {int(n): line for line in notes.splitlines() if (m := re.match(r"\[(\d{1,2})\] ", line)) for n in [m.group(1)]}
        assert used and used == set(listed), (used, listed)
        for line in listed.values():
            assert re.search(r"https?://", line) and " — " in line  # official pages served over http too
    steps, financing = texts[1], texts[2]
    # step figures: each with its note and, when the entry is to confirm, the flag
    for i, step in enumerate(doc["steps"], start=1):
        line = next(x for x in steps.splitlines() if x.startswith(f"{i}. "))
        for fig in step["figures"]:
            match = re.search(re.escape(strip_isolates(fig["text"])) + r" \[(\d{1,2})\]( ❓)?", line)
            assert match, (line, fig["text"])
            assert bool(match.group(2)) == (not fig["confirmed"]), line
            note = next(x for x in steps.splitlines() if x.startswith(f"[{match.group(1)}] "))
            assert fig["source"]["url"] in note and fig["source"]["date"] in note and fig["source"]["reviewed"] in note
    # each programme of the pre-check with a source, its indicative amount, and ❓ when its rule is to confirm
    for prog in doc["financing"]:
        line = next(x for x in financing.splitlines() if x.startswith(f"• {prog['name']} ["))
        assert line.endswith("❓") == (not prog["confirmed"]), line
    assert "❓" in steps and doc["unconfirmed"] in steps  # the legend where ❓ first appears, once
    assert sum(t_.count(doc["unconfirmed"]) for t_ in texts) == 1
    assert any(p["amounts"] and p["amounts"][0] in financing for p in doc["financing"])
    # the legal form's figures: the recommended form's and the alternatives' sources
    assert all(s["url"] in texts[0] for s in doc["legal"]["sources"])
    assert t("chat.advisor", lang) == messages[-1][1][0]["title"]


def test_arabic_figures_urls_and_references_are_isolated(documents: dict[str, dict[str, Any]]) -> None:
    messages = plan_messages(documents["ar"], LINKS)
    text = "\n".join(t_ for t_, _ in messages)
    isolated = set(ISOLATED.findall(text))
    for figure in ("300.000", "150.000", "100.000", "420.000", "2%", "1.75%", "30%", "230", LINKS["ar"], LINKS["fr"]):
        assert figure in isolated, figure
    assert any(u.startswith("https://") for u in isolated)
    # no digit and no URL outside an isolate, apart from the list numbers and note numbers
    outside = ISOLATED.sub("", text)
    outside = re.sub(r"(?m)^\d{1,2}\. ", "", NOTE.sub("", outside))
    assert not re.search(r"\d|https?://", outside), re.findall(r".{20}\d.{5}", outside)[:5]
    # lists stay lists, buttons are untouched (a typed title must match)
    assert "\n1. " in messages[1][0] and "\n8. " in messages[1][0]
    assert all(FSI not in b["title"] for _, buttons in messages for b in buttons)
    # French and English are left as written
    assert all(FSI not in t_ for t_, _ in plan_messages(documents["fr"], LINKS))


def test_the_document_the_pdf_reads_has_no_isolate_around_numbers(documents: dict[str, dict[str, Any]]) -> None:
    """The chat isolates its own copy: the document stays as the PDF renderer expects it."""
    import json

    text = json.dumps(documents["ar"], ensure_ascii=False)
    assert not re.search(r"\u2068[\d.,% ]+\u2069", text)


def test_the_console_links_an_isolated_url_without_its_marks() -> None:
    from assistant.service.richtext import rich_html

    html = str(rich_html(isolate_ltr(f"خطتكم: {LINKS['ar']}")))
    assert f'href="{LINKS["ar"]}"' in html.replace("&amp;", "&"), html
