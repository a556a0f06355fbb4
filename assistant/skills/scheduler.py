"""Make timers, alarms and reminders go off, including those missed while the process was down.

``TimerScheduler.tick()`` fires everything due now: it marks each row fired
(only one process wins that, so a timer is never announced twice), publishes
``TimerFired`` on the bus and says the announcement. Timers that came due
long before the tick (the assistant was not running, or the machine slept)
are announced together as "While you were away ...", also as a ``Notice``.
``start()`` runs ``tick()`` on a background thread; tests call ``tick()``
with a fake clock instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from assistant.bus import EventBus
from assistant.events import Notice, TimerFired
from assistant.memory.store import Store
from assistant.memory.timers import Timer, TimerRepository
from assistant.skills.base import Clock, SystemClock
from assistant.skills.parsing import say_duration, say_time

log = logging.getLogger(__name__)

LATE_AFTER_SECONDS = 60.0
"""A timer found this late was missed, not merely noticed on the next tick."""


def announcement(timer: Timer) -> str:
    """What to say when a timer goes off on time."""
    if timer.kind == "reminder":
        return f"Reminder: {timer.message}." if timer.message else "Here's your reminder."
    if timer.kind == "alarm":
        name = f"Your {timer.label} alarm" if timer.label else "Your alarm"
        return f"{name}: it's {say_time(datetime.fromtimestamp(timer.due_at))}."
    if timer.label:
        return f"Your {timer.label} timer is done."
    if timer.duration_seconds:
        return f"Time's up! Your {say_duration(timer.duration_seconds)} timer is done."
    return "Time's up!"


def missed_summary(timers: list[Timer]) -> str:
    """'While you were away, your pasta timer went off at 2:05 PM and ...'."""
    parts = []
    for timer in timers:
        at = say_time(datetime.fromtimestamp(timer.due_at))
        if timer.kind == "reminder":
            parts.append(f"you had a reminder to {timer.message} at {at}")
        elif timer.label:
            parts.append(f"your {timer.label} {timer.kind} went off at {at}")
        elif timer.kind == "timer" and timer.duration_seconds:
            parts.append(f"your {say_duration(timer.duration_seconds)} timer went off at {at}")
        else:
            parts.append(f"your {timer.kind} went off at {at}")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"While you were away, {joined}."


class TimerScheduler:
    """Fire due timers from the store, on a thread or by explicit ``tick()``."""

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        clock: Clock | None = None,
        *,
        announce: Callable[[str], None] | None = None,
        poll_seconds: float = 0.5,
        late_after_seconds: float = LATE_AFTER_SECONDS,
    ) -> None:
        self.timers = TimerRepository(store)
        self.bus = bus
        self.clock: Clock = clock or SystemClock()
        self.announce = announce
        """Called with the words to say (``assistant.speak``); None to stay silent."""
        self.poll_seconds = poll_seconds
        self.late_after_seconds = late_after_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tick_lock = threading.Lock()

    def tick(self) -> list[TimerFired]:
        """Fire everything due now; returns the events published."""
        with self._tick_lock:
            now = self.clock.now()
            fired: list[tuple[Timer, TimerFired]] = []
            for timer in self.timers.due(now):
                if not self.timers.mark_fired(timer.id, now):
                    continue  # another process fired it first
                event = TimerFired(
                    timer_id=timer.id, kind=timer.kind, label=timer.label, message=timer.message
                )
                fired.append((timer, event))
        missed = [timer for timer, _ in fired if now - timer.due_at > self.late_after_seconds]
        for timer, event in fired:
            self.bus.publish(event)
            if timer not in missed:
                self._say(announcement(timer))
        if missed:
            summary = missed_summary(missed)
            self.bus.publish(Notice(text=summary, severity="information"))
            self._say(summary)
        return [event for _, event in fired]

    def _say(self, text: str) -> None:
        if self.announce is None:
            return
        try:
            self.announce(text)
        except Exception:  # speech trouble must not stop timers from firing
            log.exception("Could not announce %r", text)

    def seconds_until_next(self) -> float | None:
        due_at = self.timers.next_due_at()
        return None if due_at is None else max(0.0, due_at - self.clock.now())

    # --- background thread --------------------------------------------

    def start(self) -> None:
        """Fire what was missed, then keep firing on a daemon thread."""
        if self._thread is not None and self._thread.is_alive():
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="timer-scheduler", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # a database hiccup must not end the thread for good
                log.exception("Timer tick failed; trying again")
            wait = self.poll_seconds
            try:
                until_next = self.seconds_until_next()
            except Exception:  # same reason as above
                log.exception("Could not read the next timer")
                until_next = None
            if until_next is not None:
                wait = min(wait, max(0.01, until_next))
            self._stop.wait(wait)

    def stop(self, timeout: float = 2.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()
