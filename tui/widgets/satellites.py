"""The satellites the assistant serves (microphones and speakers in other rooms), with their state."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from assistant.events import SatelliteChanged
from tui.formatting import retry_text

STATE_STYLES = {
    "connecting": ("connecting…", "yellow"),
    "connected": ("connected", "cyan"),
    "listening": ("listening", "green"),
    "thinking": ("thinking", "yellow"),
    "speaking": ("speaking", "magenta"),
    "unreachable": ("unreachable", "red"),
}
"""state → (what the panel says, the colour of its dot)."""


class SatellitesPanel(Static):
    """One entry per satellite, updated from its ``SatelliteChanged`` events; hidden while there
    are none (no satellites in the settings)."""

    DEFAULT_CSS = """
    SatellitesPanel { height: auto; padding: 0 1; display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.satellites: dict[str, SatelliteChanged] = {}
        """By address, in the order they first reported."""
        self.border_title = "Satellites"

    def show(self, event: SatelliteChanged, now: float) -> None:
        """Apply one satellite's new state."""
        self.satellites[event.uri] = event
        self.display = True
        self.redraw(now)

    def redraw(self, now: float) -> None:
        """Redraw (the main screen calls this every second, for the retry countdown)."""
        if self.satellites:
            self.update(self.describe(now))

    def describe(self, now: float) -> Text:
        text = Text()
        for index, satellite in enumerate(self.satellites.values()):
            if index:
                text.append("\n")
            label, colour = STATE_STYLES.get(satellite.state, (satellite.state, "grey50"))
            text.append("● ", style=colour)
            text.append(satellite.name or satellite.uri, style="bold")
            if satellite.area and satellite.area != satellite.name:
                text.append(f" ({satellite.area})")
            text.append(f"\n   {label}")
            if satellite.state == "unreachable":
                if satellite.detail:
                    text.append(f": {satellite.detail}", style="dim")
                text.append(f"\n   {retry_text(satellite.retry_at, now)}", style="dim")
        return text
