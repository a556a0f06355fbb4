"""The Talk screen lists the satellites of the settings with their live state: a real
wyoming-satellite (a WAV file its microphone) that answers, is killed and comes back."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region

from assistant.config import Home, Settings
from tests.speechgen import StreamBuilder
from tests.tui.helpers import make_app, started, wait_for
from tests.wyoming import peers
from tui.widgets.satellites import SatellitesPanel


def shown_text(panel: SatellitesPanel) -> str:
    """What the panel shows, its top border (the title) included."""
    return "\n".join(line.text for line in panel.render_lines(Region(0, 0, *panel.region.size)))


async def test_the_satellite_panel_is_hidden_without_satellites(home: Home) -> None:
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await started(pilot)
        await pilot.pause(0.5)
        assert not app.talk_screen.satellites.display


async def test_the_satellite_panel_follows_a_satellite_through_a_turn_a_loss_and_its_return(
    home: Home, tmp_path: Path
) -> None:
    mic = StreamBuilder().pause(1.0).say("hey computer").pause(0.3).say("what time is it").pause(2.0)
    wav, go, speaker = mic.save(tmp_path / "mic.wav", noise=0.002), tmp_path / "go", tmp_path / "spk.raw"
    kitchen = peers.satellite(tmp_path, wav, go, speaker, "kitchen").start()
    Settings(satellites=kitchen.uri, follow_up_seconds=0.0, wyoming_retry_seconds=1.0).save(home)
    app = make_app(home)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await started(pilot)
            panel = app.talk_screen.satellites

            def shows(*words: str) -> bool:
                text = shown_text(panel)
                return all(word in text for word in words)

            await wait_for(pilot, lambda: shows("kitchen", "connected"))
            assert panel.display
            go.touch()  # "hey computer, what time is it"
            await wait_for(pilot, lambda: shows("kitchen", "speaking"))
            await wait_for(pilot, lambda: shows("kitchen", "connected"))  # the reply played, waiting again

            kitchen.stop()  # SIGKILL: the connection breaks
            await wait_for(pilot, lambda: shows("kitchen", "unreachable", "trying again"))
            [state] = panel.satellites.values()
            assert state.detail  # the reason is shown, not only the word
            assert state.detail.split()[0] in shown_text(panel)

            kitchen.start()
            await wait_for(pilot, lambda: shows("kitchen", "connected"))
            assert "unreachable" not in shown_text(panel)
    finally:
        kitchen.stop()
