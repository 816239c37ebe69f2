"""YAML read and written back as it was: comments, key order, quoting and block scalars kept
(ruamel.yaml's round trip), in the one layout every project file uses (a test keeps them so)."""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarstring import LiteralScalarString


def _null(representer: RoundTripRepresenter, _: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=2, offset=0)
    yaml.representer.add_representer(type(None), _null)
    return yaml


_YAML = _yaml()


def loads(text: str) -> Any:
    return _YAML.load(text)


def dumps(data: Any) -> str:
    out = io.StringIO()
    _YAML.dump(data, out)
    return out.getvalue()


def literal(text: str) -> Any:
    """A block scalar (`|`), as Rasa's example lists are written."""
    return LiteralScalarString(text)
