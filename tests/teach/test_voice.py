"""Teaching by voice (typed here): commands, step by step, aliases, preferences, moments."""

from __future__ import annotations

from assistant.core import Assistant
from tests.teach.conftest import say, timers


def test_one_sentence_command_is_learned_and_used(assistant: Assistant) -> None:
    turn = say(assistant, "When I say tea break, set a timer for 4 minutes and add tea to my notes")
    assert turn.intent == "teach.when_i_say" and turn.outcome == "success", turn.reply
    assert "tea break" in turn.reply
    used = say(assistant, "tea break")
    assert used.intent == "custom.tea_break"
    assert [a.name for a in used.actions[1:]] == ["timer.set", "note.add"]
    assert timers(assistant)[0][1] == 240


def test_parameterised_command_by_voice(assistant: Assistant) -> None:
    say(assistant, "when I say focus for N minutes set a timer for N minutes")
    turn = say(assistant, "focus for 15 minutes")
    assert turn.intent == "custom.focus_for_n_minutes", turn.reply
    assert timers(assistant)[0][1] == 900


def test_an_unknown_step_is_asked_about_and_can_be_skipped(assistant: Assistant) -> None:
    turn = say(assistant, "when I say tea break set a timer for 4 minutes and fly to the moon")
    assert "fly to the moon" in turn.reply and turn.expects_answer
    assert assistant.teaching.commands() == []
    done = say(assistant, "skip")
    assert "tea break" in done.reply
    assert [s.intent for s in assistant.teaching.get_command("tea break").steps] == ["timer.set"]


def test_step_by_step_with_undo_and_done(assistant: Assistant) -> None:
    assert "call it" in say(assistant, "learn a new command").reply
    assert "first" in say(assistant, "tea break").reply
    say(assistant, "what time is it")
    assert "took out" in say(assistant, "undo last step").reply
    say(assistant, "set a timer for 4 minutes")
    finished = say(assistant, "done")
    assert "tea break" in finished.reply and not finished.expects_answer
    command = assistant.teaching.get_command("tea break")
    assert [s.intent for s in command.steps] == ["timer.set"]
    say(assistant, "tea break")
    assert timers(assistant)[0][1] == 240


def test_step_by_step_cancel_stores_nothing(assistant: Assistant) -> None:
    say(assistant, "learn a new command")
    say(assistant, "tea break")
    say(assistant, "set a timer for 4 minutes")
    assert say(assistant, "cancel").reply.startswith("Okay")
    assert assistant.teaching.commands() == []


def test_a_clashing_name_by_voice_asks_for_another(assistant: Assistant) -> None:
    turn = say(assistant, "learn a new command")
    turn = say(assistant, "what time is it")
    assert "already means" in turn.reply and turn.expects_answer
    say(assistant, "clock check")
    say(assistant, "what time is it")
    say(assistant, "done")
    assert assistant.teaching.get_command("clock check") is not None


def test_alias_by_voice(assistant: Assistant) -> None:
    turn = say(assistant, "tea please means set a timer for 4 minutes")
    assert turn.intent == "teach.alias", turn.reply
    assert say(assistant, "tea please").intent == "timer.set"
    say(assistant, "when I say coffee please I mean set a timer for 2 minutes")
    assert say(assistant, "coffee please").intent == "timer.set"


def test_forget_rename_and_list_by_voice(assistant: Assistant) -> None:
    say(assistant, "when I say tea break set a timer for 4 minutes")
    assert "tea break" in say(assistant, "what commands have I taught you").reply
    say(assistant, "rename tea break to cuppa")
    assert say(assistant, "cuppa").intent == "custom.cuppa"
    assert "forgot" in say(assistant, "forget cuppa").reply.lower()
    assert assistant.teaching.commands() == []
    say(assistant, "undo the last change")
    assert assistant.teaching.get_command("cuppa") is not None


def test_preferences_stated_used_and_forgotten(assistant: Assistant) -> None:
    assert "Sam" in say(assistant, "call me Sam").reply
    say(assistant, "I'm a Warriors fan")
    say(assistant, "I live in Boston")
    say(assistant, "I prefer Celsius")
    say(assistant, "my favourite music is jazz")
    say(assistant, "remember that my sister is called Ana")
    known = say(assistant, "what do you know about me").reply
    for fact in ("Sam", "Warriors", "Boston", "Celsius", "jazz", "Ana"):
        assert fact in known
    rows = {row.key: row for row in assistant.teaching.preference_rows()}
    assert rows["sister"].category == "people" and rows["sister"].source == "said"
    greeting = say(assistant, "set a timer for 3 minutes", session="new conversation")
    assert greeting.outcome == "success"
    say(assistant, "forget that I like jazz")
    assert "music_genre" not in assistant.teaching.preferences()
    confirm = say(assistant, "forget everything about me")
    assert confirm.expects_answer
    say(assistant, "yes")
    assert assistant.teaching.preferences() == {}


def test_the_user_is_greeted_by_name_once_per_conversation(assistant: Assistant) -> None:
    assistant.teaching.set_preference("name", "Sam")
    from assistant.teach.hooks import personalise

    assert personalise("Okay, cancelled.", "Sam") == "Okay, Sam. Cancelled."
    assert personalise("Timer set.", "Sam") is None


def test_guided_preferences_skip_and_resume(assistant: Assistant) -> None:
    assert "call you" in say(assistant, "learn my preferences").reply
    say(assistant, "Sam")
    assert "skipped" in say(assistant, "skip").reply.lower()
    say(assistant, "cancel")
    resumed = say(assistant, "learn my preferences").reply
    assert "carry on" in resumed and "Celsius" in resumed
    say(assistant, "celsius")
    prefs = assistant.teaching.preferences()
    assert prefs["user_name"] == "Sam" and prefs["temperature_unit"] == "celsius"
    assert "home_city" not in prefs
    assert {r.source for r in assistant.teaching.preference_rows()} == {"guided"}


