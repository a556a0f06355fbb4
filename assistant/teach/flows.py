"""Teaching conversations that take more than one turn.

Each flow returns a :class:`Say`: what to answer and, maybe, the next
question. Skill handlers turn it into an ``ActionResult`` (with ``follow_up``),
question handlers into an ``Outcome`` (setting ``session.pending``). Nothing
is stored until a flow is complete; "cancel" (handled by the dialogue) drops it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.dialogue import phrases
from assistant.dialogue.session import Expects, Outcome, PendingQuestion, Session
from assistant.memory import kv
from assistant.memory.teaching_records import CommandStep, NameClash, TeachingError, UnknownStep
from assistant.skills.base import ActionResult
from assistant.teach.phrasing import clean, split_steps
from assistant.teach.statements import parse_statement
from assistant.teach.step_words import describe_steps, join_actions, spoken_template, step_action

if TYPE_CHECKING:
    from assistant.teach.service import TeachingService

DONE = {
    "done",
    "that's it",
    "thats it",
    "that's all",
    "thats all",
    "finished",
    "i'm done",
    "im done",
    "that is all",
    "nothing else",
    "no more",
    "save it",
    "save",
    "end",
}
UNDO_STEP = {
    "undo",
    "undo last step",
    "undo the last step",
    "undo that",
    "remove the last step",
    "delete the last step",
    "scratch that",
    "take that back",
    "go back",
    "undo step",
}
SKIP = {
    "skip",
    "skip it",
    "skip that",
    "pass",
    "next",
    "leave it out",
    "leave it",
    "don't know",
    "i don't know",
}
MAX_RETRIES = 2
MAX_STEPS = 10
"""Steps one command may get step by step (a longer one is taught in one sentence)."""
NEW_COMMAND_GIVE_UP = (
    "I stopped teaching the new command, and nothing was saved. "
    "Say \u201clearn a new command\u201d to start again."
)
GUIDED_GIVE_UP = "I stopped asking about your preferences; say \u201clearn my preferences\u201d to carry on."
LAST_TAUGHT = "teaching.last"
"""Session key: (kind, key) of the last thing taught, for "forget that"."""


@dataclass
class Say:
    """A reply, and the question that follows it (if any)."""

    text: str
    question: PendingQuestion | None = None
    ok: bool = True
    data: dict[str, Any] = field(default_factory=dict)
    done: Outcome | None = None
    """What was carried out along with the reply (teach, then do), as the turn's outcome."""

    def result(self) -> ActionResult:
        return ActionResult(
            speech=self.text,
            ok=self.ok,
            error=None if self.ok else self.text,
            follow_up=self.question,
            data=self.data,
        )

    def outcome(self, session: Session, intent: str = "teach.answer") -> Outcome:
        if self.question is not None:
            session.ask(self.question)
        if self.done is not None:
            return self.done
        return Outcome(
            self.text,
            intent=intent,
            success=None if self.question else self.ok,
            failure_stage=None if self.ok else "result",
        )


def ask(
    prompt: str,
    on_answer: Callable[[str, Session], Say],
    kind: str = "teach",
    intent: str = "teach.answer",
    allow_commands: bool = False,
    before: str = "",
    retry: bool = False,
    give_up: str = "",
    expects: Expects = Expects.FREE,
) -> Say:
    """A question whose answer goes to ``on_answer``; ``retry`` when it is asked again
    because the last answer did not fit (the dialogue gives up after a few of those);
    ``expects=Expects.YES_NO`` for offers and confirmations, so a new request is not
    taken as "no" and dropped."""

    def handle(answer: str, session: Session) -> Outcome:
        return on_answer(clean(answer), session).outcome(session, intent)

    question = PendingQuestion(
        kind=kind,
        prompt=prompt,
        on_answer=handle,
        intent=intent,
        allow_commands=allow_commands,
        retry=retry,
        give_up=give_up,
        expects=expects,
    )
    return Say(f"{before} {prompt}".strip(), question)


def _is(text: str, words: set[str]) -> bool:
    return re.sub(r"^(?:ok|okay|please)\s+|\s+please$", "", text) in words


# --- one-sentence commands ----------------------------------------------------------


