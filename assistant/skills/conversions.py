"""Unit tables and conversion: length, mass, volume, temperature, speed, time.

Pure functions, used by the units skill and by the calculator (which hands
over "5 miles in km" when it is asked "what is 5 miles in km").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.skills.parsing import ParseError, parse_number

CURRENCY = re.compile(
    r"\b(?:dollars?|euros?|pounds? sterling|quid|yen|rupees?|pesos?|francs?|bucks|usd|eur|gbp)\b"
)
NO_MONEY = "I can't convert money: exchange rates change, and I work offline."


class ConversionError(ValueError):
    """The units are unknown or of different kinds; the message is said to the user."""


@dataclass(frozen=True)
class Unit:
    """One unit: its kind, its size in the kind's base unit, how to say it."""

    key: str
    kind: str
    """length, mass, volume, temperature, speed or time."""
    factor: float
    """Size in the base unit (metre, kilogram, litre, metre per second, second)."""
    singular: str
    plural: str
    aliases: tuple[str, ...] = ()


def _u(key: str, kind: str, factor: float, plural: str | None = None, *aliases: str) -> Unit:
    singular = key.replace("_", " ")
    return Unit(key, kind, factor, singular, plural or singular + "s", aliases)


UNITS: list[Unit] = [
    _u("millimeter", "length", 0.001, None, "millimetre", "millimetres", "mm"),
    _u("centimeter", "length", 0.01, None, "centimetre", "centimetres", "cm"),
    _u("meter", "length", 1.0, None, "metre", "metres", "m"),
    _u("kilometer", "length", 1000.0, None, "kilometre", "kilometres", "km", "kilometers", "k"),
    _u("inch", "length", 0.0254, "inches", "in"),
    _u("foot", "length", 0.3048, "feet", "ft"),
    _u("yard", "length", 0.9144, None, "yd"),
    _u("mile", "length", 1609.344, None, "mi"),
    _u("nautical_mile", "length", 1852.0, None),
    _u("milligram", "mass", 1e-6, None, "milligramme", "mg"),
    _u("gram", "mass", 0.001, None, "gramme", "grammes", "g"),
    _u("kilogram", "mass", 1.0, None, "kilogramme", "kilogrammes", "kilo", "kilos", "kg"),
    _u("tonne", "mass", 1000.0, None, "metric ton", "metric tons"),
    _u("ounce", "mass", 0.028349523125, None, "oz"),
    _u("pound", "mass", 0.45359237, None, "lb", "lbs"),
    _u("stone", "mass", 6.35029318, "stone", "stones"),
    _u("ton", "mass", 907.18474, None, "short ton", "short tons"),
    _u("milliliter", "volume", 0.001, None, "millilitre", "millilitres", "ml"),
    _u("centiliter", "volume", 0.01, None, "centilitre", "centilitres", "cl"),
    _u("deciliter", "volume", 0.1, None, "decilitre", "decilitres", "dl"),
    _u("liter", "volume", 1.0, None, "litre", "litres", "l"),
    _u("cubic_meter", "volume", 1000.0, None, "cubic metre", "cubic metres"),
    _u("teaspoon", "volume", 0.00492892159375, None, "tsp"),
    _u("tablespoon", "volume", 0.01478676478125, None, "tbsp"),
    _u("fluid_ounce", "volume", 0.0295735295625, None, "fl oz"),
    _u("cup", "volume", 0.2365882365, None),
    _u("pint", "volume", 0.473176473, None),
    _u("quart", "volume", 0.946352946, None),
    _u("gallon", "volume", 3.785411784, None, "gal"),
    _u("imperial_pint", "volume", 0.56826125, None),
    _u("imperial_gallon", "volume", 4.54609, None),
    _u(
        "celsius",
        "temperature",
        1.0,
        "celsius",
        "degrees celsius",
        "degree celsius",
        "centigrade",
        "degrees centigrade",
        "c",
        "°c",
    ),
    _u("fahrenheit", "temperature", 1.0, "fahrenheit", "degrees fahrenheit", "degree fahrenheit", "f", "°f"),
    _u("kelvin", "temperature", 1.0, "kelvin", "kelvins", "k"),
    _u("meter_per_second", "speed", 1.0, "meters per second", "metres per second", "metre per second", "m/s"),
    _u(
        "kilometer_per_hour",
        "speed",
        1 / 3.6,
        "kilometers per hour",
        "kilometres per hour",
        "kilometre per hour",
        "km/h",
        "kph",
        "kmh",
    ),
    _u("mile_per_hour", "speed", 0.44704, "miles per hour", "mph"),
    _u("foot_per_second", "speed", 0.3048, "feet per second", "ft/s"),
    _u("knot", "speed", 1852 / 3600, None),
    _u("millisecond", "time", 0.001, None, "ms"),
    _u("second", "time", 1.0, None, "sec", "secs", "s"),
    _u("minute", "time", 60.0, None, "min", "mins"),
    _u("hour", "time", 3600.0, None, "hr", "hrs", "h"),
    _u("day", "time", 86400.0, None),
    _u("week", "time", 604800.0, None),
    _u("fortnight", "time", 1209600.0, None),
    _u("month", "time", 2629746.0, None),
    _u("year", "time", 31556952.0, None),
]

