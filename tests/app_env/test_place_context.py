"""A place named in a first question (#10, place13): where the project will be beside what is
asked, or what is asked about (assistant/kb/places.py). Written from /work/shared/how-people-write.md
and the knowledge entries, independently of the held-out sets."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.knowledge import ActionAnswerQuestion
from assistant.actions.rating_comment import ActionOutOfScope
from assistant.kb.places import PLACE_OFFICE, asks_place, office_place
from tests.app_env.kb_index import answer as kb_answer
from tests.app_env.kb_index import index
from tests.support.trackers import make_tracker

#: the NLU sure of the intent it read
answer = partial(kb_answer, confidence=0.95)


@pytest.mark.parametrize(("text", "asked"), [
    ("je veux creer mon entreprise a dakhla, a qui je m'adresse ?", True),
    ("المشروع غادي يكون فأكادير، فين نمشي؟", True),
    ("who do i contact to invest in beni mellal?", True),
    ("bghit nstathmer f dakhla, fin nmchi?", True),
    # where to start is the steps, not the place
    ("i live in london and want to open a shop in nador, where do i start?", False),
    ("bghit nftah mahal f tanja, fin nbda?", False),
    # "ou" alone is also "or"
    ("sarl ou sa a casa ?", False),
])
def test_a_question_about_the_place_itself(text: str, asked: bool) -> None:
    assert asks_place(index().vocabulary, text) is asked


def test_the_cri_with_one_place_is_that_place() -> None:
    assert office_place([PLACE_OFFICE, "region:fes_meknes"], None) == "region:fes_meknes"
    assert office_place([PLACE_OFFICE], "region:oriental") == "region:oriental"
    assert office_place([PLACE_OFFICE], "legal_form:sarl") is None
    assert office_place([PLACE_OFFICE, "legal_form:sarl", "region:oriental"], None) is None
    assert office_place(["region:oriental"], None) is None
    assert PLACE_OFFICE in {e.subject for e in index().entries}


@pytest.mark.parametrize(("text", "intent", "entry"), [
    # the place is where the project will be: what is asked answers
    ("bghit ndir projet f fes, wach kayn chi da3m?", "ask_financing", "financing-overview"),
    ("is there any funding for a small business in fez?", "ask_financing", "financing-overview"),
    ("بغيت ندير مشروع فالناظور، واش كاين شي دعم؟", "ask_financing", "financing-overview"),
    ("ما هو الشكل القانوني المناسب لمشروع تجاري في أكادير؟", "ask_legal_form", "legal-forms-overview"),
    ("slt, je vis a lyon et je veux ouvrir un resto a tanger, je commence par ou ?", "ask_creation", "creation-steps"),
    # the place is what is asked: its entry (its CRI) answers
    ("المشروع غادي يكون فأكادير، فين نمشي؟", "ask_region", "region-souss-massa"),
    ("bghit nstathmer f dakhla, fin nmchi?", "ask_region", "region-dakhla-oued-ed-dahab"),
    ("ou se trouve le CRI de beni mellal ?", "ask_region", "region-beni-mellal-khenifra"),
    ("what does the souss massa region offer investors?", "ask_region", "region-souss-massa"),
])
def test_a_place_named_in_a_first_question(text: str, intent: str, entry: str) -> None:
    assert answer(text, intent) == entry


@pytest.mark.parametrize(("text", "context", "entry"), [
    # the CRI asked after an answer about a project there, the place named or the conversation's
    ("et le CRI de tanger il est ou ?", {"context_subject": "legal_form:sarl", "context_facet": "steps"},
     "region-tanger-tetouan-al-hoceima"),
    ("وأين يوجد المركز الجهوي للاستثمار هناك؟", {"context_subject": "region:dakhla_oued_ed_dahab", "context_facet": "steps"},
     "region-dakhla-oued-ed-dahab"),
])
def test_the_cri_asked_after_an_answer_about_a_project_there(text: str, context: dict[str, Any], entry: str) -> None:
    assert answer(text, "ask_region", **context) == entry


pytestmark_db = pytest.mark.parametrize("database", ["sqlite"], indirect=True)


@pytestmark_db
async def test_the_place_named_is_offered_beside_the_answer(loaded_knowledge: str) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("bghit ndir projet f fes, wach kayn chi da3m?", "ask_financing",
                           entities=[{"entity": "region", "value": "fes_meknes"}], slots={"language": "fr"})
    events = await ActionAnswerQuestion().run(dispatcher, tracker, {})
    assert {e["name"]: e["value"] for e in events if e.get("event") == "slot"}["kb_entry"] == "financing-overview"
    assert any('"region-fes-meknes"' in b["payload"] for b in dispatcher.messages[0]["buttons"])


@pytestmark_db
@pytest.mark.parametrize(("text", "region", "entry"), [
    ("I want to open a small hotel in Marrakech, what documents do I need?", "marrakech_safi", "required-documents"),
    # a place without opening a business stays out of scope
    ("hotel pas cher a marrakech", "marrakech_safi", None),
    ("louer une voiture à casa", "casablanca_settat", None),
])
async def test_out_of_scope_naming_a_place_beside_a_business_opened_there(
        loaded_knowledge: str, text: str, region: str, entry: str | None) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text, "out_of_scope", entities=[{"entity": "region", "value": region}], slots={"language": "en"})
    events = await ActionOutOfScope().run(dispatcher, tracker, {})
    if entry is None:
        assert [m.get("response") for m in dispatcher.messages] == ["utter_out_of_scope"] and events == []
    else:
        assert {e["name"]: e["value"] for e in events if e.get("event") == "slot"}["kb_entry"] == entry
