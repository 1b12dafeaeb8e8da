"""The shared contract is dependency-free and agrees with the data that uses its names."""

from __future__ import annotations

import subprocess
import sys

import pytest
import yaml

from assistant import contract
from assistant.db.models import CASE_STATUSES
from assistant.kb.schema import KnowledgeError, load_directory
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from assistant.languages import LANGUAGES
from assistant.responses import load_catalog
from assistant.service.i18n import STRINGS
from assistant.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))


def test_the_contract_imports_only_the_standard_library() -> None:
    code = (
        "import sys; before = set(sys.modules); import assistant.contract; "
        "print('\\n'.join(sorted(set(sys.modules) - before)))"
    )
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    outside = [
        name for name in loaded.split()
        if name.split(".")[0] not in sys.stdlib_module_names and name not in ("assistant", "assistant.contract")
    ]
    assert outside == []


def test_topics_are_the_knowledge_directories() -> None:
    directories = {p.name for p in (ROOT / "knowledge").iterdir() if p.is_dir() and p.name not in ("vocabulary", "rules")}  # not entries
    assert set(contract.TOPICS) == directories


def test_every_topic_has_an_overview_a_question_intent_and_a_console_label() -> None:
    entries = load_directory(ROOT / "knowledge")
    documents = read_vocabulary_documents(ROOT / "knowledge")
    overviews = build_vocabulary(entries, documents).topic_overviews
    assert set(overviews) == set(contract.TOPICS)
    topic_of = {entry.id: entry.topic for entry in entries}
    assert all(topic_of[entry_id] == topic for topic, entry_id in overviews.items())
    missing = {"overviews": {k: v for k, v in overviews.items() if k != "taxes"}}
    with pytest.raises(KnowledgeError, match=r"overviews\.taxes"):
        build_vocabulary(entries, {**documents, "topics": missing})
    assert set(contract.INTENT_TOPICS.values()) == set(contract.TOPICS)
    assert set(contract.SUBJECT_TOPICS) == set(contract.SUBJECT_TYPES)
    assert set(contract.SUBJECT_TOPICS.values()) <= set(contract.TOPICS)
    for topic in contract.TOPICS:
        assert set(STRINGS[f"topic_{topic}"]) == set(LANGUAGES)


def test_question_intents_exist_in_the_domain() -> None:
    assert set(contract.INTENT_TOPICS) <= set(DOMAIN["intents"])


def test_case_statuses_are_the_databases_and_the_consoles() -> None:
    assert CASE_STATUSES == contract.CASE_STATUSES
    assert set(contract.CASE_STATUSES) >= contract.CLOSED_STATUSES
    responses = {**DOMAIN["responses"], **load_catalog()}
    for status in contract.CASE_STATUSES:
        assert set(STRINGS[f"status_{status}"]) == set(LANGUAGES)
        assert f"utter_case_status_{status}" in responses  # what the investor is told


def test_references_typed_loosely_are_read_as_the_canonical_reference() -> None:
    for typed in ("MRE-2026-000123", "mre 2026 123", "Mre2026-000123"):
        match = contract.CASE_REFERENCE_TYPED.search(f"mon dossier {typed} ?")
        assert match is not None
        assert contract.case_reference(match.group(1), match.group(2)) == "MRE-2026-000123"
