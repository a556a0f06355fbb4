"""The calculator: words and symbols, safe evaluation, clear refusals."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.skills.arithmetic import CalculationError, evaluate


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("12 times 7", 84),
        ("the square root of 81", 9),
        ("2 to the power of 10", 1024),
        ("15 percent of 80", 12),
        ("(3 + 4) * 2", 14),
        ("five factorial", 120),
        ("0.1 + 0.2", 0.3),
        ("10 divided by 4", 2.5),
        ("3 squared", 9),
        ("minus 5 plus 2", -3),
        ("2 ** 8", 256),
        ("one hundred and five minus five", 100),
        ("7 x 6", 42),
        ("10 mod 3", 1),
        ("sqrt(16) + 1", 5),
        ("two point five times four", 10),
        ("2 + 3 * 4", 14),
        ("2 ^ 3 ^ 2", 512),
        ("-3 squared", -9),
        ("12 ÷ 4", 3),
    ],
)
def test_evaluates(expression: str, value: float) -> None:
    assert evaluate(expression) == pytest.approx(value)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 / 0", "divide by zero"),
        ("9 ^ 9 ^ 9", "too big"),
        ("5 +", "stop halfway"),
        ("__import__('os')", "don't know how"),
        ("drop table", "don't know how"),
        ("square root of minus 4", "no real square root"),
        ("1000 factorial", "factorials"),
        ("(1 + 2", "not closed"),
        ("", "nothing to work out"),
    ],
)
def test_refuses_with_a_reason(expression: str, message: str) -> None:
    with pytest.raises(CalculationError, match=message):
        evaluate(expression)


def test_handler_with_three_slots(run: Any) -> None:
    result = run("calculator.evaluate", left="12", operator="times", right="7")
    assert result.speech == "12 times 7 is 84."
    assert result.data["result"] == 84


def test_handler_with_a_whole_expression(run: Any) -> None:
    assert run("calculator.evaluate", expression="(3 + 4) * 2").speech == "(3 + 4) * 2 is 14."


def test_handler_reads_the_text_when_slots_are_missing(run: Any) -> None:
    assert run("calculator.evaluate", text="what is 12*7").data["result"] == 84


def test_handler_hands_conversions_to_units(run: Any) -> None:
    assert run("calculator.evaluate", expression="5 miles in km").speech == "5 miles is 8.047 kilometers."


def test_handler_says_the_problem(run: Any) -> None:
    result = run("calculator.evaluate", expression="1 divided by 0")
    assert not result.ok
    assert result.speech == "You can't divide by zero."


def test_square_root(run: Any) -> None:
    assert run("calculator.square_root", number="eighty one").speech == "The square root of 81 is 9."
    assert run("calculator.square_root", number="2").speech == "The square root of 2 is 1.4142."
    assert not run("calculator.square_root", number="-4").ok


@pytest.mark.parametrize(
    ("expression", "value"),
    [("15% of 80", 12), ("half of 80", 40), ("a third of 90", 30), ("20 percent of 150", 30)],
)
def test_fractions_and_percentages_of(expression: str, value: float) -> None:
    assert evaluate(expression) == pytest.approx(value)


def test_divide_by_and_subtract_from(run: Any) -> None:
    assert run("calculator.evaluate", left="100", operator="divided by", right="8").speech == (
        "100 divided by 8 is 12.5."
    )
    assert run("calculator.evaluate", left="20", operator="minus", right="5").speech == "20 minus 5 is 15."


def test_reply_starts_with_a_capital(run: Any) -> None:
    assert run("calculator.evaluate", "what's half of 80").speech == "Half of 80 is 40."


@pytest.mark.parametrize(
    ("expression", "value"),
    [("two thirds of 90", 60), ("three quarters of 40", 30), ("a quarter of 60", 15), ("a fifth of 50", 10)],
)
def test_spoken_fractions_of(expression: str, value: float) -> None:
    assert evaluate(expression) == pytest.approx(value)


def test_thousands_split_by_a_space_are_one_number() -> None:
    assert evaluate("1 500 divided by 12") == 125


def test_thousands_are_said_back_with_a_comma(run: Any) -> None:
    assert run("calculator.evaluate", left="1 500", operator="divided by", right="12").speech == (
        "1,500 divided by 12 is 125."
    )


def test_money_is_said_to_be_out_of_reach(run: Any) -> None:
    result = run("calculator.evaluate", "how much is 10 dollars in euros")
    assert not result.ok and "can't convert money" in result.speech


def test_percent_off_a_price() -> None:
    assert evaluate("20 percent off 50") == 40
    assert evaluate("15% off 80") == 68
