"""The knowledge base in the database: versioned, idempotent, all-or-nothing (SQLite and PostgreSQL)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assistant.kb.schema import KnowledgeError
from assistant.kb.service import KnowledgeService
from assistant.kb.store import live_documents, live_version, load_knowledge
from tests.app_env.conftest import KNOWLEDGE


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge-copy"
    shutil.copytree(KNOWLEDGE, target)
    return target


async def test_load_is_idempotent(database: str, knowledge_copy: Path) -> None:
    first = await load_knowledge(knowledge_copy)
    again = await load_knowledge(knowledge_copy)
    assert first.changed and not again.changed
    assert again.version_id == first.version_id and first.entry_count >= 60
    documents = await live_documents()
    assert documents is not None and len(documents.build().entries) == first.entry_count


async def test_a_failed_load_keeps_the_previous_knowledge_base(database: str, knowledge_copy: Path) -> None:
    loaded = await load_knowledge(knowledge_copy)
    broken = knowledge_copy / "taxes" / "vat.yml"
    data = yaml.safe_load(broken.read_text(encoding="utf-8"))
    del data["answer"]["ar"]
    broken.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        await load_knowledge(knowledge_copy)
    assert "vat.yml" in error.value.file and error.value.field == "answer.ar"
    assert await live_version() == loaded.version_id
    documents = await live_documents()
    assert documents is not None
    vat = next(e for e in documents.build().entries if e.id == "vat")
    assert vat.answer["ar"]


async def test_a_content_change_is_served_without_retraining(database: str, knowledge_copy: Path) -> None:
    await load_knowledge(knowledge_copy)
    service = KnowledgeService()
    index = await service.index()
    assert index is not None and index.get("vat") is not None
    assert index._near_base is not None  # built with the index, not on the first question
    entry = knowledge_copy / "taxes" / "vat.yml"
    data = yaml.safe_load(entry.read_text(encoding="utf-8"))
    data["title"]["en"] = "VAT rates in Morocco (updated)"
    entry.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    second = await load_knowledge(knowledge_copy)
    assert second.changed
    service.CHECK_EVERY_SECONDS = 0
    index = await service.index()
    assert index is not None and index.version == second.version_id
    vat = index.get("vat")
    assert vat is not None and vat.title["en"].endswith("(updated)")
