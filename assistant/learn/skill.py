"""Voice access to what was learned: "what have you learned", "forget what you
learned about X", "why did you do that"."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext, SlotSpec

if TYPE_CHECKING:
    from assistant.memory.learned import Rewrite
    from assistant.turn import TurnResult

SENTENCES = Path(__file__).resolve().parent / "learned.yaml"


class LearnedMemory(Protocol):
    """What the skill asks of the learning service."""

    def describe_learned(self) -> str: ...

    def rewrites(self, status: str | None = None) -> list[Rewrite]: ...

    def forget(self, topic: str) -> list[str]: ...

    def explain(self, turn: TurnResult) -> str: ...


def list_learned(service: LearnedMemory, request: ActionRequest, context: SkillContext) -> ActionResult:
    return ActionResult(
        speech=service.describe_learned(),
        data={
            "rewrites": [rewrite.to_json() for rewrite in service.rewrites()],
        },
    )


def forget_learned(service: LearnedMemory, request: ActionRequest, context: SkillContext) -> ActionResult:
    topic = str(request.slots.get("topic") or "").strip()
    forgotten = service.forget(topic)
    if not forgotten:
        return ActionResult(
            speech=f"I hadn't learned anything about \u201c{topic}\u201d.", data={"forgotten": []}
        )
    things = "one thing" if len(forgotten) == 1 else f"{len(forgotten)} things"
    return ActionResult(
        speech=f"Done: I forgot {things} about \u201c{topic}\u201d and won't learn them again.",
        data={"forgotten": forgotten},
    )


def explain_last(service: LearnedMemory, request: ActionRequest, context: SkillContext) -> ActionResult:
    session = context.session
    previous = session.previous_turn() if session is not None else None
    if previous is None:
        return ActionResult(speech="We haven't talked yet, so there's nothing to explain.")
    return ActionResult(speech=service.explain(previous), data={"turn_id": previous.turn_id})


def build_skill(service: LearnedMemory) -> Skill:
    """A fresh skill object per assistant, its handlers bound to ``service``."""
    return Skill(
        name="learning",
        sentences_file=SENTENCES,
        description="What the assistant learned from how you use it.",
        intents=[
            IntentSpec(
                "learning.list",
                partial(list_learned, service),
                description="Say what it learned from use.",
                examples=["what have you learned"],
            ),
            IntentSpec(
                "learning.forget",
                partial(forget_learned, service),
                slots=[SlotSpec("topic", "What should I forget about?")],
                description="Forget learned rewrites and offers about something.",
                examples=["forget what you learned about the lamp"],
            ),
            IntentSpec(
                "learning.explain",
                partial(explain_last, service),
                description="Explain the last answer.",
                examples=["why did you do that"],
            ),
        ],
    )
