"""The files that take effect without retraining: the shop's facts (`data/shop.yml`), the LERA
phrase bank (`actions/lera_phrases.yml`) and the desk policy (`data/desk.yml`). The action
server and the gateway read each again when it changes."""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.admin.draft import Draft
from bot.admin.nlu_data import LANGUAGES
from bot.admin.problems import InvalidChange, Problem, refuse
from bot.wire.desk_policy import DeskPolicy

SHOP = "data/shop.yml"
PHRASES = "actions/lera_phrases.yml"
DESK = "data/desk.yml"
LONGEST_TEXT = 2000


def placeholders(text: str) -> set[str]:
    """The `{name}` fields of a template; ValueError when its braces do not pair up."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def template_problems(field: str, text: str, known: set[str]) -> list[Problem]:
    if not text.strip():
        return [Problem(field, "a text cannot be empty")]
    if len(text) > LONGEST_TEXT:
        return [Problem(field, f"a text is at most {LONGEST_TEXT} characters")]
    try:
        used = placeholders(text)
    except ValueError:
        return [Problem(field, "a brace is not closed: write {name} for a value, {{ for a brace")]
    unknown = sorted(used - known)
    if unknown:
        names = ", ".join("{" + name + "}" for name in unknown)
        return [Problem(field, f"nothing fills {names} here")]
    return []


# --- the shop's facts --------------------------------------------------------------------


def shop_facts(draft: Draft) -> list[dict[str, Any]]:
    return [
        {"key": str(key), "value": dict(value) if isinstance(value, dict) else str(value)}
        for key, value in (draft.plain(SHOP) or {}).items()
    ]


def set_fact(draft: Draft, key: str, value: str | dict[str, str]) -> None:
    doc = draft.doc(SHOP)
    if key not in doc:
        raise refuse("key", f"there is no shop fact {key!r}")
    bilingual = isinstance(doc[key], dict)
    if bilingual != isinstance(value, dict):
        shape = "one text per language (en, zh)" if bilingual else "one text for both languages"
        raise refuse("value", f"{key} takes {shape}")
    texts = value if isinstance(value, dict) else {"": value}
    problems = [
        Problem(f"value.{language}" if language else "value", "a fact cannot be empty")
        for language, text in texts.items()
        if not str(text).strip()
    ]
    if isinstance(value, dict) and set(value) != set(LANGUAGES):
        problems.append(Problem("value", "a bilingual fact needs its en and zh text"))
    if problems:
        raise InvalidChange(problems)
    if isinstance(value, dict):
        for language in LANGUAGES:
            doc[key][language] = DoubleQuotedScalarString(value[language].strip())
    else:
        doc[key] = DoubleQuotedScalarString(value.strip())


# --- the LERA phrase bank ----------------------------------------------------------------


def _entries(node: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Any]]:
    if not isinstance(node, dict):
        return
    if node and set(node) <= set(LANGUAGES) and all(_texts(v) is not None for v in node.values()):
        yield path, node
        return
    for key, child in node.items():
        yield from _entries(child, (*path, str(key)))


def _texts(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def phrase_entries(draft: Draft) -> list[dict[str, Any]]:
    out = []
    for path, node in _entries(draft.plain(PHRASES) or {}, ()):
        texts = {language: _texts(node.get(language)) or [] for language in LANGUAGES}
        fields = set().union(*(placeholders(t) for ts in texts.values() for t in ts))
        out.append(
            {
                "path": ".".join(path),
                **texts,
                "single": any(isinstance(node.get(lang), str) for lang in LANGUAGES),
                "placeholders": sorted(fields),
            }
        )
    return out


def bank_placeholders(draft: Draft) -> set[str]:
    """Every field the composer fills somewhere in the bank."""
    return {field for entry in phrase_entries(draft) for field in entry["placeholders"]}


def set_phrases(draft: Draft, path: str, texts: dict[str, list[str]]) -> dict[str, Any]:
    entry = next((e for e in phrase_entries(draft) if e["path"] == path), None)
    if entry is None:
        raise refuse("path", f"there is no phrase {path!r}")
    known = set(entry["placeholders"]) | bank_placeholders(draft)
    problems = []
    for language in LANGUAGES:
        given = [t.strip() for t in texts.get(language) or []]
        if not given:
            problems.append(Problem(language, f"the phrase needs at least one {language} wording"))
        if entry["single"] and len(given) > 1:
            problems.append(Problem(language, "this phrase takes exactly one wording"))
        for i, text in enumerate(given):
            problems += template_problems(f"{language}.{i}", text, known)
    if problems:
        raise InvalidChange(problems)
    node = draft.doc(PHRASES)
    for key in path.split("."):
        node = node[key]
    for language in LANGUAGES:
        given = [DoubleQuotedScalarString(t.strip()) for t in texts[language]]
        node[language] = given[0] if entry["single"] else CommentedSeq(given)
    return next(e for e in phrase_entries(draft) if e["path"] == path)


# --- the desk policy ---------------------------------------------------------------------


def desk_policy(draft: Draft) -> DeskPolicy:
    return DeskPolicy.model_validate(draft.plain(DESK) or {})


def set_policy(draft: Draft, given: dict[str, Any]) -> DeskPolicy:
    try:
        policy = DeskPolicy.model_validate(given)
    except ValidationError as error:
        raise InvalidChange(
            [
                Problem(".".join(str(p) for p in e["loc"]) or "policy", e["msg"])
                for e in error.errors()
            ]
        ) from error
    doc = draft.doc(DESK, empty=None)
    if doc is None:
        doc = draft.put(DESK, CommentedMap())
    data = policy.model_dump(mode="json")
    for key in ("weekday_hours", "weekend_hours", "holidays"):
        listed = CommentedSeq(DoubleQuotedScalarString(v) for v in data[key])
        listed.fa.set_flow_style()
        doc[key] = listed
    sla = doc.get("sla")
    if sla is None:
        doc["sla"] = sla = CommentedMap()
    for key, value in data["sla"].items():
        if isinstance(value, dict):
            sla.setdefault(key, CommentedMap())
            for inner, number in value.items():
                sla[key][inner] = number
        else:
            sla[key] = value
    return policy
