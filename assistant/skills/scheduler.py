"""Make timers, alarms and reminders go off, including those missed while nothing ran.

Every front end reports a timer exactly once, because reporting starts with
``TimerRepository.claim_due`` (one write transaction: whoever marks a row fired
announces it). Two ways to get there:

- ``TimerScheduler`` (the UI and ``assistant serve``, from ``start_background``)
  ticks on a thread: each due timer is published as ``TimerFired`` and said.
- ``DueTimerNotices`` is a turn hook for processes without a scheduler (``ask``,
  ``chat``, ``listen``, a UI started without timers): what came due is added to
  the next turn's notices, printed and spoken after the reply.

Either way, timers that came due before this process started, or long before
they were noticed, were missed: they are told together as "While you were away,
your pasta timer went off at 2:05 PM." Nothing repeats yet (no timer has a
repeat rule), so a claimed timer is done.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from assistant.bus import EventBus
from assistant.events import Notice, TimerFired
from assistant.memory.store import Store
from assistant.memory.timers import Timer, TimerRepository
from assistant.skills.base import Clock, SystemClock
from assistant.skills.parsing import say_duration, say_time
from assistant.skills.timers import reminder_of
from assistant.turn import TurnSource
from assistant.wording import join, sentence, unit_adjective

if TYPE_CHECKING:
    from assistant.dialogue.session import Outcome, Session
    from assistant.turn import TurnResult

log = logging.getLogger(__name__)

LATE_AFTER_SECONDS = 60.0
"""A timer found this late was missed, not merely noticed on the next tick."""


def announcement(timer: Timer) -> str:
    """What to say when a timer goes off on time."""
    if timer.kind == "reminder":
        return (
            f"Reminder: {timer.message.removeprefix('that ')}." if timer.message else "Here's your reminder."
        )
    if timer.kind == "alarm":
        name = f"Your {timer.label} alarm" if timer.label else "Your alarm"
        return f"{name}: it's {say_time(datetime.fromtimestamp(timer.due_at))}."
    return sentence(f"{_your_timer(timer)} is done")


def _your_timer(timer: Timer) -> str:
    """'your pasta timer', 'your 3-minute timer', 'your timer for 1 hour and 30 minutes'."""
    if timer.label:
        return f"your {timer.label} {timer.kind}"
    if timer.kind == "timer" and timer.duration_seconds:
        adjective = unit_adjective(say_duration(timer.duration_seconds))
        if adjective != say_duration(timer.duration_seconds):
            return f"your {adjective} timer"
        return f"your timer for {say_duration(timer.duration_seconds)}"
    return f"your {timer.kind}"


def missed_summary(timers: list[Timer], now: float | None = None) -> str:
    """'While you were away, your pasta timer went off at 2:05 PM and ...' (with the day,
    'yesterday' or 'on Monday', when it was not today)."""
    parts = []
    for timer in timers:
        at = _when_past(datetime.fromtimestamp(timer.due_at), datetime.fromtimestamp(now or timer.due_at))
        if timer.kind == "reminder":
            parts.append(f"you had a reminder {reminder_of(timer.message)} at {at}")
        else:
            parts.append(f"{_your_timer(timer)} went off at {at}")
    return f"While you were away, {join(parts)}."


def _when_past(moment: datetime, now: datetime) -> str:
    days = (now.date() - moment.date()).days
    clock = say_time(moment)
    if days <= 0:
        return clock
    if days == 1:
        return f"{clock} yesterday"
    if days < 7:
        return f"{clock} on {moment.strftime('%A')}"
    return f"{clock} on {moment.day} {moment.strftime('%B')}"


def split_missed(
    timers: list[Timer], now: float, running_since: float, late_after_seconds: float
) -> tuple[list[Timer], list[Timer]]:
    """(on time, missed): missed ones came due before ``running_since`` or long before ``now``."""
    missed = [t for t in timers if t.due_at < running_since or now - t.due_at > late_after_seconds]
    return [t for t in timers if t not in missed], missed


def fired_event(timer: Timer, missed: bool) -> TimerFired:
    return TimerFired(
        timer_id=timer.id, kind=timer.kind, label=timer.label, message=timer.message, missed=missed
    )


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
        running_since: float | None = None,
    ) -> None:
        self.timers = TimerRepository(store)
        self.bus = bus
        self.clock: Clock = clock or SystemClock()
        self.announce = announce
        """Called with the words to say (``assistant.speak``); None to stay silent."""
        self.poll_seconds = poll_seconds
        self.late_after_seconds = late_after_seconds
        self.running_since = self.clock.now() if running_since is None else running_since
        """Timers due before this came due while nothing ran: they were missed."""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._tick_lock = threading.Lock()

    def tick(self) -> list[TimerFired]:
        """Fire everything due now; returns the events published."""
        with self._tick_lock:
            now = self.clock.now()
            claimed = self.timers.claim_due(now)  # another process may have claimed some first
        on_time, missed = split_missed(claimed, now, self.running_since, self.late_after_seconds)
        events = [fired_event(timer, timer in missed) for timer in claimed]
        for event in events:
            self.bus.publish(event)
        for timer in on_time:
            self._say(announcement(timer))
        if missed:
            summary = missed_summary(missed, now)
            self.bus.publish(Notice(text=summary, severity="information"))
            self._say(summary)
        return events

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


class DueTimerNotices:
    """A turn hook: where no scheduler runs, what came due goes into the next turn's notices.

    ``scheduler_running`` says whether a ``TimerScheduler`` of this process is firing
    timers (then it owns them and this hook stays quiet). ``TimerFired`` is published
    for each timer, as the scheduler would; the words go only into the notices, which
    every front end shows or says after the reply (a ``Notice`` event would show twice).
    """

    name = "timers"

    def __init__(
        self,
        store: Store,
        bus: EventBus,
        clock: Clock,
        scheduler_running: Callable[[], bool],
        *,
        late_after_seconds: float = LATE_AFTER_SECONDS,
    ) -> None:
        self.timers = TimerRepository(store)
        self.bus = bus
        self.clock = clock
        self.scheduler_running = scheduler_running
        self.late_after_seconds = late_after_seconds
        self.running_since = clock.now()

    def collect(self) -> list[str]:
        """Claim what is due and say it: announcements, then one "While you were away"."""
        now = self.clock.now()
        claimed = self.timers.claim_due(now)
        on_time, missed = split_missed(claimed, now, self.running_since, self.late_after_seconds)
        for timer in claimed:
            self.bus.publish(fired_event(timer, timer in missed))
        said = [announcement(timer) for timer in on_time]
        if missed:
            said.append(missed_summary(missed, now))
        return said

    def before_understanding(self, text: str, session: Session) -> tuple[str, TurnSource] | None:
        return None

    def on_low_confidence(self, text: str, session: Session) -> tuple[str, TurnSource] | None:
        return None

    def not_understood(self, text: str, session: Session) -> Outcome | None:
        return None

    def after_turn(self, turn: TurnResult, session: Session) -> None:
        if not self.scheduler_running():
            turn.notices.extend(self.collect())
