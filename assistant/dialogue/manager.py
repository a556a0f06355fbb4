"""One turn of dialogue: from the user's words to a reply and actions.

Order of a turn (each step recorded in the trace):
  1. conversation words: cancel, repeat, "no, that's wrong"
  2. the answer to a pending question (slot, confirmation, teaching, offer)
  3. corrections ("no, ten minutes"), carry-over ("and one for twenty minutes"),
     "it"/"that", "again"
  4. aliases (hooks), understanding, learned rewrites when it would fail
  5. missing slots -> a question; risky actions -> a confirmation
  6. the action, the reply, and learning hooks afterwards
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.dialogue import codes, phrases
from assistant.dialogue.session import Expects, Outcome, PendingQuestion, Request, Session
from assistant.errors import reraise_if_strict
from assistant.events import ActionDone, NotHandled, NotRecognized, Transcript, Understood
from assistant.json_values import jsonable_slots
from assistant.memory.history import record_turn
from assistant.memory.store import WRITE_FAILURES
from assistant.nlu.numbers import find_number
from assistant.nlu.types import IntentCandidate, UnderstandingContext
from assistant.skills.base import ActionResult, IntentSpec, SkillError
from assistant.turn import (
    ActionRecord,
    AsrEvidence,
    DefectSignal,
    FailureStage,
    TurnOutcome,
    TurnResult,
    TurnRole,
    TurnSource,
)

if TYPE_CHECKING:
    from assistant.dialogue.hooks import TurnHooks
    from assistant.dialogue.ports import DialogueParts

log = logging.getLogger(__name__)

LOW_RECOGNITION_CONFIDENCE = 0.55
SMALL_TALK = "social."
"""Intents that only talk (greetings, what cannot be done offline): never a new request in
place of the answer to a slot question."""
MAX_MISSES = 3
"""Answers in a row that do not fit before a question is given up."""
MAX_ANSWERS = 25
"""Answers one conversation of questions (a command taught step by step) may take."""


NOT_A_REQUEST_REPLY = "Sorry, I didn't catch a request there."
NOT_A_REQUEST_WORDS = 6
"""A spoken sentence this long that reads as no request at all is speech not meant for the
assistant (reading aloud, a word to a colleague); shorter ones get the offer to teach them."""


def _speech_not_for_us(text: str, candidates: list[IntentCandidate], turn: TurnResult) -> bool:
    """Spoken (a transcript came with it), long, and out of scope for the understanding stage."""
    if turn.feedback.asr is None or len(text.split()) < NOT_A_REQUEST_WORDS:
        return False
    return not candidates or candidates[0].intent is None


class DialogueManager:
    """Runs turns over the parts it is given; a conversation's state lives in its ``Session``."""

    def __init__(self, parts: DialogueParts) -> None:
        self.parts = parts

    # --- entry ---------------------------------------------------------

    def handle(self, text: str, session: Session, transcript: Transcript | None = None) -> TurnResult:
        # A code said (the answer to "What's the code?", or at the end of a request) reaches its
        # handler only: from here on the turn holds the words with the code masked.
        said = codes.take_code(text.strip(), session.pending is not None and session.pending.secret)
        turn = TurnResult(text=said.shown, session_id=session.id, started_at=self.parts.clock.now())
        if transcript is not None:
            alternatives = [] if said.code is not None else transcript.alternatives[:3]
            turn.feedback.asr = AsrEvidence(transcript.confidence, alternatives)
        normalized = codes.MASK if said.answer else phrases.normalize(said.text)
        with turn.trace.stage("dialogue", normalized) as record:
            outcome = self._respond(normalized, session, turn, said)
            record.output = outcome.intent
        self._finish(turn, outcome, session)
        return turn

    def _respond(self, text: str, session: Session, turn: TurnResult, said: codes.Said) -> Outcome:
        pending = session.pending
        if said.answer and pending is not None:
            session.pending = None
            turn.role = TurnRole.ANSWER
            return self._patience(pending, self._answer(pending, text, session, turn, said.code), session)
        if not text:
            return Outcome(
                "I didn't catch anything. Could you say that again?",
                success=False,
                failure_stage="recognition",
                intent=None,
            )
        verb = phrases.take_back(text)
        if phrases.is_cancel(text) or (verb is not None and session.pending is not None):
            had_question = session.pending is not None
            session.pending = None
            turn.role = TurnRole.CANCEL
            self._mark_previous(session, DefectSignal.CANCELLED)
            return Outcome("Okay, cancelled." if had_question else "Okay.", intent="dialogue.cancel")
        if verb is not None:
            turn.role = TurnRole.CANCEL
            return self._take_back(verb, text, session, turn)
        if phrases.is_repeat(text):
            turn.role = TurnRole.CONVERSATION
            return Outcome(session.last_reply or "I haven't said anything yet.", intent="dialogue.repeat")

        pending = session.pending
        if pending is not None:
            session.pending = None
            if self._is_answer(text, pending):
                turn.role = TurnRole.ANSWER
                return self._patience(pending, self._answer(pending, text, session, turn, None), session)
            if pending.give_up:
                turn.notices.append(pending.give_up)  # the user moved on: say once what was dropped

        if phrases.is_wrong(text):
            turn.role = TurnRole.CORRECTION
            return self._wrong(session)
        alternative = self._contextual(text, session, turn)
        if alternative is not None:
            return alternative
        return self._understand_and_act(text, session, turn, said.code)

    # --- questions -----------------------------------------------------

    def _answer(
        self, pending: PendingQuestion, text: str, session: Session, turn: TurnResult, code: str | None
    ) -> Outcome:
        turn.source = TurnSource.DIALOGUE
        if pending.request is not None and pending.kind == "code":
            if code is None and phrases.is_no(text):
                return Outcome("Okay, I left it as it is.", intent="dialogue.cancel", success=None)
            if code is None:  # no retry: the user says the request again when they have the code
                return Outcome(
                    "That didn't sound like a code, so I left it as it is.",
                    intent=pending.intent,
                    success=False,
                    failure_stage="understanding",
                )
            return self._run(dataclasses.replace(pending.request, code=code), session, turn, confirmed=True)
        if pending.request is not None and pending.kind == "slot" and pending.slot:
            return self._fill_slot(pending.request, pending.slot, pending.prompt, text, session, turn)
        if pending.request is not None and pending.kind == "confirm":
            if phrases.is_yes(text):
                return self._run(pending.request, session, turn, confirmed=True)
            return Outcome("Okay, I won't.", intent="dialogue.cancel", success=None)
        if pending.on_answer is None:
            raise ValueError(f"a {pending.kind} question without a request or a handler")
        try:
            return pending.on_answer(text, session)
        except Exception as error:  # a broken flow must not end the conversation
            log.exception("answer handler for %s failed", pending.kind)
            reraise_if_strict()
            return Outcome(
                f"Sorry, something went wrong with that ({error}).",
                success=False,
                failure_stage="result",
                intent=pending.intent,
            )

    def _patience(self, answered: PendingQuestion, outcome: Outcome, session: Session) -> Outcome:
        """Give up on a conversation of questions that goes nowhere: after MAX_MISSES answers
        in a row that did not fit, or MAX_ANSWERS answers in all, it ends and says so."""
        asked = session.pending
        if asked is None or asked is answered:
            return outcome
        asked.misses = answered.misses + 1 if asked.retry else 0
        asked.answers = answered.answers + 1
        asked.give_up = asked.give_up or answered.give_up
        if asked.misses < MAX_MISSES and asked.answers < MAX_ANSWERS:
            return outcome
        session.pending = None
        gave_up = asked.give_up or f"I stopped waiting for an answer to \u201c{asked.prompt}\u201d."
        why = "Sorry, I still couldn't use that." if asked.misses >= MAX_MISSES else "That went on a while."
        return Outcome(
            f"{why} {gave_up}", intent=answered.intent, success=False, failure_stage="understanding"
        )

    def _is_answer(self, text: str, pending: PendingQuestion) -> bool:
        """Does ``text`` answer the question, or is it a new request (the user moved on)?"""
        if phrases.is_yes(text) or phrases.is_no(text):
            return True
        if pending.expects is Expects.YES_NO:
            return False  # anything but yes or no is the next request; the offer lapses
        if pending.expects is Expects.SLOT and pending.request is not None and pending.slot:
            kind = self.parts.understander.slot_kind(pending.request.intent, pending.slot)
            if kind != "text":  # a duration, a time, a number, a known name: its value decides
                if self._is_new_request(text, pending):
                    return False  # a whole request of its own, even with a number in it
                if (
                    self.parts.understander.resolve_slot(pending.request.intent, pending.slot, text)
                    is not None
                ):
                    return True
                return not self._is_new_request(text, pending, any_source=True)
        if not pending.allow_commands:
            return True
        return not self._is_new_request(text, pending)

    def _is_new_request(self, text: str, pending: PendingQuestion, any_source: bool = False) -> bool:
        best = self._best(self._parse(text, Session()))
        if best is None:
            return False
        if best.intent == pending.intent:
            # the same kind of request said in full ("how many seconds in a day" while asked
            # "5 foot 10 what, in centimeters?") is a new one, with what was asked for in it
            return (
                best.source == TurnSource.RULES
                and best.confidence >= 1.0
                and pending.slot is not None
                and best.slots.get(pending.slot) not in (None, "")
            )
        if pending.expects is Expects.SLOT and (best.intent or "").startswith(SMALL_TALK):
            return False  # "call the plumber" answers "What should I remind you about?"
        # Free answers ("call it focus time") often look like some intent to the model; only
        # a full template match says the user moved on.
        return any_source or best.source == TurnSource.RULES

    def _fill_slot(
        self, request: Request, slot: str, prompt: str, answer: str, session: Session, turn: TurnResult
    ) -> Outcome:
        """The answer to "For how long?" read as that slot, and the request run in this turn."""
        nlu = self.parts.understander
        value = nlu.resolve_slot(request.intent, slot, answer)
        if value in (None, ""):
            if nlu.slot_kind(request.intent, slot) != "text":
                self._ask_slot(request, slot, prompt, session, retry=True)
                return Outcome(
                    f"Sorry, I didn't catch that. {prompt}",
                    intent=request.intent,
                    slots=request.slots,
                    success=None,
                )
            value = phrases.normalize(answer)
        filled = request.with_slot(slot, value)
        filled.raw_slots = {**request.raw_slots, slot: phrases.normalize(answer)}
        return self._run(filled, session, turn)

    # --- context: corrections, carry-over, pronouns, again -------------

    def _wrong(self, session: Session) -> Outcome:
        self._mark_previous(session, DefectSignal.NEGATED)
        previous = session.previous_turn()
        offer = self.parts.offer_after_wrong(previous, session) if previous else None
        if offer is not None:
            return offer
        return Outcome("Sorry about that. What did you mean?", intent="dialogue.wrong", success=None)

    def _take_back(self, verb: str, text: str, session: Session, turn: TurnResult) -> Outcome:
        """ "cancel that", "undo it": the last request's effect goes, when it can be undone.
        "cancel it" means the thing itself ("add 5 minutes to the timer" -> "cancel it" cancels
        the timer, "cancel that" takes the 5 minutes back), and so does any of these when the
        last request cannot be undone ("how long is left on the rice" -> "cancel that")."""
        last = session.last_request
        spec = self.parts.executor.spec(last.intent) if last is not None else None
        undoable = (
            last is not None and spec is not None and spec.undo is not None and last.ok and not last.undone
        )
        if (
            last is not None
            and last.entity_name
            and verb == "cancel"
            and (text.endswith(" it") or not undoable)
        ):
            taken = self._act_on_entity(text, last.entity_name, session, turn)
            if taken is not None:
                return taken
        if last is not None and undoable:
            return self._undo(last, session, turn)
        change = session.last_change
        if change is not None and not change.undone and verb != "cancel":
            return self._undo(change, session, turn)
        if last is not None and last.entity_name and verb in ("delete", "remove"):
            taken = self._act_on_entity(text, last.entity_name, session, turn)
            if taken is not None:
                return taken
        if last is not None and last.ok and not last.undone and spec is not None:
            return Outcome(
                f"Sorry, I can't {verb} that.", intent="dialogue.undo", success=False, failure_stage="result"
            )
        return Outcome(f"There's nothing to {verb}.", intent="dialogue.undo", success=None)

    def _undo(self, last: Request, session: Session, turn: TurnResult) -> Outcome:
        with turn.trace.stage("action", {"undo": last.intent, "data": last.result}) as record:
            try:
                reply = self.parts.executor.undo(last.intent, last.result)
            except SkillError as error:
                record.ok, record.error = False, str(error)
                return Outcome(str(error), intent="dialogue.undo", success=False, failure_stage="result")
            record.output = reply
        last.undone = True
        self._mark_previous(session, DefectSignal.CANCELLED)
        undo = ActionRecord(name=f"{last.intent}.undo", args=jsonable_slots(last.result))
        self._published([undo], session)
        return Outcome(reply, intent="dialogue.undo", actions=[undo])

    def _act_on_entity(
        self, text: str, entity_name: str, session: Session, turn: TurnResult
    ) -> Outcome | None:
        """ "cancel it" as "cancel the eggs timer", when that reads as a request."""
        replaced = phrases.replace_pronoun(text, entity_name)
        best = self._best(self._parse(replaced, session)) if replaced else None
        if replaced is None or best is None or not best.intent:
            return None
        turn.rewritten = turn.resolved_reference = replaced
        return self._act(best, replaced, session, turn)

    def _contextual(self, text: str, session: Session, turn: TurnResult) -> Outcome | None:
        last = session.last_request
        if last is None:
            return None
        if phrases.is_again(text):
            turn.role = TurnRole.FOLLOW_ON
            return self._run(
                Request(last.text, last.intent, dict(last.slots), dict(last.raw_slots), TurnSource.DIALOGUE),
                session,
                turn,
            )
        new_value = phrases.correction(text)
        if new_value is not None:
            # Never a new wording of the last request: "no, ten minutes" fixes a value.
            turn.role = TurnRole.CORRECTION
            whole = self._best(self._parse(new_value, session))
            if whole is not None and whole.source == TurnSource.RULES and whole.intent != last.intent:
                # "actually remove the apples": a request of its own, not a new value
                return self._act(whole, new_value, session, turn)
            target = last
            corrected = self._substitute(new_value, last, session)
            change = session.last_change
            if corrected is None and change is not None and change is not last and not change.undone:
                # "move it to 11" after "what reminders do I have": the reminder set before
                target, corrected = change, self._substitute(new_value, change, session)
            if corrected is not None:
                if target is last:  # the question in between was answered right
                    self._mark_previous(session, DefectSignal.CORRECTED)
                replaces = self._replace(target) if corrected.intent == target.intent else None
                return self._run(corrected, session, turn, replaces=replaces)
            turn.role = TurnRole.REQUEST
        rest = phrases.carry_over(text)
        if rest is not None:
            for said in (text, rest):  # "plus 3" (a sum), "and divided by 5"
                whole = self._best(self._parse(said, session))
                if (
                    whole is not None
                    and whole.intent == last.intent
                    and whole.source == TurnSource.RULES
                    and whole.confidence >= 1.0
                ):
                    # a template of the same skill says in full what it means
                    turn.role = TurnRole.FOLLOW_ON
                    return self._act(whole, said, session, turn)
            another = self._substitute(rest, last, session)
            if another is not None:
                turn.role = TurnRole.FOLLOW_ON
                return self._run(another, session, turn)
        noun = _kind_of(last)
        named = phrases.name_the_one(text, noun) if noun else None
        if named is not None:
            # "start another one for 3 minutes", "cancel the tea one": one more of that thing
            best = self._best(self._parse(named, session))
            # The kind word must frame the request, not fill it ("add another one" after adding
            # milk is not "add a list").
            if best is not None and best.intent and not self._fills_a_text_slot(best, noun):
                turn.rewritten = turn.resolved_reference = named
                turn.role = TurnRole.FOLLOW_ON
                return self._act(best, named, session, turn)
            if text.split()[-2:] == ["another", "one"]:
                return Outcome(
                    "Another what? Say it in full, like \u201cadd eggs to my shopping list\u201d.",
                    intent=None,
                    success=False,
                    failure_stage=FailureStage.UNDERSTANDING,
                    source=TurnSource.NONE,
                )
        if last.entity_name and phrases.has_pronoun(text):
            as_said = self._best(self._parse(text, session))
            if as_said is not None and as_said.source == TurnSource.RULES:
                return None  # "what time is it": the sentence means no thing
            replaced = phrases.replace_pronoun(text, last.entity_name)
            best = self._best(self._parse(replaced, session)) if replaced else None
            # Only a sentence that reads as a request once "it" is named: "what tim is it" is
            # not "what tim is the shopping list" (a guess there takes the place of learning).
            if best is not None and best.intent and best.source in (TurnSource.RULES, TurnSource.FUZZY):
                turn.rewritten = turn.resolved_reference = replaced
                turn.role = TurnRole.FOLLOW_ON
                return self._act(best, replaced or text, session, turn)
        return None

    def _fills_a_text_slot(self, candidate: IntentCandidate, word: str) -> bool:
        intent = candidate.intent or ""
        return any(
            word in str(value).split() and self.parts.understander.slot_kind(intent, slot) == "text"
            for slot, value in candidate.slots.items()
        )

    def _replace(self, last: Request) -> dict[str, Any] | None:
        """A correction takes the corrected request's effect back first (the handler gets its
        data as ``replaces`` too, for skills that undo it themselves)."""
        spec = self.parts.executor.spec(last.intent)
        if last.ok and not last.undone and spec is not None and spec.undo is not None:
            try:
                self.parts.executor.undo(last.intent, last.result)
            except SkillError as error:
                log.info("Could not take back %s before its correction: %s", last.intent, error)
                return dict(last.result)
            last.undone = True
            return None
        return dict(last.result) if last.ok and not last.undone else None

    def _substitute(self, words: str, last: Request, session: Session) -> Request | None:
        """The last request with ``words`` in place of one of its slots: a slot whose kind
        reads the words (a duration, a time, a number, a known name), else the words put
        where that slot was said in the sentence, else ``words`` as a whole new request."""
        stripped = _strip_fillers(words)
        nlu = self.parts.understander
        a_moment = words.split()[:1] == ["at"]  # "move it to 11" came as "at 11": not 11 minutes
        for slot in self._slots_of(last):
            kind = nlu.slot_kind(last.intent, slot)
            if kind == "text" or (a_moment and kind == "duration"):
                continue
            value = nlu.resolve_slot(last.intent, slot, stripped)
            if value not in (None, "") and value != last.slots.get(slot):
                return _fresh(self._with_new_value(last, slot, kind, value, stripped))
        # Words said in place of a slot: the intent's first declared slot they fit wins
        # ("and eggs" after "add milk to my shopping list" is another item, not another list).
        best: Request | None = None
        # a number takes the place of a number first ("and 20" after "10 miles in km")
        numeric = _is_number(stripped)
        slots = sorted(self._slots_of(last), key=lambda s: _is_number(last.raw_slots.get(s) or "") != numeric)
        for slot in slots:
            raw = last.raw_slots.get(slot)
            if not raw or raw not in last.text:
                continue
            candidate_text = last.text.replace(raw, stripped, 1)
            candidate = self._best(self._parse(candidate_text, session))
            if (
                candidate is not None
                and candidate.intent == last.intent
                and candidate.slots.get(slot) not in (None, "", last.slots.get(slot))  # the words fill it
            ):
                best = _request(candidate, candidate_text)
                break
        if best is None:
            whole = self._best(self._parse(words, session))
            if whole is not None and whole.intent and whole.source == TurnSource.RULES:
                best = _request(whole, words)
        return best

    def _with_new_value(self, last: Request, slot: str, kind: str, value: Any, words: str) -> Request:
        """``last`` with ``slot`` set to ``value``; a new moment replaces a length said for the
        same request, and a new length a moment ("remind me in 20 minutes" -> "push it to 4pm")."""
        other = {"time": "duration", "duration": "time"}.get(kind)
        dropped = [
            name
            for name in last.slots
            if other and self.parts.understander.slot_kind(last.intent, name) == other
        ]
        raw = next((last.raw_slots.get(name) for name in [slot, *dropped] if last.raw_slots.get(name)), None)
        changed = last.with_slot(slot, value)
        changed.slots = {name: v for name, v in changed.slots.items() if name not in dropped}
        changed.text = last.text.replace(raw, words, 1) if raw and raw in last.text else last.text
        changed.raw_slots = {
            **{name: v for name, v in last.raw_slots.items() if name not in dropped},
            slot: words,
        }
        changed.source = TurnSource.DIALOGUE
        return changed

    def _slots_of(self, request: Request) -> list[str]:
        """The request's slots, the intent's declared ones first (in their order)."""
        spec = self.parts.executor.spec(request.intent)
        declared = [slot.name for slot in spec.slots] if spec is not None else []
        return list(dict.fromkeys(declared + list(request.slots)))

    # --- understanding -------------------------------------------------

    def _parse(self, text: str, session: Session) -> list[IntentCandidate]:
        parts = self.parts
        context = UnderstandingContext(
            previous_intents=[t.intent for t in reversed(session.turns) if t.intent][:5],
            device_states={device.id: device.state for device in parts.devices.all()},
            hour=_local_hour(parts.clock.now()),
            preferences=parts.preferences(),
            expected_intents=[session.pending.intent] if session.pending and session.pending.intent else [],
        )
        return parts.understander.parse(text, context)

    def understand(self, text: str, session: Session) -> IntentCandidate | None:
        """Best confident reading of ``text`` after aliases, without acting."""
        normalized = phrases.normalize(text)
        for hook in self.parts.hooks:
            replaced = _safely(hook.before_understanding, normalized, session)
            if replaced:
                normalized = replaced[0]
                break
        return self._best(self._parse(normalized, session))

    def _best(self, candidates: list[IntentCandidate]) -> IntentCandidate | None:
        if not candidates:
            return None
        best = candidates[0]
        if best.intent is None or best.confidence < self.parts.settings.understanding_threshold:
            return None
        return best

    def _understand_and_act(
        self, text: str, session: Session, turn: TurnResult, code: str | None = None
    ) -> Outcome:
        for hook in self.parts.hooks:
            replaced = _safely(hook.before_understanding, text, session)
            if replaced:
                turn.rewritten, turn.source = replaced
                turn.learned_rewrite = text = replaced[0]
                break
        with turn.trace.stage("nlu", text) as record:
            candidates = self._parse(text, session)
            best = self._best(candidates)
            record.output = [
                {"intent": c.intent, "confidence": round(c.confidence, 3), "source": c.source}
                for c in candidates[:3]
            ]
            record.confidence = candidates[0].confidence if candidates else 0.0
            record.ok = best is not None
        if (best is None or best.source == TurnSource.MODEL) and phrases.is_bare_amount(text):
            # "five minutes" out of the blue (often an answer to a question that lapsed): the
            # model's guess at what it is for is not enough to act on.
            return Outcome(
                f"{text.capitalize()} for what? You could say"
                f" \u201cset a timer for {text}\u201d, for example.",
                intent=None,
                confidence=best.confidence if best else 0.0,
                success=False,
                failure_stage=FailureStage.UNDERSTANDING,
                source=TurnSource.NONE,
            )
        if best is None:
            best = self._from_alternatives(turn, session)
        if best is None:
            for hook in self.parts.hooks:
                rewritten = _safely(hook.on_low_confidence, text, session)
                if isinstance(rewritten, Outcome):
                    return rewritten  # "Did you mean ...?"
                if rewritten:
                    better = self._best(self._parse(rewritten[0], session))
                    if better is not None:
                        turn.rewritten, source = rewritten
                        turn.learned_rewrite = rewritten[0]
                        best = better
                        best.source = source
                        break
        if best is None and _speech_not_for_us(text, candidates, turn):
            # Someone reading aloud or talking to a colleague: no offer to teach it as a command.
            return Outcome(
                NOT_A_REQUEST_REPLY,
                intent=None,
                confidence=0.0,
                success=False,
                failure_stage=FailureStage.UNDERSTANDING,
                source=TurnSource.NONE,
            )
        if best is None:
            turn.confidence = candidates[0].confidence if candidates else 0.0
            self.parts.publish(
                NotRecognized(
                    text=text,
                    session_id=session.id,
                    confidence=turn.confidence,
                    failure_stage=self._failure_stage(turn),
                )
            )
            for hook in self.parts.hooks:
                taken = _safely(hook.not_understood, text, session)
                if taken is not None:
                    # The request itself failed, even when the hook answers with an offer.
                    taken.success = False
                    taken.failure_stage = taken.failure_stage or self._failure_stage(turn)
                    return taken
            return Outcome(
                f"Sorry, I didn't understand \u201c{text}\u201d. Say \u201cwhat can I say\u201d for ideas.",
                intent=None,
                confidence=turn.confidence,
                success=False,
                failure_stage=self._failure_stage(turn),
                source=TurnSource.NONE,
            )
        return self._act(best, text, session, turn, code)

    def _from_alternatives(self, turn: TurnResult, session: Session) -> IntentCandidate | None:
        """The recognizer's next guesses, when its best one means nothing: a full template
        match in one of them is far more likely than a request nobody knows."""
        for alternative in turn.feedback.alternatives:
            candidate = self._best(self._parse(phrases.normalize(alternative), session))
            if candidate is not None and candidate.source == TurnSource.RULES:
                turn.rewritten = alternative
                candidate.source = TurnSource.ASR_ALTERNATIVE
                return candidate
        return None

    def _failure_stage(self, turn: TurnResult) -> str:
        confidence = turn.feedback.asr.confidence if turn.feedback.asr is not None else None
        if confidence is not None and confidence < LOW_RECOGNITION_CONFIDENCE:
            return "recognition"
        return "understanding"

    # --- acting --------------------------------------------------------

    def _act(
        self,
        candidate: IntentCandidate,
        text: str,
        session: Session,
        turn: TurnResult,
        code: str | None = None,
    ) -> Outcome:
        intent = candidate.intent
        if intent is None:
            raise ValueError("an out-of-scope reading cannot be acted on")
        spec = self.parts.executor.spec(intent)
        if candidate.unresolved and spec is not None:
            candidate = self._unread_to_question(candidate, spec)
            missing_names = [s.name for s in spec.slots if s.name in candidate.unresolved]
            if missing_names:
                name = missing_names[0]
                said = f"I couldn't find anything called \u201c{candidate.raw_slots.get(name, '')}\u201d."
                self.parts.publish(
                    NotHandled(
                        intent=intent,
                        reason=said,
                        failure_stage="resolution",
                        session_id=session.id,
                    )
                )
                return Outcome(
                    f"I couldn't find anything called \u201c{candidate.raw_slots.get(name, '')}\u201d.",
                    intent=candidate.intent,
                    slots=candidate.slots,
                    confidence=candidate.confidence,
                    source=candidate.source,
                    success=False,
                    failure_stage="resolution",
                )
        request = dataclasses.replace(_request(candidate, turn.rewritten or text), code=code)
        return self._run(request, session, turn)

    def _unread_to_question(self, candidate: IntentCandidate, spec: IntentSpec) -> IntentCandidate:
        """A length, time or number that could not be read is not "nothing called that": its
        words go to the intent's free slot that is still empty ("set a timer for pasta": the
        name), and the slot is left out, so it is asked for."""
        intent = candidate.intent or ""
        kinds = {name: self.parts.understander.slot_kind(intent, name) for name in candidate.unresolved}
        unread = [name for name, kind in kinds.items() if kind in ("duration", "time", "number")]
        if not unread:
            return candidate
        slots = {name: value for name, value in candidate.slots.items() if name not in unread}
        free = [
            slot.name
            for slot in spec.slots
            if slot.name not in slots and self.parts.understander.slot_kind(intent, slot.name) == "text"
        ]
        raw = dict(candidate.raw_slots)
        if free and len(unread) == 1 and raw.get(unread[0]):
            slots[free[0]] = raw[unread[0]]
            raw[free[0]] = raw.pop(unread[0])
        return dataclasses.replace(
            candidate,
            slots=slots,
            raw_slots=raw,
            unresolved=[name for name in candidate.unresolved if name not in unread],
        )

    def _run(
        self,
        request: Request,
        session: Session,
        turn: TurnResult,
        replaces: dict[str, Any] | None = None,
        confirmed: bool = False,
    ) -> Outcome:
        self.parts.publish(
            Understood(
                text=turn.text,
                session_id=session.id,
                intent=request.intent,
                slots=jsonable_slots(request.slots),
                confidence=request.confidence,
                source=request.source,
            )
        )
        spec = self.parts.executor.spec(request.intent)
        if spec is None:
            return Outcome(
                f"I know \u201c{request.intent}\u201d but nothing can do it right now.",
                intent=request.intent,
                slots=request.slots,
                success=False,
                failure_stage="result",
            )
        missing = next((s for s in spec.required_slots if request.slots.get(s.name) in (None, "")), None)
        if missing is not None:
            self._ask_slot(request, missing.name, missing.question, session)
            return _asked(request, missing.question)
        if spec.needs_confirmation and not confirmed:
            prompt = confirmation_prompt(spec.confirm, request.slots)
            session.ask(
                PendingQuestion(
                    kind="confirm",
                    prompt=prompt,
                    intent=spec.name,
                    expects=Expects.YES_NO,
                    request=request,
                )
            )
            return _asked(request, prompt)
        return self._execute(request, session, turn, replaces)

    def _ask_slot(
        self, request: Request, slot: str, prompt: str, session: Session, retry: bool = False
    ) -> None:
        session.ask(
            PendingQuestion(
                kind="slot",
                prompt=prompt,
                intent=request.intent,
                expects=Expects.SLOT,
                request=request,
                slot=slot,
                allow_commands=True,
                retry=retry,
            )
        )

    def _execute(
        self, request: Request, session: Session, turn: TurnResult, replaces: dict[str, Any] | None
    ) -> Outcome:
        intent, slots = request.intent, request.slots
        with turn.trace.stage("action", {"intent": intent, "slots": slots}) as record:
            result: ActionResult = self.parts.executor.execute(
                intent, slots, request.text, session=session, replaces=replaces, code=request.code
            )
            record.output = result.speech
            record.ok = result.ok
            record.error = result.error
        if result.asks_for is not None:
            self._ask_slot(request, result.asks_for, result.speech, session)
            return _asked(request, result.speech)
        if result.asks_code and request.code is None:
            session.ask(
                PendingQuestion(
                    kind="code",
                    prompt=result.speech,
                    intent=intent,
                    expects=Expects.FREE,
                    request=request,
                    allow_commands=True,
                    secret=True,
                )
            )
            return _asked(request, result.speech)
        if result.follow_up is not None:
            session.ask(result.follow_up)
        turn.feedback.result_data = result.data
        request.ok, request.result, request.entity = result.ok, dict(result.data), result.entity
        request.entity_name = result.entity_name or (
            self._spoken_name(result.entity) if result.entity else None
        )
        request.at = self.parts.clock.now()
        previous = session.last_request
        if previous is not None and not request.entity_name and previous.entity_name:
            request.entity, request.entity_name = previous.entity, previous.entity_name  # "it" still means it
        session.last_request = request
        spec = self.parts.executor.spec(intent)
        if result.ok and spec is not None and spec.undo is not None:
            session.last_change = request
        actions = [ActionRecord(name=intent, args=jsonable_slots(slots), ok=result.ok, error=result.error)]
        actions.extend(ActionRecord(**step) for step in result.data.get("steps", []))
        self._published(actions, session)
        if not result.ok:
            self.parts.publish(NotHandled(intent=intent, reason=result.speech, session_id=session.id))
        return Outcome(
            result.speech,
            intent=intent,
            slots=slots,
            confidence=request.confidence,
            source=request.source,
            actions=actions,
            success=None if result.follow_up is not None and result.ok else result.ok,
            failure_stage=None if result.ok else "result",
            entity=result.entity,
        )

    def _published(self, actions: list[ActionRecord], session: Session) -> None:
        for action in actions:
            self.parts.publish(
                ActionDone(
                    name=action.name,
                    args=action.args,
                    ok=action.ok,
                    error=action.error,
                    session_id=session.id,
                )
            )

    def _spoken_name(self, entity: str) -> str:
        """What "it" stands for in words: "desk lamp" for light.desk_lamp, "timer" for timer:3."""
        device = self.parts.devices.get(entity)
        if device is not None:
            return device.name
        return entity.split(":", 1)[0] if ":" in entity else entity

    # --- bookkeeping ---------------------------------------------------

    def _mark_previous(self, session: Session, signal: DefectSignal) -> None:
        previous = session.previous_turn()
        if previous is not None:
            previous.feedback.signals.add(signal)

    def _finish(self, turn: TurnResult, outcome: Outcome, session: Session) -> None:
        turn.reply = outcome.reply
        turn.intent = outcome.intent
        turn.slots = jsonable_slots(outcome.slots)
        turn.confidence = outcome.confidence if outcome.intent else turn.confidence
        if outcome.intent and not (turn.rewritten and turn.source in (TurnSource.ALIAS, TurnSource.REWRITE)):
            turn.source = outcome.source
        turn.actions = outcome.actions
        turn.outcome = {True: TurnOutcome.SUCCESS, False: TurnOutcome.FAILURE, None: TurnOutcome.UNKNOWN}[
            outcome.success
        ]
        stage = outcome.failure_stage if outcome.success is False else None
        turn.failure_stage = FailureStage(stage) if stage else None
        turn.expects_answer = session.pending is not None
        # Every write so far committed on its own (the action's first): a write that fails
        # now (a full disk) cannot take the action back, so the turn says what was kept.
        lost: list[tuple[str, Exception]] = []
        for hook in self.parts.hooks:
            _safely(_after_turn, hook, turn, session, lost)
        turn.expects_answer = session.pending is not None
        turn.expects_code = session.pending is not None and session.pending.secret
        try:
            record_turn(self.parts.store, turn)
        except WRITE_FAILURES as error:
            log.warning("Turn %r not recorded: %s", turn.text[:80], error)
            lost.append(("history", error))
        if lost:
            turn.notices.append(what_was_kept(turn, lost))
        session.remember(turn)


