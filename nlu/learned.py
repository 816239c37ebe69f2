"""The plumbing every trained component of the pipeline shares: one fitted estimator kept in
the model, the files outside the graph it learns from (an edit to them retrains it), created
empty for training and loaded with its estimator for serving."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar, Self

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

from nlu.storage import file_fingerprint, load_estimator, save_estimator


class LearnedComponent(GraphComponent):
    MODEL_FILE: ClassVar[str]
    # config keys naming the files, outside the graph, that training reads
    INPUT_FILES: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: Any | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> Self:
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """The files training reads live outside the graph: an edit to one must retrain."""
        if not cls.INPUT_FILES:
            return None
        defaults = cls.get_default_config()
        return "-".join(
            file_fingerprint(Path(config.get(key) or defaults[key])) or ""
            for key in cls.INPUT_FILES
        )

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> Self:
        model = load_estimator(model_storage, resource, cls.MODEL_FILE, cls.__name__)
        return cls(config, model_storage, resource, model)

    def keep(self, model: Any) -> Resource:
        """Keeps the fitted estimator, in this process and in the model."""
        self._model = model
        save_estimator(self._model_storage, self._resource, self.MODEL_FILE, model)
        return self._resource
