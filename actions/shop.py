"""The shop's facts (data/shop.yml), in the customer's language, as response variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actions.settings import get_settings
from bot.wire.yaml_files import read_yaml


def _load(path: Path) -> dict[str, Any]:
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of facts")
    return data


def facts(language: str) -> dict[str, str]:
    """Every fact as a string; bilingual facts in `language` (English when unknown)."""
    out: dict[str, str] = {}
    for key, value in _load(get_settings().shop_file).items():
        if isinstance(value, dict):
            value = value.get(language) or value["en"]
        out[key] = str(value)
    return out
