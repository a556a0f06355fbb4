"""Teachable moments: when a request fails, offer to learn what it means.

"I didn't understand 'lamp please'. Do you want to teach me what it means?"
is asked once per phrase; a declined offer is remembered (``offers`` table,
kind ``teach``) and never repeated. The answer to "What should I do when you
say ...?" becomes an alias when it is one request, a command when it is several.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.dialogue import phrases
from assistant.dialogue.session import Expects, Outcome, Session
from assistant.json_values import jsonable_slots
from assistant.memory.teaching_records import TeachingError
from assistant.teach.flows import LAST_TAUGHT, MAX_RETRIES, Say, ask
from assistant.teach.phrasing import clean, split_steps
from assistant.teach.step_words import describe_steps
from assistant.turn import ActionRecord, TurnSource

if TYPE_CHECKING:
    from assistant.teach.service import TeachingService
    from assistant.turn import TurnResult

OFFER_KIND = "teach"
MAX_PHRASE_WORDS = 12
"""Longer requests are rarely worth an alias; the offer would only annoy."""


def offer_to_teach(service: TeachingService, text: str, session: Session) -> Outcome | None:
    """After nothing understood ``text``: offer to learn it (once per phrase)."""
    phrase = clean(text)
    if not _worth_offering(service, phrase):
        return None
    service.offers.offered(OFFER_KIND, phrase)
    say = ask(
        "Do you want to teach me what it means?",
        lambda answer, s: _answered(service, phrase, answer, s),
        kind="offer",
        intent="teach.offer",
        allow_commands=True,
        expects=Expects.YES_NO,
        before=f"I didn't understand \u201c{phrase}\u201d.",
    )
    if say.question is not None:
        session.ask(say.question)
    return Outcome(
        say.text, intent=None, success=False, failure_stage="understanding", source=TurnSource.NONE
    )


def offer_after_wrong(service: TeachingService, previous: TurnResult, session: Session) -> Outcome | None:
    """After "no, that's wrong": offer to learn what the previous request should do."""
    phrase = clean(previous.text)
    if not _worth_offering(service, phrase):
        return None
    service.offers.offered(OFFER_KIND, phrase)
    say = ask(
        f"Do you want to teach me what \u201c{phrase}\u201d should do?",
        lambda answer, s: _answered(service, phrase, answer, s, force=True),
        kind="offer",
        intent="teach.offer",
        allow_commands=True,
        expects=Expects.YES_NO,
        before="Sorry about that.",
    )
    if say.question is not None:
        session.ask(say.question)
    return Outcome(say.text, intent="dialogue.wrong", success=None)


def _worth_offering(service: TeachingService, phrase: str) -> bool:
    if not phrase or len(phrase.split()) > MAX_PHRASE_WORDS:
        return False
    if phrases.is_yes(phrase) or phrases.is_no(phrase) or phrases.is_cancel(phrase):
        return False
    return service.offers.may_offer(OFFER_KIND, phrase)


def _answered(
    service: TeachingService, phrase: str, answer: str, session: Session, force: bool = False
) -> Say:
    if phrases.is_yes(answer):
        return ask(
            f"What should I do when you say \u201c{phrase}\u201d?",
            lambda meaning, s: teach_meaning(service, phrase, meaning, s, force),
            intent="teach.offer",
        )
    service.offers.declined(OFFER_KIND, phrase)
    return Say(f"Okay, I won't ask about \u201c{phrase}\u201d again.")


def teach_meaning(
    service: TeachingService,
    phrase: str,
    meaning: str,
    session: Session,
    force: bool = False,
    retries: int = 0,
) -> Say:
    """One understood request -> alias; several -> a command named after the phrase."""
    split = split_steps(meaning, service.step_reading)
    if not split.steps or split.unknown:
        unknown = split.unknown[0] if split.unknown else meaning
        if retries >= MAX_RETRIES:
            return Say(f"Sorry, I don't understand \u201c{unknown}\u201d either, so I left it.", ok=False)
        return ask(
            "Say it another way?",
            lambda again, s: teach_meaning(service, phrase, again, s, force, retries + 1),
            intent="teach.offer",
            before=f"I don't know how to do \u201c{unknown}\u201d either.",
            retry=True,
        )
    try:
        if len(split.steps) == 1:
            alias = service.save_alias_from_example(phrase, split.steps[0], source="offer", force=force)
            session.data[LAST_TAUGHT] = ("alias", alias.phrase)
            reply = f"Got it. From now on, \u201c{alias.phrase}\u201d means \u201c{alias.target}\u201d."
        else:
            command = service.save_command(phrase, [phrase], split.steps, source="offer")
            session.data[LAST_TAUGHT] = ("command", command.name)
            reply = f"Got it. When you say \u201c{phrase}\u201d, I'll {describe_steps(command)}."
    except TeachingError as error:
        return Say(f"I couldn't learn that: {error}", ok=False)
    service.offers.accepted(OFFER_KIND, phrase)
    return _and_do(service, phrase, reply, session)


def _and_do(service: TeachingService, phrase: str, reply: str, session: Session) -> Say:
    """Teach, then do: the request that started the lesson is carried out now, read the
    way it will be from now on, so the user need not ask again."""
    meant = service.understand(phrase)
    if meant is None or meant.intent is None:
        return Say(reply)
    result = service.parts.executor.execute(meant.intent, meant.slots, phrase, session=session)
    done = Outcome(
        f"{reply} {result.speech}".strip(),
        intent=meant.intent,
        slots=meant.slots,
        source=TurnSource.ALIAS,
        actions=[
            ActionRecord(
                name=meant.intent, args=jsonable_slots(meant.slots), ok=result.ok, error=result.error
            )
        ],
        success=result.ok,
        failure_stage=None if result.ok else "result",
        entity=result.entity,
    )
    return Say(done.reply, ok=result.ok, done=done)
