"""The built-in ``teaching`` skill: teaching by voice or text.

Sentences are in ``teaching.yaml``; the handlers read the words themselves
(``request.text``), because wildcard slots cannot tell where "when I say X"
ends and the steps begin once the comma is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.dialogue import phrases
from assistant.dialogue.session import Expects, Session
from assistant.memory.teaching_records import NameClash, TeachingError
from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext
from assistant.teach import flows
from assistant.teach.flows import LAST_TAUGHT, Say, ask
from assistant.teach.phrasing import (
    clean,
    split_alias,
    split_means,
    split_steps,
    split_trigger_and_steps,
    strip_teaching_prefix,
)
from assistant.teach.statements import ASKS_HOW, describe, parse_statement
from assistant.teach.step_words import describe_steps, spoken_template
from assistant.wording import count, join

Handler = Callable[[ActionRequest, SkillContext], ActionResult]

if TYPE_CHECKING:
    from assistant.teach.service import TeachingService

SENTENCES = Path(__file__).resolve().parent / "teaching.yaml"
NAME_QUESTION = re.compile(r"\bname\??$|^who am i\b|\bcall me\??$|\bmy name\b")
"""About-me questions that ask only for the name: "what's my name", "who am I"."""
EVERYTHING = {
    "everything about me",
    "everything you know about me",
    "all about me",
    "everything",
    "all my preferences",
    "me",
}


class TeachingHandlers:
    """One handler per teaching intent; all of them go through the TeachingService."""

    def __init__(self, service: TeachingService) -> None:
        self.service = service

    # --- commands and aliases ---------------------------------------------------------

    def when_i_say(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        text = clean(request.text)
        body = strip_teaching_prefix(text) or clean(str(request.slots.get("request") or ""))
        if not body:
            return ActionResult(
                "What should I learn? Say something like \u201cwhen I say reading mode, "
                "set a timer for 20 minutes\u201d.",
                ok=False,
            )
        alias = split_alias(body)
        if alias is not None:
            return self._alias(alias[0], alias[1], ctx.session).result()
        trigger, split = split_trigger_and_steps(
            body, self.service.step_reading, self.service.surely_understands
        )
        if not split.steps:
            return ask(
                f"What should I do when you say \u201c{trigger}\u201d?",
                lambda answer, s: flows.finish_command(
                    self.service, trigger, *_split(self.service, answer), s
                ),
            ).result()
        return flows.finish_command(self.service, trigger, split.steps, split.unknown, ctx.session).result()

    def alias(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        found = split_means(clean(request.text))
        if found is None:
            phrase = clean(str(request.slots.get("phrase") or ""))
            target = clean(str(request.slots.get("target") or ""))
            if not phrase or not target:
                return ActionResult("Say it like \u201clights out means turn off all lights\u201d.", ok=False)
            found = (phrase, target)
        return self._alias(found[0], found[1], ctx.session).result()

    def _alias(self, phrase: str, target: str, session: Session | None, force: bool = False) -> Say:
        try:
            alias = self.service.save_alias(phrase, target, source="voice", force=force)
        except NameClash as clash:
            if clash.kind != "built-in":
                return Say(str(clash), ok=False)
            meaning = clash.meaning

            def confirm(answer: str, s: Session) -> Say:
                if phrases.is_yes(answer):
                    return self._alias(phrase, target, s, force=True)
                return Say(f"Okay, \u201c{phrase}\u201d stays as it was.")

            return ask(
                f"Should \u201c{phrase}\u201d mean \u201c{target}\u201d instead?",
                confirm,
                before=f"\u201c{phrase}\u201d already means {meaning}.",
                expects=Expects.YES_NO,
            )
        except TeachingError as error:
            return Say(str(error), ok=False)
        if session is not None:
            session.data[LAST_TAUGHT] = ("alias", alias.phrase)
        return Say(
            f"Got it. From now on, \u201c{alias.phrase}\u201d means \u201c{alias.target}\u201d.",
            data={
                "taught": {"alias": alias.phrase, "target": alias.target},
                "change_id": self.service.newest_change_id(),
            },
        )

    def new_command(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        match = re.search(r"\bcommand (?:called|named) (.+)$", clean(request.text))
        name = match.group(1).strip() if match else ""
        return flows.start_step_by_step(self.service, name, ctx.session).result()

    def rename(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        match = re.match(
            r"^(?:rename|call) (?:the )?(?:command )?(.+?) (?:to|as) (.+?)(?: instead)?$", clean(request.text)
        )
        old, new = (
            (match.group(1), match.group(2))
            if match
            else (str(request.slots.get("old") or ""), str(request.slots.get("new") or ""))
        )
        try:
            command = self.service.rename_command(old, new)
        except TeachingError as error:
            return ActionResult(str(error), ok=False, error=str(error))
        return ActionResult(
            f"Okay, \u201c{clean(old)}\u201d is now called \u201c{command.name}\u201d.",
            data={"change_id": self.service.newest_change_id()},
        )

    def list_commands(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        commands = self.service.commands()
        aliases = self.service.aliases()
        if not commands and not aliases:
            return ActionResult(
                "You haven't taught me any commands yet. Try \u201cwhen I say reading mode, "
                "set a timer for 20 minutes\u201d."
            )
        parts = []
        if commands:
            listed = "; ".join(
                f"when you say \u201c{spoken_template(c.triggers[0])}\u201d, I'll {describe_steps(c)}"
                for c in commands
            )
            parts.append(f"You've taught me {count(len(commands), 'command')}: {listed}.")
        if aliases:
            listed = join([f"\u201c{a.phrase}\u201d means \u201c{a.target}\u201d" for a in aliases])
            lead = "And" if commands else "You've taught me"
            parts.append(f"{lead} {count(len(aliases), 'phrase')}: {listed}.")
        return ActionResult(
            " ".join(parts),
            data={"commands": [c.name for c in commands], "aliases": [a.phrase for a in aliases]},
        )

    def describe_command(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        match = re.match(r"^what (?:does|would|happens when i say) (.+?)(?: do)?$", clean(request.text))
        phrase = match.group(1) if match else str(request.slots.get("phrase") or "")
        return ActionResult(self.service.preview(phrase))

    def forget(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        text = clean(request.text)
        thing = _thing_to_forget(text) or clean(str(request.slots.get("thing") or ""))
        if thing in EVERYTHING:
            return self._confirm_forget_everything().result()
        if thing in ("that", "it", "this", "") and ctx.session is not None:
            last = ctx.session.data.get(LAST_TAUGHT)
            if last is None:
                return ActionResult(
                    "Forget what? Say the name of the command, or what you told me.", ok=False
                )
            thing = last[1]
        return self._forget(thing, text, ctx).result()

    def _forget(self, thing: str, text: str, ctx: SkillContext) -> Say:
        said = self._forget_words(thing, text, ctx)
        if said.ok:
            said.data["change_id"] = self.service.newest_change_id()
        return said

    def _forget_words(self, thing: str, text: str, ctx: SkillContext) -> Say:
        service = self.service
        undo_hint = " Say \u201cundo the last change\u201d to bring it back."
        try:
            if service.get_command(thing) is not None:
                service.delete_command(thing)
                return Say(f"Okay, I forgot the command \u201c{thing}\u201d.{undo_hint}")
            if any(alias.phrase == thing for alias in service.aliases()):
                service.delete_alias(thing)
                return Say(f"Okay, \u201c{thing}\u201d doesn't mean anything special any more.{undo_hint}")
            key = re.sub(r"^(?:my|about my|the) ", "", thing)
            forgotten = service.forget_preference(key)
        except TeachingError as error:
            runner = ctx.runner
            if runner is not None and runner.spec("learning.forget") is not None and "learn" in text:
                topic = re.sub(r"^.*?\babout\s+", "", thing)
                result: ActionResult = runner.execute("learning.forget", {"topic": topic}, text)
                return Say(result.speech, ok=result.ok)
            return Say(str(error).replace("anything about you called", "anything called"), ok=False)
        said = join([_lower_first(describe(p.category, p.key, p.value).rstrip(".")) for p in forgotten])
        return Say(f"Okay, I've forgotten that {said}.{undo_hint}")

    def forget_me(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        forgotten = self.service.forget_all_preferences()
        if not forgotten:
            return ActionResult("I didn't know anything about you anyway.")
        return ActionResult(
            f"Done. I've forgotten everything you told me about yourself ({count(forgotten, 'thing')}).",
            data={"change_id": self.service.newest_change_id()},
        )

    def _confirm_forget_everything(self) -> Say:
        def confirm(answer: str, session: Session) -> Say:
            if not phrases.is_yes(answer):
                return Say("Okay, I'll keep it.")
            forgotten = self.service.forget_all_preferences()
            return Say(
                f"Done. I've forgotten everything you told me about yourself ({count(forgotten, 'thing')})."
            )

        return ask(
            "Are you sure you want me to forget everything you told me about yourself?",
            confirm,
            kind="confirm",
            intent="teach.forget_me",
            expects=Expects.YES_NO,
        )

    # --- preferences --------------------------------------------------------------------

    def preference(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        text = clean(request.text)
        if strip_teaching_prefix(text) is not None:
            return self.when_i_say(request, ctx)
        statement = parse_statement(text)
        if statement is None:
            return ActionResult(
                "Sorry, I couldn't tell what to remember. Try \u201cremember that my sister "
                "is called Ana\u201d.",
                ok=False,
                error="not a statement about the user",
            )
        before = self.service.preferences().get(statement.key)
        saved = self.service.set_preference(statement.key, statement.value, statement.category, source="said")
        if ctx.session is not None:
            ctx.session.data[LAST_TAUGHT] = ("preference", saved.key)
        if saved.key == "user_name":
            if before == saved.value:
                speech = f"I know, {saved.value}."
            elif before:
                speech = f"Okay, I'll call you {saved.value} from now on."
            else:
                speech = f"Nice to meet you, {saved.value}."
        elif before == saved.value:
            speech = "I know. " + describe(saved.category, saved.key, saved.value)
        else:
            speech = "Got it. " + describe(saved.category, saved.key, saved.value)
        return ActionResult(
            speech,
            entity=saved.value,
            data={"preference": saved.to_dict(), "change_id": self.service.newest_change_id()},
        )

    def about_me(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        rows = self.service.preference_rows()
        if NAME_QUESTION.search(clean(request.text)):
            name = self.service.user_name()
            return ActionResult(
                f"Your name is {name}."
                if name
                else "You haven't told me your name yet. Say \u201ccall me\u201d and your name."
            )
        asked = ASKS_HOW.search(clean(request.text))
        if asked:  # "how do I take my tea"
            key = f"likes_{asked.group('thing')}"
            liked = next((row for row in rows if row.key == key), None)
            if liked is None:
                return ActionResult(
                    f"You haven't told me how you like your {asked.group('thing')}. Tell me, "
                    f"like \u201cI like my {asked.group('thing')} strong\u201d.",
                    ok=False,
                )
            return ActionResult(describe(liked.category, liked.key, liked.value))
        if not rows:
            return ActionResult(
                "I don't know anything about you yet. Tell me things like \u201ccall me "
                "Sam\u201d, or say \u201clearn my preferences\u201d."
            )
        sentences = " ".join(describe(row.category, row.key, row.value) for row in rows)
        return ActionResult(sentences, data={"preferences": [row.to_dict() for row in rows]})

    def learn_preferences(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        return flows.start_guided(self.service).result()

    def undo(self, request: ActionRequest, ctx: SkillContext) -> ActionResult:
        try:
            return ActionResult(self.service.undo())
        except TeachingError as error:
            return ActionResult(str(error), ok=False, error=str(error))


def build_teaching_skill(service: TeachingService) -> Skill:
    handlers = TeachingHandlers(service)

    def undo(data: dict[str, Any], ctx: SkillContext) -> str:
        return service.undo_taught(data)

    def marked(handler: Handler) -> Handler:
        """A run that asks first notes the newest change, so "undo that" finds what its
        answers taught."""

        def run(request: ActionRequest, ctx: SkillContext) -> ActionResult:
            result = handler(request, ctx)
            if result.follow_up is not None and "change_id" not in result.data:
                result.data = {**result.data, "after_change": service.newest_change_id()}
            return result

        return run

    return Skill(
        name="teaching",
        sentences_file=SENTENCES,
        description="Teach me commands, phrases and things about you.",
        source="built-in",
        intents=[
            IntentSpec(
                "teach.when_i_say",
                marked(handlers.when_i_say),
                description="learn a custom command",
                examples=["when I say reading mode, set a timer for 20 minutes"],
                undo=undo,
            ),
            IntentSpec(
                "teach.alias",
                marked(handlers.alias),
                description="learn what a phrase means",
                examples=["lights out means turn off all lights"],
                undo=undo,
            ),
            IntentSpec(
                "teach.new_command",
                marked(handlers.new_command),
                description="learn a command step by step",
                examples=["learn a new command"],
                undo=undo,
            ),
            IntentSpec(
                "teach.forget",
                marked(handlers.forget),
                description="forget a command, phrase or preference",
                examples=["forget reading mode", "forget that I like jazz"],
                undo=undo,
            ),
            IntentSpec(
                "teach.forget_me",
                handlers.forget_me,
                needs_confirmation=True,
                confirm="forget everything you told me about yourself",
                description="forget everything you told me about yourself",
                examples=["forget everything about me"],
                undo=undo,
            ),
            IntentSpec(
                "teach.rename",
                marked(handlers.rename),
                description="rename a custom command",
                examples=["rename reading mode to study mode"],
                undo=undo,
            ),
            IntentSpec(
                "teach.list_commands",
                handlers.list_commands,
                description="list the commands you taught me",
                examples=["what commands do you know"],
            ),
            IntentSpec(
                "teach.describe_command",
                handlers.describe_command,
                description="say what a phrase would do",
                examples=["what does reading mode do"],
            ),
            IntentSpec(
                "teach.preference",
                marked(handlers.preference),
                description="remember something about you",
                examples=["call me Sam", "I live in Boston", "I prefer Celsius"],
                undo=undo,
            ),
            IntentSpec(
                "teach.about_me",
                handlers.about_me,
                description="say what I know about you",
                examples=["what do you know about me"],
            ),
            IntentSpec(
                "teach.learn_preferences",
                handlers.learn_preferences,
                description="ask you about your preferences",
                examples=["learn my preferences"],
            ),
            IntentSpec(
                "teach.undo",
                handlers.undo,
                description="undo the last thing you taught me",
                examples=["undo the last change"],
            ),
        ],
    )


def _thing_to_forget(text: str) -> str:
    if re.match(r"^(?:please )?(?:stop calling me|don't call me|do not call me)\b", text):
        return "name"
    match = re.match(
        r"^forget that i (?:like|love|prefer|am a|am an|am|live in|support|enjoy) (.+?)(?: music)?$", text
    )
    if match:
        return match.group(1)
    match = re.match(
        r"^(?:forget|stop remembering|delete|remove) (?:about )?(?:the )?"
        r"(?:command |alias |phrase )?(.+)$",
        text,
    )
    return match.group(1).strip() if match else ""


def _split(service: TeachingService, answer: str) -> tuple[list[str], list[str]]:
    split = split_steps(answer, service.step_reading)
    return split.steps, split.unknown


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
