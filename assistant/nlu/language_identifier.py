"""Rasa component: attach a language detection to every message.

Stateless by design: it sees one message. The conversation's sticky language is
decided after the message in the Rasa process (`assistant.language_slots`), which sees
the history (see `assistant.nlu.langid.sticky_language`).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.contract import LANGUAGE_DETECTION_KEY
from assistant.nlu.langid import identify

#: Key of the detection in the parse data (`tracker.latest_message["language_detection"]`).
DETECTION_KEY = LANGUAGE_DETECTION_KEY


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class LanguageIdentifier(GraphComponent):
    """Identifies fr / en / ar / Darija / Arabizi for each message."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageIdentifier:
        return cls()

    def _annotate(self, message: Message) -> None:
        text = message.get(TEXT)
        if text is None:
            return
        message.set(DETECTION_KEY, identify(text).as_dict(), add_to_output=True)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            self._annotate(message)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for message in training_data.training_examples:
            self._annotate(message)
        return training_data
