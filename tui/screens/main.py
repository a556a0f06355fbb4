"""Talk: the conversation, the voice loop's status, timers, and a typed input."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Header, Input, Static

from assistant.dialogue.codes import masked
from tui.bridge import UI_SESSION
from tui.formatting import handled_by
from tui.messages import ShowTurn, TurnAdded
from tui.screens.base import AssistantScreen
from tui.widgets.conversation import ConversationLog
from tui.widgets.satellites import SatellitesPanel
from tui.widgets.status import LoopStatus
from tui.widgets.timers import RunningTimer, TimersPanel

if TYPE_CHECKING:
    from assistant.events import SatelliteChanged, Understood
    from assistant.turn import TurnResult

TIPS = (
    "Try:\n"
    "  what time is it\n"
    "  set a timer for 5 minutes\n"
    "  remind me to stretch in 1 hour\n\n"
    "F1 shows everything you can say."
)


class MainScreen(AssistantScreen):
    """The conversation with the assistant; typing a request works exactly like saying it."""

    CSS_PATH = "main.tcss"
    BINDINGS = [
        Binding("ctrl+y", "why", "Why?"),
        Binding("escape", "focus_input", "Type", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoopStatus(id="status")
        with Horizontal(id="talk-body"):
            yield ConversationLog(id="conversation")
            with Vertical(id="sidebar"):
                yield TimersPanel(id="timers")
                yield SatellitesPanel(id="satellites")
                yield Static(TIPS, id="tips")
        yield Input(placeholder="Starting…", id="request", disabled=True)
        yield Footer(compact=True)

    @property
    def status(self) -> LoopStatus:
        return self.query_one(LoopStatus)

    @property
    def satellites(self) -> SatellitesPanel:
        return self.query_one(SatellitesPanel)

    @property
    def conversation(self) -> ConversationLog:
        return self.query_one(ConversationLog)

    def on_mount(self) -> None:
        self.query_one("#sidebar").border_title = "Timers & reminders"
        self.set_interval(1.0, self.refresh_timers)
        self.set_interval(1.0, lambda: self.satellites.redraw(self._now()))

    # --- starting -------------------------------------------------------

    def assistant_ready(self) -> None:
        """Enable the input once the assistant runs."""
        request = self.query_one("#request", Input)
        request.disabled = False
        request.placeholder = "Type a request, as you would say it, and press Enter"
        request.focus()
        self.status.wake_phrase = self.assistant.settings.wake_phrase
        self.status.show("idle")
        self.refresh_timers()

    def startup_failed(self, text: str) -> None:
        self.status.show("failed")
        self.add_entry("error", f"The assistant could not start. {text}")
        self.query_one("#request", Input).placeholder = "The assistant could not start (see above)."

    # --- the conversation ----------------------------------------------

    def add_entry(self, kind: str, text: str, meta: str = "", turn_id: int | None = None) -> None:
        when = self.assistant_app.time_text(self._now())
        self.conversation.add(kind, text, when, meta, turn_id)

    def add_reply(self, text: str, understood: Understood | None = None) -> None:
        """A reply that came over the bus (voice turns, announcements)."""
        meta = ""
        if understood is not None:
            meta = handled_by(understood.intent, understood.source, understood.confidence)
        self.add_entry("assistant", text, meta)
        if understood is not None:
            self.post_message(TurnAdded())

    def show_turn(self, turn: TurnResult) -> None:
        """The result of a typed turn: reply, who handled it, and its notices."""
        meta = handled_by(turn.intent, turn.source, turn.confidence)
        if turn.rewritten and turn.rewritten != turn.text:
            meta += f" · read as “{turn.rewritten}”"
        self.add_entry("assistant", turn.reply or "(no reply)", meta, turn.turn_id)
        # A code asked for is typed hidden and shown masked (the assistant keeps it masked too).
        self.query_one("#request", Input).password = turn.expects_code
        for notice in turn.notices:
            self.add_entry("notice", notice)
        if self.status.state == "thinking":
            self.status.show("idle")
        self.refresh_timers()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "request":
            return
        text = event.value.strip()
        event.input.value = ""
        if not text or self.assistant_app.assistant is None:
            return
        self.add_entry("user", masked(text, event.input.password), meta="typed")
        event.input.password = False
        previous_state = self.status.state
        if previous_state in ("idle", "voice-off", "no-audio", "listening"):
            self.status.show("thinking")
        assistant = self.assistant
        self.background(
            lambda: assistant.handle_text(text, UI_SESSION),
            self._typed_turn_done,
            action="Handling your request",
        )

    def _typed_turn_done(self, turn: TurnResult) -> None:
        self.show_turn(turn)
        self.post_message(TurnAdded())
        state, detail = self.assistant_app.voice_status()
        if self.status.state == "idle" and state:
            self.status.show(state, detail)

    def satellite_changed(self, event: SatelliteChanged) -> None:
        self.satellites.show(event, self._now())

    # --- timers ---------------------------------------------------------

    def _now(self) -> float:
        assistant = self.assistant_app.assistant
        if assistant is not None:
            return float(assistant.clock.now())
        import time

        return time.time()

    def refresh_timers(self) -> None:
        """Re-read the active timers (in a worker) and redraw the countdowns."""
        if self.assistant_app.assistant is None:
            return
        assistant = self.assistant

        def fetch() -> tuple[list[RunningTimer], float]:
            from assistant.memory.timers import TimerRepository

            rows = TimerRepository(assistant.store).active()
            now = float(assistant.clock.now())
            running = [
                RunningTimer(t.id, t.kind, t.message or t.label, t.due_at, t.duration_seconds) for t in rows
            ]
            return running, now

        self.background(fetch, self._show_timers, action="Reading timers", exclusive=True, group="timers")

    def _show_timers(self, result: tuple[list[RunningTimer], float]) -> None:
        timers, now = result
        self.query_one(TimersPanel).show(timers, now)

    # --- actions ----------------------------------------------------------

    def action_why(self) -> None:
        """Open History on the last turn: "why did you do that?"."""
        self.post_message(ShowTurn(self.conversation.last_turn_id()))

    def action_focus_input(self) -> None:
        self.query_one("#request", Input).focus()
