"""Rasa's templated NLG over the domain's responses plus the response catalog.

Configured in endpoints.yml (`nlg: type: assistant.nlg.CatalogNaturalLanguageGenerator`).
Rendering is Rasa's own: conditional variations on the `language` slot, buttons,
`{slot}` and keyword templating. See `assistant.responses` for why the catalog exists.
The Arabic variations' own numbers, percentages, references and URLs ("مثلا: 50%") are
isolated once, when the responses are loaded (`assistant.bidi`), so every response reads
right in a right-to-left display; values filled in by actions are isolated by them.
"""

from __future__ import annotations

import logging
from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from assistant import rasa_patches
from assistant.bidi import isolate_ltr
from assistant.languages import LANGUAGES
from assistant.responses import load_catalog

logger = logging.getLogger(__name__)

Responses = dict[str, list[dict[str, Any]]]


def _arabic(variation: dict[str, Any]) -> bool:
    return any(
        isinstance(c, dict) and c.get("name") == "language" and c.get("value") == "ar"
        for c in variation.get("condition") or []
    )


def isolated(responses: Responses) -> Responses:
    """The responses with the text of their Arabic variations isolated (`bidi.isolate_ltr`:
    `{placeholders}` untouched, already isolated runs and list numbers kept)."""
    return {
        name: [
            {**v, "text": isolate_ltr(v["text"])} if _arabic(v) and isinstance(v.get("text"), str) else v
            for v in variations
        ]
        for name, variations in responses.items()
    }


class CatalogNaturalLanguageGenerator(TemplatedNaturalLanguageGenerator):
    def __init__(self, endpoint_config: Any = None, domain: Domain | None = None) -> None:
        if not rasa_patches.applied():  # they are applied by the start-up entry point
            logger.warning("Rasa started without `python -m assistant.rasa_start`: the project's patches are not applied")
        self._catalog = isolated(load_catalog())
        super().__init__(dict(domain.responses) if domain else {})

    # Rasa's Agent assigns `nlg.responses = domain.responses` once the model is loaded:
    # the catalog must survive that assignment.
    @property  # type: ignore[override]
    def responses(self) -> Responses:
        return self._responses

    @responses.setter
    def responses(self, domain_responses: Responses) -> None:
        clash = set(domain_responses) & set(self._catalog)
        if clash:
            raise ValueError(f"responses defined both in domain.yml and responses/: {sorted(clash)}")
        self._responses = {**isolated(domain_responses), **self._catalog}

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        """Rasa's rendering, plus the language it was rendered in (kept in the bot event's
        metadata): the website widget switches its interface to the conversation's language."""
        message = await super().generate(utter_action, tracker, output_channel, **kwargs)
        language = tracker.get_slot("language")
        if message is not None and language in LANGUAGES:
            message.setdefault("language", language)
        return message
