# ruff: noqa: E501  (figure-printing lines are kept whole)
"""End of speech -> first reply audio with the real assistant, plus memory and start-up time.

Each command is synthesized at run time (Piper joe voice, tests/speechgen.py), preceded by
"hey computer", and played as a WAV through the whole VoiceLoop with the DEFAULT engines:
pocketsphinx wake word and recognizer (biased with the assistant's ``phrases()``), the
configured synthesizer (pyttsx3 by default; ``--engines`` adds Piper), a WavFileSink(realtime=False)
standing in for the speaker, and the REAL assistant (``open_assistant`` in a temporary home with
the desk-lamp example plug-in; ``handle_transcript`` is the responder). A custom command is taught
first with "when I say ...".

Reports per engine: p50/p95 of the trace's ``response_latency`` (end of speech detected -> first
reply audio; the silence window is not included), a per-stage breakdown, and how many commands
were understood as expected. First, in fresh processes: resident memory and time from process
start to "listening" (open_assistant + recognizer + wake + synthesizer + loop running).

    .venv/bin/python benchmarks/latency.py [--reps 2] [--engines pyttsx3,piper] [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PLUGIN = ROOT / "examples" / "desk_lamp_plugin.py"
TEACH = "when I say reading mode, set the desk lamp to 100 percent and add reading to my log"

COMMANDS: list[tuple[str, str]] = [
    ("what time is it", "time.now"),
    ("set a timer for ten minutes", "timer.set"),
    ("how much time is left", "timer.list"),
    ("add milk to my shopping list", "list.add"),
    ("what's on my shopping list", "list.read"),
    ("what is twelve times seven", "calculator.evaluate"),
    ("square root of eighty one", "calculator.square_root"),
    ("convert five miles to kilometers", "units.convert"),
    ("turn on the desk lamp", "lamp.turn_on"),
    ("turn off the desk lamp", "lamp.turn_off"),
    ("reading mode", "custom.reading_mode"),
    ("help", "help.help"),
    ("what can I say", "help.what_can_i_say"),
]

BREAKDOWN = [
    ("asr_finish", "asr finalisation (recognizer.finish)"),
    ("nlu", "nlu (trace 'nlu')"),
    ("action", "action (trace 'action')"),
    ("dialogue_own", "dialogue, own time (dialogue - nlu - action)"),
    ("after_dialogue", "after dialogue (history, learning hooks, events)"),
    ("tts_first", "tts first audio (reply -> first audio piece)"),
    ("other", "unaccounted (loop bookkeeping)"),
]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0.0


def maxrss_mb() -> float:
    """Peak RSS of this process image: VmHWM (ru_maxrss would still count a large parent across fork+exec)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def make_home(folder: Path) -> Path:
    (folder / "plugins").mkdir(parents=True, exist_ok=True)
    shutil.copy(PLUGIN, folder / "plugins" / PLUGIN.name)
    return folder


# ------------------------------------------------------------------ timing probes


