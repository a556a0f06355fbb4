"""The root of the assistant's own errors, and the strict mode tests run in.

In production a bug in one request, one hook or one subscriber is logged and the
assistant goes on (one bad request never ends a session). In strict mode
(``ASSISTANT_STRICT=1``, which the test suite sets) those same places re-raise, so a test
sees the bug instead of a polite reply that hides it.
"""

from __future__ import annotations

import os


class AssistantError(Exception):
    """An error of the assistant's own: its message is written for the person using it."""


class UserError(AssistantError):
    """Something the user can fix (bad input, a missing file, a wrong setting)."""


def strict_mode() -> bool:
    """True when swallowed failures should be raised instead (tests)."""
    return os.environ.get("ASSISTANT_STRICT", "") not in ("", "0")


def reraise_if_strict() -> None:
    """Call inside ``except``: re-raise the exception being handled in strict mode."""
    if strict_mode():
        raise  # noqa: PLE0704 (re-raises the exception being handled)


def record_uncaught_tracebacks() -> None:
    """With ``ASSISTANT_TRACEBACKS=FILE`` (the test suite sets it), append every traceback that
    reaches the top of a thread or of the process to FILE as well, so the suite can check that
    no command ever showed one to a person."""
    target = os.environ.get("ASSISTANT_TRACEBACKS")
    if not target:
        return
    import sys
    import threading
    import traceback
    from types import TracebackType

    def keep(error: BaseException) -> None:
        if isinstance(error, (KeyboardInterrupt, SystemExit)):
            return
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(f"--- {' '.join(sys.argv)}\n")
            handle.write("".join(traceback.format_exception(error)))

    process_hook, thread_hook = sys.excepthook, threading.excepthook

    def on_process(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        keep(error)
        process_hook(kind, error, trace)

    def on_thread(hook_args: threading.ExceptHookArgs) -> None:
        if hook_args.exc_value is not None:
            keep(hook_args.exc_value)
        thread_hook(hook_args)

    sys.excepthook = on_process
    threading.excepthook = on_thread
