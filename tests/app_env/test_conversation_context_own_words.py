"""A follow-up's own words against the conversation's subject (#10, session fu10g), on the real
knowledge base: an aspect word beside a word naming another subject's entry asks that entry
("and how much cash can i bring?" after the car: the cash declaration), and "maximum" never gets
an entry named by the minimum ("وما هو الحد الأقصى؟" after the financing options shares only
"الحد" with the minimum contribution). Every variety where the words are the entries' own."""

from __future__ import annotations

import pytest

from assistant.actions.message_search import search_message
from assistant.kb.opposites import opposed
from assistant.kb.search import Query, Result
from tests.app_env.test_conversation_context import index

FINANCING_RELATED = ("mdm-invest", "intelaka", "guidance-unit")


def ask(text: str, subject: str | None, facet: str | None, intent: str | None = "follow_up",
        related: tuple[str, ...] = ()) -> Result:
    return search_message(index(), Query(text, intent=intent, intent_confidence=0.9 if intent else 0.0,
                                         context_subject=subject, context_facet=facet, related=related))


@pytest.mark.parametrize("text", ["and how much cash can i bring?", "et combien de cash je peux ramener ?", "w l cash?"])
@pytest.mark.parametrize("intent", ["follow_up", None])
def test_own_words_naming_another_entry_win_over_the_conversation(text: str, intent: str | None) -> None:
    result = ask(text, "exchange:vehicle_import", "overview", intent)
    assert result.confident and result.best and result.best.entry.id == "fx-cash-declaration"


@pytest.mark.parametrize(
    ("text", "subject", "facet", "expected"),
    [
        # a word of a longer name ("نجيب" of "نجيب الطوموبيل") names nothing
        ("شحال خاصني نجيب من جيبي باش نستافد؟", "programme:mdm_invest", "overview", "mdm-invest-eligibility"),
        # a Darija keyword ("كيعطيو", MDM Invest's) is no evidence against Forsa, which has no Darija text
        ("شحال كيعطيو ماكس؟", "programme:forsa", "overview", "forsa"),
        ("chkoun li kay3ti had lcredit?", "programme:forsa", "overview", "forsa"),
        ("and who can apply?", "programme:forsa", "overview", "forsa"),
        ("et le délai ?", "legal_form:sarl", "overview", "creation-time"),
        # a letter is no name ("s" of "s'affilie", though a keyword's initial)
        ("et comment on s affilie ?", "procedure:cnss", "rates", "cnss-affiliation"),
    ],
)
def test_the_conversation_keeps_its_subject_without_such_words(text: str, subject: str, facet: str, expected: str) -> None:
    result = ask(text, subject, facet)
    assert result.confident and result.best and result.best.entry.id == expected


@pytest.mark.parametrize("text", ["وما هو الحد الأقصى؟", "و شحال الحد الأقصى؟", "et le maximum ?", "c quoi le plafond ?",
                                  "and what is the maximum?", "w ch7al max?", "شحال الماكس؟"])
def test_a_maximum_after_the_financing_options_is_read_in_them(text: str) -> None:
    result = ask(text, None, "overview", related=FINANCING_RELATED)
    assert result.confident and result.best and result.best.entry.id != "minimum-contribution"
    # the options asked again, or MDM Invest (its ceiling, "plafond", is its keyword)
    assert (result.ambiguous and {"mdm-invest", "intelaka"} <= {e.id for e in result.options}) or (
        not result.ambiguous and result.best.entry.id == "mdm-invest")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # naming the subject, the entry answers though named by the minimum (it says there is no maximum)
        ("ما هو الحد الأقصى لرأس مال الشركة ذات المسؤولية المحدودة؟", "sarl-capital"),
        ("capital maximum sarl", "sarl-capital"),
        ("ch7al lmax dyal mdm invest", "mdm-invest"),
        ("ما هو الحد الأدنى لرأسمال شركة المساهمة؟", "sa-capital"),
    ],
)
def test_an_opposite_named_with_its_subject_still_answers(text: str, expected: str) -> None:
    result = ask(text, None, None, None)
    assert result.confident and result.best and result.best.entry.id == expected


def test_opposites_are_both_ways_and_only_without_the_other_side() -> None:
    assert opposed(["الحد", "اقصي"], ["الحد", "ادني", "ضريبه"])
    assert opposed(["minimum"], ["plafond", "auto"])
    assert not opposed(["maximum", "minimum"], ["minimum"])  # asks both
    assert not opposed(["maximum"], ["minimum", "maximum"])  # the entry names both
    assert not opposed(["capital"], ["minimum"])


@pytest.mark.parametrize(
    ("text", "subject", "expected"),
    [
        # MDM Invest's conditions hold "montant minimum", its overview "plafond": the maximum is the overview
        ("ch7al max n9der nakhod?", "programme:mdm_invest", "mdm-invest"),
        ("montant minimum pour mdm invest", None, "mdm-invest-eligibility"),
        # (its tax states the annual ceiling and holds "plafond": read like "auto-entrepreneur", the spaced
        # name is the tax entry's as the hyphenated one was; compounds.py)
        ("quel est le plafond du chiffre d affaires pour etre auto entrepreneur ?", None, "auto-entrepreneur-tax"),
        ("âge minimum auto entrepreneur", None, "auto-entrepreneur-eligibility"),
    ],
)
def test_an_entry_of_the_opposite_gives_way_to_its_subjects_entry_of_the_side_asked(
        text: str, subject: str | None, expected: str) -> None:
    result = ask(text, subject, "overview" if subject else None, "follow_up" if subject else None)
    assert result.confident and result.best and result.best.entry.id == expected


@pytest.mark.parametrize(("text", "subject", "facet", "expected"), [
    ("et pr 1 sarl ?", "legal_form:sa", "capital", "sarl-capital"),  # "1" is "une", no word of its own
    ("et pr 1 SA ?", "legal_form:sarl", "documents", "sa-documents"),
])
def test_an_sms_article_keeps_the_previous_aspect(text: str, subject: str, facet: str, expected: str) -> None:
    result = ask(text, subject, facet)
    assert result.confident and result.best and result.best.entry.id == expected
