"""What the assistant knows and says, as the admin pages read and change it: intents and their
examples, new questions (FAQs), responses, the LERA phrase bank, the shop's facts and the desk
policy. Every change goes through the change log (checked, written, recorded)."""

from __future__ import annotations

import re
from typing import Any

from bot.admin import domain_data, facts, nlu_data
from bot.admin.changes import ChangeLog
from bot.admin.checks import MIN_EXAMPLES, example_problems
from bot.admin.draft import Draft
from bot.admin.nlu_data import LANGUAGES, Example
from bot.admin.problems import InvalidChange, Problem, refuse
from bot.errors import Conflict, NotFound
from bot.models import Agent

INTENT_NAME = re.compile(r"^[a-z][a-z0-9_]{2,49}$")
SEARCH_LIMIT = 200


def _language(language: str) -> str:
    if language not in LANGUAGES:
        raise refuse("language", "the language is en or zh")
    return language


class Knowledge:
    def __init__(self, log: ChangeLog, timezone: str) -> None:
        self._log = log
        self._timezone = timezone  # shown with the policy; a setting, not edited here

    # --- reading -----------------------------------------------------------------------

    def intents(self) -> list[dict[str, Any]]:
        draft = self._log.draft()
        counts: dict[tuple[str, str], int] = {}
        for example in nlu_data.examples(draft):
            key = (example.intent, example.language)
            counts[key] = counts.get(key, 0) + 1
        return [self._intent(draft, name, counts) for name in domain_data.intents(draft)]

    def _intent(
        self, draft: Draft, name: str, counts: dict[tuple[str, str], int]
    ) -> dict[str, Any]:
        response = f"utter_{name}"
        return {
            "name": name,
            "title": domain_data.titles(draft).get(name, {}),
            "examples": {lang: counts.get((name, lang), 0) for lang in LANGUAGES},
            "response": response if response in domain_data.responses(draft) else None,
            "faq": name in domain_data.faq_intents(draft),
        }

    def intent(self, name: str) -> dict[str, Any]:
        draft = self._log.draft()
        if name not in domain_data.intents(draft):
            raise NotFound("no such intent")
        found = [e for e in nlu_data.examples(draft) if e.intent == name]
        counts = {lang: sum(e.language == lang for e in found) for lang in LANGUAGES}
        return {
            **self._intent(draft, name, {(name, k): v for k, v in counts.items()}),
            "examples": [e.as_dict() for e in found],
        }

    def search(self, query: str, language: str = "") -> list[dict[str, Any]]:
        needle = nlu_data.normalised(query)
        hits = [
            e.as_dict()
            for e in nlu_data.examples(self._log.draft())
            if (not language or e.language == language)
            and (not needle or needle in nlu_data.normalised(e.text))
        ]
        return hits[:SEARCH_LIMIT]

    def entities(self) -> list[str]:
        return domain_data.entities(self._log.draft())

    def responses(self, query: str = "") -> list[dict[str, Any]]:
        needle = query.strip().casefold()
        return [
            {"name": name, "variations": variations}
            for name, variations in domain_data.responses(self._log.draft()).items()
            if not needle
            or needle in name.casefold()
            or any(needle in v["text"].casefold() for v in variations)
        ]

    def phrases(self) -> dict[str, Any]:
        return {"entries": facts.phrase_entries(self._log.draft())}

    def shop(self) -> dict[str, Any]:
        return {"facts": facts.shop_facts(self._log.draft())}

    def policy(self) -> dict[str, Any]:
        policy = facts.desk_policy(self._log.draft()).model_dump(mode="json")
        return {**policy, "timezone": self._timezone}

    # --- changing ----------------------------------------------------------------------

    def _find(self, draft: Draft, example_id: str) -> Example:
        for example in nlu_data.examples(draft):
            if example.id == example_id:
                return example
        raise NotFound("no such example (it may have been edited: reload the intent)")

    def _checked(self, draft: Draft, intent: str, language: str, text: str) -> str:
        text = " ".join(text.split())
        problems = example_problems(text, set(domain_data.entities(draft)))
        if intent not in domain_data.intents(draft):
            problems.append(Problem("intent", f"there is no intent {intent!r}"))
        if problems:
            raise InvalidChange(problems)
        _language(language)
        return text

    async def add_example(self, by: Agent, intent: str, language: str, text: str) -> dict[str, Any]:
        def edit(draft: Draft) -> Example:
            return nlu_data.add(
                draft, intent, language, self._checked(draft, intent, language, text)
            )

        change, example = await self._log.apply(
            by, "example_added", f"Example added to {intent} ({language}): {text[:80]}", edit
        )
        return {"change": change, "example": example.as_dict()}

    async def edit_example(
        self, by: Agent, example_id: str, intent: str, language: str, text: str
    ) -> dict[str, Any]:
        def edit(draft: Draft) -> Example:
            example = self._find(draft, example_id)
            clean = self._checked(draft, intent, language, text)
            if intent == example.intent and language == example.language:
                return nlu_data.replace(draft, example, clean)
            nlu_data.remove(draft, example)
            return nlu_data.add(draft, intent, language, clean)

        current = self._find(self._log.draft(), example_id)
        what = (
            f"Example moved from {current.intent} to {intent}"
            if intent != current.intent
            else f"Example of {intent} edited"
        )
        change, example = await self._log.apply(by, "example_edited", f"{what}: {text[:80]}", edit)
        return {"change": change, "example": example.as_dict()}

    async def delete_example(self, by: Agent, example_id: str) -> dict[str, Any]:
        current = self._find(self._log.draft(), example_id)

        def edit(draft: Draft) -> None:
            nlu_data.remove(draft, self._find(draft, example_id))

        change, _ = await self._log.apply(
            by,
            "example_deleted",
            f"Example deleted from {current.intent} ({current.language}): {current.text[:80]}",
            edit,
        )
        return {"change": change}

    async def add_faq(
        self,
        by: Agent,
        name: str,
        title: dict[str, str],
        examples: dict[str, list[str]],
        answer: dict[str, list[str]],
    ) -> dict[str, Any]:
        def edit(draft: Draft) -> None:
            problems = []
            if not INTENT_NAME.match(name):
                problems.append(
                    Problem("name", "a name is 3–50 lowercase letters, digits and _, from a letter")
                )
            elif name in domain_data.intents(draft):
                problems.append(Problem("name", f"there is already an intent {name!r}"))
            for language in LANGUAGES:
                if not (title.get(language) or "").strip():
                    problems.append(Problem(f"title.{language}", "a title is needed"))
                given = [t for t in examples.get(language) or [] if t.strip()]
                if len(given) < MIN_EXAMPLES:
                    problems.append(
                        Problem(
                            f"examples.{language}",
                            f"at least {MIN_EXAMPLES} examples in {language}",
                        )
                    )
                for i, text in enumerate(given):
                    problems += example_problems(
                        text, set(domain_data.entities(draft)), f"examples.{language}.{i}"
                    )
                if not [t for t in answer.get(language) or [] if t.strip()]:
                    problems.append(Problem(f"answer.{language}", "an answer is needed"))
            if problems:
                raise InvalidChange(problems)
            domain_data.add_faq(
                draft,
                name,
                {lang: title[lang].strip() for lang in LANGUAGES},
                [
                    {"language": lang, "text": t.strip()}
                    for lang in LANGUAGES
                    for t in answer[lang]
                    if t.strip()
                ],
            )
            for language in LANGUAGES:
                for text in examples[language]:
                    if text.strip():
                        nlu_data.add(draft, name, language, " ".join(text.split()))

        change, _ = await self._log.apply(by, "faq_added", f"New question {name}", edit)
        return {"change": change, "intent": self.intent(name)}

    async def delete_faq(self, by: Agent, name: str) -> dict[str, Any]:
        def edit(draft: Draft) -> None:
            if name not in domain_data.faq_intents(draft):
                raise Conflict("only questions added on the admin pages can be deleted")
            nlu_data.drop_intent(draft, name)
            domain_data.drop_faq(draft, name)

        change, _ = await self._log.apply(by, "faq_deleted", f"Question {name} deleted", edit)
        return {"change": change}

    async def set_response(
        self, by: Agent, name: str, variations: list[dict[str, Any]]
    ) -> dict[str, Any]:
        def edit(draft: Draft) -> None:
            if name not in domain_data.responses(draft):
                raise NotFound("no such response")
            for v in variations:
                _language(v["language"])
            domain_data.set_response(draft, name, variations)

        change, _ = await self._log.apply(by, "response_edited", f"Response {name} edited", edit)
        found = domain_data.responses(self._log.draft())[name]
        return {"change": change, "response": {"name": name, "variations": found}}

    async def set_phrases(
        self, by: Agent, path: str, texts: dict[str, list[str]]
    ) -> dict[str, Any]:
        change, entry = await self._log.apply(
            by,
            "phrases_edited",
            f"LERA phrases {path} edited",
            lambda draft: facts.set_phrases(draft, path, texts),
        )
        return {"change": change, "entry": entry}

    async def set_fact(self, by: Agent, key: str, value: str | dict[str, str]) -> dict[str, Any]:
        change, _ = await self._log.apply(
            by,
            "fact_edited",
            f"Shop fact {key} edited",
            lambda draft: facts.set_fact(draft, key, value),
        )
        fact = next(f for f in facts.shop_facts(self._log.draft()) if f["key"] == key)
        return {"change": change, "fact": fact}

    async def set_policy(self, by: Agent, given: dict[str, Any]) -> dict[str, Any]:
        change, policy = await self._log.apply(
            by,
            "policy_edited",
            "Business hours and SLA policy edited",
            lambda draft: facts.set_policy(draft, given),
        )
        return {
            "change": change,
            "policy": {**policy.model_dump(mode="json"), "timezone": self._timezone},
        }
