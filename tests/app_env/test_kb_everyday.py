"""An entry an everyday word names answers it only in its contexts (knowledge/vocabulary/contexts.yml).

Search only, on the real knowledge base; every variety. `make bench-kb` measures the same through the
trained model.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.kb.schema import KnowledgeError, load_directory
from assistant.kb.search import KnowledgeIndex, Query
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from tests.app_env.conftest import KNOWLEDGE


@pytest.fixture(scope="module")
def index() -> KnowledgeIndex:
    entries = load_directory(KNOWLEDGE)
    return KnowledgeIndex(entries, build_vocabulary(entries, read_vocabulary_documents(KNOWLEDGE)))


@pytest.fixture(scope="module")
def blind() -> KnowledgeIndex:
    """The same knowledge base without contexts.yml."""
    entries = load_directory(KNOWLEDGE)
    return KnowledgeIndex(entries, build_vocabulary(entries, {**read_vocabulary_documents(KNOWLEDGE), "contexts": {}}))


@pytest.mark.parametrize(
    ("text", "intent", "entry"),
    [
        ("où faire réparer ma voiture pas cher à Casablanca ?", "ask_exchange", "vehicle-import-mre"),
        ("where can I sell my old car in Rabat", "ask_exchange", "vehicle-import-mre"),
        ("أين أدفع مخالفة السير لسيارتي؟", "ask_exchange", "vehicle-import-mre"),
        ("فين نصلح الطوموبيل ديالي فكازا؟", "ask_exchange", "vehicle-import-mre"),
        ("fin nbi3 tomobil dyali f rbat?", "ask_exchange", "vehicle-import-mre"),
        ("chi wa7ed sken f dari f wjda bla ma ykhelles lkra, chno ndir?", "ask_region", "region-oriental"),
    ],
)
def test_an_everyday_word_without_the_entry_s_contexts_is_not_answered_with_it(
        index: KnowledgeIndex, blind: KnowledgeIndex, text: str, intent: str, entry: str) -> None:
    """A car's repair, sale or fine, a tenant in one's house: the word names the entry, the question is elsewhere."""
    before = blind.search(Query(text, intent, 0.95))
    assert before.hits and before.hits[0].entry.id == entry  # the everyday word finds the entry
    result = index.search(Query(text, intent, 0.95))
    assert not (result.hits and result.confident), [h.entry.id for h in result.hits]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("combien de droits de douane pour ramener ma voiture au Maroc ?", "vehicle-import-mre"),
        ("can I bring my car to Morocco for the summer?", "vehicle-import-mre"),
        ("كيف أجمرك سيارتي عند العودة النهائية؟", "vehicle-import-mre"),
        ("wach n9der njib tomobil dyali f l3otla?", "vehicle-import-mre"),
        ("ما هي أسعار الضريبة على القيمة المضافة؟", "vat"),
        ("bghit ninvesti f Agadir, m3a mn ntwasel?", "region-souss-massa"),
        ("أريد الاستثمار في وجدة، بمن أتصل؟", "region-oriental"),
        ("I want to invest in Oujda, who should I contact?", "region-oriental"),
    ],
)
def test_an_everyday_word_in_the_entry_s_context_is_answered(index: KnowledgeIndex, text: str, expected: str) -> None:
    result = index.search(Query(text))
    assert result.confident and result.hits[0].entry.id == expected, [h.entry.id for h in result.hits]


def test_the_conversation_s_subject_keeps_the_entry(index: KnowledgeIndex) -> None:
    """After the vehicle import answer, "w ch7al f tomobil lqdima?" still asks about it."""
    text = "w ila kant tomobil 9dima chno ydir?"
    alone = index.search(Query(text, "ask_exchange", 0.95))
    assert not (alone.hits and alone.confident)
    result = index.search(Query(text, "follow_up", 0.95, context_subject="exchange:vehicle_import"))
    assert result.confident and result.hits[0].entry.id == "vehicle-import-mre"


@pytest.mark.parametrize(
    ("contexts", "field"),
    [
        ({"entries": {"no-such-entry": {"words": ["x"]}}}, "entries.no-such-entry"),
        ({"entries": {"vat": {"groups": ["nope"]}}}, "entries.vat.groups"),
        ({"entries": {"vat": {"places": True, "words": ["taux"]}}}, "entries.vat.places"),
        ({"entries": {"vat": "taux"}}, "entries.vat"),
    ],
)
def test_a_wrong_contexts_file_names_the_field(contexts: dict[str, Any], field: str) -> None:
    entries = load_directory(KNOWLEDGE)
    with pytest.raises(KnowledgeError) as error:
        build_vocabulary(entries, {**read_vocabulary_documents(KNOWLEDGE), "contexts": contexts})
    assert error.value.field == field and "contexts.yml" in error.value.file
