"""Everyday teaching by voice: names, units, commands, aliases, undo (issue 13)."""

from __future__ import annotations

from assistant.core import Assistant
from assistant.teach.taught import resolve_step
from tests.teach.conftest import say, timers


def shopping(assistant: Assistant) -> list[str]:
    rows = assistant.store.db.query(
        "select i.text from list_items i join lists l on l.id = i.list_id where l.name = 'shopping'"
    )
    return sorted(row["text"] for row in rows)


def test_a_question_step_is_confirmed_as_an_action(assistant: Assistant) -> None:
    turn = say(assistant, "when I say end of day what time is it and then start a 10 minute timer")
    assert turn.reply == (
        "Okay. When you say \u201cend of day\u201d, I'll tell you the time and then start a 10-minute timer."
    )


def test_the_phrase_runs_to_the_first_command_word(assistant: Assistant) -> None:
    say(assistant, "when I say tea break set a timer for 4 minutes")
    assert assistant.teaching.get_command("tea break") is not None
    assert say(assistant, "tea break").intent == "custom.tea_break"
    assert timers(assistant)[0][1] == 240


def test_undo_that_right_after_teaching_forgets_the_command(assistant: Assistant) -> None:
    say(assistant, "when I say end of day tell me the time and start a 10 minute timer")
    turn = say(assistant, "undo that")
    assert "forgot the command" in turn.reply
    assert assistant.teaching.commands() == []


def test_the_undo_of_a_teaching_intent_takes_back_its_change(assistant: Assistant) -> None:
    turn = say(assistant, "call me Sam")
    spec = assistant.skills.get("teach.preference")
    assert spec is not None and spec.undo is not None
    data = turn.feedback.result_data or {"change_id": assistant.teaching.newest_change_id()}
    assert spec.undo(data, assistant.context()) == "OK, I forgot your name."
    assert assistant.teaching.user_name() is None


def test_cancel_that_after_a_taught_command_undoes_its_steps(assistant: Assistant) -> None:
    say(assistant, "when I say end of day tell me the time and start a 10 minute timer")
    say(assistant, "end of day")
    assert len(timers(assistant)) == 1
    say(assistant, "cancel that")
    assert timers(assistant) == []


def test_a_device_step_without_devices_says_why(assistant: Assistant) -> None:
    turn = say(assistant, "when I say lights out turn off the desk lamp")
    assert "devices" in turn.reply and turn.expects_answer
    assert "timer" not in turn.reply
    assert assistant.teaching.commands() == []


def test_a_model_guess_with_slot_words_is_not_a_step(assistant: Assistant) -> None:
    assert assistant.teaching.understands("turn off the desk lamp") is None
    assert assistant.teaching.understands("set a timer for 5 minutes") == "timer.set"


def test_a_taught_alarm_step_is_read_again_when_run(assistant: Assistant) -> None:
    command = assistant.teaching.save_command("wake up", ["wake up"], ["set an alarm for 7 am"])
    command.steps[0].slots["time"] = "2000-01-01T07:00:00"  # as if taught long ago
    _, slots, _, problem = resolve_step(command.steps[0], {}, assistant.understand)
    assert problem is None and not str(slots["time"]).startswith("2000")


def test_use_metric_and_celsius_are_preferences(assistant: Assistant) -> None:
    assert "metric" in say(assistant, "use metric").reply
    assert "Celsius" in say(assistant, "please use celsius from now on").reply
    preferences = assistant.teaching.preferences()
    assert preferences["units"] == "metric" and preferences["temperature_unit"] == "celsius"


def test_names_said_again_or_changed(assistant: Assistant) -> None:
    assert say(assistant, "my name is Sam").reply == "Nice to meet you, Sam."
    assert say(assistant, "call me Sam").reply == "I know, Sam."
    assert say(assistant, "call me Alex").reply == "Okay, I'll call you Alex from now on."
    assert say(assistant, "who am I").reply == "Your name is Alex."


def test_from_now_on_a_word_means_a_list_inside_requests_too(assistant: Assistant) -> None:
    turn = say(assistant, "from now on 'groceries' means my shopping list")
    assert turn.intent == "teach.alias"
    assert "\u201cgroceries\u201d means \u201cmy shopping list\u201d" in turn.reply
    say(assistant, "add milk to groceries")
    say(assistant, "add eggs to my groceries list")
    assert shopping(assistant) == ["eggs", "milk"]
    assert "milk" in say(assistant, "groceries").reply
    assert "doesn't mean anything special" in say(assistant, "forget groceries").reply


def test_forgetting_a_preference_says_what_was_forgotten(assistant: Assistant) -> None:
    say(assistant, "call me Sam")
    turn = say(assistant, "forget my name")
    assert turn.reply.startswith("Okay, I've forgotten that your name is Sam.")
    assert say(assistant, "undo the last change").reply == "OK, your name is Sam again."


def test_step_by_step_replies_read_as_actions(assistant: Assistant) -> None:
    say(assistant, "teach me a command")
    say(assistant, "break time")
    assert "first I'll tell you the time" in say(assistant, "what time is it").reply
    assert "then I'll start a 5-minute timer" in say(assistant, "start a 5 minute timer").reply
    done = say(assistant, "done")
    assert "I'll tell you the time and then start a 5-minute timer" in done.reply


def test_a_clash_with_a_built_in_says_what_it_does(assistant: Assistant) -> None:
    turn = say(assistant, "when I say what time is it set a timer for 3 minutes")
    assert "already means something to me (I'd tell you the time)" in turn.reply


def test_more_ways_to_give_and_take_back_a_name(assistant: Assistant) -> None:
    assert say(assistant, "my name's Sam").reply == "Nice to meet you, Sam."
    assert say(assistant, "you can call me Sam").reply == "I know, Sam."
    assert "forgotten that your name is Sam" in say(assistant, "stop calling me Sam").reply
    assert assistant.teaching.user_name() is None


def test_a_new_command_with_its_name_goes_straight_to_the_steps(assistant: Assistant) -> None:
    turn = say(assistant, "make a new command called reading mode")
    assert turn.intent == "teach.new_command" and turn.expects_answer
    assert "What should I do first" in turn.reply


def test_the_list_of_taught_things_ends_each_sentence(assistant: Assistant) -> None:
    say(assistant, "from now on groceries means my shopping list")
    reply = say(assistant, "what have I taught you").reply
    assert reply == "You've taught me 1 phrase: \u201cgroceries\u201d means \u201cmy shopping list\u201d."


def test_undo_that_after_a_command_taught_step_by_step_forgets_it(assistant: Assistant) -> None:
    for text in ("learn a new command", "chill", "what time is it", "done"):
        say(assistant, text)
    assert assistant.teaching.get_command("chill") is not None
    assert say(assistant, "undo that").reply == "OK, I forgot the command \u201cchill\u201d."
    assert assistant.teaching.commands() == []
