"""The assistant as one service: what the CLI, the UI, the socket API and the
voice loop all call.

``open_assistant()`` builds every part from the home folder; ``handle_text``
runs one turn. Nothing here knows about Textual or the terminal.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from assistant.bus import EventBus
from assistant.config import Home, Settings
from assistant.devices import DeviceRegistry
from assistant.dialogue.codes import masked
from assistant.dialogue.hooks import TurnHooks
from assistant.dialogue.manager import DialogueManager
from assistant.dialogue.ports import DialogueParts
from assistant.dialogue.session import Session
from assistant.errors import reraise_if_strict
from assistant.events import Reply, Transcript
from assistant.memory.store import Store
from assistant.memory.timers import TimerRepository
from assistant.nlu.engine import Understanding
from assistant.nlu.types import IntentCandidate
from assistant.plugins.loader import PluginStatus, load_plugins
from assistant.request_text import MAX_REQUEST_CHARACTERS, TOO_LONG_REPLY, clean_request, too_long
from assistant.skills.base import (
    ActionRequest,
    ActionResult,
    Clock,
    IntentSpec,
    SkillContext,
    SkillError,
    SystemClock,
    clock_from_environment,
)
from assistant.skills.registry import SkillRegistry
from assistant.turn import FailureStage, TurnOutcome, TurnResult

log = logging.getLogger(__name__)

HUNCH_CHECK_SECONDS = 60.0
MAX_SESSIONS = 64
"""Conversations kept at once; the least recently used goes first (API clients may open one per
request and never end it, which grew memory by ~20 MB per 1 000 turns)."""
TURN_FAILED_REPLY = "Sorry, something went wrong with that request. It's in the log; please try again."


class Assistant:
    """Everything one running assistant has: store, skills, understanding, sessions."""

    def __init__(
        self,
        home: Home,
        *,
        clock: Clock | None = None,
        plugins: bool = True,
    ) -> None:
        self.home = home.ensure()
        _log_to_file(home)
        self.settings = Settings.load(home)
        self.clock: Clock = clock or SystemClock()
        self.store = Store(home.database_file)
        self.bus = EventBus()
        self.devices = DeviceRegistry()
        self.skills = SkillRegistry()
        self.nlu = Understanding(
            threshold=self.settings.understanding_threshold, cache_dir=home.data_dir / "cache"
        )
        # Slots like "at 7" or "tomorrow" are read against the assistant's clock, not the wall's.
        self.nlu.now = lambda: datetime.fromtimestamp(self.clock.now())
        self.hooks: list[TurnHooks] = []
        self.plugin_statuses: list[PluginStatus] = []
        self.sessions: dict[str, Session] = {}
        self._lock = threading.RLock()
        self.scheduler: Any = None
        self.api_server: Any = None
        self._stopping = threading.Event()
        self.speaker: Any = None
        """Set by the voice loop: anything with ``speak(text)``."""

        self.skills.load_builtin()
        if plugins:
            self.plugin_statuses = load_plugins(home, self.skills, self.devices, self.settings)
        self._install_services()
        self._timer_list: list[str] = []
        self.refresh_understanding()
        self._catalog_names: set[str] = set(self.catalogs())
        self._catalogs_stale = threading.Event()
        self._catalog_worker: threading.Thread | None = None
        self.devices.on_names_change(self._catalogs_changed)
        self.skills.on_lists_change(self._catalogs_changed)
        self.dialogue = DialogueManager(
            DialogueParts(
                understander=self.nlu,
                executor=self,
                store=self.store,
                clock=self.clock,
                devices=self.devices,
                settings=self.settings,
                hooks=self.hooks,
                preferences=self.teaching.preferences,
                offer_after_wrong=self.teaching_hooks.offer_after_wrong,
                publish=self.bus.publish,
            )
        )

    def _install_services(self) -> None:
        """Teaching and learning add their own skills and turn hooks; timers that came due
        are told in a turn's notices while no scheduler runs (``ask``, ``chat``, ``listen``)."""
        from assistant.learn.ports import LearningParts
        from assistant.learn.service import LearningService
        from assistant.skills.scheduler import DueTimerNotices
        from assistant.teach.hooks import TeachingHooks
        from assistant.teach.ports import TeachingParts
        from assistant.teach.service import TeachingService
        from assistant.teach.skill import build_teaching_skill

        self.teaching = TeachingService(
            TeachingParts(
                store=self.store,
                understanding=self.nlu,
                skills=self.skills,
                devices=self.devices,
                settings=self.settings,
                home=self.home,
                understand=lambda text: self.understand(text),  # the dialogue is built after this
                executor=self,
            )
        )
        self.skills.add(build_teaching_skill(self.teaching))
        self.learning = LearningService(
            LearningParts(
                store=self.store,
                clock=self.clock,
                settings=self.settings,
                devices=self.devices,
                bus=self.bus,
                skills=self.skills,
                executor=self,
                commands=self.teaching,
                understand=lambda text: self.understand(text),
            )
        )
        self.due_timers = DueTimerNotices(
            self.store, self.bus, self.clock, scheduler_running=lambda: self.scheduler is not None
        )
        self.teaching_hooks = TeachingHooks(self.teaching)
        self.hooks = [self.teaching_hooks, self.learning, self.due_timers]

    # --- understanding -------------------------------------------------

    def refresh_understanding(self) -> None:
        """Rebuild what the understanding stage knows from skills, devices and teachings.

        A fitted model that does not match exactly (a new plug-in, a taught command) answers
        at once; a long-running assistant retrains in the background (``start_background``).
        """
        started = time.perf_counter()
        with self._lock:
            for skill in self.skills.skills():
                self.nlu.remove_source(skill.source + ":" + skill.name)
                if skill.sentences_file is not None:
                    self.nlu.add_sentences(Path(skill.sentences_file), source=skill.source + ":" + skill.name)
            for name, values in self.catalogs().items():
                self.nlu.set_list(name, values)
            self._sync_timer_names(always=True)
            self.nlu.prepare()
        log.debug("understanding refreshed in %.1f ms", (time.perf_counter() - started) * 1000)

    def catalogs(self) -> dict[str, list[str]]:
        """Slot lists the user's world defines: plug-in lists and device names."""
        catalogs: dict[str, list[str]] = dict(self.skills.lists())
        device_names = sorted(self.devices.names())
        if device_names:
            catalogs["device"] = device_names
        return catalogs

    def _timer_names(self) -> list[str]:
        return sorted({timer.label for timer in TimerRepository(self.store).active() if timer.label})

    def _sync_timer_names(self, always: bool = False) -> None:
        """The running timers' names as a slot list; after a turn, only when they changed."""
        names = self._timer_names()
        if always or names != self._timer_list:
            self._timer_list = names
            self.nlu.set_list("timer_name", names, volatile=True)

    def _catalogs_changed(self) -> None:
        """A plug-in's names changed while running (a Home Assistant entity renamed). The
        caller may be a plug-in's network thread that a running turn waits on, so the lists
        are set on a worker of their own, which waits for the turn's lock."""
        self._catalogs_stale.set()
        with self._lock:
            if self._catalog_worker is None:
                self._catalog_worker = threading.Thread(
                    target=self._update_catalogs, name="catalogs", daemon=True
                )
                self._catalog_worker.start()

    def _update_catalogs(self) -> None:
        while not self._stopping.is_set():
            if not self._catalogs_stale.wait(1.0):
                continue
            self._catalogs_stale.clear()
            with self._lock:
                catalogs = self.catalogs()
                for name in self._catalog_names - set(catalogs):
                    self.nlu.set_list(name, [])
                for name, values in catalogs.items():
                    self.nlu.set_list(name, values)
                self._catalog_names = set(catalogs)

    def phrases(self) -> list[str]:
        """Phrases that bias the recognizer toward what the assistant understands: the
        templates' (sampled) and the plug-ins' requests in the user's words (a home's devices)."""
        return list(dict.fromkeys([*self.nlu.phrases(), *self.skills.phrases()]))

    # --- turns ---------------------------------------------------------

    def session(self, session_id: str | None = None) -> Session:
        with self._lock:
            if session_id is None:
                session_id = "default"
            session = self.sessions.pop(session_id, None) or Session(id=session_id)
            self.sessions[session_id] = session  # most recently used last
            while len(self.sessions) > MAX_SESSIONS:  # clients that never end their sessions
                del self.sessions[next(iter(self.sessions))]
            return session

    def end_session(self, session_id: str) -> None:
        """Forget one conversation (a script's one-off session over the local API)."""
        with self._lock:
            self.sessions.pop(session_id, None)

    def handle_text(
        self, text: str, session_id: str | None = None, transcript: Transcript | None = None
    ) -> TurnResult:
        """One request, typed or recognised, through dialogue, understanding and action.

        Never raises for what the request holds: text too long is refused before any work,
        and a failure in any stage becomes a polite reply (the log keeps the traceback;
        strict mode re-raises it).
        """
        session = self.session(session_id)
        cleaned = clean_request(text[: 4 * MAX_REQUEST_CHARACTERS + 1])
        if too_long(cleaned):
            turn = TurnResult(
                text=masked(cleaned)[:MAX_REQUEST_CHARACTERS] + "…",
                reply=TOO_LONG_REPLY,
                outcome=TurnOutcome.FAILURE,
                failure_stage=FailureStage.UNDERSTANDING,
                session_id=session.id,
            )
        else:
            turn = self._run_turn(cleaned, session, transcript)
        if transcript is None:  # a spoken turn's Reply is the voice loop's to publish
            self.bus.publish(
                Reply(
                    text=turn.reply,
                    expects_answer=turn.expects_answer,
                    expects_code=turn.expects_code,
                    session_id=session.id,
                )
            )
        return turn

    def _run_turn(self, text: str, session: Session, transcript: Transcript | None) -> TurnResult:
        try:
            with self._lock:
                turn = self.dialogue.handle(text, session, transcript)
                self._sync_timer_names()
                return turn
        except Exception:  # one bad request must never end the session
            asked = session.pending is not None and session.pending.secret
            log.exception("The turn for %r failed", masked(text, asked)[:200])
            reraise_if_strict()
            session.pending = None  # whatever it was asking, the question is gone with the turn
            return TurnResult(
                text=text,
                reply=TURN_FAILED_REPLY,
                outcome=TurnOutcome.FAILURE,
                failure_stage=FailureStage.RESULT,
                session_id=session.id,
            )

    def handle_transcript(self, transcript: Transcript, session_id: str | None = None) -> TurnResult:
        return self.handle_text(transcript.text, session_id, transcript)

    def understand(self, text: str, session_id: str | None = None) -> IntentCandidate | None:
        """The best confident reading of ``text`` without acting on it (None if not understood)."""
        session = self.session(session_id) if session_id else Session()
        with self._lock:
            return self.dialogue.understand(text, session)

    def context(self) -> SkillContext:
        return SkillContext(
            store=self.store,
            devices=self.devices,
            clock=self.clock,
            settings=self.settings,
            preferences=self.teaching.preferences(),
            catalogs=self.catalogs(),
            runner=self,
        )

    def spec(self, intent: str) -> IntentSpec | None:
        """What the skill (or plug-in, or taught command) declares for ``intent``."""
        return self.skills.get(intent)

    def undo(self, intent: str, data: dict[str, Any]) -> str:
        """Take back one successful run of ``intent`` given its result data; returns the reply."""
        spec = self.skills.get(intent)
        if spec is None or spec.undo is None:
            raise SkillError("Sorry, I can't take that back.")
        return spec.undo(data, self.context())

    def execute(
        self,
        intent: str,
        slots: dict[str, Any],
        text: str = "",
        *,
        session: Session | None = None,
        replaces: dict[str, Any] | None = None,
        code: str | None = None,
    ) -> ActionResult:
        """Run one intent's handler (built-in, plug-in or taught) with the time limit."""
        request = ActionRequest(intent=intent, slots=dict(slots), text=text, replaces=replaces, code=code)
        context = self.context()
        context.session = session
        return self.skills.dispatch(request, context, self.settings.handler_timeout_seconds)

    def start_background(self, api: bool = False) -> str | None:
        """Fire timers (including ones missed while it was off) and speak them; with ``api``
        also serve the local socket API. Idempotent. Returns a problem to show, if any."""
        from assistant.api.protocol import ApiError
        from assistant.api.server import ApiServer
        from assistant.skills.scheduler import TimerScheduler

        problem = None
        if api and self.api_server is None:
            server = ApiServer(self, self.home.socket_path)
            try:
                server.start()
                self.api_server = server
            except ApiError as error:  # e.g. another instance serves this home already
                log.warning("Local API not started: %s", error)
                problem = f"The local API is not available: {error}"
        self.nlu.train_in_background()
        if self.scheduler is None:
            threading.Thread(target=self._warm_up, name="nlu-warm-up", daemon=True).start()
            self.scheduler = TimerScheduler(self.store, self.bus, self.clock, announce=self.speak)
            self.scheduler.start()
            threading.Thread(target=self._watch, name="watch", daemon=True).start()
        return problem

    def _warm_up(self) -> None:
        try:
            self.nlu.warm_up()
        except Exception:  # only speed is lost
            log.exception("warming up the understanding stage failed")

    def _watch(self) -> None:
        """Now and then: look for unusual device states (the learning code keeps quiet hours),
        and retrain the understanding stage when what it knows changed (taught commands)."""
        while not self._stopping.wait(HUNCH_CHECK_SECONDS):
            try:
                self.learning.check_hunches()
            except Exception:  # one bad check must not end the watch
                log.exception("hunch check failed")
            self.nlu.train_in_background()

    def speak(self, text: str) -> None:
        """Say something outside a turn (timer notices, the socket API's ``say``)."""
        if self.speaker is not None:
            self.speaker.speak(text)

    def close(self) -> None:
        self._stopping.set()
        for skill in self.skills.skills():
            if skill.close is not None:
                try:
                    skill.close()
                except Exception:  # one plug-in's failure to stop must not keep the others running
                    log.exception("closing %s failed", skill.name)
                    reraise_if_strict()
        if self.api_server is not None:
            self.api_server.stop()
            self.api_server = None
        if self.scheduler is not None:
            self.scheduler.stop()
            self.scheduler = None
        self.store.close()


def open_assistant(
    home: str | Path | Home | None = None, *, clock: Clock | None = None, plugins: bool = True
) -> Assistant:
    """Build the assistant for ``home`` (a folder, or None for ASSISTANT_HOME / XDG)."""
    located = home if isinstance(home, Home) else Home.locate(home)
    return Assistant(located, clock=clock or clock_from_environment(), plugins=plugins)


def _log_to_file(home: Home) -> None:
    """Details go to a log file under the home folder, never onto the screen."""
    root = logging.getLogger()
    target = str(home.logs_dir / "assistant.log")
    if any(getattr(handler, "baseFilename", None) == target for handler in root.handlers):
        return
    try:
        handler = logging.FileHandler(target, encoding="utf-8")
    except OSError as error:  # a read-only home still answers; it just keeps no log
        log.warning("Not keeping a log file (%s): %s", target, error.strerror or error)
        return
    handler.setLevel(logging.INFO)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
