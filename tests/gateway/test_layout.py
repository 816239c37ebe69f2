"""The gateway's shape, kept: no import cycle between its modules, none over ~300 lines, the
contract at the bottom, and an action server that imports nothing of the gateway but the
wire types it shares with it (bot/wire)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 300
BOTTOM = ("bot.contract", "bot.errors")


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((ROOT / "bot").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, known: dict[str, Path]) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        out |= {n for n in names if n in known}
    return out


def test_no_import_cycle_and_the_contract_at_the_bottom() -> None:
    known = modules()
    graph = {name: imports(path, known) - {name} for name, path in known.items()}
    for bottom in BOTTOM:
        assert graph[bottom] <= set(BOTTOM), f"{bottom} imports {graph[bottom]}"
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError(
                "import cycle: " + " -> ".join([*trail[trail.index(name) :], name])
            )
        if name in done:
            return
        for other in sorted(graph[name]):
            if not (name.startswith(other + ".") and known[other].name == "__init__.py"):
                visit(other, [*trail, name])
        done.add(name)

    for name in graph:
        visit(name, [])


def test_no_gateway_module_is_long() -> None:
    long = {
        name: lines
        for name, path in modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_the_action_server_and_the_shared_types_import_nothing_of_the_gateway() -> None:
    every = [f"actions.{p.stem}" for p in sorted((ROOT / "actions").glob("*.py"))]
    every += [f"bot.wire.{p.stem}" for p in sorted((ROOT / "bot" / "wire").glob("*.py"))]
    check = (
        f"import importlib, sys\nfor name in {every!r}: importlib.import_module(name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'bot'\n"
        "             and n != 'bot' and not n.startswith('bot.wire')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