def test_teachable_moment_becomes_an_alias(assistant: Assistant) -> None:
    offer = say(assistant, "brew o matic")
    assert "teach me" in offer.reply and offer.expects_answer
    assert "What should I do" in say(assistant, "yes").reply
    learned = say(assistant, "set a timer for 4 minutes")
    assert "means" in learned.reply
    assert say(assistant, "brew o matic").intent == "timer.set"


def test_teachable_moment_with_several_steps_becomes_a_command(assistant: Assistant) -> None:
    say(assistant, "brew o matic")
    say(assistant, "yes")
    say(assistant, "set a timer for 4 minutes and add tea to my notes")
    assert assistant.teaching.get_command("brew o matic") is not None


def test_a_declined_offer_is_never_repeated(assistant: Assistant) -> None:
    say(assistant, "brew o matic")
    assert "won't ask" in say(assistant, "no").reply
    again = say(assistant, "brew o matic", session="later")
    assert "teach me" not in again.reply
    assert assistant.teaching.offers.was_declined("teach", "brew o matic")


# --- questions that give up ------------------------------------------------------------------


def test_after_a_clashing_name_a_clear_request_is_handled_and_the_teaching_stops(
    assistant: Assistant,
) -> None:
    say(assistant, "learn a new command")
    assert "already means" in say(assistant, "what time is it").reply
    moved_on = say(assistant, "set a timer for 5 minutes")
    assert moved_on.intent == "timer.set" and moved_on.reply == "Timer set for 5 minutes."
    assert moved_on.notices == [
        "I stopped teaching the new command, and nothing was saved. "
        "Say \u201clearn a new command\u201d to start again."
    ]
    assert not moved_on.expects_answer
    assert say(assistant, "what time is it").notices == []


def test_three_answers_that_do_not_fit_end_the_question(assistant: Assistant) -> None:
    say(assistant, "learn a new command")
    say(assistant, "tea break")
    assert say(assistant, "xqzv").expects_answer
    assert say(assistant, "blorp").expects_answer
    gave_up = say(assistant, "fnord")
    assert gave_up.reply.startswith(
        "Sorry, I still couldn't use that. I stopped teaching \u201ctea break\u201d, and nothing was saved."
    )
    assert not gave_up.expects_answer and gave_up.outcome == "failure"
    assert assistant.teaching.commands() == []
    assert say(assistant, "what time is it").intent == "time.now"


def test_a_good_step_between_bad_answers_keeps_the_question_going(assistant: Assistant) -> None:
    say(assistant, "learn a new command")
    say(assistant, "tea break")
    for text in ("xqzv", "blorp", "set a timer for 4 minutes", "fnord", "zork"):
        assert say(assistant, text).expects_answer, text
    assert "tea break" in say(assistant, "done").reply
    command = assistant.teaching.get_command("tea break")
    assert command is not None and [s.intent for s in command.steps] == ["timer.set"]


def test_step_by_step_stops_taking_steps_at_the_limit(assistant: Assistant) -> None:
    from assistant.teach.flows import MAX_STEPS

    say(assistant, "learn a new command")
    say(assistant, "long one")
    for _ in range(MAX_STEPS):
        say(assistant, "what time is it")
    full = say(assistant, "what time is it")
    assert f"That's {MAX_STEPS} steps, the most one command can have." in full.reply
    say(assistant, "done")
    command = assistant.teaching.get_command("long one")
    assert command is not None and len(command.steps) == MAX_STEPS


def test_a_conversation_of_questions_ends_after_so_many_answers(assistant: Assistant) -> None:
    from assistant.dialogue.manager import MAX_ANSWERS

    say(assistant, "learn a new command")
    say(assistant, "see saw")
    back_and_forth = ("what time is it", "undo last step") * MAX_ANSWERS
    turns = [say(assistant, text) for text in back_and_forth]
    ended = next(i for i, turn in enumerate(turns) if not turn.expects_answer)
    assert ended < MAX_ANSWERS
    assert "I stopped teaching \u201csee saw\u201d" in turns[ended].reply
    assert all("I stopped" not in turn.reply for turn in turns[ended + 1 :])


def test_a_clear_request_ends_the_preference_questions_and_says_so(assistant: Assistant) -> None:
    say(assistant, "learn my preferences")
    turn = say(assistant, "what time is it")
    assert turn.intent == "time.now"
    assert turn.notices == [
        "I stopped asking about your preferences; say \u201clearn my preferences\u201d to carry on."
    ]
    assert "user_name" not in assistant.teaching.preferences()


def test_random_requests_never_keep_a_question_going_for_long(assistant: Assistant) -> None:
    import random

    from assistant.dialogue.manager import MAX_ANSWERS

    chooser = random.Random(18)
    requests = [
        "what time is it",
        "set a timer for 5 minutes",
        "what is 2 plus 2",
        "learn a new command",
        "learn my preferences",
        "add milk to my shopping list",
        "yes",
        "no",
        "call me Sam",
    ]
    longest = run = 0
    for _ in range(300):
        if chooser.random() < 0.5:
            text = chooser.choice(requests)
        else:
            text = "".join(
                chr(chooser.choice([chooser.randint(97, 122), chooser.randint(0x100, 0x2FF)]))
                for _ in range(chooser.randint(1, 12))
            )
        run = run + 1 if say(assistant, text).expects_answer else 0
        longest = max(longest, run)
    assert longest <= MAX_ANSWERS
