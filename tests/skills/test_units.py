"""Unit conversion across every kind, with the edge cases people hit."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from assistant.skills.conversions import (
    ConversionError,
    convert,
    find_unit,
    parse_conversion,
    spoken_names,
)
from assistant.skills.registry import SKILLS_DIR


@pytest.mark.parametrize(
    ("value", "source", "target", "expected"),
    [
        (5, "miles", "kilometers", 8.04672),
        (1, "foot", "inches", 12),
        (100, "cm", "meters", 1),
        (1, "kilogram", "pounds", 2.20462),
        (16, "ounces", "pounds", 1),
        (1, "stone", "kg", 6.35029),
        (1, "gallon", "liters", 3.78541),
        (3, "teaspoons", "tablespoon", 1),
        (1, "cup", "ml", 236.588),
        (72, "fahrenheit", "celsius", 22.2222),
        (0, "celsius", "kelvin", 273.15),
        (-40, "c", "f", -40),
        (60, "mph", "kilometers per hour", 96.5606),
        (10, "knots", "meters per second", 5.14444),
        (90, "minutes", "hours", 1.5),
        (1, "week", "days", 7),
        (1, "year", "days", 365.2425),
    ],
)
def test_converts(value: float, source: str, target: str, expected: float) -> None:
    assert convert(value, find_unit(source), find_unit(target)) == pytest.approx(expected, rel=1e-5)


def test_different_kinds_cannot_be_converted() -> None:
    with pytest.raises(ConversionError, match="one is a length, the other a mass"):
        convert(1, find_unit("mile"), find_unit("kilogram"))


def test_below_absolute_zero_is_refused() -> None:
    with pytest.raises(ConversionError, match="absolute zero"):
        convert(-500, find_unit("celsius"), find_unit("kelvin"))


def test_unknown_unit() -> None:
    with pytest.raises(ConversionError, match="furlongs"):
        find_unit("furlongs")


def test_reads_a_whole_sentence() -> None:
    value, source, target = parse_conversion("what is two and a half hours in minutes") or (0, None, None)
    assert (value, source.key, target.key) == (2.5, "hour", "minute")  # type: ignore[union-attr]


def test_handler_with_resolved_slots(run: Any) -> None:
    result = run("units.convert", value=5, from_unit="mile", to_unit="kilometer")
    assert result.speech == "5 miles is 8.047 kilometers."
    assert result.data["result"] == pytest.approx(8.04672)


def test_handler_temperature_wording(run: Any) -> None:
    assert (
        run("units.convert", value="72", from_unit="fahrenheit", to_unit="celsius").speech
        == "72 degrees Fahrenheit is 22.22 degrees Celsius."
    )


def test_handler_how_many_in_one(run: Any) -> None:
    assert run("units.convert", value="a", from_unit="mile", to_unit="foot").speech == "1 mile is 5,280 feet."


def test_handler_from_text_alone(run: Any) -> None:
    assert run("units.convert", text="convert 3 cups to ml").speech == "3 cups is 709.8 milliliters."


def test_handler_explains_a_mismatch(run: Any) -> None:
    result = run("units.convert", value=3, from_unit="mile", to_unit="celsius")
    assert not result.ok
    assert "can't turn miles into celsius" in result.speech


def test_sentences_list_matches_the_unit_table() -> None:
    document = yaml.safe_load((SKILLS_DIR / "units.yaml").read_text())
    listed = {value["in"]: value["out"] for value in document["lists"]["measure_unit"]["values"]}
    assert listed == spoken_names()


def test_no_target_goes_into_the_other_system(run: Any) -> None:
    result = run("units.convert", "what is 100 fahrenheit", value="100", from_unit="fahrenheit")
    assert result.speech == "100 degrees Fahrenheit is 37.78 degrees Celsius."
    assert run("units.convert", value="5", from_unit="kilometer").data["to_unit"] == "mile"


def test_no_target_honours_the_preferred_temperature_unit(run: Any, context: Any) -> None:
    context.preferences["temperature_unit"] = "fahrenheit"
    assert run("units.convert", value="20", from_unit="celsius").data["to_unit"] == "fahrenheit"
    context.preferences.clear()
    context.preferences["units"] = "imperial"
    assert run("units.convert", value="300", from_unit="kelvin").data["to_unit"] == "fahrenheit"


def test_no_target_and_no_partner_asks_which(run: Any) -> None:
    result = run("units.convert", value="5", from_unit="second")
    assert not result.ok
    assert result.speech == "Into which unit should I convert 5 seconds?"


def test_how_many_read_the_other_way_round(run: Any) -> None:
    # "how many ounces in a pound" read by the "<value> <unit> in <unit>" template.
    result = run("units.convert", value="how many", from_unit="ounce", to_unit="pound")
    assert result.speech == "1 pound is 16 ounces."


def test_unreadable_value_is_never_one(run: Any) -> None:
    result = run("units.convert", value="lots of", from_unit="mile", to_unit="kilometer")
    assert not result.ok
    assert "1 mile" not in result.speech
    assert "didn't catch how many miles" in result.speech


def test_same_unit_both_sides_is_no_answer(run: Any) -> None:
    result = run("units.convert", "how many days until christmas", from_unit="day", to_unit="day")
    assert not result.ok
    assert "1 day is 1 day" not in result.speech


def test_one_degree_is_singular(run: Any) -> None:
    assert run("units.convert", value="1", from_unit="celsius", to_unit="kelvin").speech == (
        "1 degree Celsius is 274.1 kelvin."
    )


def test_degrees_and_articles_left_in_the_value(run: Any) -> None:
    assert run("units.convert", value="180 degrees", from_unit="celsius", to_unit="fahrenheit").data[
        "result"
    ] == pytest.approx(356)
    assert run("units.convert", value="half a", from_unit="pound", to_unit="ounce").data["result"] == (
        pytest.approx(8)
    )


def test_a_temperature_without_its_unit_is_in_the_other_scale(run: Any) -> None:
    result = run("units.convert", value="25 degrees in", from_unit="fahrenheit")
    assert result.speech == "25 degrees Celsius is 77 degrees Fahrenheit."


def test_one_unit_read_twice_is_read_again_from_the_text(run: Any) -> None:
    result = run(
        "units.convert", "convert 10 kilometers too miles", from_unit="kilometer", to_unit="kilometer"
    )
    assert result.speech == "10 kilometers is 6.214 miles."
