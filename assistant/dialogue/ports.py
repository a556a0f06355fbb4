"""What the dialogue needs from the rest of the assistant, as narrow interfaces.

``core`` builds the parts and hands them in; the dialogue imports no part of
``core``, so each can be built and tested alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from assistant.skills.base import IntentRunner

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.devices import DeviceRegistry
    from assistant.dialogue.hooks import TurnHooks
    from assistant.dialogue.session import Outcome, Session
    from assistant.events import Event
    from assistant.memory.store import Store
    from assistant.nlu.types import IntentCandidate, UnderstandingContext
    from assistant.skills.base import Clock
    from assistant.turn import TurnResult


class Understander(Protocol):
    """Reads requests (``nlu.engine.Understanding``)."""

    def parse(self, text: str, context: UnderstandingContext | None = None) -> list[IntentCandidate]: ...

    def resolve_slot(self, intent: str, slot: str, words: str) -> Any | None: ...

    def slot_kind(self, intent: str, slot: str) -> str: ...


class Executor(IntentRunner, Protocol):
    """Runs and takes back intents (the assistant, over its skills and plug-ins)."""

    def undo(self, intent: str, data: dict[str, Any]) -> str:
        """Take back one run of ``intent`` given its result data; raises SkillError when it can't."""
        ...


WrongHandler = Callable[["TurnResult", "Session"], "Outcome | None"]
"""Called with the turn the user says was wrong; may offer to learn the right thing."""


@dataclass
class DialogueParts:
    """Everything a ``DialogueManager`` uses."""

    understander: Understander
    executor: Executor
    store: Store
    """Where each finished turn is written."""
    clock: Clock
    devices: DeviceRegistry
    settings: Settings
    hooks: list[TurnHooks]
    """Teaching and learning, called at fixed points of each turn (the list may grow later)."""
    preferences: Callable[[], dict[str, str]]
    offer_after_wrong: WrongHandler
    publish: Callable[[Event], None]
    """Puts the dialogue's events on the bus: Understood or NotRecognized, ActionDone, NotHandled."""
