"""Everyday social words and honest limits: "hello", "thanks", "who are you", "how are you",
"bye", "tell me a joke", and plain answers for what an offline assistant cannot do
("what's the weather like", "play some music", "call mom", "look up the capital of Peru").

Slots:
  ``topic`` (social.out_of_reach, fixed by the sentence): ``weather``, ``news``, ``search``
  (the web), ``knowledge`` (facts: "what is the capital of france"), ``music``, ``call`` or
  ``message``.
  ``query`` (optional): what to look up or play ("the capital of peru", "some jazz").
  ``person`` (optional): who to call or write to ("mom").
  ``place``, ``message``, ``language`` (optional): said with the weather, a message or a
  translation; not used.

Nothing here changes anything, so no intent has an undo. The time of day comes from the
context clock (the fake clock in tests), the user's name from the ``user_name``
preference, and the assistant's own name from the wake phrase ("hey computer" -> Computer).
"""

from __future__ import annotations

import re
import zlib
from datetime import datetime

from assistant.skills.base import ActionRequest, ActionResult, IntentSpec, Skill, SkillContext, SlotSpec
from assistant.skills.parsing import say_time

JOKES = (
    "Why did the scarecrow win an award? Because he was outstanding in his field.",
    "I told my computer I needed a break, and it said: no problem, I'll go to sleep.",
    "Why don't skeletons fight each other? They don't have the guts.",
    "What do you call a fake noodle? An impasta.",
    "Why did the bicycle fall over? It was two tired.",
    "What do you call a bear with no teeth? A gummy bear.",
    "Why can't you trust an atom? It makes up everything.",
    "I'm reading a book about anti-gravity. It's impossible to put down.",
    "Why did the maths book look sad? It had too many problems.",
    "What's orange and sounds like a parrot? A carrot.",
    "Why do bees have sticky hair? Because they use honeycombs.",
    "What did one wall say to the other? I'll meet you at the corner.",
)
"""Clean, short jokes; which one is told depends on the clock's minute, then goes in turn."""

_LAST_JOKE = "social.last_joke"
"""Session scratch key: the index of the joke told last, so "another one" is a new one."""

THANKS_REPLIES = ("You're welcome.", "You're welcome!", "Any time.", "Happy to help.", "No problem.")
HOW_ARE_YOU_REPLIES = (
    "I'm doing well, thanks for asking. What can I do for you?",
    "All good here, thanks. How can I help?",
    "Very well, thank you. What can I do for you?",
)

_WAKE_LEAD = re.compile(r"^(?:hey|hi|hello|ok|okay|yo)\s+", re.IGNORECASE)

_PARTS_OF_DAY = ("morning", "afternoon", "evening")


def _pick(options: tuple[str, ...], text: str) -> str:
    """One of ``options``, the same for the same words (a little variety, no randomness)."""
    key = " ".join(re.findall(r"[a-z']+", text.lower()))
    return options[zlib.crc32(key.encode("utf-8")) % len(options)]


def part_of_day(moment: datetime) -> str:
    """'morning' (5:00-11:59), 'afternoon' (12:00-17:59), 'evening' (18:00-21:59), else 'night'."""
    if 5 <= moment.hour < 12:
        return "morning"
    if 12 <= moment.hour < 18:
        return "afternoon"
    if 18 <= moment.hour < 22:
        return "evening"
    return "night"


def assistant_name(ctx: SkillContext) -> str | None:
    """The name the user wakes it with: "hey computer" -> "Computer"; None without one."""
    phrase = " ".join(str(getattr(ctx.settings, "wake_phrase", "") or "").split())
    name = _WAKE_LEAD.sub("", phrase).strip(" ,.!?")
    if not name or _WAKE_LEAD.match(name + " "):
        return None
    return " ".join(word[:1].upper() + word[1:] for word in name.split())


def _user_name(ctx: SkillContext) -> str | None:
    name = str(ctx.preferences.get("user_name") or "").strip()
    return name or None


def _with_name(words: str, ctx: SkillContext, end: str = ".") -> str:
    """'Good morning' -> 'Good morning, Sam.' when the user's name is known."""
    name = _user_name(ctx)
    return f"{words}, {name}{end}" if name else f"{words}{end}"


def _local(ctx: SkillContext) -> datetime:
    return datetime.fromtimestamp(ctx.clock.now())


