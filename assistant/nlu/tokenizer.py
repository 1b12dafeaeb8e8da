"""Rasa component: spaCy tokenisation per language, with normalised token texts.

spaCy's blank pipelines (`spacy.blank("fr"|"en"|"ar")`) carry each language's
tokenisation rules and need no model download. Each token keeps its offsets in the
original text, while its text/lemma is normalised (Arabic letter variants, accents,
diacritics), so featurisers see one feature per word whatever the spelling.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from assistant.contract import LANGUAGE_DETECTION_KEY as DETECTION_KEY
from assistant.text import glued_parts, normalize, stem

# Which blank pipeline tokenises each variety (Darija in Latin script follows French rules).
PIPELINE_FOR_VARIETY = {"fr": "fr", "en": "en", "ar": "ar", "darija": "ar", "arabizi": "fr"}


@cache
def blank_pipeline(lang: str) -> Any:
    return spacy.blank(lang)


def spacy_tokens(text: str, variety: str | None) -> list[Token]:
    """Tokens of `text` with original offsets and normalised, lightly stemmed texts."""
    nlp = blank_pipeline(PIPELINE_FOR_VARIETY.get(variety or "", "fr"))
    tokens: list[Token] = []
    for t in nlp.make_doc(text):
        if t.is_space or t.is_punct:
            continue
        start = t.idx
        for part in glued_parts(t.text):  # "وSA": the proclitic and the name, as when typed apart
            norm = normalize(part).strip()
            if norm:
                tokens.append(Token(norm, start, end=start + len(part), lemma=stem(norm)))
            start += len(part)
    return tokens


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class MultilingualSpacyTokenizer(Tokenizer):
    """Tokenises with the blank spaCy pipeline of the message's detected language."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> MultilingualSpacyTokenizer:
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text = message.get(attribute) or ""
        detection = message.get(DETECTION_KEY) or {}
        tokens = spacy_tokens(text, detection.get("variety"))
        if not tokens and text.strip():
            # emoji-only or punctuation-only messages still get one token
            stripped = text.strip()
            start = text.index(stripped)
            tokens = [Token(stripped, start, end=start + len(stripped), lemma=stripped)]
        return self._apply_token_pattern(tokens)
