"""Rasa component around cues.py: entities plus an ``analysis`` block in the parse result.

Order numbers, ticket numbers and e-mail addresses become entities (they fill slots). The rest —
language, emotion, strength, category, severity cues, product, problem — is written to the
message's ``analysis`` property: it travels in the parse data to the tracker, where the action
server and the gateway read it, without being an entity that every test story would have to
annotate. The lexicon is read when training and stored inside the model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.cues import Lexicon, analyse, vocabulary_of
from nlu.storage import file_fingerprint

LEXICON_FILE = "lexicon.yml"
ANALYSIS = "analysis"
FALLBACK_INTENT = "nlu_fallback"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class CustomerAnalyzer(GraphComponent, EntityExtractorMixin):
    """Extracts order/ticket numbers and e-mails; reads emotion, severity and the problem."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"lexicon": str(Path(__file__).with_name(LEXICON_FILE))}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        raw_lexicon: dict[str, Any] | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._lexicon = Lexicon(raw_lexicon) if raw_lexicon else None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CustomerAnalyzer:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The lexicon is read from a file outside the graph: an edit to it must retrain."""
        return file_fingerprint(Path(config.get("lexicon") or cls.get_default_config()["lexicon"]))

    def train(self, training_data: TrainingData) -> Resource:
        raw = yaml.safe_load(Path(self._config["lexicon"]).read_text(encoding="utf-8"))
        raw["vocabulary"] = vocabulary_of(
            [str(m.get(TEXT)) for m in training_data.training_examples if m.get(TEXT)]
        )
        self._lexicon = Lexicon(raw)  # fails the training run on a malformed lexicon
        with self._model_storage.write_to(self._resource) as directory:
            (Path(directory) / LEXICON_FILE).write_text(
                yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CustomerAnalyzer:
        with model_storage.read_from(resource) as directory:
            raw = yaml.safe_load((Path(directory) / LEXICON_FILE).read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, raw)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._lexicon is None:
            return messages
        for message in messages:
            text = message.get(TEXT)
            if not text:
                continue
            result = analyse(text, self._lexicon)
            entities = [
                {
                    "entity": e.entity,
                    "value": e.value,
                    "start": e.start,
                    "end": e.end,
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                for e in result.entities
            ]
            message.set(ENTITIES, message.get(ENTITIES, []) + entities, add_to_output=True)
            message.set(ANALYSIS, result.as_dict(), add_to_output=True)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class UnintelligibleFallback(GraphComponent):
    """After the FallbackClassifier: a message the analyser found nothing to read in ("xcvb
    nm", "嗯额呃") is a misunderstanding, however sure the intent classifier was of it."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnintelligibleFallback:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            analysis = message.get(ANALYSIS) or {}
            intent = message.get(INTENT) or {}
            if analysis.get("unintelligible") and intent.get("name") != FALLBACK_INTENT:
                fallback = {"name": FALLBACK_INTENT, "confidence": 1.0}
                message.data[INTENT] = fallback
                message.data[INTENT_RANKING_KEY] = [
                    fallback,
                    *(message.get(INTENT_RANKING_KEY) or []),
                ]
        return messages
