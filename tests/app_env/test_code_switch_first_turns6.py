"""First messages mixing Moroccan Darija and French (issue #10), seen writing
tests/data/dev_conversations/code_switch6a.yml: a clause saying when ("... قبل ما نمشي عند الموثق",
"avant d'aller chez le notaire") names the moment, not what is asked; the auto-entrepreneur named
beside a tax is answered by its own tax entry however the paying is said ("kaykhless", "ykhelles",
"est soumis a"); a Darija verb with another marker or person ("ghankhelles", "غنخلص"); and names the
entries lacked in mixed messages (a company created "en ligne", the notary's "kaychedd")."""

from __future__ import annotations

import pytest

from assistant.kb.parts import without_time_clause
from assistant.kb.spelling import darija_verb
from tests.app_env.kb_index import answer


@pytest.mark.parametrize(("text", "rest"), [
    ("واش خاص le certificat negatif قبل ما نمشي عند الموثق", "واش خاص le certificat negatif"),
    ("avant de créer ma SARL, je dois ouvrir un compte bancaire ?", ", je dois ouvrir un compte bancaire ?"),
    ("wach darouri ndir le certificat négatif 9bel ma nsejel la société?", "wach darouri ndir le certificat negatif ?"),
    ("d'après la loi c quoi", "d'apres la loi c quoi"),  # "according to", no moment
    ("لم أسجل الشركة بعد هل يمكنني", "لم اسجل الشركه بعد هل يمكنني"),  # MSA "yet" alone opens none
])
def test_a_clause_saying_when_is_left_out(text: str, rest: str) -> None:
    assert without_time_clause(text) == rest


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("واش خاص le certificat negatif قبل ما نمشي عند الموثق", "ask_legal_form", "negative-certificate"),
    ("est-ce que le certificat negatif est necessaire avant d'aller chez le notaire", "ask_creation", "negative-certificate"),
    ("wach khassni ndir l'ICE 9bel l'immatriculation f RC?", "ask_creation", "ice"),
    ("هل يجب الحصول على الشهادة السلبية قبل تحرير النظام الأساسي؟", "ask_creation", "negative-certificate"),
    # the moment alone named: it is what is asked
    ("après le certificat négatif, c'est quoi l'étape suivante ?", "ask_creation", "negative-certificate"),
    ("combien de temps avant d'avoir le registre de commerce", "ask_creation", "commercial-register"),
])
def test_a_subject_named_in_a_clause_saying_when_is_the_moment(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


@pytest.mark.parametrize("text", [
    "wach l'auto-entrepreneur kaykhless la TVA ?",
    "wach auto-entrepreneur khasso ykhelles la TVA?",
    "l'auto entrepreneur wach kaydfe3 la TVA",
    "l'auto-entrepreneur est soumis a la TVA ?",
    "هل يخضع l'auto-entrepreneur للضريبة على القيمة المضافة TVA؟",
    "wach l'auto-entrepreneur kaykhelles la TVA ?",
])
def test_the_auto_entrepreneur_beside_a_tax_is_its_own_tax(text: str) -> None:
    assert answer(text, "ask_tax") == "auto-entrepreneur-tax"


def test_a_legal_form_with_no_tax_entry_beside_a_tax_is_still_the_tax() -> None:
    assert answer("wach SARL katkhelles la TVA?", "ask_tax") == "vat"


@pytest.mark.parametrize(("typed", "known"), [("ykhelle", "kaykhelle"), ("ghankhelle", "kaykhelle"), ("taykhelle", "kaykhelle"),
                                              ("غنخلص", "نخلص"), ("كنخلص", "نخلص"), ("ydfe3", "kaydfe3")])
def test_another_marker_or_person_of_a_darija_verb_is_the_verb(typed: str, known: str) -> None:
    assert darija_verb(typed, {"kaykhelle": 3, "نخلص": 2, "كيخلص": 1, "kaydfe3": 2}) == known


@pytest.mark.parametrize("typed", ["tanger", "taux", "nta", "تسجيل", "كتاب", "نجاره"])
def test_no_verb_for_other_words(typed: str) -> None:
    # (two bare forms may be two nouns: "نجارة" carpentry is no "تجارة" trade)
    assert darija_verb(typed, {"kaykhelle": 3, "تجاره": 5, "نسجيل": 1}) is None


@pytest.mark.parametrize(("text", "intent", "entry"), [
    ("شحال غنخلص ديال le certificat negatif", "ask_creation", "negative-certificate-fee"),
    ("kifach ncree la societe en ligne?", "ask_creation", "online-creation"),
    ("comment créer la société en ligne ?", "ask_creation", "online-creation"),
    ("كيفاش نحل الشركة en ligne؟", "ask_creation", "online-creation"),
    ("ch7al kaychedd l notaire f la creation dyal sarl", "ask_creation", "creation-costs"),
    # what stays
    ("c quoi le siege social", "ask_creation", "registered-office"),
    ("chno kaydir le CRI", "ask_creation", "cri-role"),
    ("je peux payer la taxe professionnelle en ligne ?", "ask_tax", "taxe-professionnelle"),
])
def test_a_code_switched_first_message_gets_its_entry(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry
