"""Names in code-switched messages (#10): another language's connecting word, the French article
glued to a borrowed word in Arabic script, a city name that is also "new"."""

from __future__ import annotations

from assistant.kb.connectors import connector_variants
from assistant.kb.spelling import french_article_glued
from assistant.text import search_terms
from tests.app_env.test_clarification_dialogues import index


def test_a_name_is_found_with_another_languages_connector() -> None:
    variants = set(connector_variants(tuple(search_terms("compte bancaire de la société"))))
    assert tuple(search_terms("compte bancaire l la société")) in variants
    assert tuple(search_terms("compte bancaire dyal la société")) in variants
    assert tuple(search_terms("compte bancaire dyal société")) in variants  # the article dropped
    assert tuple(search_terms("frais ديال le notaire")) in set(connector_variants(tuple(search_terms("frais du notaire"))))
    assert not set(connector_variants(("sarl",))) and not set(connector_variants(("de", "sarl")))
    question = "ana f lghorba, wach n9der n7el compte bancaire l la société?"
    assert index().subjects_in(question) == ["procedure:company_bank_account"]


def test_the_french_article_glued_in_arabic_script_is_dropped_in_darija_only() -> None:
    assert french_article_glued("اكابيطال") == "كابيطال"
    assert french_article_glued("اتيف") is None  # too short to be a word of its own
    spelling = index().spelling
    assert spelling.correct("اكابيطال", by_sound=True) == "كابيطال"
    assert spelling.correct("اكابيطال") == "اكابيطال"  # MSA: no French article


def test_new_is_not_el_jadida() -> None:
    vocabulary = index().vocabulary
    assert vocabulary.region_of("واش كاين شي إعفاء للشركات الجديدة؟") is None
    assert vocabulary.region_of("bghit n7el charika jdida") is None
    assert vocabulary.region_of("une SARL à El Jadida") == "casablanca_settat"
