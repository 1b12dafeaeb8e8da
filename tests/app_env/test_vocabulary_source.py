"""One source for the knowledge vocabulary: the NLU (Rasa process, its own environment)
and the actions read the same loaded version, and agree on every phrase.

The NLU's view is taken from a real KnowledgePatternExtractor built by the Rasa
environment's Python (SQLAlchemy 1.4, psycopg2); the actions' view from the action
server's KnowledgeService (SQLAlchemy 2, asyncpg/aiosqlite), on the same database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from assistant.kb.service import KnowledgeService
from assistant.kb.store import load_knowledge
from assistant.settings import ROOT, get_settings
from tests.app_env.conftest import KNOWLEDGE

RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"

NLU_VIEW = """
import json
from assistant.nlu.entity_extractor import KnowledgePatternExtractor

source = KnowledgePatternExtractor({}).source
phrases = sorted({(p.entity, p.value, p.text) for p in source.current.vocabulary.phrases})
print(json.dumps({"version": source.version, "stale": source.stale, "phrases": phrases}))
"""


def nlu_view(knowledge_dir: Path) -> dict[str, Any]:
    if not RASA_PYTHON.exists():
        pytest.fail("the Rasa environment is missing: run `make setup`")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KNOWLEDGE_DIR": str(knowledge_dir)}
    out = subprocess.run([str(RASA_PYTHON), "-c", NLU_VIEW], env=env, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    view: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    view["phrases"] = [tuple(p) for p in view["phrases"]]
    view["log"] = out.stderr
    return view


async def actions_view() -> tuple[int | None, list[tuple[str, str, str]], bool]:
    service = KnowledgeService()
    index = await service.index()
    assert index is not None
    phrases = sorted({(p.entity, p.value, p.text) for p in index.vocabulary.phrases})
    return index.version, phrases, service.stale_files.stale


def add_synonym(knowledge_dir: Path, synonym: str) -> None:
    path = knowledge_dir / "legal_forms" / "sarl-overview.yml"
    text = path.read_text(encoding="utf-8")
    assert "\nsynonyms:\n  fr: [SARL, " in text
    path.write_text(text.replace("\nsynonyms:\n  fr: [SARL, ", f"\nsynonyms:\n  fr: [{synonym}, SARL, ", 1), encoding="utf-8")


@pytest.fixture
def knowledge_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    copy = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, copy)
    monkeypatch.setenv("KNOWLEDGE_DIR", str(copy))
    get_settings.cache_clear()
    return copy


async def test_the_nlu_and_the_actions_serve_the_same_loaded_version(database: str, knowledge_copy: Path) -> None:
    loaded = await load_knowledge(knowledge_copy)
    version, phrases, stale = await actions_view()
    nlu = nlu_view(knowledge_copy)
    assert (nlu["version"], version) == (loaded.version_id, loaded.version_id)
    assert nlu["phrases"] == phrases and len(phrases) > 500
    assert nlu["stale"] is False and stale is False


async def test_files_edited_without_kb_load_are_reported_not_served(database: str, knowledge_copy: Path) -> None:
    loaded = await load_knowledge(knowledge_copy)
    add_synonym(knowledge_copy, "zz société test")
    version, phrases, stale = await actions_view()
    nlu = nlu_view(knowledge_copy)
    # both keep serving the loaded version, without the new synonym, and say why
    assert nlu["version"] == version == loaded.version_id
    assert nlu["phrases"] == phrases and ("legal_form", "sarl", "zz société test") not in phrases
    assert nlu["stale"] is True and stale is True
    assert "run `make kb-load`" in nlu["log"]
    # once loaded, both serve the new version with it
    again = await load_knowledge(knowledge_copy)
    version, phrases, stale = await actions_view()
    nlu = nlu_view(knowledge_copy)
    assert nlu["version"] == version == again.version_id > loaded.version_id
    assert nlu["phrases"] == phrases and ("legal_form", "sarl", "zz société test") in phrases
    assert nlu["stale"] is False and stale is False


async def test_without_a_loaded_version_the_nlu_reads_the_files_and_says_so(database: str, knowledge_copy: Path) -> None:
    nlu = nlu_view(knowledge_copy)
    assert nlu["version"] == "files" and nlu["stale"] is False and nlu["phrases"]
    assert "no knowledge base loaded in the database" in nlu["log"]
