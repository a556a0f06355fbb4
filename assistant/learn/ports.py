"""What learning from use needs from the rest of the assistant, as narrow interfaces.

``core`` builds the parts; nothing in ``learn`` imports ``core``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from assistant.bus import EventBus
    from assistant.config import Settings
    from assistant.devices import DeviceRegistry
    from assistant.dialogue.ports import Executor
    from assistant.memory.store import Store
    from assistant.memory.teaching_records import CustomCommand
    from assistant.nlu.types import IntentCandidate
    from assistant.skills.base import Clock
    from assistant.skills.registry import SkillRegistry


class CommandSaver(Protocol):
    """Saves a routine the user accepted as a custom command (the teaching service)."""

    def save_command(self, name: str, triggers: list[str], steps: list[str]) -> CustomCommand: ...


@dataclass
class LearningParts:
    """Everything a ``LearningService`` uses."""

    store: Store
    clock: Clock
    settings: Settings
    devices: DeviceRegistry
    bus: EventBus
    """Wake scores and barge-ins come in; hunches go out as notices."""
    skills: SkillRegistry
    """Learning adds its own skill, and names intents when it explains a turn."""
    executor: Executor
    """Runs an accepted suggestion."""
    commands: CommandSaver
    understand: Callable[[str], IntentCandidate | None]
    """The assistant's confident reading of a request (what a rewrite's target will do)."""
