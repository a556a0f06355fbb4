"""One turn's trace: what was heard, what each stage made of it, and where it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui.formatting import confidence, handled_by, milliseconds, short_value

if TYPE_CHECKING:
    from assistant.turn import TurnResult


def turn_summary(turn: TurnResult, why: str = "") -> Text:
    """Why (in the assistant's words), then heard / understood as / replied / outcome."""
    text = Text()
    if why:
        text.append("Why         ", style="dim")
        text.append(why, style="italic")
        text.append("\n")
    text.append("Heard       ", style="dim")
    text.append(turn.text or "—")
    if turn.rewritten and turn.rewritten != turn.text:
        text.append("\nRead as     ", style="dim")
        text.append(turn.rewritten)
    text.append("\nUnderstood  ", style="dim")
    text.append(handled_by(turn.intent, turn.source, turn.confidence))
    if turn.slots:
        text.append("  " + short_value(turn.slots, 80), style="dim")
    text.append("\nReplied     ", style="dim")
    text.append(turn.reply or "—")
    text.append("\nOutcome     ", style="dim")
    if turn.failure_stage:
        text.append(f"{turn.outcome} — failed at {turn.failure_stage}", style="bold red")
    else:
        text.append(turn.outcome, style="bold green" if turn.outcome == "success" else "")
    for action in turn.actions:
        text.append("\nAction      ", style="dim")
        text.append(f"{action.name} {short_value(action.args, 50)}")
        if not action.ok:
            text.append(f"  ✗ {action.error or 'failed'}", style="red")
    return text


class TraceView(Vertical):
    """A summary of the turn above a table with one row per stage."""

    DEFAULT_CSS = """
    TraceView { height: 1fr; }
    TraceView > #trace-summary { height: auto; padding: 0 1 1 1; }
    TraceView > DataTable { height: 1fr; }
    """

    turn: TurnResult | None = None
    """The turn on show."""

    def compose(self) -> ComposeResult:
        yield Static("Pick a turn to see why it went the way it did.", id="trace-summary")
        table: DataTable[str | Text] = DataTable(id="trace-stages", cursor_type="row", zebra_stripes=True)
        table.add_columns("Stage", "Input", "Output", "Conf.", "Time", "Result")
        yield table

    def explain(self, turn: TurnResult, why: str) -> None:
        """Add the assistant's own explanation above the summary, once it is worked out."""
        self.query_one("#trace-summary", Static).update(turn_summary(turn, why))

    def show(self, turn: TurnResult | None) -> None:
        """Fill the view with ``turn``'s summary and stages (or clear it)."""
        self.turn = turn
        summary = self.query_one("#trace-summary", Static)
        table = self.query_one("#trace-stages", DataTable)
        table.clear()
        if turn is None:
            summary.update("Pick a turn to see why it went the way it did.")
            return
        summary.update(turn_summary(turn))
        for record in turn.trace.stages:
            result = (
                Text("ok", style="green") if record.ok else Text(f"✗ {record.error or 'failed'}", style="red")
            )
            table.add_row(
                Text(record.stage, style="bold" if not record.ok else ""),
                short_value(record.input, 36),
                short_value(record.output, 44),
                confidence(record.confidence),
                milliseconds(record.ms),
                result,
            )
