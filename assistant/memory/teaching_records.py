"""What the user has taught: custom commands, aliases, preferences, and the change log.

Plain dataclasses with no behaviour beyond naming and conversion, shared by the
storage layer (``assistant.memory``), the teaching service, the CLI and the UI.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

PARAMETER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
"""A parameter in a trigger or step template: ``{minutes}``."""


class TeachingError(ValueError):
    """Something cannot be taught as asked; the message says why and what to do."""


class NameClash(TeachingError):
    """A phrase already means something else; ``meaning`` says what."""

    def __init__(self, message: str, phrase: str, meaning: str, kind: str) -> None:
        super().__init__(message)
        self.phrase = phrase
        self.meaning = meaning
        self.kind = kind
        """built-in (a skill's phrase), command (another taught command), alias, or exists
        (a command with this name is already taught and ``replace`` was not asked)."""


class UnknownStep(TeachingError):
    """A step the assistant does not understand; nothing is stored."""

    def __init__(self, message: str, step: str) -> None:
        super().__init__(message)
        self.step = step


def slug(name: str) -> str:
    """'Reading mode!' -> 'reading_mode': the part of ``custom.<slug>`` intent names."""
    cleaned = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
    return cleaned or "command"


@dataclass
class CommandStep:
    """One thing a custom command does, as said and as understood."""

    text: str
    """The words of the step, with ``{parameter}`` where a trigger value goes."""
    intent: str
    """What the words were understood as when taught, e.g. ``timer.set``."""
    slots: dict[str, Any] = field(default_factory=dict)
    """The understood slots (for steps without parameters, used as they are)."""

    @property
    def parameters(self) -> list[str]:
        return PARAMETER.findall(self.text)


@dataclass
class CustomCommand:
    """A command the user taught: trigger phrases and the steps they run."""

    id: int
    name: str
    triggers: list[str]
    """Phrases that run it, with ``{parameter}`` slots, e.g. ``focus for {minutes} minutes``."""
    steps: list[CommandStep]
    source: str = "ui"
    """Where it was taught: voice, ui, cli, import, offer."""
    created_at: float = 0.0
    updated_at: float = 0.0

    @property
    def intent(self) -> str:
        return f"custom.{slug(self.name)}"

    @property
    def parameters(self) -> list[str]:
        found: list[str] = []
        for trigger in self.triggers:
            for name in PARAMETER.findall(trigger):
                if name not in found:
                    found.append(name)
        return found

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Alias:
    """A phrase that means another request: "lights out" -> "turn off all lights"."""

    id: int
    phrase: str
    target: str
    source: str = "ui"
    created_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Preference:
    """Something the user told about themselves."""

    id: int
    category: str
    """identity, location, units, music, sports, news, people, assistant, general."""
    key: str
    """e.g. ``name``, ``home_city``, ``temperature_unit``, ``music_genre``, ``sister``."""
    value: str
    source: str = "said"
    """said (stated in conversation), guided ("learn my preferences"), inferred, ui, import."""
    created_at: float = 0.0
    updated_at: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Change:
    """One create, update or delete of a taught or learned thing (the undo log)."""

    id: int
    at: float
    table_name: str
    row_key: str
    """The thing's natural key: command name, alias phrase, preference key..."""
    action: str
    """create, update, delete, or undo."""
    before: Any
    after: Any
    description: str
    undone: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
