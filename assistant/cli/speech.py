"""Speech commands: ``listen``, ``say``, ``models``, ``devices``.

Each speech stage can be run on its own from here (rhasspy-style verbs); they
use the same classes the voice loop uses.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

from assistant.cli import EXIT_BAD_INPUT, EXIT_ENVIRONMENT, EXIT_FAILED, EXIT_OK, CommandError
from assistant.config import Home, Settings

if TYPE_CHECKING:
    from assistant.events import Event, Transcript
    from assistant.turn import TurnResult


def register(subparsers: Any) -> None:
    listen = subparsers.add_parser("listen", help="run the whole speech loop on a recording")
    listen.add_argument("--input", "-i", required=True, help="WAV file (any rate/channels/bit depth)")
    listen.add_argument("--json", action="store_true", help="print one JSON object per turn")
    listen.add_argument("--no-wake", action="store_true", help="treat the whole file as one request")
    listen.add_argument("--speak-to", metavar="OUT.wav", help="write the spoken replies to this WAV file")
    listen.add_argument(
        "--engine", choices=["auto", "whisper", "vosk", "pocketsphinx"], help="recognizer (default: settings)"
    )
    listen.add_argument(
        "--read-back",
        action="store_true",
        help="skip understanding: reply with what was heard (tests the speech stages alone)",
    )
    listen.set_defaults(func=run_listen)

    say = subparsers.add_parser("say", help="speak text aloud or into a WAV file")
    say.add_argument("text", help="what to say")
    say.add_argument("--to", metavar="OUT.wav", help="write a WAV file instead of playing it")
    say.add_argument("--engine", choices=["pyttsx3", "piper"], help="speech engine (default: settings)")
    say.set_defaults(func=run_say)

    models = subparsers.add_parser("models", help="list, install or remove recognition models")
    actions = models.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="installed and downloadable models")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=run_models_list)
    install = actions.add_parser("install", help="install a model by name, or from a zip file or folder")
    install.add_argument("spec", metavar="NAME|PATH", help="e.g. vosk-small-en, ~/model.zip, ~/model-folder")
    install.set_defaults(func=run_models_install)
    remove = actions.add_parser("remove", help="delete an installed model")
    remove.add_argument("name")
    remove.set_defaults(func=run_models_remove)

    devices = subparsers.add_parser("devices", help="list microphones and speakers")
    devices.add_argument("--json", action="store_true")
    devices.set_defaults(func=run_devices)


# ------------------------------------------------------------------ listen


def _responder(home: str | None, read_back_only: bool) -> tuple[Any, Any, Any]:
    """(respond, phrases provider, assistant): the Assistant when it exists, else read back what was heard."""
    from assistant.pipeline import read_back

    if read_back_only:
        return read_back, None, None
    try:
        from assistant.core import open_assistant
    except ImportError:
        return read_back, None, None
    assistant = open_assistant(home)

    def respond(transcript: Transcript) -> TurnResult:
        handle = getattr(assistant, "handle_transcript", None)
        if handle is not None:
            result: TurnResult = handle(transcript)
        else:
            result = assistant.handle_text(transcript.text)
        return result

    phrases = getattr(assistant, "phrases", None)
    return respond, phrases, assistant


def run_listen(args: argparse.Namespace) -> int:
    from assistant.asr import RecognizerError, create_recognizer
    from assistant.audio import AudioError, WavFileSink, WavFileSource
    from assistant.bus import EventBus
    from assistant.events import Transcript
    from assistant.pipeline import VoiceLoop
    from assistant.tts import TTSUnavailable, create_synthesizer
    from assistant.voice import understanding_judge
    from assistant.wake import WakeError, create_wake_detector, second_check_for

    home = Home.locate(args.home)
    settings = Settings.load(home)
    try:
        source = WavFileSource(args.input)
    except AudioError as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    synthesizer = sink = None
    if args.speak_to:
        try:
            synthesizer = create_synthesizer(settings)
            sink = WavFileSink(args.speak_to)
        except TTSUnavailable as error:
            raise CommandError(str(error), EXIT_ENVIRONMENT) from error
        except AudioError as error:
            raise CommandError(str(error), EXIT_BAD_INPUT) from error
    respond, phrases, assistant = _responder(args.home, args.read_back)
    judge = understanding_judge(assistant) if assistant is not None else None
    try:
        choice = create_recognizer(settings, home, engine=args.engine, judge=judge)
    except RecognizerError as error:
        if assistant is not None:
            assistant.close()
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    print(f"assistant: {choice.message}", file=sys.stderr)
    try:
        check = second_check_for(choice.recognizer)
        wake = None if args.no_wake else create_wake_detector(settings, home, second_check=check)
    except WakeError as error:
        if assistant is not None:
            assistant.close()
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    bus = EventBus()
    heard: list[Transcript] = []

    def remember(event: Event) -> None:
        if isinstance(event, Transcript):
            heard.append(event)

    bus.subscribe(remember)

    def show(result: TurnResult) -> None:
        transcript = heard[-1] if heard else Transcript(engine=choice.engine)
        if args.json:
            print(json.dumps(turn_json(result, transcript, choice.engine), ensure_ascii=False), flush=True)
        else:
            print(f"heard: {transcript.text or '(nothing)'}")
            print(f"reply: {result.reply}", flush=True)
            for notice in result.notices:  # e.g. a timer that went off while nothing ran
                print(f"notice: {notice}", flush=True)

    loop = VoiceLoop(
        source,
        choice.recognizer,
        respond,
        settings=settings,
        wake=wake,
        synthesizer=synthesizer,
        sink=sink,
        bus=bus,
        phrases_provider=phrases,
        no_wake=args.no_wake,
        on_turn=show,
    )
    try:
        turns = loop.run()
    finally:
        if sink is not None:
            sink.close()
        if assistant is not None and hasattr(assistant, "close"):
            assistant.close()
    if not turns:
        print(
            f"assistant: no request heard in {args.input} (wake phrase {settings.wake_phrase!r} not found). "
            "Use --no-wake to treat the whole file as one request.",
            file=sys.stderr,
        )
        return EXIT_FAILED
    return EXIT_OK


def turn_json(result: TurnResult, transcript: Transcript, engine: str) -> dict[str, Any]:
    """The JSON printed per turn: TurnResult's stable shape plus the speech stages' view."""
    data = result.to_json()
    wake_record = result.trace.find("wake")
    wake_output = (
        wake_record.output if wake_record is not None and isinstance(wake_record.output, dict) else {}
    )
    data["wake"] = {"detected": bool(wake_output.get("detected")), "at": wake_output.get("at")}
    data["transcript"] = transcript.text
    data["engine"] = engine
    data["asr"] = {
        "text": transcript.text,
        "confidence": transcript.confidence,
        "words": transcript.words,
        "alternatives": transcript.alternatives,
        "path": transcript.path,
    }
    return data


# --------------------------------------------------------------------- say


def run_say(args: argparse.Namespace) -> int:
    from assistant.audio import AudioError, AudioUnavailable, SpeakerSink, WavFileSink
    from assistant.audio.sinks import AudioSink
    from assistant.tts import TTSUnavailable, create_synthesizer

    settings = Settings.load(Home.locate(args.home))
    if not args.text.strip():
        raise CommandError("Nothing to say: the text is empty.", EXIT_BAD_INPUT)
    try:
        synthesizer = create_synthesizer(settings, engine=args.engine)
    except TTSUnavailable as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    sink: AudioSink
    try:
        sink = WavFileSink(args.to) if args.to else SpeakerSink()
    except AudioUnavailable as error:
        raise CommandError(f"{error} Use --to OUT.wav to write a file instead.", EXIT_ENVIRONMENT) from error
    except AudioError as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    try:
        synthesizer.speak(args.text, sink)
    except TTSUnavailable as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    finally:
        sink.close()
    return EXIT_OK


# ------------------------------------------------------------------ models


def run_models_list(args: argparse.Namespace) -> int:
    from assistant.asr.models import ModelError, installed_models, load_manifest, resolve_vosk_model

    home = Home.locate(args.home)
    try:
        catalogue = load_manifest()
        installed = installed_models(home, catalogue)
        active = resolve_vosk_model(Settings.load(home), home, catalogue)
    except ModelError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    installed_names = {model.catalogue_name for model in installed}
    rows = [
        {
            "name": model.name,
            "catalogue_name": model.catalogue_name,
            "installed": True,
            "active": active is not None and model.path == active,
            "path": str(model.path),
            "size_mb": round(model.size_bytes / 1e6, 1),
        }
        for model in installed
    ]
    rows += [
        {
            "name": entry.name,
            "catalogue_name": entry.name,
            "installed": False,
            "active": False,
            "path": None,
            "size_mb": round((entry.size or 0) / 1e6, 1),
            "description": entry.description,
        }
        for entry in catalogue.values()
        if entry.name not in installed_names
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return EXIT_OK
    print(f"Models folder: {home.models_dir}")
    for row in rows:
        state = "active" if row["active"] else ("installed" if row["installed"] else "available")
        print(f"  {row['name']:<32} {state:<10} {row['size_mb']:>7} MB")
    if active is None:
        print(
            "No Vosk model is active: recognition uses pocketsphinx. "
            "Install one with `assistant models install vosk-small-en`."
        )
    return EXIT_OK


def run_models_install(args: argparse.Namespace) -> int:
    from assistant.asr.download import ProgressBar
    from assistant.asr.models import ModelError, install_model

    home = Home.locate(args.home)
    try:
        model = install_model(args.spec, home, progress=ProgressBar(f"Downloading {args.spec}"))
    except ModelError as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    print(f"Installed {model.name} in {model.path} ({model.size_bytes / 1e6:.1f} MB).")
    return EXIT_OK


def run_models_remove(args: argparse.Namespace) -> int:
    from assistant.asr.models import ModelError, remove_model

    try:
        folder = remove_model(args.name, Home.locate(args.home))
    except ModelError as error:
        raise CommandError(str(error), EXIT_BAD_INPUT) from error
    print(f"Removed {folder}.")
    return EXIT_OK


# ----------------------------------------------------------------- devices


def run_devices(args: argparse.Namespace) -> int:
    from assistant.audio import AudioUnavailable, list_devices

    try:
        devices = list_devices()
    except AudioUnavailable as error:
        raise CommandError(str(error), EXIT_ENVIRONMENT) from error
    if args.json:
        print(json.dumps([device.__dict__ for device in devices], indent=2))
    elif not devices:
        print(
            "No sound devices found: no microphone or speaker. "
            "Use WAV files (`assistant listen --input`, `assistant say --to`); typed input works too."
        )
    for device in devices if not args.json else []:
        marks = ("default input " if device.is_default_input else "") + (
            "default output" if device.is_default_output else ""
        )
        print(
            f"  {device.index:>3} {device.name:<40} in:{device.inputs} out:{device.outputs} "
            f"{device.default_rate:.0f} Hz {marks}"
        )
    return EXIT_OK if devices else EXIT_ENVIRONMENT
