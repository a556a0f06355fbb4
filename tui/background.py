"""Running assistant calls off the UI thread and turning failures into notices.

Every call into the assistant (a turn, teaching, settings, models) goes
through :func:`run_in_thread`: the call runs in a Textual thread worker, its
result comes back on the UI thread, and an exception becomes a readable
``notify(severity="error")`` while the details go to the log file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from textual.dom import DOMNode
from textual.worker import Worker

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")


def is_user_error(error: BaseException) -> bool:
    """The assistant's and the UI's own exceptions carry a message meant for the user."""
    module = type(error).__module__
    return (module.startswith("assistant.") or module.startswith("tui.")) and bool(str(error))


def user_message(error: BaseException, action: str) -> str:
    """The sentence shown for a failed call.

    The assistant's own exceptions (``TeachingError``, ``ConfigError``,
    ``StoreError``...) carry messages written for the user; anything else is
    a bug, so the user gets a short summary and the log keeps the traceback.
    """
    if is_user_error(error):
        return str(error)
    return f"{action} failed ({type(error).__name__}: {error}). Details are in the log file."


def run_in_thread(
    node: DOMNode,
    call: Callable[[], T],
    on_done: Callable[[T], None] | None = None,
    *,
    action: str,
    group: str = "assistant",
    exclusive: bool = False,
    on_error: Callable[[BaseException], None] | None = None,
) -> Worker[None]:
    """Run ``call`` in a thread; ``on_done(result)`` or a notice back on the UI thread."""
    app = node.app

    def deliver(callback: Callable[P, object], *args: P.args, **kwargs: P.kwargs) -> None:
        if app.is_running:
            app.call_from_thread(callback, *args, **kwargs)

    def work() -> None:
        try:
            result = call()
        except Exception as error:  # every failure becomes a notice, never a traceback on screen
            if not is_user_error(error):
                log.exception("%s failed", action)
            else:
                log.info("%s: %s", action, error)
            deliver(app.notify, user_message(error, action), title=action, severity="error", timeout=8)
            if on_error is not None:
                deliver(on_error, error)
            return
        if on_done is not None:
            deliver(on_done, result)

    return node.run_worker(
        work, name=action, group=group, exclusive=exclusive, thread=True, exit_on_error=False
    )
