"""Unit conversion: "convert 5 miles to kilometers", "72 fahrenheit in celsius".

Slots:
  ``value``: the amount (number or words); 1 when missing ("how many feet in a mile").
  ``from_unit``, ``to_unit``: unit keys from the ``unit`` list (``mile``,
  ``kilometer``, ``fahrenheit``...), or any spoken unit name.
When the slots are missing the whole request text is read instead.
"""

from __future__ import annotations

from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.skills.conversions import ConversionError, convert, find_unit, parse_conversion, say_amount
from assistant.skills.parsing import ParseError, parse_number


def convert_units(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    slots = request.slots
    try:
        if slots.get("from_unit") and slots.get("to_unit"):
            raw_value = slots.get("value")
            value = float(parse_number(raw_value)) if raw_value not in (None, "") else 1.0
            source = find_unit(str(slots["from_unit"]))
            target = find_unit(str(slots["to_unit"]))
        else:
            parsed = parse_conversion(request.text)
            if parsed is None:
                raise SkillError('Which units? Try "convert 5 miles to kilometers".')
            value, source, target = parsed
        result = convert(value, source, target)
    except (ConversionError, ParseError) as error:
        raise SkillError(str(error)) from error
    speech = f"{say_amount(value, source)} is {say_amount(result, target)}."
    return ActionResult(
        speech=speech[0].upper() + speech[1:],
        data={"value": value, "from_unit": source.key, "to_unit": target.key, "result": result},
    )


SKILL = Skill(
    name="unit conversion",
    sentences_file=None,
    description="Converts length, mass, volume, temperature, speed and time.",
    intents=[
        IntentSpec(
            "units.convert",
            convert_units,
            slots=[
                SlotSpec("from_unit", "From which unit?"),
                SlotSpec("to_unit", "Into which unit?"),
                SlotSpec("value", "How many?", required=False),
            ],
            description="Convert between units.",
            examples=["convert 5 miles to kilometers", "72 fahrenheit in celsius"],
        ),
    ],
)
