"""What every screen of the app shares: the running assistant and background calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, TypeVar, runtime_checkable

from textual.screen import Screen
from textual.worker import Worker

from tui.background import run_in_thread

if TYPE_CHECKING:
    from assistant.core import Assistant

T = TypeVar("T")


@runtime_checkable
class AssistantHost(Protocol):
    """What screens read from the app they run in (``tui.app.AssistantApp``)."""

    assistant: Assistant | None

    def time_text(self, timestamp: float) -> str: ...

    def voice_status(self) -> tuple[str, str]:
        """The state and detail the voice runner set itself (empty while the loop reports)."""
        ...


class AssistantScreen(Screen[None]):
    """A screen that reads and changes the assistant through its services, off the UI thread."""

    def __init__(self) -> None:
        super().__init__()
        self._pending: list[Callable[[], None]] = []

    @property
    def assistant_app(self) -> AssistantHost:
        app = self.app
        if not isinstance(app, AssistantHost):
            raise TypeError("This screen belongs to the assistant's app.")
        return app

    @property
    def assistant(self) -> Assistant:
        """The running assistant; screens other than Talk open only once it is ready."""
        assistant = self.assistant_app.assistant
        if assistant is None:
            raise RuntimeError("The assistant is still starting.")
        return assistant

    def background(
        self,
        call: Callable[[], T],
        on_done: Callable[[T], None] | None = None,
        *,
        action: str,
        exclusive: bool = False,
        group: str = "assistant",
        on_error: Callable[[BaseException], None] | None = None,
    ) -> Worker[None]:
        """Run ``call`` in a thread; see :func:`tui.background.run_in_thread`."""
        return run_in_thread(
            self, call, on_done, action=action, exclusive=exclusive, group=group, on_error=on_error
        )

    def when_shown(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now if the screen is in view, else as soon as it is."""
        if self.is_current:
            callback()
        else:
            self._pending.append(callback)

    def on_screen_resume(self) -> None:
        """Screens show fresh data every time they come into view."""
        if self.assistant_app.assistant is not None:
            self.refresh_data()
        pending, self._pending = self._pending, []
        for callback in pending:
            callback()

    def refresh_data(self) -> None:
        """Reload what the screen shows from the assistant (overridden by screens)."""
