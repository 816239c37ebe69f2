"""The admin pages' routes for what the assistant knows and says: intents and examples, new
questions, responses, the LERA phrase bank, the shop's facts, the desk policy, and the history
of changes with its reverts. Admins only (`bot/policy.py`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from bot.admin.changes import ChangeLog
from bot.admin.knowledge import Knowledge
from bot.console.access import CurrentAgent, signed_in
from bot.console.bodies import ExampleIn, FactIn, FaqIn, PhrasesIn, ResponseIn

PREFIX = "/api/console/admin"


def knowledge_router(knowledge: Knowledge, changes: ChangeLog) -> APIRouter:
    api = APIRouter(tags=["admin"], dependencies=[Depends(signed_in)])

    @api.get(f"{PREFIX}/intents")
    async def intents(agent: CurrentAgent) -> list[dict[str, Any]]:
        return knowledge.intents()

    @api.get(f"{PREFIX}/intents/{{name}}")
    async def intent(name: str, agent: CurrentAgent) -> dict[str, Any]:
        return knowledge.intent(name)

    @api.post(f"{PREFIX}/intents")
    async def add_faq(body: FaqIn, agent: CurrentAgent) -> dict[str, Any]:
        """A new question the assistant answers with one response (its examples in both
        languages, its answer's variations, its title on the clarifying buttons)."""
        return await knowledge.add_faq(
            agent,
            body.name,
            body.title.model_dump(),
            body.examples.as_dict(),
            body.response.as_dict(),
        )

    @api.delete(f"{PREFIX}/intents/{{name}}")
    async def delete_faq(name: str, agent: CurrentAgent) -> dict[str, Any]:
        return await knowledge.delete_faq(agent, name)

    @api.get(f"{PREFIX}/entities")
    async def entities(agent: CurrentAgent) -> list[str]:
        return knowledge.entities()

    @api.get(f"{PREFIX}/examples")
    async def examples(
        agent: CurrentAgent,
        q: str = Query("", max_length=200),
        language: str = Query("", max_length=5),
    ) -> list[dict[str, Any]]:
        return knowledge.search(q, language)

    @api.post(f"{PREFIX}/examples")
    async def add_example(body: ExampleIn, agent: CurrentAgent) -> dict[str, Any]:
        return await knowledge.add_example(agent, body.intent, body.language, body.text)

    @api.put(f"{PREFIX}/examples/{{example_id}}")
    async def edit_example(example_id: str, body: ExampleIn, agent: CurrentAgent) -> dict[str, Any]:
        """Edits the example, or moves it to another intent or language."""
        return await knowledge.edit_example(
            agent, example_id, body.intent, body.language, body.text
        )

    @api.delete(f"{PREFIX}/examples/{{example_id}}")
    async def delete_example(example_id: str, agent: CurrentAgent) -> dict[str, Any]:
        return await knowledge.delete_example(agent, example_id)

    @api.get(f"{PREFIX}/responses")
    async def responses(
        agent: CurrentAgent, q: str = Query("", max_length=200)
    ) -> list[dict[str, Any]]:
        return knowledge.responses(q)

    @api.put(f"{PREFIX}/responses/{{name}}")
    async def set_response(name: str, body: ResponseIn, agent: CurrentAgent) -> dict[str, Any]:
        return await knowledge.set_response(agent, name, [v.model_dump() for v in body.variations])

    @api.get(f"{PREFIX}/phrases")
    async def phrases(agent: CurrentAgent) -> dict[str, Any]:
        return knowledge.phrases()

    @api.put(f"{PREFIX}/phrases")
    async def set_phrases(body: PhrasesIn, agent: CurrentAgent) -> dict[str, Any]:
        """In effect at once: the action server reads the phrase bank again when it changes."""
        return await knowledge.set_phrases(agent, body.path, body.as_dict())

    @api.get(f"{PREFIX}/shop")
    async def shop(agent: CurrentAgent) -> dict[str, Any]:
        return knowledge.shop()

    @api.put(f"{PREFIX}/shop/{{key}}")
    async def set_fact(key: str, body: FactIn, agent: CurrentAgent) -> dict[str, Any]:
        return await knowledge.set_fact(agent, key, body.value)

    @api.get(f"{PREFIX}/policy")
    async def policy(agent: CurrentAgent) -> dict[str, Any]:
        return knowledge.policy()

    @api.put(f"{PREFIX}/policy")
    async def set_policy(body: dict[str, Any], agent: CurrentAgent) -> dict[str, Any]:
        """Business hours, holidays and service levels; in effect at once."""
        return await knowledge.set_policy(agent, body)

    @api.get(f"{PREFIX}/changes")
    async def recent(agent: CurrentAgent) -> list[dict[str, Any]]:
        return await changes.recent()

    @api.post(f"{PREFIX}/changes/{{change_id}}/revert")
    async def revert(change_id: int, agent: CurrentAgent) -> dict[str, Any]:
        return {"change": await changes.revert(change_id, agent)}

    return api
