"""Arabizi and Darija spellings of the knowledge vocabulary (issue #10): another spelling of a word
is the word everywhere ("chrika", "cherka", "sharika" are "charika"; "سوسيتي" is a company), and a
French word typed as it sounds is the French word ("sosyete", "otoantreprener"). Seen writing
tests/data/kb_single_dev4.yml: "kifash n7el chrika f lmaghrib" got the way from abroad, "chrika"
being spelled that way only in the SARL's entries and "lmaghrib" weighing in the residence words."""

from __future__ import annotations

from functools import partial

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.search import Query
from assistant.kb.spelling import SpellingCorrector, other_spellings, sound_key
from tests.app_env.kb_index import answer as kb_answer
from tests.app_env.kb_index import index

#: the best entry of a confident search, even beside a clarifying question's options
answer = partial(kb_answer, ambiguous=True)


@pytest.mark.parametrize(("typed", "word"), [("sosyete", "societe"), ("otoantreprener", "autoentrepreneur"),
                                             ("sertifika", "certificat"),
                                             ("antreprise", "entreprise"), ("domisilyasion", "domiciliation")])
def test_a_french_word_typed_as_it_sounds_sounds_like_it(typed: str, word: str) -> None:
    assert sound_key(typed) == sound_key(word)


def test_a_short_sound_key_corrects_nothing() -> None:
    corrector = SpellingCorrector({"visa": 3, "vise": 1})
    assert corrector.correct("vaza") == "vaza"


def test_other_spellings_are_read_as_the_word() -> None:
    spellings = other_spellings()
    assert {spellings[t] for t in ("chrika", "cherka", "sharika")} == {"charika"}
    corrector = SpellingCorrector({"charika": 9, "chrika": 1})
    assert corrector.correct("chrika") == "charika"  # even though an entry spells it that way


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("kifash n7el chrika f lmaghrib", "ask_creation", "creation-steps"),
    ("how do i open a chrika f lmaghrib", "ask_creation", "creation-steps"),
    ("chno hwa statut dyal otoantreprener", "ask_legal_form", "auto-entrepreneur-overview"),
    ("كيفاش ندير سوسيتي فالمغرب", "ask_creation", "creation-steps"),
    ("شحال الإمبو على السوسيتي", "ask_tax", "corporate-tax"),
])
def test_arabizi_and_darija_spellings_find_the_entry(text: str, intent: str, expected: str) -> None:
    assert answer(text, intent) == expected


def test_the_sound_of_a_french_word_is_read_in_darija_only() -> None:
    corrector = SpellingCorrector({"societe": 3})
    assert corrector.correct("sosyete") == "sosyete"  # outside Darija, French words keep their spelling
    assert corrector.correct("sosyete", by_sound=True) == "societe"


def test_the_article_glued_as_a_doubled_letter_is_read_apart() -> None:
    corrector = SpellingCorrector({"taxe": 3, "dariba": 2})
    assert corrector.correct("ttaxe") == "taxe"
    assert corrector.correct("ddariba") == "dariba"


@pytest.mark.parametrize(("text", "intent", "expected"), [
    ("chno hiya ttaxe professionnelle", "ask_tax", "taxe-professionnelle"),  # the article as a doubled letter
    ("chno a7sen liya sarl wla auto entrepreneur?", "ask_legal_form", "legal-forms-overview"),  # which is best
    ("wach kayn chi da3m mn dawla?", "ask_financing", "financing-overview"),  # support from the State
    # how much the CNSS costs for a worker is its contributions, not the affiliation
    ("ch7al cnss dyal khddam wa7ed", "ask_creation", "cnss-contributions"),
    ("bch7al cnss d wa7ed lkhddam f chhar", "ask_creation", "cnss-contributions"),
    ("combien la cnss pour un salarié ?", "ask_creation", "cnss-contributions"),
    ("شحال ديال الضمان الاجتماعي على كل خدام", "ask_creation", "cnss-contributions"),
    # ... but "how much" inside the words of another aspect is that aspect
    ("ch7al mn wa9t bach nsjjel f cnss", "ask_creation", "cnss-affiliation"),
    ("combien de temps pour s'affilier à la cnss", "ask_creation", "cnss-affiliation"),
])
def test_arabizi_first_turns_as_people_type_them(text: str, intent: str, expected: str) -> None:
    assert answer(text, intent) == expected


@pytest.mark.parametrize(("first", "subject", "facet", "text", "expected"), [
    # an acronym too short to be read without the article glued to it
    ("sarl-capital", "legal_form:sarl", "capital", "w lsa?", "sa-capital"),
    # a word of another topic in a follow-up asks about that topic, not the conversation's subject again
    ("sarl-overview", "legal_form:sarl", "overview", "w kayn chi da3m l mre?", "financing-overview"),
    ("sarl-overview", "legal_form:sarl", "overview", "et il y a des aides ?", "financing-overview"),
    ("creation-steps", None, "steps", "w wach kayn chi da3m mn dawla?", "financing-overview"),
    # how much the employer pays, or the CNSS of workers, after the affiliation or the contract
    ("cnss-affiliation", "procedure:cnss", "overview", "w ch7al kaykhalles lpatron?", "cnss-contributions"),
    ("employment-contract", "procedure:employment", "overview", "w cnss dyalhom ch7al?", "cnss-contributions"),
])
def test_arabizi_follow_ups(first: str, subject: str | None, facet: str, text: str, expected: str) -> None:
    result = search_message(index(), Query(text=text, intent="follow_up", intent_confidence=0.9,
                                           context_subject=subject, context_facet=facet))
    assert result.confident and not result.ambiguous and result.best and result.best.entry.id == expected, first


@pytest.mark.parametrize(("typed", "known"), [("darija", "dariba"), ("touriste", "tourisme"), ("score", "store"),
                                              ("planting", "planning"), ("plane", "plant")])
def test_another_consonant_makes_another_word(typed: str, known: str) -> None:
    """(kb_outside_dev9.yml: "do i need to speak darija to run a shop in casa" read "darija" as
    "dariba", the tax): a consonant replaced by one on a key that does not touch it is no typo."""
    assert SpellingCorrector({known: 5}).correct(typed) == typed


@pytest.mark.parametrize(("typed", "known"), [("corparate", "corporate"), ("certificar", "certificat"),
                                              ("kankhelles", "kaykhelles"), ("tonobil", "tomobil"),
                                              ("bohdi", "bo7di"), ("sosiete", "societe")])
def test_a_vowel_a_neighbouring_key_or_one_sound_is_a_typo(typed: str, known: str) -> None:
    assert SpellingCorrector({known: 5}).correct(typed) == known
