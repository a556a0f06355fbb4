"""What a skill (built-in or plug-in) is, and what it is given.

A skill is one Python module plus one sentences YAML in Home Assistant's
intent format. The YAML declares the intents and their sentence templates;
the module declares for each intent which slots are required (with the
question to ask when one is missing) and a handler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from assistant.config import Settings
    from assistant.devices import DeviceRegistry
    from assistant.dialogue.session import PendingQuestion, Session
    from assistant.memory.store import Store
    from assistant.nlu.types import IntentCandidate


class SkillError(Exception):
    """A handler could not do what was asked; the message is said to the user."""


class MissingSlot(SkillError):
    """A handler needs a value it was not given: the dialogue asks ``question`` and reads
    the answer as ``slot`` of the same request ("When should I remind you?" -> "in an hour")."""

    def __init__(self, slot: str, question: str) -> None:
        super().__init__(question)
        self.slot = slot


@dataclass
class SlotSpec:
    """A slot an intent needs, and how to ask for it."""

    name: str
    question: str
    """Asked when the slot is missing, e.g. "For how long?"."""
    required: bool = True


@dataclass
class IntentSpec:
    """Behaviour of one intent beyond its sentences."""

    name: str
    """Dotted name, e.g. ``timer.set``."""
    handler: Callable[[ActionRequest, SkillContext], ActionResult]
    slots: list[SlotSpec] = field(default_factory=list)
    needs_confirmation: bool = False
    """Ask "Are you sure?" before running (risky actions)."""
    confirm: str = ""
    """The action in words for that question, completing "Are you sure you want me to ...?"
    (e.g. "cancel every timer, alarm and reminder"); ``{slot}`` fields are filled in. Several
    wordings split by ``|`` are tried in order, the first whose slots were all said wins
    ("cancel all your {kind}s|cancel every timer, alarm and reminder")."""
    undo: Callable[[dict[str, Any], SkillContext], str] | None = None
    """Takes back what a successful run did ("cancel that", "undo that"), given the
    ``ActionResult.data`` of that run; returns the reply ("OK, the 10-minute timer is gone.").
    None: the intent changes nothing, or cannot be taken back."""
    description: str = ""
    """One line for "what can I say"."""
    examples: list[str] = field(default_factory=list)
    """Example phrases for "what can I say"; taken from the YAML if empty."""

    @property
    def required_slots(self) -> list[SlotSpec]:
        return [slot for slot in self.slots if slot.required]


@dataclass
class ActionRequest:
    """An understood request handed to a handler."""

    intent: str
    slots: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    """The words the user said."""
    replaces: dict[str, Any] | None = None
    """When the user corrects the previous request ("no, ten minutes"), the
    ``data`` of the result being corrected, so the handler can undo it first."""
    code: str | None = field(default=None, repr=False)
    """A code the user said for this request (an alarm's, a lock's), digits only; None when
    none was said. Pass it on, never keep, log or repeat it."""


@dataclass
class ActionResult:
    """What a handler did."""

    speech: str
    """The reply, plain and friendly."""
    ok: bool = True
    error: str | None = None
    entity: str | None = None
    """The thing acted on, so "it"/"that" can refer to it next turn."""
    entity_name: str | None = None
    """That thing in words ("eggs timer", "desk lamp"), put in place of "it" next turn."""
    data: dict[str, Any] = field(default_factory=dict)
    """Structured details for scripts (``--json``) and the UI."""
    asks_for: str | None = None
    """The slot the reply asks for (the handler raised ``MissingSlot``)."""
    follow_up: PendingQuestion | None = None
    """A question to ask next; its answer goes to ``follow_up.on_answer``."""
    asks_code: bool = False
    """The reply asks for a code ("What's the code for the Security?"): the answer runs this
    request again with ``ActionRequest.code``, and is shown and stored masked. Asked once: a
    request that already had a code is not asked again."""


class IntentRunner(Protocol):
    """What a skill may ask of the assistant it runs in: read a request, run an intent."""

    def spec(self, intent: str) -> IntentSpec | None: ...

    def understand(self, text: str, session_id: str | None = None) -> IntentCandidate | None: ...

    def execute(
        self,
        intent: str,
        slots: dict[str, Any],
        text: str = "",
        *,
        session: Session | None = None,
        replaces: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> ActionResult: ...


class Clock(Protocol):
    def now(self) -> float: ...


class SystemClock:
    """Real time; tests pass a fake with the same ``now()``."""

    def now(self) -> float:
        import time

        return time.time()


CLOCK_FILE_VARIABLE = "ASSISTANT_CLOCK_FILE"
"""Names a file holding the time (Unix seconds) the assistant reads as now: a simulated
clock for tests and benchmarks that drive the command line over simulated days."""


class FileClock:
    """The time written in a file, read on every ``now()`` so another process can move it."""

    def __init__(self, path: str) -> None:
        self.path = path

    def now(self) -> float:
        try:
            with open(self.path, encoding="utf-8") as file:
                return float(file.read().strip())
        except (OSError, ValueError) as error:
            raise ValueError(
                f"{CLOCK_FILE_VARIABLE} names {self.path!r}, which holds no time in seconds: {error}"
            ) from error


def clock_from_environment() -> Clock | None:
    """A ``FileClock`` when ``ASSISTANT_CLOCK_FILE`` is set, else None (real time)."""
    import os

    path = os.environ.get(CLOCK_FILE_VARIABLE)
    return FileClock(path) if path else None


@dataclass
class SkillContext:
    """What a handler may use: the store, devices, settings, the clock, the user."""

    store: Store
    devices: DeviceRegistry
    clock: Clock
    settings: Settings
    preferences: dict[str, str] = field(default_factory=dict)
    """The user's preferences as key -> value (``name``, ``units``, ``music_genre``...)."""
    catalogs: dict[str, list[str]] = field(default_factory=dict)
    runner: IntentRunner | None = None
    """Understands and runs other intents (custom commands run their steps through it)."""
    session: Session | None = None
    """The conversation this request belongs to."""


@dataclass
class Skill:
    """A group of intents with their sentences."""

    name: str
    sentences_file: Path | None
    """Home Assistant intents YAML (``language``, ``intents``, ``lists``)."""
    intents: list[IntentSpec]
    description: str = ""
    source: str = "built-in"
    """built-in, or the plug-in's name."""
    close: Callable[[], None] | None = None
    """Called when the assistant closes (a plug-in's connection to end)."""
