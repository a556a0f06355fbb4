"""Voice access to what was learned: "what have you learned", "forget what you
learned about X", "why did you do that"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext, SlotSpec

if TYPE_CHECKING:
    from assistant.learn.service import LearningService

SENTENCES = Path(__file__).resolve().parent / "learned.yaml"


def _service(context: SkillContext) -> LearningService:
    learning = getattr(context.assistant, "learning", None)
    if learning is None:
        raise RuntimeError("learning is not running in this assistant")
    service: LearningService = learning
    return service


def list_learned(request: ActionRequest, context: SkillContext) -> ActionResult:
    service = _service(context)
    return ActionResult(
        speech=service.describe_learned(),
        data={
            "rewrites": [rewrite.to_json() for rewrite in service.rewrites()],
        },
    )


def forget_learned(request: ActionRequest, context: SkillContext) -> ActionResult:
    topic = str(request.slots.get("topic") or "").strip()
    forgotten = _service(context).forget(topic)
    if not forgotten:
        return ActionResult(
            speech=f"I hadn't learned anything about \u201c{topic}\u201d.", data={"forgotten": []}
        )
    things = "one thing" if len(forgotten) == 1 else f"{len(forgotten)} things"
    return ActionResult(
        speech=f"Done: I forgot {things} about \u201c{topic}\u201d and won't learn them again.",
        data={"forgotten": forgotten},
    )


def explain_last(request: ActionRequest, context: SkillContext) -> ActionResult:
    session = context.session
    previous = session.previous_turn() if session is not None else None
    if previous is None:
        return ActionResult(speech="We haven't talked yet, so there's nothing to explain.")
    return ActionResult(speech=_service(context).explain(previous), data={"turn_id": previous.turn_id})


def build_skill() -> Skill:
    """A fresh skill object per assistant (the registry owns and annotates it)."""
    return Skill(
        name="learning",
        sentences_file=SENTENCES,
        description="What the assistant learned from how you use it.",
        intents=[
            IntentSpec(
                "learning.list",
                list_learned,
                description="Say what it learned from use.",
                examples=["what have you learned"],
            ),
            IntentSpec(
                "learning.forget",
                forget_learned,
                slots=[SlotSpec("topic", "What should I forget about?")],
                description="Forget learned rewrites and offers about something.",
                examples=["forget what you learned about the lamp"],
            ),
            IntentSpec(
                "learning.explain",
                explain_last,
                description="Explain the last answer.",
                examples=["why did you do that"],
            ),
        ],
    )
