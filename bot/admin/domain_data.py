"""The assistant's responses (`domain.yml`), its intents list, and the intents created on the
admin pages: each answered by one response, through a rule of its own (`data/rules/faq.yml`)
and titled for the clarifying question (`actions/intent_titles.yml`)."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.admin.draft import Draft
from bot.admin.round_trip import loads

DOMAIN = "domain.yml"
FAQ_RULES = "data/rules/faq.yml"
TITLES = "actions/intent_titles.yml"
LANGUAGE_SLOT = "language"


def language_of(variation: dict[str, Any]) -> str:
    for condition in variation.get("condition") or []:
        if condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return "en"


def responses(draft: Draft) -> dict[str, list[dict[str, Any]]]:
    """{name: [{language, text, buttons}]} of every response in the domain."""
    out = {}
    for name, variations in ((draft.plain(DOMAIN) or {}).get("responses") or {}).items():
        out[name] = [
            {
                "language": language_of(v),
                "text": str(v.get("text") or ""),
                "buttons": [
                    {"title": str(b.get("title") or ""), "payload": str(b.get("payload") or "")}
                    for b in v.get("buttons") or []
                ],
            }
            for v in variations
        ]
    return out


def _variation(language: str, text: str, buttons: list[dict[str, str]]) -> CommentedMap:
    item = CommentedMap()
    item["text"] = DoubleQuotedScalarString(text)
    if buttons:
        listed = CommentedSeq()
        for button in buttons:
            entry = CommentedMap()
            entry["title"] = DoubleQuotedScalarString(button["title"])
            entry["payload"] = DoubleQuotedScalarString(button["payload"])
            listed.append(entry)
        item["buttons"] = listed
    if language != "en":
        condition = CommentedMap()
        condition["type"] = "slot"
        condition["name"] = LANGUAGE_SLOT
        condition["value"] = language
        item["condition"] = CommentedSeq([condition])
    return item


def set_response(draft: Draft, name: str, variations: list[dict[str, Any]]) -> None:
    """The response's variations replaced (English ones first: they carry no condition)."""
    ordered = sorted(variations, key=lambda v: v["language"] != "en")
    doc = draft.doc(DOMAIN)
    doc["responses"][name] = CommentedSeq(
        _variation(v["language"], v["text"], v.get("buttons") or []) for v in ordered
    )


def intents(draft: Draft) -> list[str]:
    return [str(i) for i in (draft.plain(DOMAIN) or {}).get("intents") or []]


def entities(draft: Draft) -> list[str]:
    return [str(e) for e in (draft.plain(DOMAIN) or {}).get("entities") or []]


def titles(draft: Draft) -> dict[str, dict[str, str]]:
    return {k: dict(v) for k, v in (draft.plain(TITLES) or {}).items()}


def faq_intents(draft: Draft) -> list[str]:
    """The intents created on the admin pages (their rules live in the FAQ rules file)."""
    rules = (draft.plain(FAQ_RULES) or {}).get("rules") or []
    return [str(step["intent"]) for rule in rules for step in rule["steps"] if "intent" in step]


def add_faq(draft: Draft, name: str, title: dict[str, str], answer: list[dict[str, Any]]) -> None:
    doc = draft.doc(DOMAIN)
    doc["intents"].append(name)
    doc["responses"][f"utter_{name}"] = CommentedSeq()
    set_response(draft, f"utter_{name}", answer)
    if draft.text(FAQ_RULES) is None:
        draft.set_text(
            FAQ_RULES,
            "# Questions added on the admin pages: each answered by its own response.\n"
            'version: "3.1"\n\nrules:\n',
        )
    rules = draft.doc(FAQ_RULES)
    if rules.get("rules") is None:
        rules["rules"] = CommentedSeq()
    rules["rules"].append(
        loads(
            f"rule: answer {name}\nsteps:\n- intent: {name}\n- action: action_answer\n"
            "wait_for_user_input: false\n"
        )
    )
    entry = CommentedMap()
    for language, text in title.items():
        entry[language] = DoubleQuotedScalarString(text)
    entry.fa.set_flow_style()
    draft.doc(TITLES)[name] = entry


def drop_faq(draft: Draft, name: str) -> None:
    doc = draft.doc(DOMAIN)
    doc["intents"].remove(name)
    doc["responses"].pop(f"utter_{name}", None)
    rules = draft.doc(FAQ_RULES)
    for rule in [r for r in rules["rules"] if any(s.get("intent") == name for s in r["steps"])]:
        rules["rules"].remove(rule)
    draft.doc(TITLES).pop(name, None)
