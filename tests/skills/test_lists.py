"""Notes and named lists through their handlers, on a real store."""

from __future__ import annotations

from typing import Any

import pytest

from assistant.memory.lists import ListRepository, normalise_list_name
from assistant.memory.store import Store
from assistant.skills.base import SkillContext
from assistant.skills.lists import split_items
from assistant.skills.registry import SkillRegistry


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
    assert run("list.all").speech == "You have 2 lists: shopping and to do."


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
    assert result.speech == "You don't have a camping list yet. You have a shopping list."


def test_without_a_list_name_the_only_list_is_meant(run: Any) -> None:
    run("list.add", item="tent", list_name="camping")
    assert run("list.add", item="stove").speech == "Added stove to your camping list."


def test_default_list_preference(run: Any, context: Any) -> None:
    context.preferences["default_list"] = "groceries"
    assert run("list.add", item="milk").speech == "Added milk to your groceries list."


def test_notes(run: Any) -> None:
    assert run("note.add", note="buy stamps").speech == "Noted: buy stamps."
    run("note.add", note="call the plumber")
    assert run("note.read").speech == "You have 2 notes: buy stamps and call the plumber."
    assert run("note.clear").data["removed"] == 2


def test_adding_time_to_a_timer_misread_as_a_list(run: Any) -> None:
    run("timer.set", duration=600, name="pasta")
    result = run("list.add", item="five minutes", list_name="pasta timer")
    assert result.speech.startswith("Added 5 minutes") and "15 minutes left" in result.speech


def test_list_names_are_normalised() -> None:
    assert normalise_list_name("my Shopping List") == "shopping"
    assert normalise_list_name("note") == "notes"
    assert normalise_list_name("the to do list") == "to do"


@pytest.mark.parametrize(
    ("said", "items"),
    [
        ("milk and eggs", ["milk", "eggs"]),
        ("bread, butter and jam", ["bread", "butter", "jam"]),
        ("bread, butter, and jam", ["bread", "butter", "jam"]),
        ("salt and pepper", ["salt and pepper"]),
        ("fish and chips and a lemon", ["fish and chips", "lemon"]),
        ("salt and vinegar crisps and mac and cheese", ["salt and vinegar crisps", "mac and cheese"]),
        ("2 pints of milk", ["2 pints of milk"]),
        ("some eggs too", ["eggs"]),
        ("a cucumber", ["cucumber"]),
        ("a loaf of bread", ["a loaf of bread"]),
        ("milk & eggs", ["milk", "eggs"]),
        ("milk and milk", ["milk"]),
        ("bread butter and jam", ["bread", "butter", "jam"]),
        ("oat milk and eggs", ["oat milk", "eggs"]),
        ("chocolate milk and bread", ["chocolate milk", "bread"]),
    ],
)
def test_several_things_are_several_items(said: str, items: list[str]) -> None:
    assert split_items(said) == items


def test_and_adds_two_items(run: Any) -> None:
    result = run("list.add", item="milk and eggs", list_name="shopping")
    assert result.speech == "Added milk and eggs to your shopping list."
    assert run("list.read").data["items"] == ["milk", "eggs"]


def test_commas_the_matcher_dropped_are_read_from_the_text(run: Any) -> None:
    text = "add bread, butter and jam to my shopping list"
    result = run("list.add", text, item="bread butter and jam", list_name="shopping")
    assert result.data["added"] == ["bread", "butter", "jam"]


def test_adding_what_is_already_there(run: Any) -> None:
    run("list.add", item="milk")
    assert run("list.add", item="milk").speech == "You already have milk on your shopping list."
    result = run("list.add", item="milk and eggs")
    assert result.speech == "Added eggs to your shopping list. You already had milk on it."
    assert run("list.read").data["items"] == ["milk", "eggs"]


def test_filler_after_the_list_name(run: Any) -> None:
    assert run("list.add", item="tea", list_name="shopping list too").data["list"] == "shopping"


def test_grocery_list_is_the_shopping_list(run: Any) -> None:
    run("list.add", item="tea", list_name="grocery")
    assert run("list.read", list_name="shopping").data["items"] == ["tea"]


def test_remove_several(run: Any) -> None:
    run("list.add", item="milk, eggs and jam")
    result = run("list.remove", item="milk and bananas")
    assert result.speech == "Removed milk from your shopping list. I couldn't find bananas on it."
    assert run("list.read").data["items"] == ["eggs", "jam"]


def test_contains(run: Any) -> None:
    run("list.add", item="oat milk")
    assert run("list.contains", item="oat milk").speech == "Yes, you have oat milk on your shopping list."
    assert run("list.contains", item="eggs").speech == "No, you don't have eggs on your shopping list."


def test_reading_an_empty_shopping_list(run: Any) -> None:
    assert run("list.read", list_name="shopping").speech == "Your shopping list is empty."
    assert run("note.read").speech == "You don't have any notes."


