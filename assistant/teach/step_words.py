"""What a taught command does, said as actions: "tell you the time and then start a 10-minute timer".

A step is described from what it was understood as (its intent and slots), so
"what time is it" becomes "tell you the time", not the question spliced after
"I'll". A step the phrasing does not know is said in the user's own words when
those start with a command word ("water the plants"), else quoted: 'do "what's up"'.
Pure functions on steps; light imports (the CLI lists commands with them).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from assistant.memory.teaching_records import PARAMETER, CommandStep, CustomCommand
from assistant.wording import count, join, plural, unit_adjective, with_article

VERBS = {
    "set",
    "start",
    "stop",
    "turn",
    "switch",
    "add",
    "put",
    "remove",
    "delete",
    "play",
    "pause",
    "resume",
    "open",
    "close",
    "dim",
    "brighten",
    "mute",
    "unmute",
    "cancel",
    "remind",
    "wake",
    "make",
    "create",
    "tell",
    "say",
    "read",
    "show",
    "list",
    "what",
    "what's",
    "how",
    "convert",
    "calculate",
    "call",
    "send",
    "lock",
    "unlock",
    "clear",
    "note",
    "take",
    "give",
    "extend",
    "raise",
    "lower",
    "increase",
    "decrease",
}
"""Words a step usually starts with (used only when the split is otherwise unclear)."""
ACTION_VERBS = (
    VERBS
    | {
        "water",
        "feed",
        "check",
        "run",
        "write",
        "email",
        "text",
        "order",
        "buy",
        "book",
        "find",
        "look",
        "go",
        "get",
        "wait",
        "count",
        "roll",
        "flip",
        "pick",
        "empty",
        "work",
        "repeat",
        "shuffle",
    }
) - {"what", "what's", "how"}
"""Words a step in the user's own words may start with to be said as an action."""
FILLERS = re.compile(r"^(?:(?:please|um|uh|ok|okay|and|then|also|just|now)\s+)+")
_SECOND_PERSON = {
    "my": "your",
    "me": "you",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i": "you",
    "am": "are",
}


def spoken_template(template: str) -> str:
    """'set a timer for {n} minutes' -> 'set a timer for N minutes'."""
    return PARAMETER.sub(lambda m: m.group(1).upper() if len(m.group(1)) == 1 else m.group(1), template)


def to_second_person(text: str) -> str:
    """The user's words as the assistant says them back: "add tea to my list" -> "... your list"."""
    return re.sub(
        r"\b(my|me|mine|myself|i'm|i|am)\b",
        lambda m: _SECOND_PERSON[m.group(1).lower()],
        text,
        flags=re.IGNORECASE,
    )


def quoted(text: str) -> str:
    return f"\u201c{text}\u201d"


# --- one step ---------------------------------------------------------------------------


def step_action(step: CommandStep, values: Mapping[str, Any] | None = None) -> str:
    """A verb phrase for what the step does: 'start a 10-minute timer', 'do "what's up"'."""
    text = spoken_template(_filled(step.text, values))
    if not step.parameters:
        phrase = _intent_phrase(step.intent, step.slots)
        if phrase:
            return phrase
    return words_as_action(text)


def words_as_action(text: str) -> str:
    """The user's words when they already are an action ("water the plants"), else quoted."""
    words = FILLERS.sub("", text.strip())
    first = words.split()[0] if words.split() else ""
    if first not in ACTION_VERBS:
        return f"do {quoted(text.strip())}"
    return to_second_person(words)


def describe_steps(command: CustomCommand, values: Mapping[str, Any] | None = None) -> str:
    """'tell you the time and then start a 10-minute timer'; parameters filled from
    ``values`` when given ("set a timer for 25 minutes"), else spoken as "N"."""
    return join_actions([step_action(step, values) for step in command.steps])


def join_actions(actions: list[str]) -> str:
    """'a', 'a and then b', 'a, b and then c'."""
    actions = [action for action in actions if action]
    if len(actions) <= 2:
        return " and then ".join(actions)
    return ", ".join(actions[:-1]) + " and then " + actions[-1]


def _filled(text: str, values: Mapping[str, Any] | None) -> str:
    if not values:
        return text
    return PARAMETER.sub(lambda m: _spoken(values.get(m.group(1))) or m.group(0), text)


