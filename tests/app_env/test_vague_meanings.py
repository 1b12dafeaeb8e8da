"""Vague first questions whose words have several meanings in the knowledge base ("the fund?",
"الصندوق؟", "lcredit?") get a clarifying question however unsure the NLU is, never "not in my
sources"; an option named right after it by a word of its own name is chosen, even when that word
is a place's name ("المحمدية" after the two foundations); and a short message with no clue of its
language takes the language of its subject words ("land?": English). Written from
/work/shared/how-people-write.md, independently of the held-out conversations (#10)."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.search import Query
from assistant.nlu.langid import identify, sticky_language
from assistant.short_language import subject_words_language, with_subject_words
from tests.app_env.kb_index import index


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "meanings"),
    [
        ("the fund?", "ask_financing", 0.5, {"hassan-ii-fund", "mdm-invest", "mdm-tamwil"}),
        ("le fonds ?", "follow_up", 0.6, {"hassan-ii-fund", "mdm-invest", "mdm-tamwil"}),
        ("الصندوق؟", "ask_financing", 0.5, {"hassan-ii-fund", "mdm-tamwil"}),
        ("lcredit?", "nlu_fallback", 0.45, {"intelaka", "damane-istitmar", "mdm-tamwil"}),
        ("القرض؟", "follow_up", 0.6, {"intelaka", "damane-istitmar", "mdm-tamwil"}),
        ("land?", "nlu_fallback", 0.45, {"buying-property", "industrial-land", "agricultural-land"}),
        ("the foundation", "ask_programme", 0.5, {"fondation-mohammedia", "hassan-ii-foundation"}),
        ("الاتفاقية؟", "nlu_fallback", 1.0, {"double-taxation", "social-security-agreements"}),
    ],
)
def test_a_vague_question_with_several_meanings_is_worth_asking_however_unsure_the_nlu(
    text: str, intent: str, confidence: float, meanings: set[str]
) -> None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=confidence))
    options = {e.id for e in result.options}
    assert result.worth_asking and result.meanings and options & meanings and options <= {h.entry.id for h in result.hits}, (
        [h.entry.id for h in result.hits], options)


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [  # (kb_outside_dev8.yml: a widow's or a disability pension is none of the base's pensions)
        ("disability pension in morocco how much", "ask_legal_form", 0.97),
        ("la pension dyal lwalida ch7al", "nlu_fallback", 0.45),
    ],
)
def test_a_shared_name_beside_a_word_no_entry_holds_asks_something_else(text: str, intent: str, confidence: float) -> None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=confidence))
    assert not result.confident and not result.worth_asking, ([h.entry.id for h in result.hits], [e.id for e in result.options])


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [  # the NLU reading a topic of the meanings keeps the choice (dev conversation clarify_switch.yml)
        ("MDM c'est quoi exactement ?", "ask_financing", 0.9),
        ("la pension ?", "nlu_fallback", 0.45),
    ],
)
def test_a_shared_name_in_a_topic_of_its_meanings_keeps_its_choice(text: str, intent: str, confidence: float) -> None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=confidence))
    assert result.ambiguous and len(result.options) >= 2, [e.id for e in result.options]


@pytest.mark.parametrize("text", ["quel temps fait-il ?", "le fonds de commerce de mon voisin ?", "what's the rate of the euro?"])
def test_words_no_two_entries_share_are_no_meanings(text: str) -> None:
    result = search_message(index(), Query(text=text, intent="nlu_fallback", intent_confidence=0.4))
    assert not (result.ambiguous and result.meanings and not result.confident) or result.outside, [e.id for e in result.options]


@pytest.mark.parametrize(
    ("text", "offered", "expected"),
    [
        ("المحمدية", ("fondation-mohammedia", "hassan-ii-foundation"), "fondation-mohammedia"),
        ("mohammedia", ("hassan-ii-foundation", "fondation-mohammedia"), "fondation-mohammedia"),
        ("la tva", ("vat", "corporate-tax"), "vat"),
    ],
)
def test_an_option_named_by_a_word_of_its_own_name_is_chosen(text: str, offered: tuple[str, ...], expected: str) -> None:
    result = index().search(Query(text=text, intent="follow_up", intent_confidence=0.9, offered=offered))
    assert result.confident and result.best and result.best.entry.id == expected, [h.entry.id for h in result.hits]


def test_mohammedia_alone_is_still_the_city_when_nothing_was_offered() -> None:
    result = index().search(Query(text="mohammedia", intent="ask_region", intent_confidence=0.9))
    assert not (result.best and result.best.entry.id == "fondation-mohammedia" and result.confident)


@pytest.mark.parametrize(
    ("text", "language"),
    [("land?", "en"), ("industrial land", "en"), ("customs?", "en"), ("fonds ?", "fr"), ("garantie?", "fr"),
     ("capital?", None), ("pension?", None), ("diwana?", None), ("الصندوق؟", None), ("fund or fonds?", None),
     ("auto-entrepreneur turnover limit?", "en"), ("Tangier CRI contact?", "en"), ("VAT?", "en"),
     ("plafond auto entrepreneur ?", "fr"), ("SARL capital?", None)],
)
def test_subject_words_of_one_language(text: str, language: str | None) -> None:
    assert subject_words_language(text) == language


def test_subject_words_only_fill_a_language_not_recognised_yet() -> None:
    detection = with_subject_words(identify("land?").as_dict(), "land?")
    assert detection is not None and detection["language"] == "en" and detection["strength"] == "weak"
    assert sticky_language(None, detection) == "en"
    assert sticky_language("fr", detection) == "fr"  # a weak clue never switches a conversation's language
    # a message whose language the identifier read keeps its detection
    assert with_subject_words(identify("c'est quoi le fonds ?").as_dict(), "c'est quoi le fonds ?") == identify("c'est quoi le fonds ?").as_dict()


@pytest.mark.parametrize(
    ("text", "intent", "confidence", "expected"),
    [
        ("le certificat ?", "nlu_fallback", 0.45, "negative-certificate"),
        ("chkoun howa lwazir dyal jalia?", "ask_programme", 0.5, "mre-department"),
        ("combien ça coute en tout ?", "ask_tax", 0.87, "creation-costs"),
    ],
)
def test_a_short_question_only_one_subject_names_is_answered_however_unsure_the_nlu(
    text: str, intent: str, confidence: float, expected: str
) -> None:
    result = search_message(index(), Query(text=text, intent=intent, intent_confidence=confidence))
    assert result.confident and not result.ambiguous and result.best and result.best.entry.id == expected, (
        [h.entry.id for h in result.hits])


def test_one_subject_words_after_a_clarifying_question_are_read_among_its_options() -> None:
    result = search_message(index(), Query(text="و شحال كيعطيو؟", intent="follow_up", intent_confidence=0.9,
                                           offered=("hassan-ii-fund", "hassan-ii-foundation")))
    assert not (result.confident and result.best and result.best.entry.id == "mdm-invest")


@pytest.mark.parametrize("text", ["5", "4", "2026"])
def test_a_number_alone_has_no_meanings_to_offer(text: str) -> None:
    # "5" typed as a rating once the case is rated got a choice of MDM Invest, the SA's documents
    # and the SARL's capital (fresh-clone CI, test_actions_feedback): a number is no vague question
    result = search_message(index(), Query(text=text, intent="rate_case", intent_confidence=0.9))
    assert not result.ambiguous and not result.worth_asking