LOST_PARTS = {
    "history": "write it in the history",
    "learning": "learn from it",
    "teaching": "keep what it taught",
    "timers": "check the timers",
}
"""What each late write of a turn was for, as the notice says it."""


def _after_turn(
    hook: TurnHooks, turn: TurnResult, session: Session, lost: list[tuple[str, Exception]]
) -> None:
    """A hook's after_turn; a storage failure is noted (the turn says what was kept),
    anything else is left to ``_safely``."""
    try:
        hook.after_turn(turn, session)
    except WRITE_FAILURES as error:
        log.warning("%s after the turn failed: %s", hook.name, error)
        lost.append((hook.name, error))


def what_was_kept(turn: TurnResult, lost: list[tuple[str, Exception]]) -> str:
    """'That was done, but I couldn't write it in the history (database or disk is full).'"""
    parts = list(dict.fromkeys(LOST_PARTS.get(name, f"finish {name}") for name, _ in lost))
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " or " + parts[-1]
    error = lost[0][1]
    reason = str(error.__cause__ or error)
    done = any(action.ok for action in turn.actions)
    start = "That was done and stays done, but I couldn't " if done else "I couldn't "
    return f"{start}{said} ({reason})."


def _asked(request: Request, question: str) -> Outcome:
    """The outcome of asking about ``request``: understood, nothing done yet."""
    return Outcome(
        question,
        intent=request.intent,
        slots=request.slots,
        confidence=request.confidence,
        source=request.source,
        success=None,
    )