def _spoken(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- per intent -------------------------------------------------------------------------

Slots = Mapping[str, Any]


def intent_action(intent: str) -> str | None:
    """What an intent does when said without details ("tell you the time"), None if that
    takes details (a timer needs its length)."""
    return _intent_phrase(intent, {})


def _intent_phrase(intent: str, slots: Slots) -> str | None:
    if intent.startswith("custom."):
        return None  # the caller knows the command's name; its words say it well enough
    phrase = _PHRASES.get(intent)
    if phrase is None:
        return None
    try:
        return phrase(slots)
    except (TypeError, ValueError):
        return None


def say_seconds(seconds: Any) -> str | None:
    """600 -> '10 minutes', 5400 -> '1 hour and 30 minutes'; None when not a duration."""
    try:
        total = int(round(float(seconds)))
    except (TypeError, ValueError):
        return None
    if total <= 0:
        return None
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [count(n, unit) for n, unit in ((hours, "hour"), (minutes, "minute"), (secs, "second")) if n]
    return join(parts)


def say_clock(value: Any) -> str | None:
    """'2026-12-02T07:30:00' -> '7:30 AM', '...T07:00:00' -> '7 AM'."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    hour = moment.hour % 12 or 12
    suffix = "AM" if moment.hour < 12 else "PM"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def _your_list(slots: Slots) -> str:
    name = str(slots.get("list_name") or "").strip()
    return f"your {name} list" if name else "your list"


def _items(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return join([str(item) for item in value])
    return str(value or "").strip()


def _timer_words(slots: Slots) -> str:
    """'the pasta timer', 'the alarm', 'your timer'."""
    kind = str(slots.get("kind") or "timer")
    name = str(slots.get("name") or "").strip()
    return f"the {name} {kind}" if name else f"your {kind}"


def _timer_set(slots: Slots) -> str | None:
    said = say_seconds(slots.get("duration"))
    if said is None:
        return None
    name = str(slots.get("name") or "").strip()
    adjective = unit_adjective(said)
    if adjective == said:  # "1 hour and 30 minutes": no short adjective
        timer = f"{name} timer" if name else "timer"
        return f"start {with_article(timer)} for {said}"
    return f"start {with_article(' '.join(w for w in (adjective, name, 'timer') if w))}"


def _timer_extend(slots: Slots) -> str | None:
    said = say_seconds(slots.get("duration"))
    return f"add {said} to {_timer_words(slots)}" if said else None


def _timer_cancel_all(slots: Slots) -> str:
    kind = slots.get("kind")
    return f"cancel all your {plural(str(kind))}" if kind else "cancel every timer, alarm and reminder"


def _timer_list(slots: Slots) -> str:
    kind = str(slots.get("kind") or "timer")
    return f"tell you how long is left on your {plural(kind)}"


def _alarm_set(slots: Slots) -> str | None:
    clock = say_clock(slots.get("time"))
    return f"set an alarm for {clock}" if clock else None


def _reminder_set(slots: Slots) -> str | None:
    message = to_second_person(str(slots.get("message") or "").strip())
    if not message:
        return None
    about = message if message.split()[0] in ("about", "that", "of", "to") else f"to {message}"
    duration = say_seconds(slots.get("duration"))
    if duration:
        return f"remind you {about} in {duration}"
    clock = say_clock(slots.get("time"))
    return f"remind you {about} at {clock}" if clock else None


def _list_add(slots: Slots) -> str | None:
    items = _items(slots.get("item"))
    return f"add {items} to {_your_list(slots)}" if items else None


def _list_remove(slots: Slots) -> str | None:
    items = _items(slots.get("item"))
    return f"take {items} off {_your_list(slots)}" if items else None


def _convert(slots: Slots) -> str | None:
    value, source, target = slots.get("value"), slots.get("from_unit"), slots.get("to_unit")
    if value in (None, "") or not source or not target:
        return None
    number = _spoken(value)
    unit = str(source) if number in ("1", "1.0") else plural(str(source))
    return f"convert {number} {unit} to {plural(str(target))}"


def _calculate(slots: Slots) -> str | None:
    if slots.get("expression"):
        return f"work out {slots['expression']}"
    parts = [slots.get("left"), slots.get("operator"), slots.get("right")]
    if all(part not in (None, "") for part in parts):
        return "work out " + " ".join(_spoken(part) for part in parts)
    return None


def _square_root(slots: Slots) -> str | None:
    number = slots.get("number")
    return f"work out the square root of {_spoken(number)}" if number not in (None, "") else None


def _date(slots: Slots) -> str | None:
    return None if slots.get("day") else "tell you the date"


def _note_add(slots: Slots) -> str | None:
    note = str(slots.get("note") or "").strip()
    return f"note down {quoted(note)}" if note else None


def _fixed(text: str) -> Callable[[Slots], str]:
    return lambda slots: text


_PHRASES: dict[str, Callable[[Slots], str | None]] = {
    "time.now": _fixed("tell you the time"),
    "date.day": _date,
    "timer.set": _timer_set,
    "timer.list": _timer_list,
    "timer.cancel": lambda slots: f"cancel {_timer_words(slots)}",
    "timer.cancel_all": _timer_cancel_all,
    "timer.extend": _timer_extend,
    "alarm.set": _alarm_set,
    "reminder.set": _reminder_set,
    "list.add": _list_add,
    "list.read": lambda slots: f"read {_your_list(slots)}",
    "list.remove": _list_remove,
    "list.clear": lambda slots: f"empty {_your_list(slots)}",
    "list.all": _fixed("tell you which lists you have"),
    "note.add": _note_add,
    "note.read": _fixed("read your notes"),
    "note.clear": _fixed("delete all your notes"),
    "units.convert": _convert,
    "calculator.evaluate": _calculate,
    "calculator.square_root": _square_root,
    "help.what_can_i_say": _fixed("tell you what you can say"),
    "help.help": _fixed("tell you how I can help"),
}
"""Intent -> the action in words (second person, as the assistant says it); None when the
slots are not enough to say it, so the step's own words are used."""
