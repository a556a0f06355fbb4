"""Notes and named lists through their handlers, on a real store."""

from __future__ import annotations

from typing import Any

from assistant.memory.lists import ListRepository, normalise_list_name
from assistant.memory.store import Store


def test_add_and_read_a_named_list(run: Any) -> None:
    assert run("list.add", item="milk", list_name="shopping").speech == "Added milk to your shopping list."
    run("list.add", item="bread", list_name="my Shopping List")
    result = run("list.read", list_name="shopping list")
    assert result.speech == "Your shopping list has 2 things: milk and bread."
    assert result.data["items"] == ["milk", "bread"]


def test_several_lists_stay_apart(run: Any, store: Store) -> None:
    run("list.add", item="milk", list_name="shopping")
    run("list.add", item="file taxes", list_name="to-do")
    assert [i.text for i in ListRepository(store).items("to do")] == ["file taxes"]
    assert run("list.all").speech == "You have these lists: shopping and to do."


def test_commas_add_several_items(run: Any) -> None:
    result = run("list.add", item="eggs, milk and bread", list_name="shopping")
    assert result.data["added"] == ["eggs", "milk", "bread"]


def test_salt_and_pepper_is_one_item(run: Any) -> None:
    assert run("list.add", item="salt and pepper", list_name="shopping").data["added"] == ["salt and pepper"]


def test_remove_finds_the_closest_item(run: Any) -> None:
    run("list.add", item="oat milk", list_name="shopping")
    run("list.add", item="bread", list_name="shopping")
    assert (
        run("list.remove", item="the oat milk", list_name="shopping").speech
        == "Removed oat milk from your shopping list."
    )
    assert run("list.read", list_name="shopping").data["items"] == ["bread"]


def test_remove_something_not_there(run: Any) -> None:
    run("list.add", item="bread", list_name="shopping")
    result = run("list.remove", item="bananas", list_name="shopping")
    assert not result.ok
    assert result.speech == "I couldn't find bananas on your shopping list."


def test_clear_a_list(run: Any) -> None:
    run("list.add", item="a, b, c", list_name="shopping")
    assert run("list.clear", list_name="shopping").data["removed"] == 3
    assert run("list.read", list_name="shopping").speech == "Your shopping list is empty."


def test_reading_a_list_that_does_not_exist(run: Any) -> None:
    run("list.add", item="milk", list_name="shopping")
    result = run("list.read", list_name="camping")
    assert result.speech == "You don't have a camping list yet. You have: shopping."


def test_without_a_list_name_the_only_list_is_meant(run: Any) -> None:
    run("list.add", item="tent", list_name="camping")
    assert run("list.add", item="stove").speech == "Added stove to your camping list."


def test_default_list_preference(run: Any, context: Any) -> None:
    context.preferences["default_list"] = "groceries"
    assert run("list.add", item="milk").speech == "Added milk to your groceries list."


def test_notes(run: Any) -> None:
    assert run("note.add", note="buy stamps").speech == "Noted: buy stamps."
    run("note.add", note="call the plumber")
    assert run("note.read").speech == "Your notes has 2 things: buy stamps and call the plumber."
    assert run("note.clear").data["removed"] == 2


def test_adding_time_to_a_timer_misread_as_a_list(run: Any) -> None:
    run("timer.set", duration=600, name="pasta")
    result = run("list.add", item="five minutes", list_name="pasta timer")
    assert result.speech == "Added 5 minutes. The pasta timer has 15 minutes left."


def test_list_names_are_normalised() -> None:
    assert normalise_list_name("my Shopping List") == "shopping"
    assert normalise_list_name("note") == "notes"
    assert normalise_list_name("the to do list") == "to do"
