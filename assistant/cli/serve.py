"""``assistant serve``: run headless with the local API, the timers and (when there is a
microphone) the voice loop. Without sound hardware it says so and keeps serving the API."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from assistant.cli import EXIT_ENVIRONMENT, EXIT_OK, CommandError

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run headless: local API, timers, and the voice loop when a microphone is there"
    )
    serve.add_argument("--no-voice", action="store_true", help="serve the API and timers only")
    serve.add_argument("--socket", help="Unix socket path (default: assistant.sock in the data folder)")
    serve.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from assistant.api.protocol import ApiError
    from assistant.api.server import ApiServer
    from assistant.config import Home
    from assistant.core import open_assistant
    from assistant.skills.scheduler import TimerScheduler

    home = Home.locate(args.home)
    assistant = open_assistant(home)
    path = Path(args.socket) if args.socket else home.socket_path
    scheduler = TimerScheduler(assistant.store, assistant.bus, assistant.clock, announce=assistant.speak)
    voice: dict[str, Any] = {"state": "off", "detail": "turned off with --no-voice", "loop": None}
    server = ApiServer(assistant, path, status=lambda: _status(assistant, scheduler, voice))
    stopping = threading.Event()
    try:
        try:
            server.start()
        except ApiError as error:
            raise CommandError(str(error), EXIT_ENVIRONMENT) from error
        scheduler.start()  # fires what came due while nothing was running, then keeps time
        if not args.no_voice:
            voice.update(start_voice_loop(assistant, home))
        print(f"Serving the local API on {path}.", file=sys.stderr)
        print(f"Voice: {voice['detail']}", file=sys.stderr)
        print("Press Ctrl+C to stop.", file=sys.stderr, flush=True)
        _stop_on_signals(stopping)
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass  # Ctrl+C is the normal way to stop
    finally:
        loop = voice.get("loop")
        if loop is not None:
            loop.stop()
        scheduler.stop()
        server.stop()
        assistant.close()
    return EXIT_OK


def start_voice_loop(assistant: Any, home: Any) -> dict[str, Any]:
    """Start listening on the microphone; on any missing piece, explain and return without it.

    Returns {"state": "listening" | "no-audio" | "unavailable", "detail": str, "loop": VoiceLoop | None}.
    """
    try:
        from assistant.asr import create_recognizer
        from assistant.audio.sinks import NullSink, SpeakerSink
        from assistant.audio.sources import MicrophoneSource
        from assistant.pipeline import VoiceLoop
        from assistant.tts import create_synthesizer
        from assistant.wake import create_wake_detector
    except ImportError as error:
        log.info("Voice loop unavailable: %s", error, exc_info=True)
        return {"state": "unavailable", "detail": f"the voice loop cannot start ({error}); "
                "the API still works.", "loop": None}
    settings = assistant.settings
    try:
        source = MicrophoneSource()
        choice = create_recognizer(settings, home)
        wake = create_wake_detector(settings, home)
    except Exception as error:  # no microphone, no model, no sound library: the API still works
        log.info("No voice loop: %s", error, exc_info=True)
        return {"state": "no-audio", "detail": f"no voice input ({error}). Typed requests through the "
                "API still work.", "loop": None}
    synthesizer = None
    try:
        synthesizer = create_synthesizer(settings)
        sink: Any = SpeakerSink()
    except Exception as error:  # no speaker or TTS engine: replies are still shown and sent as events
        log.info("Speaking disabled: %s", error, exc_info=True)
        sink = NullSink()
    loop = VoiceLoop(
        source, choice.recognizer, assistant.handle_transcript, settings=settings, wake=wake,
        synthesizer=synthesizer, sink=sink, bus=assistant.bus, phrases_provider=assistant.phrases,
    )
    loop.start()
    return {"state": "listening", "detail": f"listening for \"{settings.wake_phrase}\". {choice.message}",
            "loop": loop}


def _status(assistant: Any, scheduler: Any, voice: dict[str, Any]) -> dict[str, Any]:
    from assistant.plugins.loader import current_statuses

    statuses = current_statuses(list(getattr(assistant, "plugin_statuses", [])), assistant.skills)
    return {
        "voice": {"state": voice["state"], "detail": voice["detail"]},
        "timers_running": scheduler.running,
        "active_timers": len(scheduler.timers.active()),
        "intents": len(assistant.skills.intents()),
        "plugins": [status.to_dict() for status in statuses],
    }


def _stop_on_signals(stopping: threading.Event) -> None:
    def handle(_signum: int, _frame: Any) -> None:
        stopping.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handle)
