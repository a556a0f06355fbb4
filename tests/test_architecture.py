"""The shape of the code, as docs/architecture.md draws it: no import cycles, and the
layers point one way (every import counts, ``TYPE_CHECKING`` and function-level ones too)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("assistant", "tui")

LOWER_LAYERS = {
    "assistant.memory": (
        "assistant.memory",
        "assistant.config",
        "assistant.errors",
        "assistant.json_values",
        "assistant.turn",
        "assistant.models",
    ),
}
"""A package and everything it may import from the project (the bottom layer first)."""
NOTHING_IMPORTS = ("assistant.core",)
"""Built by the entry points only (the CLI, the UI, the API server, the voice loop's starter)."""
ENTRY_POINTS = (
    "assistant.cli",
    "assistant.api",
    "assistant.voice",
    "assistant.corpus",
    "assistant.__main__",
    "tui",
)


def module_names() -> dict[str, Path]:
    names = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            names[name] = path
    return names


def import_graph() -> dict[str, set[str]]:
    """module -> project modules it imports (packages resolved to the module named)."""
    modules = module_names()

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parent, base] if base else parent)
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                found = known(target)
                # A module's own package __init__ is where it lives, not a dependency.
                if found and found != name and not name.startswith(found + "."):
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_there_are_no_import_cycles() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_lower_layers_import_nothing_above_them() -> None:
    graph = import_graph()
    wrong = [
        f"{module} imports {target}"
        for layer, allowed in LOWER_LAYERS.items()
        for module, targets in graph.items()
        if module == layer or module.startswith(layer + ".")
        for target in targets
        if not target.startswith(allowed)
    ]
    assert wrong == []


def test_only_entry_points_import_core() -> None:
    graph = import_graph()
    wrong = [
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if target in NOTHING_IMPORTS and not module.startswith(ENTRY_POINTS)
    ]
    assert wrong == []
