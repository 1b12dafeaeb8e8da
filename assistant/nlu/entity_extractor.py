"""Rasa component: entities from the knowledge base's vocabulary (spaCy PhraseMatcher).

Patterns come from the entries' synonyms and `knowledge/vocabulary/cities.yml` of the
live knowledge-base version, the one the action server searches (`vocabulary_source.py`):
a new version (`make kb-load`) is picked up without retraining. Matching runs on the
tokenizer's normalised lemmas, so "بالشهادة السلبية", "الشهاده السلبيه" and
"Certificat Négatif" all match.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import spacy
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.tokenizers.tokenizer import Tokenizer
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import filter_spans

from assistant.contract import CASE_REFERENCE_TYPED, LANGUAGE_DETECTION_KEY, case_reference
from assistant.kb.parts import lowercase_words
from assistant.kb.vocabulary import Phrase, Vocabulary
from assistant.nlu.langid import identify
from assistant.nlu.tokenizer import spacy_tokens
from assistant.nlu.vocabulary_source import VocabularySource
from assistant.settings import get_settings

logger = logging.getLogger(__name__)


class PatternMatcher:
    """A spaCy PhraseMatcher over normalised lemmas, built from a `Vocabulary`."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.nlp = spacy.blank("xx")
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")  # spaCy's default, named for its stub
        self.labels: dict[int, Phrase] = {}
        seen: set[tuple[str, ...]] = set()
        for phrase in vocabulary.phrases:
            words = tuple(t.lemma for t in spacy_tokens(phrase.text, identify(phrase.text).variety))
            if not words or words in seen:
                continue
            seen.add(words)
            label = f"p{len(self.labels)}"
            self.matcher.add(label, [Doc(self.nlp.vocab, words=list(words))])
            self.labels[self.nlp.vocab.strings[label]] = phrase

    def entities(self, tokens: list[Any], text: str, variety: str | None) -> list[dict[str, Any]]:
        """Longest non-overlapping matches, with character offsets in the original `text`
        (whose case, with the message's `variety`, tells the SA from French "sa"; the tokens
        are normalised)."""
        if not tokens:
            return []
        doc = Doc(self.nlp.vocab, words=[t.lemma or t.text for t in tokens])
        by_span: dict[tuple[int, int], int] = {}
        for match_id, start, end in self.matcher(doc):
            by_span.setdefault((start, end), match_id)
        found = []
        common = lowercase_words(variety)
        # "une SARL au Maroc" names the SARL in Morocco, not the SARL AU (as the search reads it)
        spans = [doc[start:end] for start, end in by_span
                 if end - start < 2 or not self.vocabulary.subjects.ends_before_place(
                     text[tokens[start].start:tokens[end - 1].end], text[tokens[end - 1].end:])]
        for span in filter_spans(spans):
            phrase = self.labels[by_span[(span.start, span.end)]]
            token = tokens[span.start]
            if (span.end - span.start == 1 and text[token.start:token.end] in common
                    and re.match(r"\s+[^\W\d_]", text[token.end:])):
                continue  # French "sa société", "sa prend combien de temps" (ça): not the SA
            found.append(
                {
                    "entity": phrase.entity,
                    "value": phrase.value,
                    "start": tokens[span.start].start,
                    "end": tokens[span.end - 1].end,
                    "confidence_entity": 1.0,
                }
            )
        return found


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class KnowledgePatternExtractor(GraphComponent, EntityExtractorMixin):
    """Extracts legal forms, procedures, taxes, programmes, regions, cities, case refs."""

    @staticmethod
    def required_components() -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # knowledge_dir: read these files, never the database (tests); default: the live version
        return {"knowledge_dir": None}

    def __init__(self, config: dict[str, Any]) -> None:
        settings = get_settings()
        files_only = config.get("knowledge_dir")
        self.source: VocabularySource[PatternMatcher] = VocabularySource(
            Path(files_only or settings.knowledge_dir), PatternMatcher,
            database_url=None if files_only else settings.database_url,
        )

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnowledgePatternExtractor:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        self.source.maybe_refresh()
        matcher = self.source.current
        for message in messages:
            text = message.get(TEXT) or ""
            entities: list[dict[str, Any]] = []
            if matcher is not None:
                # the language identifier, earlier in the pipeline, already read the variety
                detected = message.get(LANGUAGE_DETECTION_KEY) or {}
                variety = detected.get("variety") if detected else identify(text).variety
                entities += matcher.entities(message.get(TOKENS_NAMES[TEXT]) or [], text, variety)
            for match in CASE_REFERENCE_TYPED.finditer(text):
                entities.append(
                    {
                        "entity": "case_ref",
                        "value": case_reference(match.group(1), match.group(2)),
                        "start": match.start(),
                        "end": match.end(),
                        "confidence_entity": 1.0,
                    }
                )
            entities = self.add_extractor_name(entities)
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
        return messages
