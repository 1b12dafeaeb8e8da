"""The custom NLU components running inside Rasa's graph components API."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.entity_extractor import KnowledgePatternExtractor
from assistant.nlu.language_identifier import DETECTION_KEY, LanguageIdentifier
from assistant.nlu.tokenizer import MultilingualSpacyTokenizer
from assistant.nlu.unknown_words import UnknownWordsFallback
from assistant.settings import ROOT

Parse = Callable[[str], Message]  # the NLU pipeline run on one text


def pipeline(knowledge_dir: Path | None = None) -> tuple[Parse, KnowledgePatternExtractor]:
    identifier = LanguageIdentifier()
    tokenizer = MultilingualSpacyTokenizer(MultilingualSpacyTokenizer.get_default_config())
    extractor = KnowledgePatternExtractor({"knowledge_dir": str(knowledge_dir or ROOT / "knowledge")})

    def run(text: str) -> Message:
        message = Message({TEXT: text})
        for component in (identifier, tokenizer, extractor):
            component.process([message])
        return message

    return run, extractor


@pytest.fixture(scope="module")
def nlu() -> Parse:
    return pipeline()[0]


def entities(message: Message) -> list[tuple[str, str]]:
    return [(e["entity"], e["value"]) for e in message.get(ENTITIES, [])]


def test_detection_is_in_the_parse_data(nlu: Parse) -> None:
    message = nlu("Bonjour, je veux créer une SARL")
    assert message.get(DETECTION_KEY)["variety"] == "fr"
    assert DETECTION_KEY in message.as_dict(only_output_properties=True)


def test_tokens_keep_offsets_and_normalise_text(nlu: Parse) -> None:
    text = "الشَّرِكَةُ ذات المسؤولية المحدودة"
    tokens = nlu(text).get(TOKENS_NAMES[TEXT])
    assert tokens[0].text == "الشركه"
    assert text[tokens[0].start:tokens[0].end] == "الشَّرِكَةُ"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Quel capital minimum pour une SARL ?", ("legal_form", "sarl")),
        ("ما هو الحد الأدنى لرأسمال الشركة ذات المسؤولية المحدودة", ("legal_form", "sarl")),
        ("chno howa MDM invest", ("programme", "mdm_invest")),
        ("شنو هو MDM Invest؟", ("programme", "mdm_invest")),
        ("how long is the negative certificate valid?", ("procedure", "negative_certificate")),
        ("بغيت نستثمر فوجدة", ("city", "وجدة")),
        ("je veux investir à Oujda", ("city", "Oujda")),
    ],
)
def test_entities_in_every_language(nlu: Parse, text: str, expected: tuple[str, str]) -> None:
    assert expected in entities(nlu(text))


def test_entity_offsets_point_at_the_original_text(nlu: Parse) -> None:
    text = "Quel capital pour une SARL ?"
    entity = next(e for e in nlu(text).get(ENTITIES) if e["entity"] == "legal_form")
    assert text[entity["start"]:entity["end"]] == "SARL"


@pytest.mark.parametrize("text", ["Quel capital pour une SA ?", "wach SA wla SARL?", "شحال راسمال شركة SA؟",
                                  "What is the minimum capital of an SA?"])
def test_the_sa_written_in_capitals(nlu: Parse, text: str) -> None:
    assert ("legal_form", "sa") in entities(nlu(text))


@pytest.mark.parametrize("text", ["et sa prend cmb de temps ?", "sa coute combien ?", "il a créé sa société au Maroc"])
def test_sa_in_lower_case_is_a_word(nlu: Parse, text: str) -> None:  # "ça" typed in SMS, or the possessive
    assert ("legal_form", "sa") not in entities(nlu(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("est ce que je peux créer une SARL au maroc ?", "sarl"),  # the SARL in Morocco, as the search reads it
    ("Quel capital pour une SARL au Maroc ?", "sarl"),
    ("c'est quoi une SARL AU ?", "sarl_au"),
    ("SARL AU ou SARL ?", "sarl_au"),
])
def test_a_preposition_before_a_place_is_not_part_of_a_name(nlu: Parse, text: str, expected: str) -> None:
    forms = [value for entity, value in entities(nlu(text)) if entity == "legal_form"]
    assert forms[0] == expected and ("sarl_au" in forms) == (expected == "sarl_au")


def test_case_references(nlu: Parse) -> None:
    assert ("case_ref", "MRE-2026-000123") in entities(nlu("où en est mon dossier mre 2026 123 ?"))


def test_arabizi_words_with_digits_are_words(nlu: Parse) -> None:
    # the unknown-words fallback counts "ch7al", "n9der", "3afak" (sounds written with digits):
    # "w ch7al katkallef?" is no message of unknown words only; a number with a unit is no word
    assert UnknownWordsFallback._words(nlu("w ch7al katkallef?")) == ["ch7al", "katkallef"]
    assert UnknownWordsFallback._words(nlu("3afak 150k")) == ["3afak"]


@pytest.mark.parametrize("text", ["", " ", "👍", "\x00\x07", "a" * 10_000, "ok ok ok " * 2000])
def test_bad_input(nlu: Parse, text: str) -> None:
    nlu(text)


def test_new_synonyms_are_picked_up_without_retraining(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    run, extractor = pipeline(knowledge)
    assert ("programme", "forsa") not in entities(run("parlez-moi du programme Foursa Plus"))
    entry = knowledge / "financing" / "forsa.yml"
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    data.setdefault("synonyms", {}).setdefault("fr", []).append("Foursa Plus")
    entry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    extractor.source._checked_at = 0.0  # as if the reload interval had passed
    time.sleep(0.01)
    assert ("programme", "forsa") in entities(run("parlez-moi du programme Foursa Plus"))


def test_a_broken_edit_keeps_the_previous_patterns(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    run, extractor = pipeline(knowledge)
    (knowledge / "taxes" / "vat.yml").write_text("id: vat\ntopic: [", encoding="utf-8")
    extractor.source._checked_at = 0.0
    assert ("legal_form", "sarl") in entities(run("capital SARL"))
