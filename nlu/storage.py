"""What the project's Rasa components keep in the model: fitted estimators, input files."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

import joblib
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage

logger = logging.getLogger(__name__)


def file_fingerprint(path: Path) -> str | None:
    """A component reading a file outside the graph adds its hash to the fingerprint, so an
    edit to the file retrains the model."""
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def save_estimator(
    model_storage: ModelStorage, resource: Resource, filename: str, estimator: Any
) -> None:
    with model_storage.write_to(resource) as directory:
        joblib.dump(estimator, Path(directory) / filename)


def load_estimator(
    model_storage: ModelStorage, resource: Resource, filename: str, owner: str
) -> Any | None:
    """The fitted estimator, or None (with a warning) when the model holds none."""
    try:
        with model_storage.read_from(resource) as directory:
            return joblib.load(Path(directory) / filename)
    except (ValueError, FileNotFoundError):
        logger.warning("%s: no trained model found.", owner)
        return None
