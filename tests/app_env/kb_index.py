"""The knowledge index the search tests share: built once per test process from knowledge/."""

from __future__ import annotations

from functools import lru_cache

from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from tests.app_env.conftest import KNOWLEDGE


@lru_cache(maxsize=1)
def index() -> KnowledgeIndex:
    entries = load_directory(KNOWLEDGE)
    return KnowledgeIndex(entries, build_vocabulary(entries, read_vocabulary_documents(KNOWLEDGE)))
