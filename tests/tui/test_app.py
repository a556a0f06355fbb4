"""The terminal UI driven like a user would, on the real assistant in a temporary home."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import DataTable, Input, TextArea

from assistant.config import Home
from assistant.dialogue.codes import MASK
from tests.tui.helpers import entries, make_app, running, say, settings_opened, shown_text, started, wait_for
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.memory import MemoryScreen
from tui.screens.settings import SettingsScreen
from tui.screens.teach import TeachScreen
from tui.widgets.trace import TraceView


async def test_typed_request_shows_the_reply_and_who_handled_it(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        reply = await say(pilot, "square root of 81")
        assert "9" in reply.text
        assert "calculator.square_root" in str(reply.render())
        assert [entry.text for entry in entries(app, "user")] == ["square root of 81"]


async def test_a_command_taught_in_teach_works_from_the_main_input(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, TeachScreen))
        teach = app.screen
        teach.query_one("#command-name", Input).value = "roots"
        teach.query_one("#command-triggers", TextArea).text = "do the roots"
        teach.query_one("#command-steps", TextArea).text = "square root of 81\nsquare root of 16"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: [c.name for c in running(app).teaching.commands()] == ["roots"])
        await pilot.press("f2")
        reply = await say(pilot, "do the roots")
        assert "9" in reply.text and "4" in reply.text
        assert "custom.roots" in str(reply.render())


async def test_teach_shows_validation_errors_without_saving(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, TeachScreen))
        app.screen.query_one("#command-name", Input).value = "nothing"
        await pilot.press("ctrl+s")
        check = app.screen.query_one("#command-check")
        await wait_for(pilot, lambda: check.has_class("error"))
        assert running(app).teaching.commands() == []


async def test_try_a_phrase_shows_what_it_would_do(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f3")
        await wait_for(pilot, lambda: isinstance(app.screen, TeachScreen))
        phrase = app.screen.query_one("#try-phrase", Input)
        phrase.focus()
        phrase.value = "set a timer for 5 minutes"
        await pilot.press("enter")
        result = app.screen.query_one("#try-result")
        await wait_for(pilot, lambda: "→" in str(result.render()))
        assert running(app).store.db["timers"].count == 0


async def test_a_command_deleted_in_memory_is_gone(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        running(app).teaching.save_command("roots", ["do the roots"], ["square root of 81"])
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryScreen))
        table = app.screen.query_one("#memory-table", DataTable)
        await wait_for(pilot, lambda: "command:roots" in [key.value for key in table.rows])
        table.focus()
        table.move_cursor(row=[key.value for key in table.rows].index("command:roots"))
        await pilot.press("delete")
        await wait_for(pilot, lambda: running(app).teaching.commands() == [])
        await wait_for(pilot, lambda: "command:roots" not in [key.value for key in table.rows])
        await pilot.press("f2")
        reply = await say(pilot, "do the roots")
        assert "custom.roots" not in str(reply.render())


async def test_a_change_undone_in_memory_comes_back(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        running(app).teaching.save_alias("lights out", "what time is it")
        running(app).teaching.delete_alias("lights out")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryScreen))
        changes = app.screen.query_one("#changes-table", DataTable)
        await wait_for(pilot, lambda: changes.row_count == 2)
        changes.focus()
        changes.move_cursor(row=0)
        await pilot.press("ctrl+z")
        await wait_for(pilot, lambda: [a.phrase for a in running(app).teaching.aliases()] == ["lights out"])
        table = app.screen.query_one("#memory-table", DataTable)
        await wait_for(pilot, lambda: "alias:lights out" in [key.value for key in table.rows])


async def test_memory_exports_to_a_json_file(home: Home, tmp_path: Path) -> None:
    app = make_app(home)
    target = tmp_path / "export.json"
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        running(app).teaching.save_alias("lights out", "what time is it")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryScreen))
        app.screen.query_one("#transfer-path", Input).value = str(target)
        await pilot.click("#memory-export")
        await wait_for(pilot, target.exists)
    assert "lights out" in json.dumps(json.loads(target.read_text(encoding="utf-8")))


async def test_why_opens_the_last_turn_trace_in_history(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await say(pilot, "square root of 81")
        await pilot.press("ctrl+y")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        trace = app.screen.query_one(TraceView)
        await wait_for(pilot, lambda: trace.turn is not None)
        assert trace.turn is not None
        assert trace.turn.text == "square root of 81"
        stages = trace.query_one("#trace-stages", DataTable)
        assert stages.row_count == len(trace.turn.trace.stages) > 0


async def test_a_broken_plugin_is_shown_with_its_error(home: Home) -> None:
    (home.plugins_dir / "broken.py").write_text("def oops(:\n", encoding="utf-8")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        assert any("broken" in note.message and "F6" in note.message for note in app._notifications)
        await pilot.press("f6")
        await wait_for(pilot, lambda: isinstance(app.screen, SettingsScreen))
        table = app.screen.query_one("#plugins-table", DataTable)
        await wait_for(pilot, lambda: table.row_count > 0)
        # Installed plug-ins (Home Assistant's, not connected here) are listed too.
        rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
        row = next(row for row in rows if row[0] == "broken")
        assert row[1] == "failed"
        assert "line 1" in row[2] or "Syntax" in row[2]


async def test_settings_are_saved(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settings_opened(pilot)
        phrase = app.screen.query_one("#setting-wake_phrase", Input)
        await wait_for(pilot, lambda: phrase.value == "hey computer")
        phrase.value = "hello desk"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: home.settings_file.exists())
    assert json.loads(home.settings_file.read_text(encoding="utf-8"))["wake_phrase"] == "hello desk"


async def test_the_settings_screen_refuses_what_config_set_refuses(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settings_opened(pilot)
        sensitivity = app.screen.query_one("#setting-wake_sensitivity", Input)
        await wait_for(pilot, lambda: sensitivity.value == "0.5")
        app.screen.query_one("#setting-wake_phrase", Input).value = "hello desk"
        sensitivity.value = "2"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: any(
                "wake_sensitivity must be a number from 0 to 1" in n.message for n in app._notifications
            ),
        )
        assert running(app).settings.wake_phrase == "hey computer"  # nothing changed
    assert not home.settings_file.exists()


async def test_a_timer_missed_while_nothing_ran_is_told_once_at_start(home: Home) -> None:
    import time

    from assistant.memory.store import Store
    from assistant.memory.timers import TimerRepository

    store = Store(home.database_file)
    TimerRepository(store).create("timer", time.time() - 3600, now=time.time() - 4000, label="pasta")
    store.close()
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await wait_for(pilot, lambda: entries(app, "notice"))
        [notice] = [e.text for e in entries(app, "notice") if "away" in e.text]
        assert notice.startswith("While you were away, your pasta timer went off at ")
        assert entries(app, "timer") == []  # told once, in the notice, not also as "done"
        await say(pilot, "what time is it")
        assert len([e for e in entries(app, "notice") if "away" in e.text]) == 1


async def test_a_timer_counts_down_and_its_firing_is_announced(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await say(pilot, "set a timer for 2 seconds")
        panel = app.talk_screen.query_one("#timers")
        await wait_for(pilot, lambda: "left" in str(panel.render()))
        await wait_for(pilot, lambda: entries(app, "timer"))
        assert any(note.title == "Timer" for note in app._notifications)
        assert "2-second" in entries(app, "timer")[0].text
        await wait_for(pilot, lambda: "Nothing running" in str(panel.render()))


async def test_help_lists_what_you_can_say(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert "square root of 81" in shown_text(app.screen.query_one("#what-can-i-say"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))


async def test_theme_toggle_is_remembered(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+t")
        await wait_for(pilot, lambda: home.settings_file.exists())
    assert json.loads(home.settings_file.read_text(encoding="utf-8"))["theme"] == "textual-light"


async def test_a_broken_settings_file_is_explained_not_a_traceback(home: Home) -> None:
    home.settings_file.write_text("{not json", encoding="utf-8")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: entries(app, "error"))
        assert "settings.json" in entries(app, "error")[0].text
        assert app.talk_screen.query_one("#request").disabled


async def test_the_command_palette_opens_each_screen(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"go to history")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))


async def test_enter_in_memory_search_goes_to_the_results(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        running(app).teaching.save_alias("lights out", "what time is it")
        await pilot.press("f4")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoryScreen))
        await pilot.press("ctrl+f")
        await pilot.press(*"lights", "enter")
        table = app.screen.query_one("#memory-table", DataTable)
        await wait_for(pilot, lambda: app.focused is table)
        detail = app.screen.query_one("#memory-detail")
        await wait_for(pilot, lambda: "lights out" in shown_text(detail))


async def test_history_opens_with_the_turns_focused(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await say(pilot, "square root of 81")
        await pilot.press("f5")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen))
        await wait_for(pilot, lambda: app.focused is app.screen.query_one("#turns-table"))


def test_log_lines_stay_off_the_screen_while_the_ui_runs() -> None:
    import logging
    import sys

    from tui.app import console_logging_paused

    root = logging.getLogger()
    console = logging.StreamHandler(sys.stderr)
    root.addHandler(console)
    try:
        with console_logging_paused() as paused:
            assert console in paused and console not in root.handlers
        assert console in root.handlers
    finally:
        root.removeHandler(console)


SAFE_PLUGIN = """
from assistant.plugins.api import ActionResult, Plugin, SkillError

plugin = Plugin("safe", description="A safe with a code.")


@plugin.intent("safe.open", sentences=["open the safe"])
def open_safe(request, context):
    if request.code is None:
        return ActionResult(speech="What's the code for the safe?", asks_code=True)
    if request.code != "2468":
        raise SkillError("That code is wrong.")
    return "The safe is open."
"""


async def test_a_code_asked_for_is_typed_hidden_and_shown_masked(home: Home) -> None:
    (home.plugins_dir / "safe.py").write_text(SAFE_PLUGIN, encoding="utf-8")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        request = app.talk_screen.query_one("#request", Input)
        assert (await say(pilot, "open the safe")).text == "What's the code for the safe?"
        assert request.password  # hidden while typed
        assert (await say(pilot, "2 4 6 8")).text == "The safe is open."
        assert not request.password
        await say(pilot, "open the safe with code 2468")
        assert [entry.text for entry in entries(app, "user")] == [
            "open the safe",
            MASK,
            f"open the safe with code {MASK}",
        ]
