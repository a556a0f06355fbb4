"""Run the voice loop beside the UI, and say so plainly when there is no microphone.

The loop is built exactly as ``assistant serve`` builds it
(``assistant.voice.start_voice_loop``); it publishes its state, partial
words and replies on the bus, which the app shows.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual.app import App

from tui.background import run_in_thread

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.pipeline import VoiceLoop
    from assistant.wyoming.satellite_link import SatelliteHub

log = logging.getLogger(__name__)

_ENGINE_SUFFIX = re.compile(r"(Recognizer|Recogniser|Synthesizer|Detector|Spotter|Engine|Kws|KWS)$")


def engine_name(part: object) -> str:
    """``VoskRecognizer`` -> ``vosk``: a short engine name from the object the loop uses
    (its own ``engine`` name when it has one: the gated wake detector names the engine behind it)."""
    own = getattr(part, "engine", "")
    if isinstance(own, str) and own:
        return own
    name = _ENGINE_SUFFIX.sub("", type(part).__name__)
    return name.lower() or type(part).__name__.lower()


def engines_text(loop: VoiceLoop) -> str:
    """``wake: pocketsphinx · asr: vosk · tts: piper`` for the status line."""
    parts = []
    for label, part in (("wake", loop.wake), ("asr", loop.recognizer), ("tts", loop.synthesizer)):
        if part is not None:
            parts.append(f"{label}: {engine_name(part)}")
    return " · ".join(parts)


class VoiceRunner:
    """Owns the voice loop while the app runs."""

    def __init__(self, app: App[Any], show: Callable[[str, str, str], None]) -> None:
        """``show(state, detail, engines)`` puts the runner's own state on screen (UI thread)."""
        self.app = app
        self.show = show
        self.loop: VoiceLoop | None = None
        self.satellites: SatelliteHub | None = None
        """The satellites of the settings, served beside the loop; each publishes its state
        (``SatelliteChanged``) on the assistant's bus for the satellite panel."""
        self.state = ""
        """The state this runner set itself (no-audio, voice-off); empty while the loop reports."""
        self.detail = ""

    def start(self, assistant: Assistant, *, listen: bool = True) -> None:
        """Build and start the loop (when ``listen``) and the satellites in a worker thread;
        problems become a status, not a crash."""
        run_in_thread(
            self.app, lambda: self._start(assistant, listen), action="Starting the voice loop", group="voice"
        )

    def _start(self, assistant: Assistant, listen: bool) -> None:
        from assistant.voice import VoiceStart, start_satellites, start_voice_loop
        from assistant.wyoming import WyomingError

        result = start_voice_loop(assistant) if listen else VoiceStart("off", "")
        try:
            self.satellites = start_satellites(assistant)  # after the loop: timers set here still ring here
        except WyomingError as error:
            from assistant.events import Notice

            assistant.bus.publish(
                Notice(text=f"The satellites setting cannot be used: {error}", severity="error")
            )
        self.loop = result.loop
        if not listen:
            return  # the app shows "voice off" itself
        if self.loop is None:
            state = "no-audio" if result.state == "no-audio" else "voice-off"
            self._report(state, _first_sentence(result.detail), "")
            return
        self._report("", "", engines_text(self.loop))

    def _report(self, state: str, detail: str, engines: str) -> None:
        self.state, self.detail = state, detail
        if self.app.is_running:
            self.app.call_from_thread(self.show, state, detail, engines)

    def stop(self) -> None:
        """Stop listening (the loop's thread is a daemon, so exit never waits long)."""
        loop = self.loop
        self.loop = None
        satellites, self.satellites = self.satellites, None
        if satellites is not None:
            try:
                satellites.stop()
            except Exception:  # stopping on exit must never raise into the UI
                log.exception("Could not stop the satellites")
        if loop is not None:
            try:
                loop.stop(timeout=1.0)
            except Exception:  # stopping on exit must never raise into the UI
                log.exception("Could not stop the voice loop")


def _first_sentence(text: str) -> str:
    """The status line has room for the reason, not the whole advice.

    ``no voice input (No microphone is available (Error -1). Connect one...). Typed...``
    becomes ``No microphone is available``.
    """
    inner = text.strip()
    if "(" in inner:
        inner = inner.split("(", 1)[1]
    inner = re.split(r" \(|\. |\)", inner, maxsplit=1)[0]
    return inner.strip().rstrip(".") or text
