"""The reply language from the first turn (#10 items 3, 8 and "Bad input"): a reading resting on words that
are no clue of the language they were read as is corrected (`assistant.short_language`), and a phrase of a
few technical words never switches a conversation's language. The conversations are
tests/data/dev_conversations/lang13.yml (and its check set lang13_check.yml), run on the real stack with
`python -m bench.conversations --runs current --dir tests/data/dev_conversations --only l13` (and lang14.yml,
`--only l14`, for the first turn's language); here the same
rules as the Rasa process applies them (`assistant.language_slots.changes_after_message`)."""

from __future__ import annotations

import pytest

from assistant.nlu.langid import identify, language_slot_changes
from assistant.short_language import past_acknowledgements, with_subject_words

START = {"language": "fr", "language_confirmed": False, "language_pinned": False}


def languages(*texts: str) -> list[str]:
    """The conversation's language after each message, from a new conversation."""
    slots, out = dict(START), []
    for text in texts:
        detection = past_acknowledgements(identify(text).as_dict(), text, bool(slots["language_confirmed"]))
        slots.update(language_slot_changes(slots, with_subject_words(detection, text) or {}))
        out.append(str(slots["language"]))
    return out


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("SARL AU ولا SA؟", "ar"), ("CRI ولا AMDIE؟", "ar"),  # acronyms in capitals beside Arabic words
        ("IS?", "fr"), ("IS sarl", "fr"),  # the French acronym, no English (the default: French)
        ("IS rate for a SARL?", "en"), ("is it possible?", "en"),
        ("capital min", "fr"), ("min capital?", "en"), ("capital min dyal sa", "fr"),  # word order
        ("car import?", "en"), ("car?", "en"), ("the region?", "en"), ("region ?", "fr"), ("voiture car ?", "fr"),
        ("dual nationality?", "en"), ("investment?", "en"), ("investissement ?", "fr"),
        ("TVA؟", "ar"), ("slm", "fr"), ("kifach n7el compte", "fr"), ("hi, sarl?", "en"),
        ("salam, customs?", "en"), ("salam bro, loans?", "en"), ("salam, lbanka?", "fr"), ("salam, pension?", "fr"),
        ("slm, chhal capital sarl?", "fr"), ("registering?", "en"),  # an Arabizi greeting before the question
        ("the taxe professionnelle?", "en"), ("best region?", "en"), ("la region ?", "fr"),  # English naming a French term
        ("the fonds de garantie?", "en"), ("le fonds de garantie", "fr"), ("thanks, w le rc ?", "fr"),
        ("what's the taux de TVA on services", "en"), ("les taxes pour une sarl", "fr"), ("IS taux", "fr"),
        ("واش l'auto-entrepreneur عندو la couverture médicale؟", "ar"), ("merci بزاف, et pour la SA ?", "fr"),
    ],
)
def test_first_message_language(text: str, language: str) -> None:
    assert languages(text) == [language]


@pytest.mark.parametrize(
    ("first", "then", "language"),
    [
        ("how do I open a bank account in morocco from abroad?", "compte en dirhams convertibles?", "en"),
        ("je veux créer une SARL au Maroc", "minimum capital for a SARL AU", "fr"),
        ("what are the taxes for a company?", "taux de la TVA ?", "en"),
        ("what are the taxes for a company?", "et pour une SARL AU ?", "en"),
        ("أريد إنشاء شركة في المغرب", "SARL AU ولا SA؟", "ar"),
        ("what's the vat rate?", "IS?", "en"),
        ("what's the minimum capital for a SARL?", "?", "en"),
        ("what's the minimum capital for a SARL?", "MRE-2026-000123", "en"),
        ("ما هو الحد الأدنى لرأس مال شركة SARL؟", "karim.b@gmail.com", "ar"),
    ],
)
def test_a_short_technical_phrase_or_bad_input_keeps_the_language(first: str, then: str, language: str) -> None:
    assert languages(first, then) == [language, language]


