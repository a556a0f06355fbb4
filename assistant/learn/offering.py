"""Asking the user about a routine or a follow-up, and taking their answer.

Each offer is a ``PendingQuestion`` of kind "offer"; the answer is recorded
in the ``offers`` table so a declined routine is never offered again and a
suggestion the user keeps declining stops (see ``suggestions``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from assistant.dialogue import phrases
from assistant.dialogue.session import AppliedRewrite, Expects, OpenOffer, Outcome, PendingQuestion, Session
from assistant.learn import rewrites
from assistant.learn.routines import RoutineCandidate, routine_name
from assistant.learn.suggestions import FollowUp
from assistant.memory.offers import OfferRepository
from assistant.turn import ActionRecord, TurnSource

if TYPE_CHECKING:
    from assistant.learn.ports import LearningParts
    from assistant.nlu.types import IntentCandidate

log = logging.getLogger(__name__)


def _declines(text: str) -> bool:
    return phrases.is_no(text) or phrases.is_cancel(text) or phrases.is_wrong(text)


def routine_question(parts: LearningParts, routine: RoutineCandidate, session: Session) -> PendingQuestion:
    """ "You often ... together. Want me to make that a routine? What should I call it?" """
    prompt = (
        f"You often {routine.describe()} together. Want me to make that a routine? What should I call it?"
    )
    offers = OfferRepository(parts.store)
    offers.offered("routine", routine.key, routine.to_json(), now=parts.clock.now(), keep_answer=True)
    session.learning.open_offer = OpenOffer("routine", routine.key)

    def on_answer(answer: str, session: Session) -> Outcome:
        session.learning.open_offer = None
        text = phrases.normalize(answer)
        if _declines(text):
            offers.answered("routine", routine.key, False, now=parts.clock.now())
            return Outcome("Okay, I won't ask about that again.", intent="learning.offer_declined")
        name = routine_name(text)
        if not name or phrases.is_yes(name):
            session.ask(
                PendingQuestion(
                    kind="offer", prompt="What should I call it?", on_answer=lambda reply, s: _save(reply, s)
                )
            )
            return Outcome("What should I call it?", intent="learning.offer", success=None)
        return _save(name, session)

    def _save(name_text: str, session: Session) -> Outcome:
        name = routine_name(phrases.normalize(name_text))
        if not name:
            return Outcome("I didn't get a name, so I left it.", intent="learning.offer", success=False)
        try:
            parts.commands.save_command(name, [name], list(routine.texts))
        except (ValueError, LookupError) as error:  # e.g. the name is taken; say why
            return Outcome(
                f"I couldn't make that routine: {error}",
                intent="learning.offer",
                success=False,
                failure_stage="result",
            )
        offers.answered("routine", routine.key, True, now=parts.clock.now())
        return Outcome(
            f"Done. Say \u201c{name}\u201d to {routine.describe()}.",
            intent="learning.routine_created",
            slots={"name": name, "steps": list(routine.texts)},
        )

    return PendingQuestion(kind="offer", prompt=prompt, on_answer=on_answer, allow_commands=True)


def suggestion_question(parts: LearningParts, follow_up: FollowUp, session: Session) -> PendingQuestion:
    """ "Want me to start a 25 minute timer too?" """
    prompt = f"Want me to {follow_up.text} too?"
    data: dict[str, Any] = {
        "text": follow_up.text,
        "intent": follow_up.intent,
        "pmi": round(follow_up.pmi, 3),
        "conditional": round(follow_up.conditional, 3),
    }
    offers = OfferRepository(parts.store)
    offers.offered("suggestion", follow_up.offer_key, data, now=parts.clock.now(), keep_answer=True)
    session.learning.open_offer = OpenOffer("suggestion", follow_up.offer_key)

    def on_answer(answer: str, session: Session) -> Outcome:
        session.learning.open_offer = None
        text = phrases.normalize(answer)
        accepted = phrases.is_yes(text)
        offers.answered("suggestion", follow_up.offer_key, accepted, now=parts.clock.now())
        if not accepted:
            return Outcome("Okay.", intent="learning.offer_declined")
        slots = follow_up_slots(follow_up)
        result = parts.executor.execute(follow_up.intent, slots, follow_up.text)
        action = ActionRecord(name=follow_up.intent, args=slots, ok=result.ok, error=result.error)
        return Outcome(
            result.speech,
            intent=follow_up.intent,
            slots=slots,
            source=TurnSource.SUGGESTION,
            actions=[action],
            success=result.ok,
            failure_stage=None if result.ok else "result",
            entity=result.entity,
        )

    return PendingQuestion(
        kind="offer",
        prompt=prompt,
        on_answer=on_answer,
        intent=follow_up.intent,
        expects=Expects.YES_NO,
        allow_commands=True,
    )


def follow_up_slots(follow_up: FollowUp) -> dict[str, Any]:
    import json

    slots: dict[str, Any] = json.loads(follow_up.slots_json)
    return slots


def close_unanswered(parts: LearningParts, session: Session) -> None:
    """An offer the user talked past counts as declined for suggestions (a routine stays asked once)."""
    open_offer, session.learning.open_offer = session.learning.open_offer, None
    if open_offer is not None and open_offer.kind == "suggestion":
        OfferRepository(parts.store).answered(open_offer.kind, open_offer.key, False, now=parts.clock.now())


def rewrite_question(
    parts: LearningParts, found: rewrites.Applicable, meant: IntentCandidate
) -> PendingQuestion:
    """ "Did you mean “set a timer for ten minutes”?" for a rewrite seen once: yes
    confirms it and does it, no rejects it (it is never offered or learned again)."""
    rewrite = found.rewrite

    def on_answer(answer: str, session: Session) -> Outcome:
        text = phrases.normalize(answer)
        if not phrases.is_yes(text):
            rewrites.set_status(parts.store, rewrite.id, "rejected", parts.clock.now())
            return Outcome(
                "Okay, I won't suggest that again. What did you mean?",
                intent="learning.rewrite_declined",
                success=None,
            )
        rewrites.set_status(parts.store, rewrite.id, "confirmed", parts.clock.now())
        session.learning.applied_rewrite = AppliedRewrite(
            rewrite.id, found.text, rewrite.source_text, asked=True
        )
        intent = meant.intent or ""
        result = parts.executor.execute(intent, meant.slots, found.text, session=session)
        action = ActionRecord(name=intent, args=dict(meant.slots), ok=result.ok, error=result.error)
        return Outcome(
            result.speech,
            intent=intent,
            slots=meant.slots,
            source=TurnSource.REWRITE,
            actions=[action],
            success=result.ok,
            failure_stage=None if result.ok else "result",
            entity=result.entity,
        )

    return PendingQuestion(
        kind="offer",
        prompt=f"Did you mean “{found.text}”?",
        on_answer=on_answer,
        intent=meant.intent,
        expects=Expects.YES_NO,
        allow_commands=True,
    )