class TimedRecognizer:
    """Passes everything to the real recognizer; remembers how long ``finish()`` took."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.finish_ms = 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def start(self, phrases: list[str] | None = None) -> None:
        self.inner.start(phrases)

    def accept(self, chunk: Any) -> Any:
        return self.inner.accept(chunk)

    def finish(self) -> Any:
        began = time.perf_counter()
        try:
            return self.inner.finish()
        finally:
            self.finish_ms = (time.perf_counter() - began) * 1000


class Marks:
    """Wall-clock marks of one turn: responder start/end and first reply audio."""

    def __init__(self) -> None:
        self.respond_began = self.respond_ended = self.first_audio = 0.0
        self.asr_finish_ms = float("nan")
        self.errors: list[str] = []

    def on_event(self, event: Any) -> None:
        from assistant.events import Error, SpeakingStarted

        if isinstance(event, SpeakingStarted) and not self.first_audio:
            self.first_audio = time.perf_counter()
        elif isinstance(event, Error):
            self.errors.append(f"{event.stage}: {event.text}")


# ------------------------------------------------------------------ latency run


def stream_for(text: str, index: int, take: int, noise: float, folder: Path) -> Path:
    from assistant.audio.convert import to_pcm16, write_wav
    from tests.speechgen import StreamBuilder

    builder = StreamBuilder().pause(0.5).say("hey computer").pause(0.3).say(text, take=take).pause(1.0)
    path = folder / f"turn-{index}.wav"
    write_wav(path, to_pcm16(builder.samples(noise, seed=index)))
    return path


def run_engine(engine: str, reps: int, noise: float, folder: Path, verbose: bool) -> dict[str, Any]:
    from assistant.asr import create_recognizer
    from assistant.audio import WavFileSource
    from assistant.audio.sinks import WavFileSink
    from assistant.core import open_assistant
    from assistant.pipeline import VoiceLoop
    from assistant.tts import create_synthesizer
    from assistant.wake import create_wake_detector

    home = make_home(folder / f"home-{engine}")
    assistant = open_assistant(home)
    taught = assistant.handle_text(TEACH)
    settings = dataclasses.replace(assistant.settings, follow_up_seconds=0.0)
    choice = create_recognizer(settings, assistant.home)
    recognizer = TimedRecognizer(choice.recognizer)
    wake = create_wake_detector(settings, assistant.home)
    synthesizer = create_synthesizer(settings, engine=engine)
    sink = WavFileSink(folder / f"replies-{engine}.wav", realtime=False)

    def one_turn(path: Path) -> tuple[Any, Marks] | None:
        marks = Marks()

        def respond(transcript: Any) -> Any:
            marks.respond_began = time.perf_counter()
            # a reply that asks a question opens a follow-up request, whose finish() comes later
            marks.asr_finish_ms = recognizer.finish_ms
            try:
                return assistant.handle_transcript(transcript)
            finally:
                marks.respond_ended = time.perf_counter()

        wake.reset()
        unsubscribe = assistant.bus.subscribe(marks.on_event)
        try:
            loop = VoiceLoop(
                WavFileSource(path),
                recognizer,
                respond,
                settings=settings,
                wake=wake,
                synthesizer=synthesizer,
                sink=sink,
                bus=assistant.bus,
                phrases_provider=assistant.phrases,
            )
            turns = loop.run()
        finally:
            unsubscribe()
        return (turns[0], marks) if turns else None

    # one untimed turn first: loads lazily-built parts (grammar, voice) like a first request would
    warm_path = stream_for("what time is it", 1000, 0, noise, folder)
    warm = one_turn(warm_path)
    cold_ms = warm[0].trace.timings().get("response_latency") if warm else None

    rows: list[dict[str, Any]] = []
    index = 0
    for rep in range(reps):
        for text, expected in COMMANDS:
            path = stream_for(text, index, rep, noise, folder)
            index += 1
            result = one_turn(path)
            if result is None:
                rows.append(
                    {
                        "said": text,
                        "expected": expected,
                        "heard": None,
                        "intent": None,
                        "ok": False,
                        "missed_wake": True,
                    }
                )
                continue
            turn, marks = result
            timings = turn.trace.timings()
            latency = timings.get("response_latency", float("nan"))
            respond_ms = (marks.respond_ended - marks.respond_began) * 1000
            parts = {
                "asr_finish": marks.asr_finish_ms,
                "nlu": timings.get("nlu", 0.0),
                "action": timings.get("action", 0.0),
                "dialogue_own": timings.get("dialogue", 0.0)
                - timings.get("nlu", 0.0)
                - timings.get("action", 0.0),
                "after_dialogue": respond_ms - timings.get("dialogue", 0.0),
                "tts_first": (marks.first_audio - marks.respond_ended) * 1000
                if marks.first_audio
                else float("nan"),
            }
            parts["other"] = latency - sum(parts.values())
            asr = turn.trace.find("asr")
            row = {
                "said": text,
                "expected": expected,
                "heard": turn.text,
                "intent": turn.intent,
                "ok": turn.intent == expected,
                "latency_ms": latency,
                "parts": parts,
                "done": turn.intent == expected and turn.outcome == "success" and not turn.expects_answer,
                "outcome": turn.outcome,
                "expects_answer": turn.expects_answer,
                "asr_total_ms": timings.get("asr", 0.0),
                "phrases": asr.input.get("phrases") if asr else None,
                "reply_chars": len(turn.reply),
                "reply": turn.reply,
                "errors": marks.errors,
            }
            rows.append(row)
            if verbose:
                print(
                    f"    {latency:7.0f} ms  {'ok ' if row['ok'] else 'BAD'} {text!r} -> heard {turn.text!r} "
                    f"-> {turn.intent}  [{', '.join(f'{k} {v:.0f}' for k, v in parts.items())}]",
                    flush=True,
                )
    sink.close()
    assistant.close()
    return {
        "engine": engine,
        "recognizer": choice.engine,
        "cold_first_turn_ms": cold_ms,
        "taught": taught.intent,
        "rows": rows,
    }


def summarize(result: dict[str, Any]) -> dict[str, Any]:
    rows = [row for row in result["rows"] if "latency_ms" in row]
    latencies = [row["latency_ms"] for row in rows]
    summary: dict[str, Any] = {
        "engine": result["engine"],
        "turns": len(result["rows"]),
        "missed_wake": sum(1 for row in result["rows"] if row.get("missed_wake")),
        "understood": sum(1 for row in result["rows"] if row["ok"]),
        "done": sum(1 for row in result["rows"] if row.get("done")),
        "cold_first_turn_ms": result["cold_first_turn_ms"],
    }
    if latencies:
        summary.update(
            p50=statistics.median(latencies),
            p95=percentile(latencies, 0.95),
            mean=statistics.fmean(latencies),
            max=max(latencies),
        )
        summary["stages"] = {
            key: {
                "p50": statistics.median([r["parts"][key] for r in rows]),
                "p95": percentile([r["parts"][key] for r in rows], 0.95),
                "mean": statistics.fmean([r["parts"][key] for r in rows]),
            }
            for key, _label in BREAKDOWN
        }
    return summary


def print_summary(summary: dict[str, Any], result: dict[str, Any]) -> None:
    engine = summary["engine"]
    print(f"\n## tts_engine={engine} (recognizer {result['recognizer']}, {summary['turns']} turns)")
    if "p50" not in summary:
        print("- no turns")
        return
    verdict = "meets" if summary["p50"] < 300 else "MISSES"
    print(
        f"- response_latency p50 {summary['p50']:.0f} ms, p95 {summary['p95']:.0f} ms, mean {summary['mean']:.0f} ms, "
        f"max {summary['max']:.0f} ms ({verdict} the p50 < 300 ms target)"
    )
    cold = summary["cold_first_turn_ms"]
    print(
        f"- cold first turn (untimed warm-up, 'what time is it'): {cold:.0f} ms"
        if cold is not None
        else "- cold first turn: no turn"
    )
    print(
        f"- understood as expected (intent): {summary['understood']}/{summary['turns']}; of these carried out without a "
        f"follow-up question: {summary['done']} (wake missed: {summary['missed_wake']})"
    )
    print("- per stage, ms (p50 / p95 / mean):")
    for key, label in BREAKDOWN:
        stage = summary["stages"][key]
        print(f"    {label:52} {stage['p50']:7.1f} / {stage['p95']:7.1f} / {stage['mean']:7.1f}")
    for row in result["rows"]:
        if row.get("errors"):
            print(f"    errors in {row['said']!r}: {row['errors']}")
    wrong = [row for row in result["rows"] if not row["ok"]]
    for row in wrong:
        print(
            f"    misunderstood: said {row['said']!r}, heard {row['heard']!r}, intent {row['intent']} (expected {row['expected']})"
        )
    for row in result["rows"]:
        if row["ok"] and not row.get("done"):
            print(
                f"    right intent, not carried out: said {row['said']!r}, heard {row['heard']!r}, outcome {row['outcome']}, "
                f"reply {row['reply']!r}"
            )
    slow = sorted((r for r in result["rows"] if "latency_ms" in r), key=lambda r: -r["latency_ms"])[:3]
    for row in slow:
        parts = row["parts"]
        print(
            f"    slowest: {row['latency_ms']:.0f} ms {row['said']!r} (asr_finish {parts['asr_finish']:.0f}, "
            f"tts_first {parts['tts_first']:.0f}, reply {row['reply_chars']} chars, {row['phrases']} phrases)"
        )


# ------------------------------------------------------------------ memory and start-up


def probe(home: str, engine: str) -> None:
    """Child process: open the assistant, load the engines, start the loop; report when listening."""
    began = time.perf_counter()
    base = rss_mb()
    steps: dict[str, float] = {}
    memory: dict[str, float] = {}

    def step(name: str, mark: list[float] = [began]) -> None:  # noqa: B006 (running mark)
        now = time.perf_counter()
        steps[name] = round((now - mark[0]) * 1000, 1)
        memory[name] = round(rss_mb(), 1)
        mark[0] = now

    from assistant.asr import create_recognizer
    from assistant.audio import WavFileSource
    from assistant.audio.convert import write_wav
    from assistant.core import open_assistant
    from assistant.events import StatusChanged
    from assistant.pipeline import VoiceLoop
    from assistant.tts import create_synthesizer
    from assistant.wake import create_wake_detector

    step("imports")
    assistant = open_assistant(home)
    step("open_assistant")
    choice = create_recognizer(assistant.settings, assistant.home)
    step("recognizer")
    wake = create_wake_detector(assistant.settings, assistant.home)
    step("wake")
    synthesizer = create_synthesizer(assistant.settings, engine=engine or None)
    step("synthesizer")
    # the microphone stands in as a paced WAV of silence (no sound device needed)
    silent = Path(home) / "silence.wav"
    write_wav(silent, b"\0\0" * 16000 * 5)
    listening = threading.Event()
    assistant.bus.subscribe(
        lambda e: listening.set() if isinstance(e, StatusChanged) and e.state == "listening" else None
    )
    loop = VoiceLoop(
        WavFileSource(silent, realtime=True),
        choice.recognizer,
        assistant.handle_transcript,
        settings=assistant.settings,
        wake=wake,
        synthesizer=synthesizer,
        bus=assistant.bus,
        phrases_provider=assistant.phrases,
    )
    loop.start()
    listening.wait(10)
    step("loop listening")
    print("LISTENING", flush=True)
    ready_rss = rss_mb()
    # what the first request adds: phrases for biasing and the recognizer's grammar (1 s of silence:
    # pocketsphinx's finish() fails on a request with no audio at all)
    from assistant.events import AudioChunk

    phrases = assistant.phrases()
    choice.recognizer.start(phrases)
    choice.recognizer.accept(AudioChunk(audio=b"\0\0" * 16000, timestamp=0.0))
    choice.recognizer.finish()
    step("first request setup (phrases + grammar)")
    loop.stop()
    print(
        json.dumps(
            {
                "python_rss_mb": base,
                "ready_rss_mb": ready_rss,
                "rss_after_grammar_mb": rss_mb(),
                "maxrss_mb": maxrss_mb(),
                "steps_ms": steps,
                "rss_after_step_mb": memory,
                "recognizer": choice.engine,
                "synthesizer": synthesizer.engine,
                "phrases": len(phrases),
            }
        ),
        flush=True,
    )
    assistant.close()


def startup(folder: Path, engine: str, label: str, fresh: bool) -> dict[str, Any] | None:
    home = folder / "startup-home"
    if fresh and home.exists():
        shutil.rmtree(home)
    make_home(home)
    began = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, __file__, "--probe", str(home), "--probe-engine", engine],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    ready = None
    lines = []
    for line in process.stdout:
        if line.strip() == "LISTENING" and ready is None:
            ready = time.perf_counter() - began
        lines.append(line)
    process.wait()
    if process.returncode != 0 or ready is None:
        error = (process.stderr.read() if process.stderr else "").strip().splitlines()[-1:]
        print(f"- {label}: failed {error}")
        return None
    data = json.loads(lines[-1])
    data["start_to_listening_s"] = ready
    verdict_time = "meets" if ready < 3 else "MISSES"
    verdict_mem = "meets" if data["ready_rss_mb"] < 300 else "MISSES"
    steps = ", ".join(f"{k} {v:.0f}" for k, v in data["steps_ms"].items())
    print(
        f"- {label}: process start -> listening {ready:.2f} s ({verdict_time} < 3 s); "
        f"RSS when listening {data['ready_rss_mb']:.0f} MB ({verdict_mem} < 300 MB), "
        f"after first grammar {data['rss_after_grammar_mb']:.0f} MB, peak (VmHWM) {data['maxrss_mb']:.0f} MB; "
        f"bare python {data['python_rss_mb']:.0f} MB"
    )
    print(f"    steps ms: {steps}  [{data['recognizer']} + {data['synthesizer']}, {data['phrases']} phrases]")
    print(
        "    RSS MB after each step: "
        + ", ".join(f"{k} {v:.0f}" for k, v in data["rss_after_step_mb"].items())
    )
    return data


# ------------------------------------------------------------------ main


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--reps", type=int, default=2, help="takes of each command (take 0 is Piper's deterministic one)"
    )
    parser.add_argument(
        "--engines",
        default="pyttsx3,piper",
        help="speech output engines to compare, comma-separated (first = default)",
    )
    parser.add_argument("--noise", type=float, default=0.003, help="white-noise RMS mixed into each stream")
    parser.add_argument("--no-startup", action="store_true", help="skip the memory and start-up probes")
    parser.add_argument("--verbose", action="store_true", help="print every turn")
    parser.add_argument("--json", action="store_true", help="also print all figures as one JSON object")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    parser.add_argument("--probe-engine", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, args.probe_engine)
        return

    began = time.perf_counter()
    print(
        f"# Latency benchmark: end of speech -> first reply audio, real assistant, {len(COMMANDS)} commands x {args.reps} takes"
    )
    print(
        "(pocketsphinx wake + recognizer biased with assistant.phrases(); WavFileSink(realtime=False) as speaker; "
        "silence window 0.6 s not included)"
    )
    report: dict[str, Any] = {"latency": [], "startup": []}
    with tempfile.TemporaryDirectory(prefix="latency-bench-") as temporary:
        folder = Path(temporary)
        if not args.no_startup:
            print(
                "\n## Memory and start-up (fresh process each; only pocketsphinx here - no Vosk model is installed,"
                " so the '< 300 MB with Vosk small' target is checked with pocketsphinx)"
            )
            for engine, label, fresh in [
                ("", "default settings, new home (first start)", True),
                ("", "default settings, existing home", False),
                ("piper", "tts_engine=piper, existing home", False),
            ]:
                data = startup(folder, engine, label, fresh)
                if data:
                    report["startup"].append({"label": label, **data})
        for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
            try:
                result = run_engine(engine, args.reps, args.noise, folder, args.verbose)
            except Exception as error:  # e.g. Piper not installed: report and go on
                print(f"\n## tts_engine={engine}: failed ({type(error).__name__}: {error})")
                continue
            summary = summarize(result)
            print_summary(summary, result)
            report["latency"].append({"summary": summary, "rows": result["rows"]})
        print(
            f"\n(benchmark process peak RSS, with the Piper test voice and both synthesizers: {maxrss_mb():.0f} MB)"
        )
    print(f"\n(total {time.perf_counter() - began:.0f} s)")
    if args.json:
        print(json.dumps(report, default=str))


if __name__ == "__main__":
    main()