def test_one_thing_reads_naturally(run: Any) -> None:
    run("list.add", item="milk")
    assert run("list.read").speech == "Your shopping list has one thing: milk."
    run("note.add", note="buy stamps")
    assert run("note.read").speech == "You have one note: buy stamps."


def test_note_lead_words_are_dropped(run: Any) -> None:
    assert run("note.add", note="to self: buy stamps").data["note"] == "buy stamps"


def test_duration_added_with_no_list_goes_to_the_timer(run: Any) -> None:
    run("timer.set", duration=600, name="pasta")
    assert run("list.add", item="five minutes").speech.startswith("Added 5 minutes")
    assert run("list.read").data["items"] == []


def test_clear_words_its_confirmation(registry: SkillRegistry) -> None:
    spec = registry.get("list.clear")
    assert spec is not None and spec.confirm == "empty your {list_name} list|empty the list"
    notes = registry.get("note.clear")
    assert notes is not None and notes.confirm == "delete all your notes"


def _undo(registry: SkillRegistry, intent: str, data: dict[str, Any], context: SkillContext) -> str:
    spec = registry.get(intent)
    assert spec is not None and spec.undo is not None
    return spec.undo(data, context)


def test_undo_add_removes_exactly_what_was_added(
    run: Any, registry: SkillRegistry, context: SkillContext
) -> None:
    run("list.add", item="milk")
    added = run("list.add", item="milk, eggs and jam")
    reply = _undo(registry, "list.add", added.data, context)
    assert reply == "OK, I took eggs and jam off your shopping list."
    assert run("list.read").data["items"] == ["milk"]


def test_undo_remove_puts_back(run: Any, registry: SkillRegistry, context: SkillContext) -> None:
    run("list.add", item="milk and eggs")
    removed = run("list.remove", item="eggs")
    assert (
        _undo(registry, "list.remove", removed.data, context) == "OK, I put eggs back on your shopping list."
    )
    assert run("list.read").data["items"] == ["milk", "eggs"]


def test_undo_clear_restores(run: Any, registry: SkillRegistry, context: SkillContext) -> None:
    run("list.add", item="milk and eggs")
    cleared = run("list.clear")
    assert cleared.speech == "Emptied your shopping list (2 things removed)."
    _undo(registry, "list.clear", cleared.data, context)
    assert run("list.read").data["items"] == ["milk", "eggs"]


def test_undo_a_note(run: Any, registry: SkillRegistry, context: SkillContext) -> None:
    noted = run("note.add", note="buy stamps")
    assert (
        _undo(registry, "note.add", noted.data, context) == "OK, I deleted the note \u201cbuy stamps\u201d."
    )
    assert run("note.read").data["items"] == []


def test_every_list_change_can_be_undone(registry: SkillRegistry) -> None:
    for intent in ("list.add", "list.remove", "list.clear", "note.add", "note.clear"):
        spec = registry.get(intent)
        assert spec is not None and spec.undo is not None, intent


def test_a_misspelt_list_name_finds_the_list(run: Any) -> None:
    run("list.add", item="milk", list_name="shopping")
    assert run("list.add", item="tea", list_name="shoping").data["list"] == "shopping"
    assert run("list.add", item="tent", list_name="camping").data["list"] == "camping"


def test_something_is_no_item_so_it_asks(run: Any) -> None:
    result = run("list.add", item="something", list_name="shopping")
    assert not result.ok and result.asks_for == "item"
    assert result.speech == "What should I add?"
    assert run("list.read").data["items"] == []


def test_a_question_read_as_an_addition_is_answered(run: Any) -> None:
    run("list.add", item="milk")
    result = run("list.add", "do we need milk", item="milk")
    assert result.speech == "Yes, you have milk on your shopping list."
    assert run("list.read").data["items"] == ["milk"]


def test_add_to_a_list_with_no_item_asks(run: Any) -> None:
    result = run("list.add", "add to my shopping list", item="to my shopping list")
    assert result.asks_for == "item"


def test_it_and_them_mean_what_was_just_added(run: Any, context: SkillContext) -> None:
    from assistant.dialogue.session import Request, Session

    added = run("list.add", item="milk and eggs")
    context.session = Session()
    context.session.last_request = Request("add milk and eggs", "list.add", result=added.data, ok=True)
    assert run("list.remove", item="them").speech == "Removed milk and eggs from your shopping list."


def test_an_office_list(run: Any) -> None:
    run("list.add", item="stapler", list_name="office")
    assert (
        run("list.read", list_name="errands").speech
        == "You don't have an errands list yet. You have an office list."
    )


def test_a_what_question_read_as_an_addition_reads_the_list(run: Any) -> None:
    run("list.add", item="milk")
    assert run("list.add", "what do I need to buy").speech == "Your shopping list has one thing: milk."
