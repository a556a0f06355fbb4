"""The settings screen offers the trained wake phrases and refuses a phrase its engine cannot hear."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from assistant.config import Home
from tests.tui.helpers import make_app, running, settings_opened, wait_for


async def test_a_suggested_phrase_fills_the_wake_phrase_and_is_saved(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settings_opened(pilot)
        phrase = app.screen.query_one("#setting-wake_phrase", Input)
        await wait_for(pilot, lambda: phrase.value == "hey computer")
        app.screen.query_one("#wake-phrase-choice", Select).value = "okay nabu"
        await wait_for(pilot, lambda: phrase.value == "okay nabu")
        app.screen.query_one("#setting-wake_engine", Select).value = "microwakeword"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: home.settings_file.exists())
    saved = json.loads(home.settings_file.read_text(encoding="utf-8"))
    assert (saved["wake_phrase"], saved["wake_engine"]) == ("okay nabu", "microwakeword")


async def test_a_trained_engine_with_a_phrase_it_has_no_model_for_is_refused(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await settings_opened(pilot)
        phrase = app.screen.query_one("#setting-wake_phrase", Input)
        await wait_for(pilot, lambda: phrase.value == "hey computer")
        app.screen.query_one("#setting-wake_engine", Select).value = "openwakeword"
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: any('no model for "hey computer"' in n.message for n in app._notifications)
        )
        assert running(app).settings.wake_engine == "auto"
    assert not home.settings_file.exists()
