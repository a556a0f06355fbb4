"""The Textual app: the assistant's terminal UI.

The app only shows and asks. It builds the same ``Assistant`` the CLI uses
(in a worker, so the window appears at once), forwards bus events onto the
UI thread, and calls the assistant's services from thread workers.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from assistant import events
from tui.background import run_in_thread, user_message
from tui.bridge import BusEvent, forwarder
from tui.formatting import clock_time
from tui.messages import EditTaught, ShowTurn, TurnAdded, WakePhraseChanged
from tui.screens.base import AssistantScreen
from tui.screens.help import HelpScreen
from tui.screens.history import HistoryScreen
from tui.screens.insights import InsightsScreen
from tui.screens.main import MainScreen
from tui.screens.memory import MemoryScreen
from tui.screens.settings import SettingsScreen
from tui.screens.teach import TeachScreen
from tui.voice import VoiceRunner

if TYPE_CHECKING:
    from assistant.core import Assistant

log = logging.getLogger(__name__)

SCREEN_TITLES: dict[str, str] = {
    "talk": "Talk",
    "teach": "Teach",
    "memory": "Memory",
    "history": "History",
    "settings": "Plug-ins & settings",
    "insights": "Insights",
}
"""Mode name -> the title shown in the header and the command palette."""

LIGHT_THEME = "textual-light"
DARK_THEME = "textual-dark"


class AssistantReady(Message):
    """The assistant finished starting."""

    def __init__(self, assistant: Assistant) -> None:
        super().__init__()
        self.assistant = assistant


class AssistantFailed(Message):
    """The assistant could not start; ``text`` says why."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class AssistantApp(App[int]):
    """Talk, teach, review and configure the desk assistant."""

    CSS_PATH = "app.tcss"
    TITLE = "Desk assistant"
    BINDINGS = [
        Binding("f1", "help", "Help", priority=True),
        Binding("f2", "go('talk')", "Talk", priority=True),
        Binding("f3", "go('teach')", "Teach", priority=True),
        Binding("f4", "go('memory')", "Memory", priority=True),
        Binding("f5", "go('history')", "History", priority=True),
        Binding("f6", "go('settings')", "Plug-ins", priority=True),
        Binding("f7", "go('insights')", "Insights", priority=True),
        Binding("ctrl+t", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        home: str | None = None,
        *,
        opener: Callable[[], Assistant] | None = None,
        voice: bool = True,
        timers: bool = True,
        time_text: Callable[[float], str] = clock_time,
    ) -> None:
        """``opener`` builds the assistant (default: ``open_assistant(home)``);
        ``voice``/``timers`` start the voice loop and the timer scheduler;
        ``time_text`` formats timestamps (tests fix it for snapshots)."""
        super().__init__()
        self.home = home
        self._opener = opener
        self.voice_enabled = voice
        self.timers_enabled = timers
        self.time_text = time_text
        self.assistant: Assistant | None = None
        self.talk_screen = MainScreen()
        self.history_screen = HistoryScreen()
        self.teach_screen = TeachScreen()
        self.memory_screen = MemoryScreen()
        self.settings_screen = SettingsScreen()
        self.insights_screen = InsightsScreen()
        self.voice = VoiceRunner(self, self._show_voice_status)
        self._unsubscribe: Callable[[], None] | None = None
        self._understood: events.Understood | None = None
        for mode, screen in self.mode_screens().items():
            self.add_mode(mode, _returning(screen))

    def mode_screens(self) -> dict[str, AssistantScreen]:
        return {
            "talk": self.talk_screen,
            "teach": self.teach_screen,
            "memory": self.memory_screen,
            "history": self.history_screen,
            "settings": self.settings_screen,
            "insights": self.insights_screen,
        }

    # --- starting and stopping ----------------------------------------

    def on_mount(self) -> None:
        self.sub_title = "starting…"
        self.switch_mode("talk")
        run_in_thread(self, self._open, action="Starting the assistant", on_error=self._failed)

    def _open(self) -> None:
        if self._opener is not None:
            assistant = self._opener()
        else:
            from assistant.core import open_assistant

            assistant = open_assistant(self.home)
        self.post_message(AssistantReady(assistant))

    def _failed(self, error: BaseException) -> None:
        self.post_message(AssistantFailed(user_message(error, "Starting the assistant")))

    def on_assistant_ready(self, message: AssistantReady) -> None:
        assistant = message.assistant
        self.assistant = assistant
        self.sub_title = SCREEN_TITLES["talk"]
        theme = assistant.settings.theme
        if theme in self.available_themes:
            self.theme = theme
        self._unsubscribe = assistant.bus.subscribe(forwarder(self))
        if self.timers_enabled:
            self._start_background(assistant)
        self.talk_screen.assistant_ready()
        self._report_failed_plugins(assistant)
        # the satellites are served with or without our own microphone, as by `serve --no-voice`
        self.voice.start(assistant, listen=self.voice_enabled)
        if not self.voice_enabled:
            self.talk_screen.status.show("voice-off", "started without the voice loop")

    def _report_failed_plugins(self, assistant: Assistant) -> None:
        """A plug-in that did not load (broken, or refused as unsafe) is said once at start,
        not only on F6."""
        failed = [s.name for s in assistant.plugin_statuses if s.status in ("failed", "refused")]
        if not failed:
            return
        names = ", ".join(failed)
        noun = "A plug-in" if len(failed) == 1 else f"{len(failed)} plug-ins"
        self.notify(
            f"{noun} could not load: {names}. Plug-ins & settings (F6) shows why.",
            title="Plug-ins",
            severity="warning",
            timeout=10,
        )

    def on_assistant_failed(self, message: AssistantFailed) -> None:
        self.sub_title = "could not start"
        self.talk_screen.startup_failed(message.text)

    def _start_background(self, assistant: Assistant) -> None:
        """Timers go off while the UI runs, and scripts reach it through the local API."""
        problem = assistant.start_background(api=True)
        if problem:
            self.notify(problem, severity="warning")

    def on_unmount(self) -> None:
        self.voice.stop()
        if self.assistant is not None:
            self.assistant.close()
        if self._unsubscribe is not None:
            self._unsubscribe()

    def _show_voice_status(self, state: str, detail: str, engines: str) -> None:
        status = self.talk_screen.status
        status.engines = engines
        if state:
            status.show(state, detail)

    # --- events from the assistant ------------------------------------

    def on_bus_event(self, message: BusEvent) -> None:
        """Show what the voice loop, timers and plug-ins report."""
        event = message.event
        talk = self.talk_screen
        if isinstance(event, events.StatusChanged):
            talk.status.show(event.state, event.detail, event.level)
        elif isinstance(event, events.PartialTranscript):
            talk.status.partial = event.text
        elif isinstance(event, events.Transcript):
            talk.status.partial = ""
            if event.text:
                talk.add_entry("user", event.text, meta="spoken")
        elif isinstance(event, events.Understood):
            self._understood = event
        elif isinstance(event, events.Reply):
            talk.add_reply(event.text, self._understood)
            self._understood = None
        elif isinstance(event, events.SatelliteChanged):
            talk.satellite_changed(event)
        elif isinstance(event, events.TimerFired):
            if not event.missed:  # missed ones come together in one "While you were away" notice
                self._announce_timer(event)
        elif isinstance(event, events.Notice):
            severity = (
                event.severity if event.severity in ("information", "warning", "error") else "information"
            )
            self.notify(event.text, severity=severity)  # type: ignore[arg-type]
            talk.add_entry("notice", event.text)
        elif isinstance(event, events.Error):
            title = f"Problem in {event.stage}" if event.stage else "Problem"
            self.notify(event.text, title=title, severity="error", timeout=8)
            talk.add_entry("error", event.text)

    def _announce_timer(self, event: events.TimerFired) -> None:
        """Notice + log line, in the same words the assistant says aloud."""
        assistant = self.assistant
        if assistant is None:
            return

        def words() -> str:
            from assistant.memory.timers import TimerRepository
            from assistant.skills.scheduler import announcement

            try:
                return announcement(TimerRepository(assistant.store).get(event.timer_id))
            except KeyError:
                return timer_text(event)

        def show(text: str) -> None:
            self.notify(text, title=event.kind.capitalize(), timeout=10)
            self.talk_screen.add_entry("timer", text)
            self.talk_screen.refresh_timers()

        run_in_thread(self, words, show, action="Announcing a timer")

    # --- navigation -----------------------------------------------------

    def action_go(self, mode: str) -> None:
        """Switch to one of the five screens (only Talk while starting)."""
        if mode != "talk" and self.assistant is None:
            self.notify("Still starting — one moment.", severity="warning")
            return
        if self.current_mode != mode:
            self.switch_mode(mode)
        self.sub_title = SCREEN_TITLES[mode]

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def voice_status(self) -> tuple[str, str]:
        return self.voice.state, self.voice.detail

    # --- what screens ask for -------------------------------------------

    def on_turn_added(self, message: TurnAdded) -> None:
        self.history_screen.turn_added()

    def on_show_turn(self, message: ShowTurn) -> None:
        """Open History on one turn (the newest when ``turn_id`` is None)."""
        if self.assistant is None:
            return
        self.history_screen.select_turn(message.turn_id)
        self.action_go("history")

    def on_edit_taught(self, message: EditTaught) -> None:
        self.action_go("teach")
        teach = self.teach_screen
        if message.kind == "command":
            teach.edit_command(message.key)
        elif message.kind == "alias":
            teach.edit_alias(message.key, message.meaning)
        else:
            teach.edit_preference(message.key, message.meaning)

    def on_wake_phrase_changed(self, message: WakePhraseChanged) -> None:
        self.talk_screen.status.wake_phrase = message.phrase

    def action_toggle_theme(self) -> None:
        """Switch light/dark and remember it in the settings."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME
        assistant = self.assistant
        if assistant is None:
            return
        chosen = self.theme

        def save() -> None:
            assistant.settings.theme = chosen
            assistant.settings.save(assistant.home)

        run_in_thread(self, save, action="Saving the theme")

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every screen, "why?", help and the theme."""
        for mode, title in SCREEN_TITLES.items():
            yield SystemCommand(f"Go to {title}", f"Open the {title} screen", self._go_callback(mode))
        yield SystemCommand(
            "Why did you do that?",
            "Open the last turn's trace in History",
            lambda: self.post_message(ShowTurn(None)),
        )
        yield SystemCommand("What can I say?", "Help: keys and example requests", self.action_help)
        yield SystemCommand("Toggle light/dark theme", "Remembered in the settings", self.action_toggle_theme)
        yield from super().get_system_commands(screen)

    def _go_callback(self, mode: str) -> Callable[[], None]:
        return lambda: self.action_go(mode)


def _returning(screen: AssistantScreen) -> Callable[[], AssistantScreen]:
    """Modes take a factory; each mode keeps one screen instance for the app's life."""
    return lambda: screen


def timer_text(event: events.TimerFired) -> str:
    """What the log says when a timer, alarm or reminder goes off."""
    if event.kind == "reminder":
        return f"Reminder: {event.message}" if event.message else "Here's your reminder."
    if event.label:
        return (
            f"Your {event.label} {event.kind} is done."
            if event.kind == "timer"
            else (f"Your {event.label} {event.kind} is going off.")
        )
    return "Time's up!" if event.kind == "timer" else "Your alarm is going off."


def run_app(home: str | None = None) -> int:
    """Run the UI until the user quits; the ``assistant`` command calls this."""
    app = AssistantApp(home)
    with console_logging_paused():
        result = app.run()
    return int(result or 0)


@contextmanager
def console_logging_paused() -> Iterator[list[logging.StreamHandler[Any]]]:
    """Keep log lines off the screen while the UI draws it.

    The CLI logs warnings to the terminal; a log line (or a traceback) written
    there while Textual owns the screen scribbles over it. The log file keeps
    everything, and problems reach the user as notices.
    """
    root = logging.getLogger()
    terminals = {sys.stderr, sys.stdout, sys.__stderr__, sys.__stdout__}
    paused = [
        handler
        for handler in root.handlers
        if isinstance(handler, logging.StreamHandler)
        and not isinstance(handler, logging.FileHandler)
        and handler.stream in terminals
    ]
    for handler in paused:
        root.removeHandler(handler)
    try:
        yield paused
    finally:
        for handler in paused:
            root.addHandler(handler)
