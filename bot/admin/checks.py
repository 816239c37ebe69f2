"""The checks every change to the Rasa project passes before it is written: each example under
one intent only, each intent with enough examples in both languages, entities the domain knows,
each response with a variation per language and only facts the assistant can fill."""

from __future__ import annotations

from collections import defaultdict

import yaml

from bot.admin import domain_data, nlu_data
from bot.admin.draft import Draft
from bot.admin.facts import SHOP, placeholders, template_problems
from bot.admin.problems import Problem

# an intent keeps at least this many examples in each language
MIN_EXAMPLES = 2
LONGEST_EXAMPLE = 300


def example_problems(text: str, entities: set[str], field: str = "text") -> list[Problem]:
    plain = nlu_data.plain_text(text).strip()
    if not plain:
        return [Problem(field, "an example cannot be empty")]
    if len(plain) > LONGEST_EXAMPLE:
        return [Problem(field, f"an example is at most {LONGEST_EXAMPLE} characters")]
    if "\n" in text or "\r" in text:
        return [Problem(field, "an example is one line")]
    if text.lstrip().startswith("- "):
        return [Problem(field, "an example cannot start with '- '")]
    problems = []
    for mark in nlu_data.MARK.finditer(text):
        if mark["entity"] not in entities:
            problems.append(Problem(field, f"there is no entity {mark['entity']!r}"))
    if ("[" in nlu_data.MARK.sub("", text)) and "](" in text:
        problems.append(Problem(field, "an entity is marked as [words](entity_name)"))
    return problems


def fillable(draft: Draft) -> set[str]:
    """The `{name}` fields a response may use: the shop's facts, the slots, and what the
    actions already fill in the responses as they are on disk."""
    on_disk = yaml.safe_load(draft.original(domain_data.DOMAIN) or "{}") or {}
    used = {
        field
        for variations in (on_disk.get("responses") or {}).values()
        for variation in variations
        for field in placeholders(str(variation.get("text") or ""))
    }
    slots = set((draft.plain(domain_data.DOMAIN) or {}).get("slots") or {})
    return {str(key) for key in draft.plain(SHOP) or {}} | slots | used


def project_problems(draft: Draft) -> list[Problem]:
    """Everything wrong with the draft's Rasa project."""
    problems: list[Problem] = []
    intents = set(domain_data.intents(draft))
    entities = set(domain_data.entities(draft))
    seen: dict[str, set[str]] = defaultdict(set)
    listed: dict[tuple[str, str, str], int] = defaultdict(int)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for example in nlu_data.examples(draft):
        seen[nlu_data.normalised(example.text)].add(example.intent)
        listed[(nlu_data.normalised(example.text), example.intent, example.language)] += 1
        counts[(example.intent, example.language)] += 1
        problems += example_problems(example.text, entities)
        if example.intent not in intents:
            problems.append(Problem("intent", f"the domain has no intent {example.intent!r}"))
    for text, under in sorted(seen.items()):
        if len(under) > 1:
            both = " and ".join(sorted(under))
            problems.append(Problem("text", f"“{text}” is an example of both {both}"))
    for (text, intent, language), times in sorted(listed.items()):
        if times > 1:
            problems.append(
                Problem("text", f"“{text}” is listed {times} times under {intent} ({language})")
            )
    for intent in sorted(intents):
        for language in nlu_data.LANGUAGES:
            if counts[(intent, language)] < MIN_EXAMPLES:
                problems.append(
                    Problem(
                        "examples",
                        f"{intent} would have {counts[(intent, language)]} {language} examples;"
                        f" it needs at least {MIN_EXAMPLES}",
                    )
                )
    known = fillable(draft)
    for name, variations in domain_data.responses(draft).items():
        languages = {v["language"] for v in variations}
        for language in nlu_data.LANGUAGES:
            if language not in languages:
                problems.append(Problem(f"responses.{name}", f"{name} has no {language} variation"))
        for i, variation in enumerate(variations):
            problems += template_problems(f"responses.{name}.{i}", variation["text"], known)
            for button in variation["buttons"]:
                if not button["title"].strip() or not button["payload"].strip():
                    problems.append(
                        Problem(f"responses.{name}.{i}", "a button needs a title and a payload")
                    )
    return problems
