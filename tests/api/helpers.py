"""A small stand-in assistant for the API tests, with a real store underneath.

It understands with hassil over the built-in sentences and acts through the real
skills, so the API boundary is tested without the whole assistant.
"""

from __future__ import annotations

from typing import Any

from hassil import Intents, RecognizeResult, recognize_all
from hassil.util import merge_dict

from assistant.bus import EventBus
from assistant.config import Settings
from assistant.devices import DeviceRegistry
from assistant.events import Reply, Understood
from assistant.memory.store import Store
from assistant.skills.base import ActionRequest, SkillContext, SystemClock
from assistant.skills.registry import SkillRegistry
from assistant.turn import TurnResult


class StandInAssistant:
    """Has what the server needs: handle_text, speak, bus."""

    def __init__(self, store: Store) -> None:
        self.bus = EventBus()
        self.store = store
        self.skills = SkillRegistry()
        self.skills.load_builtin()
        merged: dict[str, Any] = {}
        for skill in self.skills.skills():
            merge_dict(merged, self.skills.sentences(skill))
        self.intents = Intents.from_dict(merged)
        self.context = SkillContext(
            store=store, devices=DeviceRegistry(), clock=SystemClock(), settings=Settings()
        )
        self.spoken: list[str] = []
        self.sessions: dict[str, list[str]] = {}
        """Each open conversation's requests, by session id (the assistant keeps its sessions so too)."""
        self.handled: list[tuple[str, str]] = []
        """Every (session id, text) handled, kept after a session ends."""

    def end_session(self, session_id: str) -> None:
        self.sessions.pop(session_id, None)

    def handle_text(self, text: str, session_id: str | None = None) -> TurnResult:
        if text == "explode":
            raise RuntimeError("the stand-in exploded")
        self.sessions.setdefault(session_id or "default", []).append(text)
        self.handled.append((session_id or "default", text))
        match = _best_match(text, self.intents)
        if match is None:
            turn = TurnResult(
                text=text, reply="Sorry, I didn't understand.", outcome="failure", session_id=session_id or ""
            )
        else:
            slots = {name: entity.value for name, entity in match.entities.items()}
            result = self.skills.dispatch(ActionRequest(match.intent.name, slots, text), self.context)
            turn = TurnResult(
                text=text,
                reply=result.speech,
                intent=match.intent.name,
                slots=slots,
                confidence=1.0,
                source="rules",
                outcome="success" if result.ok else "failure",
                session_id=session_id or "",
            )
        self.bus.publish(
            Understood(text=text, intent=turn.intent, slots=turn.slots, confidence=turn.confidence)
        )
        self.bus.publish(Reply(text=turn.reply))
        return turn

    def speak(self, text: str) -> None:
        self.spoken.append(text)
        self.bus.publish(Reply(text=text))


def _best_match(text: str, intents: Intents) -> RecognizeResult | None:
    """The match with the fewest words in its slots (the most literal words), as the engine ranks."""
    results = list(recognize_all(text, intents))
    if not results:
        return None
    return min(results, key=lambda r: sum(len(str(e.text).split()) for e in r.entities_list))
