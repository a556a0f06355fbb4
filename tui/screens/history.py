"""History: past turns with their trace — the "why did you do that?" view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Input

from tui.formatting import short_value
from tui.screens.base import AssistantScreen
from tui.widgets.trace import TraceView

if TYPE_CHECKING:
    from assistant.turn import TurnResult

OUTCOME_STYLES = {"success": "green", "failure": "red"}


class HistoryScreen(AssistantScreen):
    """Every past turn; choose one to see what each stage made of it."""

    CSS_PATH = "history.tcss"
    AUTO_FOCUS = "#turns-table"
    """Arrow keys move through the turns at once; Ctrl+F searches."""
    BINDINGS = [
        Binding("ctrl+f", "search", "Search"),
        Binding("ctrl+r", "reload", "Reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.turns: list[TurnResult] = []
        self.wanted_turn: int | None = None
        """Turn to select when the list arrives (None: the newest)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history-body"):
            yield Input(placeholder="Search what was said, replied, or the intent", id="history-search")
            yield DataTable(id="turns-table", cursor_type="row", zebra_stripes=True)
            yield TraceView(id="trace")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#turns-table", DataTable)
        table.add_columns("When", "You said", "Understood as", "Outcome", "Reply")
        self.query_one("#trace").border_title = "Why: each stage of the turn"

    def refresh_data(self) -> None:
        from assistant.memory.history import recent_turns

        store = self.assistant.store
        search = self.query_one("#history-search", Input).value.strip() or None

        def read() -> list[TurnResult]:
            return recent_turns(store, 200, search)

        self.background(
            read,
            self._show_turns,
            action="Reading history",
            exclusive=True,
            group="history",
        )

    def turn_added(self) -> None:
        """A turn finished somewhere (typed or spoken): keep the list current while in view."""
        if self.is_current:
            self.refresh_data()

    def select_turn(self, turn_id: int | None) -> None:
        """Show ``turn_id``'s trace (the newest turn's when None) once the screen is in view."""
        self.wanted_turn = turn_id
        self.when_shown(self._apply_wanted)

    def _apply_wanted(self) -> None:
        """Selecting happens when the turns arrive; focus the table for arrow keys."""
        self.query_one("#turns-table", DataTable).focus()

    def _show_turns(self, turns: list[TurnResult]) -> None:
        self.turns = turns
        table = self.query_one("#turns-table", DataTable)
        table.clear()
        time_text = self.assistant_app.time_text
        for turn in turns:
            outcome = turn.outcome + (f" ({turn.failure_stage})" if turn.failure_stage else "")
            # Long requests and replies are cut short here; the trace below has them whole.
            table.add_row(
                time_text(turn.started_at),
                short_value(turn.text, 40),
                turn.intent or Text("—", style="dim"),
                Text(outcome, style=OUTCOME_STYLES.get(turn.outcome, "")),
                short_value(turn.reply, 50),
                key=str(turn.turn_id),
            )
        if not turns:
            self.query_one(TraceView).show(None)
            return
        row = 0
        if self.wanted_turn is not None:
            for index, turn in enumerate(turns):
                if turn.turn_id == self.wanted_turn:
                    row = index
        self.wanted_turn = None
        table.move_cursor(row=row)
        self.show_trace(turns[row])

    @on(DataTable.RowHighlighted, "#turns-table")
    def _turn_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if 0 <= event.cursor_row < len(self.turns):
            self.show_trace(self.turns[event.cursor_row])

    def show_trace(self, turn: TurnResult) -> None:
        """The stages at once; the assistant's explanation as soon as a worker has it."""
        trace = self.query_one(TraceView)
        trace.show(turn)
        learning = self.assistant.learning
        self.background(
            lambda: learning.explain(turn),
            lambda why: trace.explain(turn, why) if trace.turn is turn else None,
            action="Explaining the turn",
            exclusive=True,
            group="why",
        )

    @on(Input.Changed, "#history-search")
    def _search(self, _: Input.Changed) -> None:
        self.refresh_data()

    @on(Input.Submitted, "#history-search")
    def _search_done(self) -> None:
        self.query_one("#turns-table", DataTable).focus()

    def action_search(self) -> None:
        self.query_one("#history-search", Input).focus()

    def action_reload(self) -> None:
        self.refresh_data()
