"""JSON values: checking a document from outside (an export, a settings file) before keeping
any of it, and making slot values fit into one."""

from __future__ import annotations

import math
from typing import Any


def is_valid_text(text: str) -> bool:
    """False for text holding lone surrogates (from a JSON "\\ud800"): it cannot be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def json_problem(data: Any, max_depth: int) -> str | None:
    """The first thing in ``data`` that the assistant cannot keep, said for a person: nesting
    deeper than ``max_depth``, a name or text that is not valid Unicode, a number that is not
    finite, a value JSON has no type for. None when all is well. Iterative: any depth is safe."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            return f"it nests deeper than {max_depth} levels"
        if isinstance(item, dict):
            for key, value in item.items():
                if not isinstance(key, str) or not is_valid_text(key):
                    return f"it has a name that is not valid text: {key!r}"
                stack.append((value, depth + 1))
        elif isinstance(item, list):
            stack.extend((value, depth + 1) for value in item)
        elif isinstance(item, str):
            if not is_valid_text(item):
                return f"it holds text that is not valid Unicode (a lone surrogate): {item[:40]!r}"
        elif isinstance(item, float):
            if not math.isfinite(item):
                return f"it holds {item!r}, which is not a finite number"
        elif item is not None and not isinstance(item, (bool, int)):
            return f"it holds {item!r}, which JSON has no type for"
    return None


def jsonable_slots(slots: dict[str, Any]) -> dict[str, Any]:
    """Slot values as JSON can hold them (a datetime or a custom value becomes its text)."""
    return {
        k: v if isinstance(v, (str, int, float, bool, type(None), list, dict)) else str(v)
        for k, v in slots.items()
    }
