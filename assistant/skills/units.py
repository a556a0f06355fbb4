"""Unit conversion: "convert 5 miles to kilometers", "72 fahrenheit in celsius",
"how many ounces in a pound", "what is 100 fahrenheit".

Slots:
  ``value``: the amount (number or words). Missing means one only where the words say so
  ("how many feet in a mile", "convert miles to km"); words that are no number are said
  back ("I didn't catch how many..."), never read as 1.
  ``from_unit``, ``to_unit``: unit keys from the ``measure_unit`` list (``mile``,
  ``kilometer``, ``fahrenheit``...), or any spoken unit name. ``to_unit`` is optional:
  "what is 100 fahrenheit" goes into the other system (Celsius, or the temperature unit
  or measuring system the user prefers).
When the slots are missing the whole request text is read instead.
"""

from __future__ import annotations

import re

from assistant.nlu.numbers import RefusedReading, first_number
from assistant.nlu.numbers import parse_number as read_whole_number
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    IntentSpec,
    MissingSlot,
    Skill,
    SkillContext,
    SkillError,
    SlotSpec,
)
from assistant.skills.conversions import (
    CURRENCY,
    NO_MONEY,
    ConversionError,
    Unit,
    convert,
    find_unit,
    parse_conversion,
    say_amount,
)
from assistant.skills.parsing import ParseError
from assistant.wording import sentence

METRIC_PARTNER = {
    "kilometer": "mile",
    "meter": "foot",
    "centimeter": "inch",
    "millimeter": "inch",
    "kilogram": "pound",
    "gram": "ounce",
    "milligram": "ounce",
    "tonne": "ton",
    "liter": "pint",
    "milliliter": "fluid_ounce",
    "centiliter": "fluid_ounce",
    "deciliter": "cup",
    "cubic_meter": "gallon",
    "kilometer_per_hour": "mile_per_hour",
    "meter_per_second": "mile_per_hour",
    "celsius": "fahrenheit",
    "kelvin": "celsius",
}
IMPERIAL_PARTNER = {
    "mile": "kilometer",
    "nautical_mile": "kilometer",
    "yard": "meter",
    "foot": "meter",
    "inch": "centimeter",
    "pound": "kilogram",
    "ounce": "gram",
    "stone": "kilogram",
    "ton": "tonne",
    "pint": "liter",
    "imperial_pint": "liter",
    "quart": "liter",
    "gallon": "liter",
    "imperial_gallon": "liter",
    "cup": "milliliter",
    "fluid_ounce": "milliliter",
    "teaspoon": "milliliter",
    "tablespoon": "milliliter",
    "mile_per_hour": "kilometer_per_hour",
    "foot_per_second": "meter_per_second",
    "knot": "kilometer_per_hour",
    "fahrenheit": "celsius",
}
"""Where a unit goes when no target is said: into the other measuring system."""


_IMPLIED_SOURCE = re.compile(r"^(.+?)\s+(?:degrees?\s+)?(?:in|to|into)$")


def default_target(source: Unit, preferences: dict[str, str]) -> Unit | None:
    """The unit "what is 100 fahrenheit" means: the other system, or the one the user prefers."""
    if source.kind == "temperature":
        preferred = str(preferences.get("temperature_unit") or "").lower()
        system = str(preferences.get("units") or "").lower()
        if not preferred and system in ("metric", "imperial"):
            preferred = "celsius" if system == "metric" else "fahrenheit"
        if preferred in ("celsius", "fahrenheit") and preferred != source.key:
            return find_unit(preferred)
        return find_unit(METRIC_PARTNER.get(source.key) or IMPERIAL_PARTNER[source.key])
    partner = METRIC_PARTNER.get(source.key) or IMPERIAL_PARTNER.get(source.key)
    return find_unit(partner) if partner else None


