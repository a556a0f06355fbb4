# ruff: noqa: E501  (figure-printing lines are kept whole)
"""What Wyoming costs: latency a remote engine adds on loopback, satellites served at once, memory.

1. Added latency. The assistant serves its own engines (``assistant serve --wyoming``, a
   separate process) and the same engines run locally here: transcribing a spoken request
   (pocketsphinx, biased) and synthesizing a reply (pyttsx3, time to first audio), locally and
   through WyomingRecognizer / WyomingSynthesizer on 127.0.0.1. The difference is what the
   protocol, the socket and the other process add. ``handle`` (text in, reply out) is timed too.
2. Satellites. N real ``wyoming-satellite`` processes (scripts/peers.sh), each with a WAV file
   as its microphone saying "hey computer" and a request twice, all at the same moment
   (arbitration off, so every one answers). End of speech → first reply audio from each turn's
   trace; the largest N whose p50 stays under 1 s is reported.
3. Memory: the assistant's resident memory before the satellites and with N, per satellite.

The machine has 2 cores shared with other work: timings are noisy; run twice before believing a
difference.

    .venv/bin/python benchmarks/wyoming.py [--reps 10] [--max-satellites 4] [--all] [--satellites-only] [--json]
    .venv/bin/python benchmarks/wyoming.py --satellites-only --only 3 --rounds 3 [--asr-engine pocketsphinx]

Each satellite count also reports the recognizer's time and path per turn (grammar, or
dictation: Whisper) and the assistant's CPU seconds per turn (less inflated by other work than
the clock). ``--only N`` measures N satellites in a fresh process, so memory is not mixed up
with what earlier counts left behind.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is called wyoming.py: its own folder on the path would hide the wyoming library.
sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != ROOT / "benchmarks"]
sys.path.insert(0, str(ROOT))

REQUESTS = ["what time is it", "set a timer for ten minutes", "what is twelve times eight"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 0.5), 1),
        "p95": round(percentile(values, 0.95), 1),
        "n": len(values),
    }


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def start_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    from assistant.wyoming.client import describe
    from assistant.wyoming.endpoint import parse_endpoint
    from tests.wyoming.peers import free_port

    port = free_port()
    uri = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ASSISTANT_HOME": str(home)}
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", "--no-voice", "--wyoming", uri],
        env=env, cwd=ROOT, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            describe(parse_endpoint(uri), 2.0)
            return process, uri
        except Exception:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the assistant's Wyoming server did not start")


def added_latency(reps: int) -> dict[str, Any]:
    from wyoming.asr import Transcript
    from wyoming.info import Describe

    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
    from assistant.audio.convert import read_wav
    from assistant.config import Home
    from assistant.core import open_assistant
    from assistant.tts.pyttsx3_engine import Pyttsx3Synthesizer
    from assistant.wyoming.client import ServiceConnection
    from assistant.wyoming.endpoint import parse_endpoint
    from assistant.wyoming.remote_asr import WyomingRecognizer
    from assistant.wyoming.remote_tts import WyomingSynthesizer
    from tests.speechgen import synthesize

    home = Path(tempfile.mkdtemp(prefix="wyo-bench-"))
    assistant = open_assistant(Home.locate(home).ensure(), plugins=False)
    phrases = assistant.phrases()
    assistant.close()
    process, uri = start_server(home)
    try:
        clips = [read_wav(synthesize(text)) for text in REQUESTS]
        local_asr = PocketsphinxRecognizer()
        remote_asr = WyomingRecognizer(uri, PocketsphinxRecognizer, timeout=30)
        local_tts = Pyttsx3Synthesizer()
        remote_tts = WyomingSynthesizer(uri, Pyttsx3Synthesizer, timeout=30)
        remote_asr.transcribe(clips[0])  # the server loads its engines on first use
        remote_tts.synthesize("Warming up.")
        times: dict[str, list[float]] = {
            key: [] for key in ("asr_local", "asr_remote", "tts_local", "tts_remote", "describe", "handle")
        }
        for rep in range(reps):
            pcm = clips[rep % len(clips)]
            began = time.perf_counter()
            local_asr.transcribe(pcm, phrases)
            times["asr_local"].append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            remote_asr.transcribe(pcm)  # the server biases with the same phrases
            times["asr_remote"].append((time.perf_counter() - began) * 1000)
            for key, synthesizer in (("tts_local", local_tts), ("tts_remote", remote_tts)):
                began = time.perf_counter()
                next(iter(synthesizer.synthesize_stream("The timer is set for ten minutes.")))
                times[key].append((time.perf_counter() - began) * 1000)
            connection = ServiceConnection(parse_endpoint(uri), 10)
            began = time.perf_counter()
            connection.send(Describe())
            connection.receive()
            times["describe"].append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            connection.send(Transcript(text="what is twelve times eight"))
            connection.receive()
            times["handle"].append((time.perf_counter() - began) * 1000)
            connection.close()
        result = {key: summary(values) for key, values in times.items()}
        result["asr_added"] = summary(
            [remote - local for remote, local in zip(times["asr_remote"], times["asr_local"], strict=True)]
        )
        result["tts_added"] = summary(
            [remote - local for remote, local in zip(times["tts_remote"], times["tts_local"], strict=True)]
        )
        return result
    finally:
        process.terminate()
        process.wait(30)


def satellites(count: int, rounds: int = 2, asr_engine: str = "auto") -> dict[str, Any]:
    from assistant.config import Home, Settings
    from assistant.core import open_assistant
    from assistant.voice import start_satellites
    from assistant.wyoming.health import ServiceState
    from tests.speechgen import StreamBuilder
    from tests.wyoming import peers

    tmp = Path(tempfile.mkdtemp(prefix="wyo-sats-"))
    rooms = []
    for index in range(count):
        builder = StreamBuilder().pause(1.0)
        for turn in range(rounds):
            builder.say("hey computer").pause(0.3).say(REQUESTS[(index + turn) % len(REQUESTS)]).pause(4.0)
        mic = builder.save(tmp / f"room{index}.wav", noise=0.002)
        go = tmp / "go"  # one file: every room starts speaking at the same moment
        rooms.append(peers.satellite(tmp, mic, go, tmp / f"room{index}.raw", f"room{index}").start())
    assistant = open_assistant(Home.locate(tmp / "home").ensure(), plugins=False)
    assistant.settings = Settings(
        satellites=", ".join(room.uri for room in rooms),
        follow_up_seconds=0.0,
        satellite_arbitration_seconds=0.0,
        asr_engine=asr_engine,
    )
    before = rss_mb()
    hub = start_satellites(assistant)
    assert hub is not None
    try:
        deadline = time.monotonic() + 120
        while not all(link.health.state is ServiceState.OK for link in hub.links):
            if time.monotonic() > deadline:
                raise SystemExit(
                    "satellites did not connect: " + "; ".join(link.health.describe() for link in hub.links)
                )
            time.sleep(0.2)
        loaded = rss_mb()
        cpu_before = process_cpu_seconds()
        (tmp / "go").touch()
        deadline = time.monotonic() + 30 + 12 * rounds * count
        while sum(len(link.turns) for link in hub.links) < count * rounds and time.monotonic() < deadline:
            time.sleep(0.2)
        latencies = [
            record.ms
            for link in hub.links
            for turn in link.turns
            for record in turn.trace.stages
            if record.stage == "response_latency"
        ]
        cpu = process_cpu_seconds() - cpu_before
        asr = [
            record
            for link in hub.links
            for turn in link.turns
            for record in turn.trace.stages
            if record.stage == "asr"
        ]
        paths: dict[str, int] = {}
        for record in asr:
            path = str((record.input or {}).get("path") or (record.input or {}).get("engine"))
            paths[path] = paths.get(path, 0) + 1
        answered = sum(len(link.turns) for link in hub.links)
        return {
            "satellites": count,
            "turns": answered,
            "expected": count * rounds,
            "latency_ms": summary(latencies) if latencies else None,
            "asr_ms": summary([record.ms for record in asr]) if asr else None,
            "asr_paths": paths,
            "cpu_seconds_per_turn": round(cpu / answered, 2) if answered else None,
            "memory_mb": {
                "before": round(before),
                "with": round(loaded),
                "per_satellite": round((loaded - before) / count, 1),
            },
        }
    finally:
        hub.stop()
        for room in rooms:
            room.stop()
        assistant.close()


def process_cpu_seconds() -> float:
    """This process's CPU time (user + system, all threads): less inflated by other work than the clock."""
    times = os.times()
    return times.user + times.system


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--max-satellites", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--all", action="store_true", help="measure every count, even past 1 s")
    parser.add_argument(
        "--only",
        type=int,
        default=0,
        help="measure this many satellites alone (a fresh process each: clean memory)",
    )
    parser.add_argument("--rounds", type=int, default=2, help="requests each satellite says")
    parser.add_argument("--asr-engine", default="auto", help="the satellites' recognizer (default: auto)")
    parser.add_argument("--satellites-only", action="store_true", help="skip the added-latency part")
    args = parser.parse_args()
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(message)s")  # a remote engine giving way shows
    report: dict[str, Any] = {
        "cores": os.cpu_count(),
        "asr_engine": args.asr_engine,
        "note": "2 shared cores: timings are noisy",
    }
    if not args.satellites_only:
        report["added_latency"] = added_latency(args.reps)
        if not args.json:
            print(json.dumps(report["added_latency"], indent=1), flush=True)
    served = []
    for count in [args.only] if args.only else range(1, args.max_satellites + 1):
        result = satellites(count, rounds=args.rounds, asr_engine=args.asr_engine)
        served.append(result)
        if not args.json:
            print(json.dumps(result), flush=True)
        latency = result["latency_ms"]
        failed = latency is None or latency["p50"] >= 1000 or result["turns"] < result["expected"]
        if failed and not args.all:
            break
    report["satellites"] = served
    good = [
        r["satellites"]
        for r in served
        if r["latency_ms"] and r["latency_ms"]["p50"] < 1000 and r["turns"] == r["expected"]
    ]
    report["satellites_under_1s"] = max(good, default=0)
    print(json.dumps(report, indent=None if not args.json else 1))


if __name__ == "__main__":
    main()
