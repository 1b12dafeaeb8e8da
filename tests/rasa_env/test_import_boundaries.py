"""Every module the Rasa process loads imports in the Rasa environment (Rasa 3.6,
SQLAlchemy 1.4), and brings in no app-only module (see tests/app_env/test_import_boundaries.py
for the static graph)."""

from __future__ import annotations

import sys

from tests.app_env.test_import_boundaries import import_all
from tests.support import boundaries as b


def test_the_rasa_side_imports_in_the_rasa_environment() -> None:
    reached = sorted(n for n in b.closure(b.rasa_roots()) if not n.endswith("__main__"))
    result = import_all(sys.executable, reached)
    assert result["failed"] == {}
    loaded = set(result["assistant"])
    assert not {name for name in loaded if b.needs_sqlalchemy_2(name)}
    assert not set(result["loaded"]) & b.APP_ONLY_PACKAGES
    assert "assistant.db.models" not in loaded and "assistant.service" not in loaded
