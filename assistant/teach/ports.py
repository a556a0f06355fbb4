"""What teaching needs from the rest of the assistant; ``core`` builds it, and nothing
in ``teach`` imports ``core``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from assistant.config import Home, Settings
    from assistant.devices import DeviceRegistry
    from assistant.memory.store import Store
    from assistant.nlu.engine import Understanding
    from assistant.nlu.types import IntentCandidate
    from assistant.skills.base import IntentRunner
    from assistant.skills.registry import SkillRegistry


@dataclass
class TeachingParts:
    """Everything a ``TeachingService`` uses."""

    store: Store
    understanding: Understanding
    """Taught phrases are added to it and forgotten from it."""
    skills: SkillRegistry
    """Teaching adds its own skill and the taught commands' skill."""
    devices: DeviceRegistry
    settings: Settings
    home: Home
    """Where a changed wake phrase is saved."""
    understand: Callable[[str], IntentCandidate | None]
    """The assistant's confident reading of a request, aliases applied (what a step will do)."""
    executor: IntentRunner
    """Runs what was just taught, so a taught meaning is carried out at once."""