def finish_command(
    service: TeachingService,
    name: str,
    steps: list[str],
    unknown: list[str],
    session: Session | None,
    replace: bool = False,
    retries: int = 0,
    tried: str = "",
) -> Say:
    """Store a command once every step is understood and the name is free, asking otherwise
    (``tried``: the last answer that did not fit, said back instead of the step)."""
    if unknown:
        step = unknown[0]

        def fix(answer: str, session: Session) -> Say:
            if _is(answer, SKIP) or phrases.is_no(answer):
                rest = [s for s in steps if s != step]
                if not rest:
                    return Say("Then there's nothing left to do, so I didn't learn it.", ok=False)
                return finish_command(service, name, rest, unknown[1:], session, replace)
            split = split_steps(answer, service.step_reading)
            if split.unknown:
                if retries >= MAX_RETRIES:
                    return Say(
                        f"Sorry, I still don't understand \u201c{split.unknown[0]}\u201d, so I "
                        "didn't learn it.",
                        ok=False,
                    )
                return finish_command(
                    service,
                    name,
                    steps,
                    [step] + unknown[1:],
                    session,
                    replace,
                    retries + 1,
                    split.unknown[0],
                )
            position = steps.index(step)
            fixed = steps[:position] + split.steps + steps[position + 1 :]
            return finish_command(service, name, fixed, unknown[1:], session, replace)

        return ask(
            "Say it another way, or \u201cskip\u201d to leave it out.",
            fix,
            before=service.cannot_do(tried) if tried else service.cannot_do(step),
            retry=retries > 0,
            give_up=f"I stopped teaching \u201c{spoken_template(name)}\u201d, and nothing was saved.",
        )
    try:
        command = service.save_command(name, [name], steps, source="voice", replace=replace)
    except NameClash as clash:
        return _resolve_clash(service, clash, name, steps)
    except UnknownStep as error:
        return finish_command(service, name, steps, [error.step], session, replace, retries + 1)
    except TeachingError as error:
        return Say(str(error), ok=False)
    if session is not None:
        session.data[LAST_TAUGHT] = ("command", command.name)
    trigger = spoken_template(command.triggers[0])
    return Say(
        f"Okay. When you say \u201c{trigger}\u201d, I'll {describe_steps(command)}.",
        data={
            "taught": {
                "command": command.name,
                "triggers": command.triggers,
                "steps": [s.text for s in command.steps],
            },
            "change_id": service.newest_change_id(),
        },
    )


def _resolve_clash(service: TeachingService, clash: NameClash, name: str, steps: list[str]) -> Say:
    if clash.kind == "exists":

        def replace_or_rename(answer: str, session: Session) -> Say:
            if phrases.is_yes(answer) or answer.startswith("replace"):
                return finish_command(service, name, steps, [], session, replace=True)
            if phrases.is_no(answer):
                return ask(
                    "What should I call it instead?", lambda a, s: finish_command(service, a, steps, [], s)
                )
            return finish_command(service, answer, steps, [], session)

        return ask(
            f"There's already a command called \u201c{name}\u201d. Should I replace it? Or say another name.",
            replace_or_rename,
            retry=True,
            allow_commands=True,
        )
    return ask(
        "What should I call it instead?",
        lambda answer, session: finish_command(service, answer, steps, [], session),
        before=f"\u201c{spoken_template(clash.phrase)}\u201d already means {clash.meaning}.",
        retry=True,
        allow_commands=True,
    )


# --- step by step -------------------------------------------------------------------


def start_step_by_step(service: TeachingService, name: str = "", session: Session | None = None) -> Say:
    """ "learn a new command" -> name -> steps -> "done"; "... called X" starts at the steps."""
    if name and session is not None:
        return _named(service, name, session)
    return ask(
        "What should I call it?",
        lambda answer, session: _named(service, answer, session),
        give_up=NEW_COMMAND_GIVE_UP,
    )


def _named(service: TeachingService, name: str, session: Session, replace: bool = False) -> Say:
    # After one clash, a clear request ("set a timer for 5 minutes") is the user moving on,
    # not another name to refuse: the dialogue handles it and says the teaching stopped.
    if not name:
        return ask("What should I call it?", lambda answer, s: _named(service, answer, s), retry=True)
    try:
        service.check_command_clashes(name, [name], replace=replace)
    except NameClash as clash:
        if clash.kind == "exists":
            return ask(
                f"There's already a command called \u201c{name}\u201d. Say \u201creplace\u201d to "
                "change it, or another name.",
                lambda answer, s: (
                    _named(service, name, s, True)
                    if answer.startswith("replace") or phrases.is_yes(answer)
                    else _named(service, answer, s)
                ),
                retry=True,
                allow_commands=True,
            )
        return ask(
            "What should I call it instead?",
            lambda answer, s: _named(service, answer, s),
            before=f"\u201c{name}\u201d already means {clash.meaning}.",
            retry=True,
            allow_commands=True,
        )
    return ask(
        "What should I do first?",
        lambda answer, s: _next_step(service, name, [], answer, s),
        before=f"Okay, \u201c{name}\u201d.",
        give_up=f"I stopped teaching \u201c{name}\u201d, and nothing was saved. "
        "Say \u201clearn a new command\u201d to start again.",
    )


