"""Calculator: "what is 12 times 7", "square root of 81", "15 percent of 80".

Slots:
  ``left``, ``operator``, ``right``: a sum said as three parts ("12", "times", "7");
  ``operator`` alone after ``left`` for "squared", "cubed", "factorial".
  ``expression``: the whole sum, in words or symbols ("12 times 7", "(3 + 4) * 2").
  ``number``: for ``calculator.square_root``, the number (or words).
With no slots, the request text itself is read ("what is 12*7").
A conversion asked as a sum ("what is 5 miles in km") is handed to the units skill.
"""

from __future__ import annotations

import math
import re
from typing import Any

from assistant.memory.kv import get_value, set_value
from assistant.skills.arithmetic import CalculationError, evaluate
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.skills.conversions import CURRENCY, NO_MONEY, convert, parse_conversion, say_amount
from assistant.skills.parsing import ParseError, parse_number, say_number
from assistant.wording import sentence

_QUESTION_WORDS = ("what is ", "what's ", "whats ", "calculate ", "compute ", "how much is ", "work out ")


def _said(value: Any) -> str:
    """A slot value as words: 6.0 from a range list is said "6"."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


LAST_ANSWER = "the last answer"
"""The ``left`` of a sum that goes on from the last one ("and divided by 5")."""
LAST_ANSWER_KEY = "calculator.last_answer"
LAST_ANSWER_SECONDS = 600
"""A sum goes on from an answer at most this old: later, "plus 3" needs its first number."""


def _expression(request: ActionRequest, ctx: SkillContext) -> str:
    slots = request.slots
    if slots.get("left") == LAST_ANSWER:
        last = get_value(ctx.store, LAST_ANSWER_KEY) or {}
        if not isinstance(last, dict) or ctx.clock.now() - float(last.get("at") or 0) > LAST_ANSWER_SECONDS:
            operator = _said(slots.get("operator") or "")
            raise SkillError(f"{operator.capitalize()} {_said(slots.get('right') or '')} from what? "
                             "Say the whole sum, like \u201cwhat's 25 times 4\u201d.")  # fmt: skip
        slots = {**slots, "left": repr(last.get("result"))}
    expression = str(slots.get("expression") or "").strip()
    if expression:
        return expression
    if slots.get("operator") and slots.get("left") is None and slots.get("right") is not None:
        return f"{_said(slots['operator'])} {_said(slots['right'])}"  # "cube root of 27"
    if slots.get("operator") and slots.get("left") is not None:
        names = ("left", "operator", "right")
        parts = [_said(slots[name]) for name in names if slots.get(name) is not None]
        return " ".join(parts)
    text = request.text.strip().lower()
    for prefix in _QUESTION_WORDS:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def calculate(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    expression = _expression(request, ctx)
    if not expression:
        raise SkillError("What should I work out?")
    conversion = parse_conversion(expression)
    if conversion is not None:
        value, source, target = conversion
        result = convert(value, source, target)
        return ActionResult(
            speech=sentence(f"{say_amount(value, source)} is {say_amount(result, target)}"),
            data={"value": value, "from_unit": source.key, "to_unit": target.key, "result": result},
        )
    try:
        value = evaluate(expression)
    except CalculationError as error:
        if CURRENCY.search(expression):
            raise SkillError(NO_MONEY) from error
        raise SkillError(str(error)) from error
    spoken = say_number(value)
    set_value(ctx.store, LAST_ANSWER_KEY, {"result": value, "at": ctx.clock.now()})
    return ActionResult(
        speech=sentence(f"{_shown(expression, request)} is {spoken}")
        if _short(expression)
        else f"It's {spoken}.",
        data={"expression": expression, "result": value},
    )


def square_root(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    raw = request.slots.get("number")
    if raw in (None, ""):
        raise SkillError("The square root of what?")
    try:
        number = float(parse_number(raw))
    except ParseError:
        try:
            number = evaluate(str(raw))
        except CalculationError as error:
            raise SkillError(str(error)) from error
    if number < 0:
        raise SkillError("Negative numbers have no real square root.")
    result = round(math.sqrt(number), 10)
    return ActionResult(
        speech=f"The square root of {say_number(number)} is {say_number(result)}.",
        data={"number": number, "result": result},
    )


def _shown(expression: str, request: ActionRequest) -> str:
    """The sum as it is said back: "1 500" (a comma taken out of "1,500") as "1,500", the last
    answer it went on from as it was said ("6.6667 times 2", worked out with every digit)."""
    text = expression.rstrip("?").strip()
    if request.slots.get("left") == LAST_ANSWER:
        first, _, rest = text.partition(" ")
        text = f"{say_number(float(first))} {rest}"
    return re.sub(r"\b\d{1,3}(?: \d{3})+\b", lambda m: m.group(0).replace(" ", ","), text)


def _short(expression: str) -> bool:
    """Repeating the question only helps when it is short."""
    return len(expression) <= 30


SKILL = Skill(
    name="calculator",
    sentences_file=None,
    description="Works out sums.",
    intents=[
        IntentSpec(
            # Not required: the sum often comes as left/operator/right instead.
            "calculator.evaluate",
            calculate,
            slots=[SlotSpec("expression", "What should I work out?", required=False)],
            description="Work out a sum.",
            examples=["what is 12 times 7", "what's 15 percent of 80", "divide 100 by 8"],
        ),
        IntentSpec(
            "calculator.square_root",
            square_root,
            slots=[SlotSpec("number", "The square root of what?")],
            description="Take a square root.",
            examples=["square root of 81"],
        ),
    ],
)
