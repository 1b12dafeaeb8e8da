"""The plan's PDF in French, Arabic and English, read back with poppler (pdftotext, pdftoppm).

The text extracted from each PDF is compared with the plan document it was rendered from.
Arabic: pdftotext writes the words of a right-to-left line in visual order (right to left
read as left to right) with the letters of each word in logical order; so the Arabic words
and numbers of each extracted line, read backwards, must give the document's sentences in
logical order, with every number unchanged (600.000 and not 000.006: numbers isolated)
and every URL intact. The letters are shaped: the lam-alef ligature is one glyph that the
PDF maps back to the two letters in logical order. The first page of each language is kept
as a PNG under tests/artifacts/plans/ to look at.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

from assistant.kb.schema import load_directory
from assistant.plan.document import Display, build_documents
from assistant.plan.pdf import render_pdf
from assistant.plan.precheck import PlanInputs
from assistant.plan.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "plans"
INPUTS = PlanInputs(
    country="BE", region="tanger_tetouan_al_hoceima", sector="commerce", partners="alone", amount=600_000.0,
    fx_share=30.0, stage="idea", turnover=300_000.0, capital=150_000.0, jobs=4.0,
)
REGION = {"fr": "Tanger-Tétouan-Al Hoceïma", "ar": "طنجة تطوان الحسيمة", "en": "Tanger-Tetouan-Al Hoceima"}
BIDI_MARKS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
ARABIC_WORD = re.compile("[\u0621-\u064a\u0671-\u06d3]+")
UNIT = re.compile(r"[\u0621-\u064a\u0671-\u06d3]+|\d+(?:[.,]\d+)*")
LAM_ALEF = re.compile("ل([اأإآ])")


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[dict[str, Any], bytes, str]]:
    entries = {e.id: e for e in load_directory(ROOT / "knowledge")}
    documents = build_documents(INPUTS, Display(region_label=REGION), load_rules(ROOT / "knowledge" / "rules"), entries, dt.date(2026, 12, 2))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out = {}
    for lang, doc in documents.items():
        pdf = render_pdf(doc)
        path = ARTIFACTS / f"unit-{lang}.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", str(path), str(ARTIFACTS / f"unit-{lang}")], check=True)
        text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
        out[lang] = (doc, pdf, text)
    return out


def sentences(doc: dict[str, Any]) -> list[str]:
    """What the PDF shows of the document, paragraph by paragraph (as pdf.py writes it)."""
    legal = doc["legal"]
    out = [doc["title"], doc["indicative"], *(f"{r['label']} {r['value']}" for r in doc["inputs"]), legal["title"], *legal["reasons"]]
    out += [a["text"] for a in legal["alternatives"]] + [doc["cri"]["text"]]
    for step in doc["steps"]:
        out += [step["title"], step["body"], *step["documents"], step["abroad"]]
    for prog in doc["financing"]:
        out += [prog["name"], *(c["text"] for c in prog["conditions"]), *prog["amounts"], *prog["changes"]]
    return [*out, doc["guidance"]]


def flat(text: str) -> str:
    return " ".join(BIDI_MARKS.sub("", text).split())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_latin_pdf_text_is_the_plan(rendered: dict[str, Any], lang: str) -> None:
    doc, _, text = rendered[lang]
    extracted = flat(text)
    missing = [s for s in sentences(doc) if flat(s.replace(" : ", " ").replace(": ", " ")) not in extracted.replace(" : ", " ").replace(": ", " ")]
    assert not missing
    assert "Certificat négatif" in extracted if lang == "fr" else "Negative certificate" in extracted


def logical_units(extracted: str) -> list[str]:
    """Arabic words and numbers of an RTL text extracted by pdftotext, back in reading order."""
    units: list[str] = []
    for line in extracted.splitlines():
        units += list(reversed(UNIT.findall(BIDI_MARKS.sub("", line))))
    return units


def expected_units(sentence: str) -> list[str]:
    # poppler reverses the two letters of a ligature glyph when it reverses an RTL word
    return UNIT.findall(LAM_ALEF.sub(r"\1ل", BIDI_MARKS.sub("", sentence)))


def contains(haystack: list[str], needle: list[str]) -> bool:
    return any(haystack[i:i + len(needle)] == needle for i in range(len(haystack) - len(needle) + 1))


def test_arabic_pdf_text_is_the_plan_in_logical_order(rendered: dict[str, Any]) -> None:
    doc, _, text = rendered["ar"]
    units = logical_units(text)
    latin = re.compile("[A-Za-z]")
    checked, wrong = 0, []
    for sentence in sentences(doc):
        if latin.search(sentence):  # a Latin run inside changes the order of the numbers around it: words only
            words = expected_units(sentence)
            words = [w for w in words if ARABIC_WORD.fullmatch(w)]
            ok = contains([u for u in units if ARABIC_WORD.fullmatch(u)], words)
        else:
            ok = contains(units, expected_units(sentence))
        checked += 1
        if not ok:
            wrong.append(sentence)
    assert checked > 60 and not wrong
    # the numbers keep their digits in order (isolated from the right-to-left text around them)
    for number in ("600.000", "300.000", "150.000", "100.000", "2026"):
        assert number in units
    assert "000.006" not in text and "000.003" not in text


def test_arabic_pdf_urls_and_references_are_intact(rendered: dict[str, Any]) -> None:
    doc, _, text = rendered["ar"]
    joined = BIDI_MARKS.sub("", text).replace("\n", "")
    urls = {s["source"]["url"] for s in doc["steps"]} | {src["url"] for p in doc["financing"] for src in p["sources"]}
    urls |= {src["url"] for src in doc["legal"]["sources"]}  # the legal section's figures have their sources too
    assert "https://maroc-diplomatique.net/pourquoi-et-comment-devenir-auto-entrepreneur/" in urls  # ceilings
    # whole, left to right; a URL longer than a line wraps, its head and tail still read left to right
    broken = [u for u in urls if u not in joined and not (len(u) > 100 and u[:60] in joined and u[-12:] in joined)]
    assert urls and not broken
    assert "SARL AU" in text and "directentreprise.ma" in text


def test_arabic_is_shaped_and_mapped_back_in_logical_order(rendered: dict[str, Any]) -> None:
    """HarfBuzz joined lam-alef into one glyph; the PDF maps it to lam then alef (searchable, copyable)."""
    _, pdf, _ = rendered["ar"]
    cmaps = []
    for match in re.finditer(rb"stream\r?\n", pdf):
        end = pdf.find(b"endstream", match.end())
        chunk = pdf[match.end():end]
        with contextlib.suppress(zlib.error):
            chunk = zlib.decompress(chunk)
        if b"beginbfchar" in chunk:
            cmaps.append(chunk.decode("latin-1"))
    mapped = re.findall(r"<[0-9A-F]{4}> <([0-9A-F]+)>", "\n".join(cmaps))
    assert "06440627" in mapped  # one glyph = lam + alef, in logical order
    assert "06270644" not in mapped
    assert b"/FontFile2" in pdf  # the font is embedded


def test_arabic_pdf_says_right_to_left(rendered: dict[str, Any]) -> None:
    doc, pdf, text = rendered["ar"]
    assert b"/Lang (ar)" in pdf or b"/Lang(ar)" in pdf
    assert doc["title"].split()[0] in text  # the title's first word, whole


def test_every_language_has_a_first_page_image(rendered: dict[str, Any]) -> None:
    for lang in ("fr", "ar", "en"):
        png = ARTIFACTS / f"unit-{lang}-1.png"
        assert png.exists() and png.stat().st_size > 10_000
