"""Run corpus conversations through a real assistant, each in a fresh home with a fake clock.

Each conversation gets its own temporary home, store and ``Assistant`` (plug-ins off), so
nothing one conversation did (a taught command, a timer, a preference) can change another's
answers. What they share is only what cannot change: the base model is loaded, not trained,
and the parsed templates of the skills' sentence files are reused within the process
(``RuleSet.add``), so a new assistant takes about 0.07 s.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from assistant.corpus.checks import observe, slot_matches, turn_differences
from assistant.corpus.model import SECONDS_PER_TURN, Conversation, CorpusFile, SentenceTest, Turn
from assistant.corpus.replies import reply_problems
from assistant.corpus.report import Report, TurnVerdict

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.nlu.types import IntentCandidate

SentenceReader = Callable[[str], "IntentCandidate | None"]
"""A sentence -> its best confident reading (None: not understood)."""
SESSION = "corpus"


class CorpusClock:
    """The assistant's clock during a conversation: moves only when the runner says so."""

    def __init__(self, start: datetime) -> None:
        self.time = start.timestamp()

    def now(self) -> float:
        return self.time

    def advance(self, seconds: float) -> None:
        self.time += seconds


def run_corpus(files: Iterable[CorpusFile], *, reader: SentenceReader | None = None) -> Report:
    """Every conversation and sentence test of ``files``. ``reader`` reads ``tests:``
    sentences (default: a fresh assistant's own understanding, one per file)."""
    started = time.perf_counter()
    report = Report()
    for corpus in files:
        for conversation in corpus.conversations:
            report.verdicts += run_conversation(conversation)
            report.conversations += 1
        if corpus.sentence_tests:
            report.verdicts += run_sentence_tests(corpus.sentence_tests, reader)
    report.seconds = time.perf_counter() - started
    return report


def run_conversation(conversation: Conversation) -> list[TurnVerdict]:
    """One verdict per ``say`` turn; a turn that raises fails, and so do the ones after it."""
    clock = CorpusClock(conversation.start)
    with fresh_assistant(clock) as assistant:
        for turn in conversation.given:
            try:
                _step(assistant, clock, turn)
            except Exception as error:
                return _not_run(
                    conversation, conversation.scored(), f"given turn {turn.number} {_raised(error)}"
                )
        verdicts: list[TurnVerdict] = []
        for index, turn in enumerate(conversation.turns):
            try:
                verdict = _scored_step(assistant, clock, conversation, turn)
            except Exception as error:
                verdict = _verdict(conversation, turn, reasons=[_raised(error)])
                rest = [t for t in conversation.turns[index + 1 :] if t.say is not None]
                return verdicts + [verdict] + _not_run(conversation, rest, f"turn {turn.number} raised")
            if verdict is not None:
                verdicts.append(verdict)
        return verdicts


def _scored_step(
    assistant: Assistant, clock: CorpusClock, conversation: Conversation, turn: Turn
) -> TurnVerdict | None:
    result = _step(assistant, clock, turn)
    if result is None:
        return None
    observed = observe(assistant.store, clock.now(), turn.expect.effect)
    reasons = turn_differences(turn.expect, result, observed, resolve=assistant.nlu.resolve_slot)
    reasons += [f"reply check: {problem}" for problem in reply_problems(result.reply)]
    return _verdict(conversation, turn, reply=result.reply, intent=result.intent, reasons=reasons)


def _step(assistant: Assistant, clock: CorpusClock, turn: Turn) -> Any:
    """Say the turn's words (the clock moves on a little after), or let time pass."""
    if turn.say is None:
        clock.advance(turn.wait_seconds)
        return None
    result = assistant.handle_text(turn.say, session_id=SESSION)
    clock.advance(SECONDS_PER_TURN)
    return result


def run_sentence_tests(tests: list[SentenceTest], reader: SentenceReader | None = None) -> list[TurnVerdict]:
    """Home Assistant's single-sentence form: the intent and slots each sentence is read as."""
    if reader is not None:
        return [_sentence_verdict(test, reader) for test in tests]
    clock = CorpusClock(datetime.fromtimestamp(time.time()).replace(microsecond=0))
    with fresh_assistant(clock) as assistant:
        return [_sentence_verdict(test, assistant.understand) for test in tests]


def _sentence_verdict(test: SentenceTest, reader: SentenceReader) -> TurnVerdict:
    verdict = TurnVerdict(test.file, test.skill, None, test.number, test.sentence)
    try:
        best = reader(test.sentence)
    except Exception as error:
        verdict.reasons.append(_raised(error))
        return verdict
    intent = best.intent if best is not None else None
    verdict.intent = intent
    if intent != test.intent:
        verdict.reasons.append(f"intent {intent!r}, expected {test.intent!r}")
    for slot, value in test.slots.items():
        slots = best.slots if best is not None else {}
        raw = best.raw_slots.get(slot) if best is not None else None
        if slot not in slots or not slot_matches(value, slots[slot], raw):
            verdict.reasons.append(f"slot {slot}={slots.get(slot)!r}, expected {value!r}")
    return verdict


@contextmanager
def fresh_assistant(clock: CorpusClock) -> Iterator[Assistant]:
    """A real assistant in a new temporary home, closed and removed afterwards."""
    from assistant.config import Home
    from assistant.core import Assistant

    with tempfile.TemporaryDirectory(prefix="assistant-corpus-") as folder:
        try:
            assistant = Assistant(Home.locate(folder), clock=clock, plugins=False)
            try:
                yield assistant
            finally:
                assistant.close()
        finally:
            _drop_log_files(folder)


def _drop_log_files(folder: str) -> None:
    """Each home adds its log file to the root logger; a run of 150 homes must not keep 150
    open files, each written by every later log line."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if str(getattr(handler, "baseFilename", "")).startswith(folder):
            root.removeHandler(handler)
            handler.close()


def _verdict(
    conversation: Conversation,
    turn: Turn,
    *,
    reply: str = "",
    intent: str | None = None,
    reasons: list[str] | None = None,
) -> TurnVerdict:
    return TurnVerdict(
        file=conversation.file,
        skill=conversation.skill,
        conversation=conversation.name,
        number=turn.number,
        said=turn.say or "",
        reply=reply,
        intent=intent,
        reasons=list(reasons or []),
    )


def _not_run(conversation: Conversation, turns: list[Turn], why: str) -> list[TurnVerdict]:
    return [_verdict(conversation, turn, reasons=[f"not run: {why}"]) for turn in turns]


def _raised(error: Exception) -> str:
    return f"raised {type(error).__name__}: {error}"
