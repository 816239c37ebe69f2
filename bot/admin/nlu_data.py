"""Intents and their examples in the NLU files (`data/nlu/<language>/*.yml`), read and edited in
a draft. An example keeps Rasa's entity markup (`[12345](order_number)`); its id is stable for
its language and text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot.admin.draft import Draft
from bot.admin.round_trip import literal

LANGUAGES = ("en", "zh")
NLU = "data/nlu"
# the file of the NLU data where intents created on the admin pages live
FAQ_FILE = "faq.yml"
MARK = re.compile(r"\[(?P<value>[^\[\]]+)\]\((?P<entity>[A-Za-z_][A-Za-z0-9_]*)\)")


@dataclass(frozen=True)
class Example:
    intent: str
    language: str
    text: str  # with entity markup
    file: str

    @property
    def id(self) -> str:
        return example_id(self.language, self.text)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "intent": self.intent,
            "language": self.language,
            "text": self.text,
            "entities": entities_of(self.text),
        }


def example_id(language: str, text: str) -> str:
    return hashlib.sha1(f"{language}\0{text}".encode()).hexdigest()[:12]


def plain_text(text: str) -> str:
    """The example as a customer would type it: entity markup removed."""
    return MARK.sub(lambda m: m.group("value"), text)


def entities_of(text: str) -> list[dict[str, Any]]:
    """The entities marked in an example, with offsets into its plain text."""
    out, shift = [], 0
    for mark in MARK.finditer(text):
        start = mark.start() - shift
        value = mark.group("value")
        out.append(
            {"start": start, "end": start + len(value), "value": value, "entity": mark["entity"]}
        )
        shift += len(mark.group(0)) - len(value)
    return out


def normalised(text: str) -> str:
    """How two examples are compared for being the same: case, spacing and markup aside."""
    return " ".join(plain_text(text).casefold().split())


def lines_of(block: str) -> list[str]:
    return [
        line.strip()[2:].strip() for line in block.splitlines() if line.strip().startswith("- ")
    ]


def block_of(examples: list[str]) -> Any:
    return literal("".join(f"- {text}\n" for text in examples))


def nlu_files(draft: Draft, language: str) -> list[str]:
    folder = draft.root / NLU / language
    found = {f"{NLU}/{language}/{p.name}" for p in folder.glob("*.yml")}
    # a file the draft creates is there too
    found |= {path for path in draft.changed() if path.startswith(f"{NLU}/{language}/")}
    return sorted(p for p in found if draft.text(p) is not None)


def examples(draft: Draft) -> list[Example]:
    """Every example of every intent, in file order."""
    out = []
    for language in LANGUAGES:
        for path in nlu_files(draft, language):
            for block in (draft.plain(path) or {}).get("nlu") or []:
                if "intent" in block:
                    for text in lines_of(str(block.get("examples") or "")):
                        out.append(Example(block["intent"], language, text, path))
    return out


def _document(draft: Draft, path: str, create: bool) -> Any:
    if draft.text(path) is None:
        if not create:
            return None
        draft.set_text(path, 'version: "3.1"\n')
    doc = draft.doc(path)
    if doc.get("nlu") is None:
        doc["nlu"] = CommentedSeq()
    return doc


def _block(draft: Draft, path: str, intent: str, create: bool) -> Any:
    doc = _document(draft, path, create)
    if doc is None:
        return None
    for block in doc["nlu"]:
        if block.get("intent") == intent:
            return block
    if not create:
        return None
    block = CommentedMap()
    block["intent"] = intent
    block["examples"] = block_of([])
    doc["nlu"].append(block)
    return block


def home_of(draft: Draft, intent: str, language: str) -> str:
    """The file that holds the intent's examples in `language` (the FAQ file for a new one)."""
    for example in examples(draft):
        if example.intent == intent and example.language == language:
            return example.file
    return f"{NLU}/{language}/{FAQ_FILE}"


def add(draft: Draft, intent: str, language: str, text: str) -> Example:
    path = home_of(draft, intent, language)
    block = _block(draft, path, intent, create=True)
    block["examples"] = block_of([*lines_of(str(block["examples"])), text])
    return Example(intent, language, text, path)


def remove(draft: Draft, example: Example) -> None:
    block = _block(draft, example.file, example.intent, create=False)
    kept = [t for t in lines_of(str(block["examples"])) if t != example.text]
    if kept:
        block["examples"] = block_of(kept)
    else:
        draft.doc(example.file)["nlu"].remove(block)


def replace(draft: Draft, example: Example, text: str) -> Example:
    """The example's text changed where it stands (same intent, same place in its list)."""
    block = _block(draft, example.file, example.intent, create=False)
    block["examples"] = block_of(
        [text if t == example.text else t for t in lines_of(str(block["examples"]))]
    )
    return Example(example.intent, example.language, text, example.file)


def drop_intent(draft: Draft, intent: str) -> None:
    for language in LANGUAGES:
        for path in nlu_files(draft, language):
            doc = draft.doc(path)
            for block in [b for b in doc.get("nlu") or [] if b.get("intent") == intent]:
                doc["nlu"].remove(block)
