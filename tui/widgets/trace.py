"""One turn's trace: what was heard, what each stage made of it, and where it failed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui.formatting import confidence, handled_by, milliseconds, short_value

if TYPE_CHECKING:
    from assistant.turn import StageRecord, TurnResult

DETAIL_LIMIT = 400
"""How much of a stage's input and output the line under the stages shows."""


def turn_summary(turn: TurnResult, why: str = "") -> Table:
    """Why (in the assistant's words), then heard / understood as / replied / outcome.

    A two-column grid, so a long line wraps under its value, not under the labels.
    """
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim", no_wrap=True)
    table.add_column(ratio=1)
    if why:
        table.add_row("Why", Text(why, style="italic"))
    table.add_row("Heard", turn.text or "—")
    if turn.rewritten and turn.rewritten != turn.text:
        table.add_row("Read as", turn.rewritten)
    understood = Text(handled_by(turn.intent, turn.source, turn.confidence))
    if turn.slots:
        understood.append("  " + short_value(turn.slots, 80), style="dim")
    table.add_row("Understood", understood)
    table.add_row("Replied", turn.reply or "—")
    if turn.failure_stage:
        outcome = Text(f"{turn.outcome} — failed at {turn.failure_stage}", style="bold red")
    else:
        outcome = Text(turn.outcome, style="bold green" if turn.outcome == "success" else "")
    table.add_row("Outcome", outcome)
    for action in turn.actions:
        line = Text(action.name)
        if action.args:
            line.append(" " + short_value(action.args, 50))
        if not action.ok:
            line.append(f"  ✗ {action.error or 'failed'}", style="red")
        table.add_row("Action", line)
    return table


def stage_detail(record: StageRecord) -> Text:
    """One stage in full (bounded): its input, its output, and its error."""
    text = Text()
    text.append(f"{record.stage}  ", style="bold")
    text.append("in ", style="dim")
    text.append(short_value(record.input, DETAIL_LIMIT))
    text.append("  out ", style="dim")
    text.append(short_value(record.output, DETAIL_LIMIT))
    if not record.ok:
        text.append(f"  ✗ {record.error or 'failed'}", style="red")
    return text


class TraceView(Vertical):
    """A summary of the turn above a table with one row per stage."""

    DEFAULT_CSS = """
    TraceView { height: 1fr; }
    TraceView > #trace-summary { height: auto; padding: 0 1 1 1; }
    TraceView > DataTable { height: 1fr; }
    TraceView > #stage-detail { height: auto; max-height: 4; padding: 0 1; color: $text-muted; }
    """

    turn: TurnResult | None = None
    """The turn on show."""
    why: str = ""
    """The assistant's explanation of that turn, once worked out."""

    def compose(self) -> ComposeResult:
        yield Static("Pick a turn to see why it went the way it did.", id="trace-summary")
        table: DataTable[str | Text] = DataTable(id="trace-stages", cursor_type="row", zebra_stripes=True)
        table.add_columns("Stage", "Input", "Output", "Conf.", "Time", "Result")
        yield table
        yield Static("", id="stage-detail")

    def explain(self, turn: TurnResult, why: str) -> None:
        """Add the assistant's own explanation above the summary, once it is worked out."""
        self.why = why
        self.query_one("#trace-summary", Static).update(turn_summary(turn, why))

    def show(self, turn: TurnResult | None) -> None:
        """Fill the view with ``turn``'s summary and stages (or clear it)."""
        self.turn = turn
        self.why = ""
        summary = self.query_one("#trace-summary", Static)
        table = self.query_one("#trace-stages", DataTable)
        table.clear()
        self.query_one("#stage-detail", Static).update("")
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
        self._show_stage(0)

    @on(DataTable.RowHighlighted, "#trace-stages")
    def _stage_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_stage(event.cursor_row)

    def _show_stage(self, row: int) -> None:
        """The stage under the cursor whole, under the table (the table cuts it short)."""
        stages = self.turn.trace.stages if self.turn is not None else []
        detail = self.query_one("#stage-detail", Static)
        detail.update(stage_detail(stages[row]) if 0 <= row < len(stages) else "")
