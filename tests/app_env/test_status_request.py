"""A message made only of a status request's words asks nothing else (assistant/cases/status_request.py)."""

from __future__ import annotations

import pytest

from assistant.cases.status_request import only_asks_status


@pytest.mark.parametrize("text", [
    "où en est ma demande ?",
    "mon dossier MRE-2026-000045 avance ?",
    "où en est ma demande d'accompagnement ?",
    "أين وصل طلبي؟",
    "فين وصل الطلب ديالي؟",
    "wach kayn chi jdid f dossier dyali?",
    "any news on my case?",
])
def test_status_requests_ask_nothing_else(text: str) -> None:
    assert only_asks_status(text)


@pytest.mark.parametrize("text", [
    "Merci ! Dernière question : quel est le taux normal de TVA ?",
    "merci, et où en est ma demande de marque à l'OMPIC ?",
    "شكرا، وما هو سعر الضريبة على القيمة المضافة؟",
    "wach kayn chi jdid 3la l credit?",
    "thanks! and what's the VAT rate?",
])
def test_a_question_beside_the_status_words_is_a_question(text: str) -> None:
    assert not only_asks_status(text)
