"""First messages mixing languages (issue #10), seen writing tests/data/dev_conversations/code_switch5.yml:
a legal form to create asked by someone who said they live abroad ("kifach ncree une SARL w ana sakn
f Canada?": the way from abroad, abroad.py), a hyphenated name typed with a space ("lauto
entreprenneur": compounds.py), a tax named beside a legal form ("wach SARL katkhelles la patente?":
the tax, company_forms.paid_by_form), the English "is" in a French message ("..., which one is
better": no corporate tax), the difference asked between legal forms however it is spelt ("la diff",
"lfar9", "الفرق": their overview), "startup" and "ncree" as words of starting a business."""

from __future__ import annotations

import pytest

from assistant.kb.compounds import hyphenated_names, joined
from assistant.kb.parts import expand_acronyms, lives_abroad
from tests.app_env.kb_index import answer


@pytest.mark.parametrize("text", [
    "kifach ncree une SARL w ana sakn f Canada?",
    "بغيت نحل SARL وأنا ساكن فبلجيكا، كيفاش؟",
    "comment créer une SARL quand on habite en Espagne ?",
    "how do i set up a SARL while living in the UK?",
    "كيف أؤسس SARL عن بعد وأنا مقيم في كندا؟",
    "كيف أنشئ SARL وأنا مقيم في كندا؟",
])
def test_a_legal_form_created_from_abroad_is_the_way_from_abroad(text: str) -> None:
    assert answer(text, "ask_creation") == "creation-from-abroad"


@pytest.mark.parametrize(("text", "entry"), [
    ("je vis en France, je veux créer une SARL", "sarl-overview"),  # no question: what a SARL is
    ("ana f Bljika, ch7al l capital minimum dyal SARL?", "sarl-capital"),  # another aspect
    ("slm, ana sakn f almania, wach n9der nwli auto entrepreneur f lmaghrib?", "auto-entrepreneur-eligibility"),
])
def test_from_abroad_a_form_asked_something_else_or_with_its_own_entry_keeps_it(text: str, entry: str) -> None:
    assert answer(text, "ask_legal_form") == entry


@pytest.mark.parametrize("text", ["comment créer une SARL quand on habite en Espagne", "how do i set up a SARL while living in the UK",
                                  "c'est possible en vivant au Canada ?"])
def test_the_residence_as_a_circumstance_says_the_writer_lives_abroad(text: str) -> None:
    assert lives_abroad(text)


def test_a_hyphenated_name_typed_with_spaces_is_the_name() -> None:
    names = hyphenated_names(["auto-entrepreneur", "expert-comptable", "SARL", "Rabat-Salé-Kénitra"])
    assert joined(["lauto", "auto", "entrepreneur", "cnss"], names) == ["lauto", "auto-entrepreneur", "cnss"]
    assert joined(["rabat", "sale", "kenitra"], names) == ["rabat-sale-kenitra"]
    assert joined(["set", "up", "sarl"], names) == ["set", "up", "sarl"]  # no subject's name: words of creating


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("ch7al kaykhelles lauto entreprenneur dyal la cotisation sociale?", "ask_legal_form", "auto-entrepreneur-social"),
    ("wach expert comptable obligatoire l SARL sghira?", "ask_tax", "accounting-obligations"),
    # a tax named beside a legal form having no entry for the aspect: the tax (not what creating it costs)
    ("wach SARL katkhelles la taxe professionnelle?", "ask_tax", "taxe-professionnelle"),
    ("est-ce qu'une SARL paie la taxe professionnelle ?", "ask_tax", "taxe-professionnelle"),
    ("واش SARL كتخلص la patente؟", "ask_tax", "taxe-professionnelle"),
    ("does a SARL pay the taxe professionnelle?", "ask_tax", "taxe-professionnelle"),
    ("est-ce que l'auto-entrepreneur paie l'IS ?", "ask_legal_form", "auto-entrepreneur-tax"),  # its own entry
    ("combien coûte la création d'une SARL", "ask_creation", "creation-costs"),
    ("ch7al kandfe3 f la création dyal SARL", "ask_creation", "creation-costs"),  # Darija's other "pay"
    # comparisons, however the difference is spelt
    ("slt, c koi la diff entre SA w SAS?", "ask_legal_form", "legal-forms-overview"),
    ("chno les avantages dyal SARL AU 3la auto-entrepreneur?", "ask_legal_form", "legal-forms-overview"),
    ("chno lfar9 bin SNC w SARL", "ask_legal_form", "legal-forms-overview"),
    ("c'est quoi la différence entre SARL et SARL AU, which one is better", "ask_legal_form", "legal-forms-overview"),
    ("bghit ncree startup f casa, chno les étapes?", "ask_creation", "creation-steps"),
])
def test_a_code_switched_first_message_gets_its_entry(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


def test_the_english_is_in_a_french_message_is_no_corporate_tax() -> None:
    assert "impôt sur les sociétés" not in expand_acronyms("la différence entre SARL et SARL AU, which one is better")
    assert "impôt sur les sociétés" in expand_acronyms("le taux is au maroc c combien")
    assert "impôt sur les sociétés" in expand_acronyms("chhal is f lmaghrib, thanks")  # another clause