def _kind_of(request: Request) -> str:
    """The kind of thing a request acted on, for "another one": "timer" for timer:3."""
    if request.entity and ":" in request.entity:
        return request.entity.split(":", 1)[0]
    return request.entity_name.split()[-1] if request.entity_name else ""


def _request(candidate: IntentCandidate, text: str) -> Request:
    if candidate.intent is None:
        raise ValueError("an out-of-scope reading is not a request")
    return Request(
        text=text,
        intent=candidate.intent,
        slots=dict(candidate.slots),
        raw_slots=dict(candidate.raw_slots),
        source=candidate.source,
        confidence=candidate.confidence,
    )


def _fresh(request: Request) -> Request:
    """A copy of a run request, not yet run (a correction or a carry-over of it)."""
    return Request(
        request.text,
        request.intent,
        dict(request.slots),
        dict(request.raw_slots),
        request.source,
        request.confidence,
    )


def confirmation_prompt(action: str, slots: dict[str, Any]) -> str:
    """ "Are you sure you want me to cancel every timer?" from the intent's ``confirm`` words."""
    given = {name: value for name, value in slots.items() if value not in (None, "")}
    for words in action.split("|") if action else []:  # the first wording whose slots were said
        try:
            filled = words.format(**given).strip().rstrip(".?")
        except (KeyError, IndexError, ValueError):
            continue
        return f"Are you sure you want me to {filled}?"
    return "Are you sure?"


def _is_number(words: str) -> bool:
    return find_number(words) is not None and len(words.split()) <= 3


def _strip_fillers(words: str) -> str:
    fillers = {"one", "for", "the", "a", "an", "on", "in", "at", "to", "make", "it", "that"}
    tokens = words.split()
    while len(tokens) > 1 and tokens[0] in fillers:
        tokens.pop(0)
    return " ".join(tokens)


def _local_hour(timestamp: float) -> int:
    import time

    return time.localtime(timestamp).tm_hour


def _safely(function: Callable[..., Any], *args: Any) -> Any:
    try:
        return function(*args)
    except Exception:  # hooks must never break a turn; the log keeps the details
        log.exception("turn hook %s failed", getattr(function, "__qualname__", function))
        reraise_if_strict()
        return None
