"""Rasa component: "not understood" when a message is made of words never seen in training.

DIET gives every input some intent, often with high confidence even for gibberish
("xqzw plorf" -> follow_up 0.71), which a confidence threshold cannot catch. This
component remembers the training vocabulary (normalised lemmas) and turns a message
whose words are almost all unknown, and that names no knowledge-base entity, into
`nlu_fallback`: the assistant then asks to rephrase instead of guessing. So is a message
with no word at all (an e-mail address, a phone number, a number, "?", emoji): the fallback
action still reads it as the answer to a pending rating or yes/no question, and a form waiting
for a contact or an amount still takes it (an active form runs before any rule).
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

FALLBACK = "nlu_fallback"
#: A word: two letters or more, digits allowed among them, since Arabizi writes sounds with digits
#: ("ch7al", "n9der", "3afak", "lwa9t"); a number with a unit ("150k") is no word.
_WORD = re.compile(r"(?=(?:\d*[^\W\d_]){2})[^\W_]+")
#: A rating typed as a fraction ("3/5", "4 / 5"): the only message without words with an intent.
_RATING = re.compile(r"\s*[1-5]\s*/\s*5\s*")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class UnknownWordsFallback(GraphComponent):
    """Predicts nlu_fallback for messages of mostly unseen words (after DIET)."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # below this share of known words (and with no entity), the message is not understood
        return {"min_known_share": 0.25}

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 vocabulary: set[str] | None = None) -> None:
        self.min_known_share = float(config.get("min_known_share", 0.25))
        self.model_storage = model_storage
        self.resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> UnknownWordsFallback:
        return cls(config, model_storage, resource)

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> UnknownWordsFallback:
        try:
            with model_storage.read_from(resource) as directory:
                vocabulary = set(json.loads((directory / "vocabulary.json").read_text(encoding="utf-8")))
        except (ValueError, FileNotFoundError):
            vocabulary = set()
        return cls(config, model_storage, resource, vocabulary)

    @staticmethod
    def _words(message: Message) -> list[str]:
        tokens = message.get(TOKENS_NAMES[TEXT]) or []
        return [t.lemma or t.text for t in tokens if _WORD.fullmatch(t.lemma or t.text or "")]

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary: set[str] = set()
        for example in training_data.training_examples:
            vocabulary.update(self._words(example))
        with self.model_storage.write_to(self.resource) as directory:
            (directory / "vocabulary.json").write_text(json.dumps(sorted(vocabulary), ensure_ascii=False), encoding="utf-8")
        self.vocabulary = vocabulary
        return self.resource

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not self.vocabulary or message.get(ENTITIES) or _RATING.fullmatch(message.get(TEXT) or ""):
                continue
            words = self._words(message)
            # no word at all (an e-mail, a phone number, a number, "?", emoji) says nothing of an
            # intent: DIET's guess from its characters ("contact@…" -> request_human) must not act
            known = sum(1 for w in words if w in self.vocabulary) / len(words) if words else 0.0
            if known < self.min_known_share and (words or (message.get(TEXT) or "").strip()):
                previous = message.get(INTENT) or {}
                fallback = {"name": FALLBACK, "confidence": 1.0 - known}
                ranking = [fallback, *(message.get(INTENT_RANKING_KEY) or [])]
                message.set(INTENT, fallback, add_to_output=True)
                message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
                message.set("unknown_words", {"known_share": round(known, 2), "was": previous.get("name")}, add_to_output=True)
        return messages