def _read_value(raw: object, source: Unit, text: str) -> float:
    """The amount said, or 1 where the words mean one; SkillError when it cannot be read."""
    words = str(raw or "").strip()
    # "180 degrees celsius" read as "180 degrees" + "celsius"; "half a pound" as "half a" + "pound".
    words = re.sub(r"\s+(?:degrees?|of an?|an?)$", "", words, flags=re.IGNORECASE).strip()
    if words:
        lowered = words.lower()
        if lowered in ("how many", "how much"):
            return 1.0
        try:
            value = read_whole_number(words)
        except RefusedReading as error:
            raise SkillError(str(error)) from error
        if value is None:
            raise SkillError(f"I didn't catch how many {source.plural}: \u201c{words}\u201d.")
        return float(value)
    # No value slot: "how many feet in a mile", "convert miles to km" mean one; a number
    # the template did not take ("5 k in miles" read by the model) is found in the text.
    try:
        found = first_number(text)
    except RefusedReading as error:
        raise SkillError(str(error)) from error
    return 1.0 if found is None else float(found)


def convert_units(request: ActionRequest, ctx: SkillContext) -> ActionResult:
    slots = request.slots
    if CURRENCY.search(request.text.lower()):
        raise SkillError(NO_MONEY)  # "20 dollars in euros": not a unit this skill knows
    try:
        if slots.get("from_unit") and slots.get("from_unit") == slots.get("to_unit"):
            reread = parse_conversion(request.text)  # a model reading took one unit twice
            if reread is not None and reread[1].key != reread[2].key:
                value, source, target = reread
                result = convert(value, source, target)
                return ActionResult(
                    speech=sentence(f"{say_amount(value, source)} is {say_amount(result, target)}"),
                    data={"value": value, "from_unit": source.key, "to_unit": target.key, "result": result},
                )
        implied = _IMPLIED_SOURCE.match(str(slots.get("value") or "").strip().lower())
        if slots.get("from_unit") and not slots.get("to_unit") and implied is not None:
            # "what is 25 degrees in fahrenheit": the unit said is the target; a temperature
            # without its unit is in the other scale.
            target = find_unit(str(slots["from_unit"]))
            if target.kind != "temperature":
                raise MissingSlot("from_unit", f"{implied.group(1)} what, in {target.plural}?")
            source = find_unit("fahrenheit" if target.key != "fahrenheit" else "celsius")
            value = _read_value(implied.group(1), source, request.text)
            result = convert(value, source, target)
            return ActionResult(
                speech=sentence(f"{say_amount(value, source)} is {say_amount(result, target)}"),
                data={"value": value, "from_unit": source.key, "to_unit": target.key, "result": result},
            )
        if slots.get("from_unit"):
            source = find_unit(str(slots["from_unit"]))
            if str(slots.get("value") or "").lower().strip() in ("how many", "how much") and slots.get(
                "to_unit"
            ):
                # "how many ounces in a pound" read as "<value> <unit> in <unit>": the other way.
                slots = {"from_unit": slots["to_unit"], "to_unit": slots["from_unit"]}
                source = find_unit(str(slots["from_unit"]))
            value = _read_value(slots.get("value"), source, request.text)
            if slots.get("to_unit"):
                target = find_unit(str(slots["to_unit"]))
            else:
                found = default_target(source, ctx.preferences)
                if found is None:
                    raise MissingSlot(
                        "to_unit", f"Into which unit should I convert {say_amount(value, source)}?"
                    )
                target = found
        else:
            parsed = parse_conversion(request.text)
            if parsed is None:
                raise SkillError('Which units? Try "convert 5 miles to kilometers".')
            value, source, target = parsed
        if source.key == target.key:
            raise SkillError(
                f"Those are both {source.plural}. Which units should I convert between? "
                'Try "convert 5 miles to kilometers".'
            )
        result = convert(value, source, target)
    except (ConversionError, ParseError) as error:
        raise SkillError(str(error)) from error
    return ActionResult(
        speech=sentence(f"{say_amount(value, source)} is {say_amount(result, target)}"),
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
                SlotSpec("from_unit", "From which unit?", required=False),  # money is refused first
                SlotSpec("to_unit", "Into which unit?", required=False),
                SlotSpec("value", "How many?", required=False),
            ],
            description="Convert between units.",
            examples=["convert 5 miles to kilometers", "how many ounces in a pound"],
        ),
    ],
)
