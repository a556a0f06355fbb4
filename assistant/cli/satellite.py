"""``assistant satellite``: serve this machine's microphone and speaker to a Wyoming server."""

from __future__ import annotations

import argparse
import sys
import threading

from assistant.cli import EXIT_ENVIRONMENT, EXIT_OK, CommandError


def register(subparsers: argparse._SubParsersAction) -> None:
    satellite = subparsers.add_parser(
        "satellite",
        help="be a Wyoming satellite: this machine's microphone and speaker for another assistant",
    )
    satellite.add_argument(
        "--uri",
        default="tcp://127.0.0.1:10700",
        help="where to wait for the server (default tcp://127.0.0.1:10700; tcp://0.0.0.0:10700 for the "
        "network: Wyoming has no passwords, anyone who reaches it hears this microphone)",
    )
    satellite.add_argument("--name", default="desk-assistant satellite", help="the name the server shows")
    satellite.add_argument("--area", help="the room, e.g. kitchen")
    satellite.add_argument(
        "--mic-command",
        metavar="CMD",
        help="a program printing raw 16 kHz mono 16-bit audio (default: the microphone)",
    )
    satellite.add_argument(
        "--snd-command",
        metavar="CMD",
        help="a program playing raw 16 kHz mono 16-bit audio from stdin (default: the speaker)",
    )
    satellite.set_defaults(func=run_satellite)


def run_satellite(args: argparse.Namespace) -> int:
    from assistant.audio.sinks import AudioSink, SpeakerSink
    from assistant.audio.sources import AudioSource, MicrophoneSource
    from assistant.wyoming import WyomingError
    from assistant.wyoming.satellite_mode import ProgramSink, ProgramSource, SatelliteServer

    def source() -> AudioSource:
        if args.mic_command:
            return ProgramSource(args.mic_command)
        return MicrophoneSource()

    try:
        sink: AudioSink = ProgramSink(args.snd_command) if args.snd_command else SpeakerSink()
        server = SatelliteServer(args.uri, source, sink, name=args.name, area=args.area)
        server.start()
    except (WyomingError, OSError) as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    print(
        f"Satellite {args.name!r} waiting for a Wyoming server on {server.uri}.", file=sys.stderr, flush=True
    )
    stopping = threading.Event()
    try:
        while not stopping.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return EXIT_OK