# "k" is a kilometre in "5 k" but kelvin elsewhere; single letters are too
# ambiguous to accept on their own, except the clear ones below.
_AMBIGUOUS = {"k", "c", "f", "l", "m", "s", "h", "g", "in"}

_BY_NAME: dict[str, Unit] = {}
for _unit in UNITS:
    for _name in (_unit.key, _unit.singular, _unit.plural, *_unit.aliases):
        if _name.lower() in _AMBIGUOUS:
            continue
        _BY_NAME.setdefault(_name.lower(), _unit)
# Where a letter is unambiguous in a conversion it is accepted after a number ("5 km").
_BY_SYMBOL = {
    "c": "celsius",
    "f": "fahrenheit",
    "k": "kelvin",
    "l": "liter",
    "m": "meter",
    "s": "second",
    "h": "hour",
    "g": "gram",
    "in": "inch",
}
_KEYED = {unit.key: unit for unit in UNITS}


def spoken_names() -> dict[str, str]:
    """Every way of saying a unit -> its key (for the sentences list)."""
    return {name: unit.key for name, unit in _BY_NAME.items() if re.fullmatch(r"[a-z ]+", name)}


def find_unit(name: str, *, allow_symbol: bool = True) -> Unit:
    """The unit called ``name``; raises ConversionError."""
    cleaned = " ".join(name.lower().replace("degree ", "degrees ").split())
    cleaned = cleaned.removeprefix("a ").removeprefix("an ").removeprefix("one ")
    if cleaned in _KEYED:
        return _KEYED[cleaned]
    unit = _BY_NAME.get(cleaned)
    if unit is None and allow_symbol and cleaned in _BY_SYMBOL:
        unit = _KEYED[_BY_SYMBOL[cleaned]]
    if unit is None and cleaned.startswith("degrees "):
        return find_unit(cleaned.removeprefix("degrees "), allow_symbol=allow_symbol)
    if unit is None:
        raise ConversionError(f'I don\'t know the unit "{name}".')
    return unit


def _to_kelvin(value: float, unit: Unit) -> float:
    if unit.key == "celsius":
        return value + 273.15
    if unit.key == "fahrenheit":
        return (value - 32) * 5 / 9 + 273.15
    return value


def _from_kelvin(value: float, unit: Unit) -> float:
    if unit.key == "celsius":
        return value - 273.15
    if unit.key == "fahrenheit":
        return (value - 273.15) * 9 / 5 + 32
    return value


def convert(value: float, source: Unit, target: Unit) -> float:
    """``value`` in ``source`` units, expressed in ``target`` units."""
    if source.kind != target.kind:
        raise ConversionError(
            f"I can't turn {source.plural} into {target.plural}: "
            f"one is a {source.kind}, the other a {target.kind}."
        )
    if source.kind == "temperature":
        kelvin = _to_kelvin(value, source)
        if kelvin < 0:
            raise ConversionError("That's colder than absolute zero.")
        return _from_kelvin(kelvin, target)
    if value < 0 and source.kind != "temperature":
        raise ConversionError(f"A {source.kind} can't be negative.")
    return value * source.factor / target.factor


def round_nicely(value: float) -> float:
    """Four significant figures, at most two decimals for big numbers: 8.047, 22.22, 1609."""
    if value == 0:
        return 0.0
    digits = 4 - int(math.floor(math.log10(abs(value)))) - 1
    return round(value, max(0, min(digits, 6)))


def say_amount(value: float, unit: Unit) -> str:
    """'8.047 kilometers', '1 mile', '22.22 degrees Celsius'."""
    from assistant.skills.parsing import say_number

    number = say_number(round_nicely(value))
    if unit.kind == "temperature" and unit.key != "kelvin":
        degrees = "degree" if number in ("1", "-1") else "degrees"
        return f"{number} {degrees} {unit.singular.capitalize()}"
    name = unit.singular if number in ("1", "-1") else unit.plural
    return f"{number} {name}"


MAX_CONVERSION_WORDS = 16
"""Longer text is no conversion ("five and a half kilometres per hour in miles per hour" is 10
words): trying every split of it would take time for nothing."""

_CONVERSION = re.compile(
    r"^(?:convert\s+|what(?:'s| is)\s+|how much is\s+)?(?P<amount>.+?)\s+"
    r"(?:in|to|too|into|as)\s+(?P<target>[^?]+?)\??$"
)


def parse_conversion(text: str) -> tuple[float, Unit, Unit] | None:
    """'5 miles in km' -> (5, mile, kilometer); None when it is not a conversion."""
    words = text.lower().replace(",", "").split()
    if len(words) > MAX_CONVERSION_WORDS:
        return None
    cleaned = " ".join(words)
    match = _CONVERSION.match(cleaned)
    if not match:
        return None
    words = match.group("amount").split()
    # Find where the number stops and the unit starts: try the longest unit first.
    for split in range(1, len(words)):
        try:
            value = float(parse_number(" ".join(words[:split])))
            source = find_unit(" ".join(words[split:]))
            target = find_unit(match.group("target"))
        except (ParseError, ConversionError):
            continue
        return value, source, target
    return None