def _next_step(
    service: TeachingService, name: str, steps: list[CommandStep], answer: str, session: Session
) -> Say:
    def again(prompt: str, before: str = "", retry: bool = True) -> Say:
        return ask(prompt, lambda a, s: _next_step(service, name, steps, a, s), before=before, retry=retry)

    if _is(answer, DONE):
        if not steps:
            return again("What should I do first?", "I need at least one step.")
        try:
            command = service.save_built_command(name, [name], steps)
        except TeachingError as error:
            return Say(f"I couldn't save it: {error}", ok=False)
        session.data[LAST_TAUGHT] = ("command", command.name)
        return Say(
            f"Done. When you say \u201c{command.name}\u201d, I'll {describe_steps(command)}.",
            data={
                "taught": {"command": command.name, "steps": [s.text for s in command.steps]},
                "change_id": service.newest_change_id(),
            },
        )
    if _is(answer, UNDO_STEP):
        if not steps:
            return again("What should I do first?", "There are no steps yet.")
        removed = steps.pop()
        prompt = (
            "What next? Say \u201cdone\u201d when you're finished." if steps else "What should I do first?"
        )
        return again(prompt, f"Okay, I took out \u201c{removed.text}\u201d.", retry=False)
    if len(steps) >= MAX_STEPS:
        return again(
            "Say \u201cdone\u201d to save it, or \u201cundo last step\u201d.",
            f"That's {MAX_STEPS} steps, the most one command can have.",
        )
    split = split_steps(answer, service.step_reading)
    if split.unknown:
        return again("Say it another way?", service.cannot_do(split.unknown[0]))
    try:
        built = service.build_steps(name, split.steps)
    except TeachingError as error:
        return again("What else should I do?", str(error))
    first = not steps
    steps.extend(built)
    actions = join_actions([step_action(step) for step in built])
    return again(
        "What next? Say \u201cdone\u201d when you're finished, or \u201cundo last step\u201d.",
        f"Okay, first I'll {actions}." if first else f"Okay, then I'll {actions}.",
        retry=False,
    )


# --- preferences ------------------------------------------------------------------------

GUIDED_PROGRESS = "teach.guided_preferences"
GUIDED_QUESTIONS: list[tuple[str, str]] = [
    ("user_name", "What should I call you?"),
    ("home_city", "Which city do you live in?"),
    ("temperature_unit", "Do you prefer Celsius or Fahrenheit?"),
    ("music_genre", "What kind of music do you like best?"),
    ("news_topics", "Which news topics interest you?"),
    ("wake_phrase", "What would you like to say to wake me?"),
]


def start_guided(service: TeachingService) -> Say:
    """ "learn my preferences": a few questions, each skippable; resumes where it stopped."""
    progress = kv.get_value(service.store, GUIDED_PROGRESS, {}) or {}
    position = int(progress.get("next", 0))
    if position >= len(GUIDED_QUESTIONS):
        position = 0
    before = (
        "Let's carry on where we stopped."
        if position
        else "Let's go. Say \u201cskip\u201d to skip a question, \u201ccancel\u201d to stop."
    )
    return _guided_question(service, position, before)


def _guided_question(service: TeachingService, position: int, before: str = "") -> Say:
    if position >= len(GUIDED_QUESTIONS):
        kv.delete_value(service.store, GUIDED_PROGRESS)
        return Say(
            f"{before} That's all, thanks! Ask \u201cwhat do you know about me\u201d any time.".strip()
        )
    kv.set_value(service.store, GUIDED_PROGRESS, {"next": position})
    key, prompt = GUIDED_QUESTIONS[position]

    def answer(text: str, session: Session) -> Say:
        if _is(text, SKIP) or phrases.is_no(text):
            return _guided_question(service, position + 1, "Okay, skipped.")
        value = guided_value(key, text)
        if value is None:
            return ask(
                prompt,
                answer,
                kind="preferences",
                intent="teach.preference",
                before="Sorry, I didn't get that.",
                allow_commands=True,
                retry=True,
            )
        service.set_preference(key, value, source="guided")
        return _guided_question(service, position + 1, "Got it.")

    # "what time is it" is not a name or a city: a clear request ends the questions. The
    # question belongs to teach.preference, so "I live in Leeds" is an answer, not a new request.
    return ask(
        prompt,
        answer,
        kind="preferences",
        intent="teach.preference",
        before=before,
        allow_commands=True,
        give_up=GUIDED_GIVE_UP,
    )


def guided_value(key: str, text: str) -> str | None:
    """The value in an answer: 'I live in Boston' / 'Boston' -> 'Boston'."""
    statement = parse_statement(text)
    if statement is not None and statement.key == key:
        return statement.value
    text = re.sub(
        r"^(?:it's|it is|i'm|i am|in|call me|my name is|i like|i prefer|probably|mostly)\s+", "", text
    )
    if not text:
        return None
    if key == "temperature_unit":
        if text.startswith(("c", "metric")):
            return "celsius"
        if text.startswith(("f", "imperial")):
            return "fahrenheit"
        return None
    if key in ("user_name", "home_city"):
        return " ".join(word[:1].upper() + word[1:] for word in text.split())
    return text