def greeting(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    now = _local(ctx)
    part = part_of_day(now)
    said = next((word for word in _PARTS_OF_DAY if word in request.text.lower()), None)
    if part == "night":
        hello = _with_name("Hello", ctx)
        speech = f"{hello} You're up late. What can I do for you?"
    else:
        if said and said != part:
            hello = _with_name(f"Good {part}", ctx, end="")
            speech = f"{hello}: it's {say_time(now)} here. What can I do for you?"
        else:
            speech = _with_name(f"Good {part}", ctx) + " What can I do for you?"
    return ActionResult(speech=speech, data={"part_of_day": part})


def thanks(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    if re.match(r"\s*no\b", request.text.lower()):
        return ActionResult(speech="OK, no problem.")  # "no thanks" with nothing offered
    return ActionResult(speech=_pick(THANKS_REPLIES, request.text))


def identity(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    name = assistant_name(ctx)
    text = request.text.lower()
    what = "an offline desk assistant"
    about = (
        "I run here on this machine, and nothing you say to me leaves it: no cloud, no account, no internet."
    )
    if re.search(r"\bname\b|\bcalled?\b", text):
        if name:
            other = "hey computer" if name.lower() == "desk" else "hey desk"
            speech = (
                f"I'm {name}, {what}. That's the name in my wake phrase, "
                f"\u201c{ctx.settings.wake_phrase}\u201d; say \u201cmy wake phrase is {other}\u201d "
                "to change it."
            )
        else:
            speech = f"I don't have a name of my own; I'm {what}. {about}"
    elif re.search(
        r"\b(robot|bot|person|human|real|alive|ai|a i|machine|computer|chatgpt|alexa|siri)\b", text
    ):
        speech = f"I'm a program, not a person: {what}. {about}"
    elif re.search(r"\b(made|built|created|programmed)\b", text):
        speech = (
            f"I'm {what}, open software that runs on this machine. You can teach me new commands yourself."
        )
    else:
        intro = f"I'm {name}, {what}." if name else f"I'm {what}."
        speech = (
            f"{intro} {about} I can set timers, alarms and reminders, keep your lists and notes, "
            "do sums and conversions, and learn the commands you teach me."
        )
    return ActionResult(speech=speech, data={"name": name})


def how_are_you(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    return ActionResult(speech=_pick(HOW_ARE_YOU_REPLIES, request.text))


def goodbye(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    text = request.text.lower()
    if "night" in text or "bed" in text or "sleep" in text:
        return ActionResult(speech=_with_name("Good night", ctx))
    if re.search(r"\b(day|evening|weekend)\b", text):
        return ActionResult(speech=_with_name("Thanks, you too", ctx))
    return ActionResult(speech=_with_name("Bye for now", ctx))


def joke(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    session = ctx.session
    last = session.data.get(_LAST_JOKE) if session is not None else None
    if isinstance(last, int):
        index = (last + 1) % len(JOKES)
    else:
        index = _local(ctx).minute % len(JOKES)
    if session is not None:
        session.data[_LAST_JOKE] = index
    return ActionResult(speech=JOKES[index], data={"joke": index})


def _clean(value: object) -> str:
    return " ".join(str(value or "").strip(" ?.!,\"'").split())


_CONTACT_VERB = re.compile(
    r"^(?:\w+ )*?(?:call|phone|ring|dial|facetime|text|message|email|e-mail|whatsapp)\s+(.+)$"
)


def _person_in(text: str) -> str:
    """Who "call my mum" is about ("my mum"), when the sentence had no ``person`` slot."""
    found = _CONTACT_VERB.match(" ".join(text.lower().strip(" ?.!").split()))
    return found.group(1) if found else ""


def out_of_reach(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    topic = str(request.slots.get("topic") or "")
    query = _clean(request.slots.get("query"))
    person = _clean(request.slots.get("person")) or _person_in(request.text)
    if topic == "weather":
        speech = (
            "I work offline, so I can't check the weather or the forecast. "
            "I can remind you to check it, though: say \u201cremind me to check the weather at 8 am\u201d."
        )
    elif topic == "news":
        speech = (
            "I work offline, so I can't get the news, scores or headlines. "
            "I can tell you the time and date, or set a reminder to catch up later."
        )
    elif topic == "search":
        if query:
            speech = (
                f"I work offline, so I can't look up \u201c{query}\u201d on the internet. "
                f"I can remember it for you: say \u201ctake a note look up {query}\u201d."
            )
        else:
            speech = (
                "I work offline, so I can't search the web or look things up. "
                "I can take a note of what to look up later, do sums and convert units."
            )
    elif topic == "knowledge":
        asked = _clean(request.text) or query
        speech = (
            "I work offline, so I can't look that up: I have no internet and no encyclopedia. "
            f"I can remember it for you: say \u201ctake a note look up {asked}\u201d."
        )
    elif topic == "music":
        speech = (
            "I can't play music, songs or the radio: I have no music player or streaming service. "
            "I can set a timer or read your lists instead."
        )
    elif topic in ("call", "message"):
        doing = "make calls" if topic == "call" else "send or read messages and emails"
        who = person if person and person.lower() not in ("someone", "somebody", "anyone") else "them"
        verb = "call" if topic == "call" else "message"
        when = "" if re.search(r"\b(on|at|in|tomorrow|today|tonight|later)\b", who) else " at 5 pm"
        speech = (
            f"I can't {doing}: I'm not connected to a phone or to email. "
            f"I can remind you, though: say \u201cremind me to {verb} {who}{when}\u201d."
        )
    else:
        speech = "I work offline, so I can't do that. Say \u201cwhat can I say\u201d to hear what I can do."
    return ActionResult(speech=speech, ok=False, error="out_of_reach", data={"topic": topic})


SKILL = Skill(
    name="social",
    sentences_file=None,
    description="Greetings, thanks, jokes, and what I can't do offline.",
    intents=[
        IntentSpec(
            "social.joke",
            joke,
            description="Tell a joke.",
            examples=["tell me a joke"],
        ),
        IntentSpec(
            "social.greeting",
            greeting,
            description="Say hello back.",
            examples=["good morning"],
        ),
        IntentSpec(
            "social.thanks",
            thanks,
            description="Say you're welcome.",
            examples=["thank you"],
        ),
        IntentSpec(
            "social.identity",
            identity,
            description="Say who I am and that I work offline.",
            examples=["who are you"],
        ),
        IntentSpec(
            "social.how_are_you",
            how_are_you,
            description="Answer how I am.",
            examples=["how are you"],
        ),
        IntentSpec(
            "social.goodbye",
            goodbye,
            description="Say goodbye.",
            examples=["goodbye"],
        ),
        IntentSpec(
            "social.out_of_reach",
            out_of_reach,
            slots=[
                SlotSpec("topic", "", required=False),
                SlotSpec("query", "", required=False),
                SlotSpec("person", "", required=False),
            ],
            description="Say plainly what I can't do offline (weather, news, the web, music, calls).",
            examples=["what's the weather like"],
        ),
    ],
)
