"""The response catalog: responses that custom actions and forms send.

Same format as the domain's `responses:` (one variation per language, conditioned on
the `language` slot). They live in `responses/*.yml` rather than in domain.yml because
Rasa's data validator (`rasa data validate --fail-on-warnings`) reports every domain
response that no story or rule names, and these are sent from actions. Pure Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from assistant.settings import ROOT

CATALOG_DIR = ROOT / "responses"


def load_catalog(directory: Path = CATALOG_DIR) -> dict[str, list[dict[str, Any]]]:
    responses: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            if name in responses:
                raise ValueError(f"{path.name}: response {name!r} is defined twice in the catalog")
            responses[name] = variations
    return responses


def catalog_buttons(name: str, directory: Path = CATALOG_DIR) -> dict[str, dict[str, str]]:
    """The `buttons:` of the catalog for response `name`: {value: {language: title}}, in order."""
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        buttons = (data.get("buttons") or {}).get(name)
        if buttons:
            return {str(value): dict(titles) for value, titles in buttons.items()}
    return {}
