""" "Why did you do that?": the reason for a turn, in one or two plain sentences."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.memory import learned
from assistant.turn import TurnRole

if TYPE_CHECKING:
    from assistant.memory.store import Store
    from assistant.skills.registry import SkillRegistry
    from assistant.turn import TurnResult

STAGE_REASONS = {
    "false_wake": "I think I woke up when nobody was talking to me",
    "recognition": "I think I misheard you",
    "understanding": "I heard the words but didn't get what you meant",
    "resolution": "I understood the request but not which thing you meant",
    "result": "the action itself didn't work out",
}


def explain_turn(turn: TurnResult, store: Store, skills: SkillRegistry) -> str:
    """Explain what was heard, how it was understood, and what was learned that mattered."""
    said = f"You said \u201c{turn.text}\u201d"
    what = _describe_intent(turn, skills)
    rewrite_id = turn.feedback.rewrite_id
    if turn.rewritten and (turn.source == "rewrite" or rewrite_id):
        rewrite = learned.get_rewrite(store, rewrite_id) if rewrite_id else None
        times = rewrite.evidence.get("support") if rewrite else None
        seen = f" (you rephrased it that way {times} times)" if times else ""
        return (
            f"{said}, which I don't understand on its own, but I learned that you mean "
            f"\u201c{turn.rewritten}\u201d{seen}, so I {what}. Say \u201cforget what you learned "
            f"about {turn.text}\u201d if that's wrong."
        )
    if turn.source == "alias" and turn.rewritten:
        return f"{said}, which you taught me means \u201c{turn.rewritten}\u201d, so I {what}."
    if (turn.intent or "").startswith("custom."):  # taught commands are custom.* intents
        return f"{said}, which is a command you taught me, so I {what}."
    if turn.source == "suggestion":
        return f"I suggested it because you usually do that next, and you said yes, so I {what}."
    if turn.outcome == "failure":
        reason = STAGE_REASONS.get(turn.failure_stage or "", "something went wrong")
        return f"{said}, and {reason}."
    how = {
        "rules": "it matches one of the sentences I know",
        "fuzzy": "it is close to a sentence I know",
        "model": f"my model read it that way ({round(turn.confidence * 100)}% sure)",
        "dialogue": "those are words I know for steering a conversation",
    }.get(turn.source, f"I read it that way ({round(turn.confidence * 100)}% sure)")
    if turn.role == TurnRole.ANSWER:
        how = "it answered my question"
    return f"{said}; {how}, so I {what}."


def _describe_intent(turn: TurnResult, skills: SkillRegistry) -> str:
    spec = skills.get(turn.intent) if turn.intent else None
    if spec is not None and spec.description:
        return "did this: " + spec.description[0].lower() + spec.description[1:].rstrip(".")
    if turn.intent and turn.reply:  # conversation words ("scratch that") have no description
        return f"answered \u201c{turn.reply.rstrip('.')}\u201d"
    return "did nothing"