@pytest.mark.parametrize(
    ("first", "then", "language"),
    [
        ("what's the minimum capital for a SARL?", "quel est le capital minimum pour une SA ?", "fr"),
        ("quel est le taux de TVA ?", "what is the corporate tax rate in morocco?", "en"),
        ("what are the taxes for a company?", "quel est le taux de la TVA ?", "fr"),
        ("what are the taxes for a company?", "wach khasni nkhelles tva?", "fr"),
        ("what's the minimum capital for a SARL?", "réponds en français stp", "fr"),
    ],
)
def test_a_sentence_in_another_language_still_switches(first: str, then: str, language: str) -> None:
    assert languages(first, then)[-1] == language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        # (lang14: tests/data/dev_conversations/lang14.yml) a word with an ending of English only, or of English only
        ("formalities?", "en"), ("documents needed?", "en"), ("financing options", "en"), ("pension transfer", "en"),
        ("OMPIC name check", "en"), ("non resident account", "en"), ("compte non resident", "fr"), ("non ?", "fr"),
        ("pension?", "fr"), ("capital?", "fr"), ("le leasing ?", "fr"), ("holding pour plusieurs societes", "fr"),
        ("opening a bank account", "en"), ("permits?", "en"), ("sarl morocco?", "en"), ("sarl maroc ?", "fr"),
        ("taxes au maroc ?", "fr"), ("business au maroc", "fr"),  # (a shared business noun frames no English)
        # English words French borrows are no English ("business plan pour …")
        ("business plan pour mdm invest", "fr"), ("coaching pour creer ma boite", "fr"),
        # an Arabizi greeting frames no sentence: English with Arabizi words is English, Arabizi stays Arabizi
        ("salam, what papers khasni", "en"), ("salam, what papers khasni for a sarl", "en"),
        ("salam 3likom, how do i open a bank account mn bra", "en"), ("salam, bghit nftah business f lmaghrib", "fr"),
        ("salam, lbanka?", "fr"), ("hi, bghit nftah company f maroc", "fr"),
        # a French or English sentence naming Arabic-script terms; Arabic or Darija framing French terms stays Arabic
        ("c'est quoi l'المركز الجهوي للاستثمار exactement ?", "fr"), ("comment obtenir le السجل التجاري rapidement", "fr"),
        ("شحال le capital minimum ديال SA؟", "ar"), ("كيفاش نحل compte bancaire فالمغرب", "ar"),
        ("bonjour, الشهادة السلبية", "ar"), ("واش خاصني le certificat négatif قبل", "ar"),
        # a language the assistant does not speak says nothing: the default stays, not recognised yet
        ("ciao, vorrei aprire una societa in marocco", "fr"), ("ik wil een bedrijf starten in marokko", "fr"),
        ("hallo ich mochte eine firma in marokko grunden", "fr"),
    ],
)
def test_first_message_language_lang14(text: str, language: str) -> None:
    assert languages(text) == [language]


@pytest.mark.parametrize(
    ("first", "then", "language"),
    [
        ("ciao, vorrei aprire una societa in marocco", "what are the steps to open a company", "en"),
        ("ik wil een bedrijf starten in marokko", "ما هي خطوات تأسيس شركة؟", "ar"),
        ("pension?", "how do i transfer it to morocco", "en"),
    ],
)
def test_no_clue_or_another_language_leaves_the_first_language_open(first: str, then: str, language: str) -> None:
    assert languages(first, then) == ["fr", language]


@pytest.mark.parametrize(
    ("first", "then", "language"),
    [
        ("ما هي خطوات تأسيس شركة؟", "hola quiero abrir una empresa en marruecos", "ar"),
        ("what are the steps to open a SARL?", "vorrei aprire una societa in marocco", "en"),
        ("quelles sont les étapes pour créer une SARL ?", "ich mochte eine firma grunden", "fr"),
        ("what are the steps to open a SARL?", "c'est quoi l'المركز الجهوي للاستثمار exactement ?", "en"),
        ("combien coûte la création d'une SARL ?", "non resident account", "fr"),
        ("بغيت نحل شركة فطنجة", "wach kayn chi aide", "ar"),
    ],
)
def test_another_language_or_a_phrase_never_switches_lang14(first: str, then: str, language: str) -> None:
    assert languages(first, then) == [language, language]


@pytest.mark.parametrize("payload", ['/ask_financing{"kb_entry": "mdm-invest"}', '/ask_tax{"kb_entry": "vat"}',
                                     '/ask_programme{"kb_entry": "business-opportunities"}'])
def test_a_button_payload_says_nothing_of_the_language(payload: str) -> None:
    assert languages("pension?", payload) == ["fr", "fr"]
    assert languages("what are the taxes for a company?", payload) == ["en", "en"]
