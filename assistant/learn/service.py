"""Learning from use, as one service the assistant installs as a turn hook.

After every turn it records implicit feedback (barge-in, cancel, "no",
rephrase), labels failures with the stage that failed, learns rephrase
rewrites, and may offer a routine or a follow-up, or point out a hunch.
The public methods are what the CLI, the UI and the voice skill call.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz

from assistant.dialogue import phrases
from assistant.dialogue.session import AppliedRewrite, Expects, Outcome, PendingQuestion, Session
from assistant.events import Event, Notice, SpeakingStopped, WakeDetected
from assistant.learn import failures, hunches, insights, offering, rewrites, routines, suggestions
from assistant.learn.actions import action_events, step_key
from assistant.learn.explain import explain_turn
from assistant.learn.failures import FailureSummary
from assistant.learn.hunches import Hunch, Timeline
from assistant.learn.insights import Insights
from assistant.learn.rewrites import RewritePolicy
from assistant.learn.similarity import utterance_key
from assistant.learn.templates import spoken
from assistant.memory import kv, learned
from assistant.memory.history import update_turn
from assistant.memory.learned import Rewrite
from assistant.memory.offers import OfferRepository
from assistant.turn import DefectSignal, RewriteCount, TurnResult, TurnSource

if TYPE_CHECKING:
    from assistant.devices import Device
    from assistant.learn.ports import LearningParts

log = logging.getLogger(__name__)

WAKE_MEMORY_SECONDS = 20.0
"""A wake heard this long before a turn belongs to it."""
ACTION_HISTORY_DAYS = 60.0
FIX_ALLOWED = "learning.hunch_fix."
"""kv key prefix: the user allows fixing hunches for this device id."""
HUNCH_SAID = "learning.hunch_said."
"""kv key prefix: time of the device state a hunch was already raised for."""


class LearningService:
    """Implements ``TurnHooks``; owns rewrites, failure labels, routines, hunches, suggestions."""

    name = "learning"

    def __init__(self, parts: LearningParts) -> None:
        self.parts = parts
        self.store = parts.store
        self.offers = OfferRepository(self.store)
        self.policy = RewritePolicy()
        self.offer_routines = True
        self.offer_suggestions = True
        self._lock = threading.RLock()
        self._last_wake: tuple[float, float] | None = None
        self._last_turn: TurnResult | None = None
        parts.bus.subscribe(self._on_event)
        parts.devices.on_change(self._on_device_change)
        self._register_skill()

    def _register_skill(self) -> None:
        from assistant.learn.skill import build_skill

        if self.parts.skills.get("learning.list") is None:
            self.parts.skills.add(build_skill(self))

    # --- turn hooks --------------------------------------------------------

    def before_understanding(self, text: str, session: Session) -> tuple[str, TurnSource] | None:
        """A rewrite of a wording that gets understood but almost never works as understood.

        Most rewrites wait for ``on_low_confidence``; but "kill the lamp" read
        as something else, then contradicted every time, never reaches it.
        """
        if not self.parts.settings.learn_from_use:
            return None
        found = rewrites.applicable(self.store, text)
        if (
            found is None
            or found.rewrite.evidence.get("source_direct_success", 1.0) > self.policy.replace_below
        ):
            return None
        return self._apply(found, session)

    def not_understood(self, text: str, session: Session) -> Outcome | None:
        return None

    def on_low_confidence(self, text: str, session: Session) -> tuple[str, TurnSource] | Outcome | None:
        """A trusted or confirmed rewrite of ``text`` when understanding would fail; or, for a
        rewrite seen once, "Did you mean ...?" (a yes confirms it, a no rejects it)."""
        if not self.parts.settings.learn_from_use:
            return None
        found = rewrites.applicable(self.store, text)
        if found is not None:
            return self._apply(found, session)
        candidate = rewrites.applicable(self.store, text, statuses=("candidate",))
        if candidate is None or not rewrites.worth_asking(candidate.rewrite, self.policy):
            return None
        meant = self.parts.understand(candidate.text)
        if meant is None or meant.intent is None:
            return None
        rewrites.mark_asked(self.store, candidate.rewrite, self.parts.clock.now())
        question = offering.rewrite_question(self.parts, candidate, meant)
        session.ask(question)
        return Outcome(
            question.prompt, intent=None, success=False, failure_stage="understanding", source=TurnSource.NONE
        )

    def _apply(self, found: rewrites.Applicable, session: Session) -> tuple[str, TurnSource]:
        rewrite = found.rewrite
        session.learning.applied_rewrite = AppliedRewrite(rewrite.id, found.text, rewrite.source_text)
        return found.text, TurnSource.REWRITE

    def after_turn(self, turn: TurnResult, session: Session) -> None:
        with self._lock:
            self._stamp(turn)
            offering.close_unanswered(self.parts, session)
            earlier = list(session.turns)
            previous = earlier[-1] if earlier else None
            learn_again = self._count_rewrite_use(turn, session)
            repaired = self._detect_rephrase(turn, earlier)
            if previous is not None and previous is not repaired:
                self._finalize(previous, turn)
            failures.apply_label(turn)
            if repaired is not None or learn_again:
                rewrites.learn_rewrites(
                    self.store, self.policy, self.parts.clock.now(), extra_rows=[_light_row(turn)]
                )
            self._last_turn = turn
            if session.pending is None and turn.outcome == "success" and self.parts.settings.learn_from_use:
                self._maybe_offer(turn, session)
            for hunch in self.check_hunches(prompted=True):
                turn.notices.append(hunch.message)
                if session.pending is None and not hunch.fixed:
                    session.ask(self._fix_question(hunch))
                    turn.notices.append(f"Want me to turn it {hunch.usual}?")

    def _stamp(self, turn: TurnResult) -> None:
        now = self.parts.clock.now()
        # Turns are stamped with the wall clock; a simulated clock (tests,
        # benchmarks) must win so that windows and days mean the same thing.
        if abs(turn.started_at - now) > 5.0:
            turn.started_at = now
        if self._last_wake is not None:
            at, score = self._last_wake
            if 0 <= now - at <= WAKE_MEMORY_SECONDS:
                if turn.feedback.wake_score is None:
                    turn.feedback.wake_score = score
            self._last_wake = None

    def _count_rewrite_use(self, turn: TurnResult, session: Session) -> bool:
        """Record a win or a loss for a rewrite applied in this turn; True when it lost."""
        applied, session.learning.applied_rewrite = session.learning.applied_rewrite, None
        # turn.source may show the understanding's source instead of "rewrite": match on the text
        if applied is None or (
            not applied.asked and utterance_key(turn.rewritten or "") != applied.target_text
        ):
            return False
        rewrite_id = applied.id
        turn.learned_rewrite, turn.learned_from = applied.target_text, applied.source
        worked = not rewrites.is_defect(turn)
        turn.feedback.rewrite_id = rewrite_id
        turn.feedback.rewrite_counted = RewriteCount.WIN if worked else RewriteCount.LOSS
        rewrites.record_use(self.store, rewrite_id, worked)
        return not worked

    def _detect_rephrase(self, turn: TurnResult, earlier: list[TurnResult]) -> TurnResult | None:
        found = rewrites.find_rephrase(turn, earlier, self.policy)
        if found is None:
            return None
        repaired, likeness = found
        turn.feedback.rephrase_of = repaired.turn_id
        turn.feedback.rephrase_likeness = round(likeness.best, 3)
        pair = rewrites.rephrase_templates(repaired, turn) if self.parts.settings.learn_from_use else None
        if pair is not None and pair.source != pair.target:
            turn.feedback.rephrase_of_text = pair.source
            turn.feedback.rephrase_template = pair.target
        repaired.feedback.signals.add(DefectSignal.REPHRASED)
        self._finalize(repaired, turn)
        return repaired

    def _finalize(self, previous: TurnResult, following: TurnResult) -> None:
        """Label an earlier turn now that the user's reaction is known, and store it."""
        failures.apply_label(previous, following)
        feedback = previous.feedback
        if (
            feedback.rewrite_counted == RewriteCount.WIN
            and feedback.rewrite_id is not None
            and rewrites.is_defect(previous)
        ):
            feedback.rewrite_counted = RewriteCount.LOSS
            rewrites.record_use(self.store, feedback.rewrite_id, False, undo_win=True)
        update_turn(self.store, previous)

    # --- implicit feedback from the voice loop -----------------------------

    def _on_event(self, event: Event) -> None:
        if isinstance(event, WakeDetected):
            self._last_wake = (self.parts.clock.now(), float(event.score))
        elif isinstance(event, SpeakingStopped) and event.interrupted:
            self.mark_barge_in()

    def mark_barge_in(self) -> TurnResult | None:
        """The user talked over the last reply: a (weak) sign it was not what they wanted."""
        with self._lock:
            turn = self._last_turn
            if turn is None:
                return None
            turn.feedback.signals.add(DefectSignal.BARGE_IN)
            failures.apply_label(turn)
            update_turn(self.store, turn)
            return turn

    def _on_device_change(self, device: Device) -> None:
        learned.record_device_state(self.store, device.id, dict(device.state), self.parts.clock.now())

    # --- offers --------------------------------------------------------------

    def _maybe_offer(self, turn: TurnResult, session: Session) -> None:
        if not turn.intent or turn.intent.startswith(("dialogue.", "learning.")):
            return
        if turn.source == "suggestion":
            return  # an accepted suggestion does not lead to another one
        now = self.parts.clock.now()
        rows = learned.action_rows(self.store, now - ACTION_HISTORY_DAYS * 86400)
        rows.append(
            {
                "id": None,
                "started_at": turn.started_at,
                "session_id": turn.session_id,
                "text": turn.rewritten or turn.text,
                "intent": turn.intent,
                "slots": turn.slots,
                "source": turn.source,
            }
        )
        events = action_events(rows)
        if self.offer_routines:
            candidates = routines.find_routines(events)
            routine = routines.routine_just_done(events, candidates)
            if routine is not None and self.offers.get("routine", routine.key) is None:
                question = offering.routine_question(self.parts, routine, session)
                session.ask(question)
                turn.notices.append(question.prompt)
                return
        if self.offer_suggestions and not session.learning.suggested:
            statistics = suggestions.pair_statistics(events)
            follow_up = suggestions.best_follow_up(statistics, step_key(turn.intent, turn.slots))
            if follow_up is None:
                return
            offer = self.offers.get("suggestion", follow_up.offer_key)
            if offer is not None and not suggestions.worth_offering(offer.accepted, offer.declined):
                return
            question = offering.suggestion_question(self.parts, follow_up, session)
            session.learning.suggested = True
            session.ask(question)
            turn.notices.append(question.prompt)

    # --- hunches -------------------------------------------------------------

    def check_hunches(self, now: float | None = None, prompted: bool = False) -> list[Hunch]:
        """Devices in an unusual state now. Unprompted (a timer), remarks wait out quiet
        hours and go on the bus as Notices; fixes the user allowed happen at any time."""
        now = self.parts.clock.now() if now is None else now
        quiet = hunches.in_quiet_hours(self.parts.settings.quiet_hours, now)
        found = []
        for device in self.parts.devices.all():
            is_on = hunches.power(device.state)
            if is_on is None:
                continue
            last = learned.last_device_state(self.store, device.id)
            if last is None or hunches.power(last[1]) != is_on:
                # the plug-in changed it without telling the registry
                learned.record_device_state(self.store, device.id, dict(device.state), now)
                last = (now, dict(device.state))
            if kv.get_value(self.store, HUNCH_SAID + device.id) == last[0]:
                continue
            history = learned.device_history(self.store, device.id, now - hunches.HISTORY_DAYS * 86400)
            hunch = hunches.judge(device.id, device.name, is_on, Timeline.from_history(history), now)
            if hunch is None:
                continue
            if kv.get_value(self.store, FIX_ALLOWED + device.id, False):
                self._fix(hunch)
            elif quiet and not prompted:
                continue  # say it when the user next talks to us
            kv.set_value(self.store, HUNCH_SAID + device.id, last[0])
            if not prompted:
                self.parts.bus.publish(Notice(text=hunch.message))
            found.append(hunch)
        return found

    def _fix(self, hunch: Hunch) -> None:
        try:
            self.parts.devices.change(hunch.device_id, {"on": not hunch.is_on})
        except KeyError:
            hunch.message += " (I couldn't reach it to fix it.)"
            return
        hunch.fixed = True
        hunch.message = (
            f"I turned the {hunch.device_name} {hunch.usual}: " + hunch.message[0].lower() + hunch.message[1:]
        )

    def _fix_question(self, hunch: Hunch) -> PendingQuestion:
        def on_answer(answer: str, session: Session) -> Outcome:
            text = phrases.normalize(answer)
            if not phrases.is_yes(text) and "always" not in text:
                return Outcome("Okay, I'll leave it.", intent="learning.hunch_declined")
            if "always" in text:
                self.allow_fixes(hunch.device_id, True)
            self._fix(hunch)
            always = " From now on I'll do that myself." if "always" in text else ""
            return Outcome(
                f"Turned the {hunch.device_name} {hunch.usual}.{always}",
                intent="learning.hunch_fixed",
                success=hunch.fixed,
            )

        return PendingQuestion(
            kind="offer",
            prompt=f"Want me to turn it {hunch.usual}?",
            on_answer=on_answer,
            expects=Expects.YES_NO,
            allow_commands=True,
        )

    def allow_fixes(self, device_id: str, allowed: bool = True) -> None:
        """Let hunches about ``device_id`` be fixed without asking (and say so)."""
        kv.set_value(self.store, FIX_ALLOWED + device_id, allowed)

    # --- rewrites --------------------------------------------------------------

    def rewrites(self, status: str | None = None) -> list[Rewrite]:
        return learned.list_rewrites(self.store, status)

    def confirm_rewrite(self, rewrite_id: int) -> Rewrite:
        return rewrites.set_status(self.store, rewrite_id, "confirmed", self.parts.clock.now())

    def reject_rewrite(self, rewrite_id: int) -> Rewrite:
        return rewrites.set_status(self.store, rewrite_id, "rejected", self.parts.clock.now())

    def undo_rewrite(self, rewrite_id: int) -> Rewrite:
        return rewrites.set_status(self.store, rewrite_id, "candidate", self.parts.clock.now())

    def learn_rewrites(self) -> list[Rewrite]:
        return rewrites.learn_rewrites(self.store, self.policy, self.parts.clock.now())

    # --- failures, routines ------------------------------------------------------

    def label_failure(self, turn: TurnResult, next_turn: TurnResult | None = None) -> str | None:
        return failures.label_failure(turn, next_turn)

    def insights(self, days: int = 14) -> Insights:
        """The figures of the Insights screen and ``assistant learned report``."""
        return insights.insights(self.store, days, self.parts.clock.now())

    def failure_summary(self, days: float = 7) -> FailureSummary:
        return failures.failure_summary(self.store, days, self.parts.clock.now())

    def routines(self) -> list[routines.RoutineCandidate]:
        """Routines inferred from history, whether offered or not."""
        rows = learned.action_rows(self.store, self.parts.clock.now() - ACTION_HISTORY_DAYS * 86400)
        return routines.find_routines(action_events(rows))

    # --- voice: what was learned, forget, why ---------------------------------------

    def describe_learned(self) -> str:
        active = [r for r in self.rewrites() if r.status in ("trusted", "confirmed")]
        accepted = [o for o in self.offers.all("routine") if o.status == "accepted"]
        allowed = [
            d.name for d in self.parts.devices.all() if kv.get_value(self.store, FIX_ALLOWED + d.id, False)
        ]
        parts = [
            f"when you say \u201c{spoken(r.source_text)}\u201d you mean \u201c{spoken(r.target_text)}\u201d"
            for r in active[:5]
        ]
        parts += [f"you often {' and '.join(o.data.get('steps', []))} together" for o in accepted[:3]]
        parts += [f"I may put the {name} right myself" for name in allowed]
        # What the user taught on purpose is the teaching skill's ("what did I teach you").
        taught = "For what you taught me, ask \u201cwhat did I teach you\u201d."
        if not parts:
            return "I haven't learned anything from use yet. " + taught
        return "I've learned that " + "; ".join(parts) + ". " + taught

    def forget(self, topic: str) -> list[str]:
        """Reject rewrites and decline offers that mention ``topic``; returns what was forgotten."""
        key = utterance_key(topic)
        forgotten: list[str] = []
        if not key:
            return forgotten
        for rewrite in self.rewrites():
            if rewrite.status != "rejected" and _mentions(key, rewrite.source_text, rewrite.target_text):
                self.reject_rewrite(rewrite.id)
                said, meant = spoken(rewrite.source_text), spoken(rewrite.target_text)
                forgotten.append(f"\u201c{said}\u201d means \u201c{meant}\u201d")
        for offer in self.offers.all():
            texts = offer.data.get("steps") or [offer.data.get("text", "")]
            if offer.status != "declined" and _mentions(key, *texts):
                self.offers.answered(offer.kind, offer.key, False, now=self.parts.clock.now())
                forgotten.append(f"the {offer.kind} {' and '.join(texts)}")
        return forgotten

    def explain(self, turn: TurnResult) -> str:
        return explain_turn(turn, self.store, self.parts.skills)


def _mentions(topic: str, *texts: str) -> bool:
    return any(text and fuzz.partial_ratio(topic, utterance_key(text)) >= 85 for text in texts)


def _light_row(turn: TurnResult) -> dict[str, Any]:
    """The current turn as the chain reads stored rows (it is stored after the hooks run)."""
    return {
        "id": turn.turn_id,
        "started_at": turn.started_at,
        "session_id": turn.session_id,
        "text": turn.text,
        "rewritten": turn.rewritten,
        "source": turn.source,
        "intent": turn.intent,
        "outcome": turn.outcome,
        "failure_stage": turn.failure_stage,
        "feedback": turn.feedback,
    }
