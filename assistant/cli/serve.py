"""``assistant serve``: run headless with the local API, the timers and (when there is a
microphone) the voice loop. Without sound hardware it says so and keeps serving the API."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.cli import EXIT_ENVIRONMENT, EXIT_OK, CommandError

if TYPE_CHECKING:
    from assistant.core import Assistant
    from assistant.voice import VoiceStart
    from assistant.wyoming.satellite_link import SatelliteHub
    from assistant.wyoming.server import WyomingServer

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="run headless: local API, timers, and the voice loop when a microphone is there"
    )
    serve.add_argument("--no-voice", action="store_true", help="serve the API and timers only")
    serve.add_argument(
        "--socket",
        metavar="PATH",
        help="Unix socket path (default: assistant.sock in the data folder); its folder must be "
        "yours alone, or not exist yet (it is then created private); a shared folder is refused",
    )
    serve.add_argument(
        "--wyoming",
        metavar="URI",
        help="also offer the wake word, recognizer, voice and understanding as a Wyoming server, "
        "e.g. tcp://127.0.0.1:10700. The protocol has no passwords: an address other than "
        "127.0.0.1 lets everyone on that network use the assistant (docs/wyoming.md)",
    )
    serve.set_defaults(func=run_serve)


def run_serve(args: argparse.Namespace) -> int:
    from assistant.api.protocol import ApiError
    from assistant.api.server import ApiServer
    from assistant.config import Home
    from assistant.core import open_assistant
    from assistant.voice import VoiceStart, start_voice_loop

    home = Home.locate(args.home)
    assistant = open_assistant(home)
    path = Path(args.socket) if args.socket else home.socket_path
    voice = VoiceStart("off", "turned off with --no-voice")
    server = ApiServer(assistant, path, status=lambda: _status(assistant, voice))
    stopping = threading.Event()
    wyoming: WyomingServer | None = None
    satellites: SatelliteHub | None = None
    _stop_on_signals(stopping)  # before the socket answers: a client may stop us at once
    try:
        try:
            server.start()
        except ApiError as error:
            raise CommandError(str(error), EXIT_ENVIRONMENT) from error
        if args.wyoming:
            wyoming = _start_wyoming(assistant, args.wyoming)
        assistant.start_background()  # fires what came due while nothing ran, then keeps time
        if not args.no_voice:
            voice = start_voice_loop(assistant)
        satellites = _start_satellites(assistant)  # after the voice loop: timers set here still speak here
        print(f"Serving the local API on {path}.", file=sys.stderr)
        print(f"Voice: {voice.detail}", file=sys.stderr)
        print("Press Ctrl+C to stop.", file=sys.stderr, flush=True)
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass  # Ctrl+C is the normal way to stop
    finally:
        if voice.loop is not None:
            voice.loop.stop()
        if wyoming is not None:
            wyoming.stop()
        if satellites is not None:
            satellites.stop()
        server.stop()
        assistant.close()
    return EXIT_OK


def _start_wyoming(assistant: Assistant, uri: str) -> WyomingServer:
    from assistant.cli.wyoming_offer import build_offer
    from assistant.wyoming import WyomingError
    from assistant.wyoming.server import WyomingServer

    try:
        wyoming = WyomingServer(build_offer(assistant), uri)
        wyoming.start()
    except WyomingError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    print(f"Serving Wyoming (wake word, recognizer, voice, understanding) on {wyoming.uri}.", file=sys.stderr)
    if not wyoming.endpoint.is_loopback:
        print(
            "Note: Wyoming has no passwords. Anyone who can reach this address can use the assistant;"
            " serve on 127.0.0.1 unless the network is yours alone.",
            file=sys.stderr,
        )
    return wyoming


def _start_satellites(assistant: Assistant) -> SatelliteHub | None:
    from assistant.voice import start_satellites
    from assistant.wyoming import WyomingError

    try:
        hub = start_satellites(assistant)
    except WyomingError as error:
        raise CommandError(f"The satellites setting cannot be used: {error}", EXIT_ENVIRONMENT) from error
    if hub is not None:
        names = ", ".join(link.endpoint.uri for link in hub.links)
        print(f"Serving satellites: {names}.", file=sys.stderr)
    return hub


def _status(assistant: Assistant, voice: VoiceStart) -> dict[str, Any]:
    from assistant.plugins.loader import current_statuses
    from assistant.wyoming.health import statuses as wyoming_statuses

    statuses = current_statuses(list(getattr(assistant, "plugin_statuses", [])), assistant.skills)
    return {
        "voice": {"state": voice.state, "detail": voice.detail},
        "timers_running": assistant.scheduler is not None and assistant.scheduler.running,
        "active_timers": len(assistant.scheduler.timers.active()) if assistant.scheduler else 0,
        "intents": len(assistant.skills.intents()),
        "plugins": [status.to_dict() for status in statuses],
        "wyoming": [health.to_dict() for health in wyoming_statuses()],
    }


def _stop_on_signals(stopping: threading.Event) -> None:
    def handle(_signum: int, _frame: Any) -> None:
        stopping.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handle)
