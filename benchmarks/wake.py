"""Wake word figures: misses per engine, phrase, voice and noise; false wakes per hour; idle CPU; memory.

Run (from the repository root):
  .venv/bin/python benchmarks/wake.py misses            misses at clean / 20 / 10 / 5 dB SNR
  .venv/bin/python benchmarks/wake.py false --hours 2   false wakes over hours of distractor speech
  .venv/bin/python benchmarks/wake.py idle              CPU share of one core while waiting
  .venv/bin/python benchmarks/wake.py memory            resident memory of `assistant listen`
  .venv/bin/python benchmarks/wake.py report            the tables, from the saved results

Every engine listens behind the energy gate, as in the product, to one stream per
condition; the stream holds every phrase in every rendition, so each detector also
meets the other engines' phrases (a wake there counts as a false wake). Results
are saved as JSON in benchmarks/out/; audio is cached in benchmarks/out/wake-audio/.
Timings on a shared machine are noisy: compare the ratios of one run.
WAKE_SECOND_CHECK=whisper (any asr engine name) gives keyword spotting that recognizer as its
second check; give such a run its own WAKE_OUT folder, since the report pools every file in one.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.audio.convert import to_pcm16  # noqa: E402
from assistant.config import Settings  # noqa: E402
from assistant.events import AudioChunk, WakeDetected  # noqa: E402
from assistant.wake import create_wake_detector  # noqa: E402
from assistant.wake.base import WakeWordDetector  # noqa: E402
from assistant.wake.bundled import BUNDLED_MODELS, MICRO, OPEN  # noqa: E402
from assistant.wake.gate import GatedWakeDetector  # noqa: E402
from assistant.wake.second_check import CandidateCheck  # noqa: E402
from benchmarks.wake_audio import (  # noqa: E402
    NOISES,
    RATE,
    Rendition,
    active_rms,
    distractor_texts,
    noise,
    speech,
)
from tests.speechgen import save  # noqa: E402

OUT = Path(os.environ.get("WAKE_OUT", ROOT / "benchmarks" / "out"))
"""Where results go (audio is always cached in benchmarks/out/wake-audio/)."""
SETUPS = [(MICRO, phrase) for phrase in BUNDLED_MODELS[MICRO]]
SETUPS += [(OPEN, phrase) for phrase in BUNDLED_MODELS[OPEN]]
SETUPS += [("pocketsphinx", "hey computer")]
TRIAL_PHRASES = [*BUNDLED_MODELS[OPEN], "hey computer"]
SNRS = (20, 10, 5)
SPEECH_LEVEL = 0.08
"""Active RMS every phrase is scaled to (about -22 dBFS: someone at a desk microphone)."""
ROOM_HISS = 0.0005
"""A quiet room's floor under everything (-66 dBFS), so "clean" is not digital silence."""
CHUNK = 1600
"""0.1 s, the chunk size of the audio sources."""
HIT_AFTER = 1.0
"""A wake counts for a phrase if it is reported by this long after the phrase ended."""


def key(engine: str, phrase: str) -> str:
    return f"{engine}: {phrase}"


def miss_renditions() -> list[Rendition]:
    """Piper at three speeds, each eSpeak NG voice at two."""
    piper = [Rendition("piper", speed) for speed in (0.85, 1.0, 1.2)]
    voices = ("espeak:en-us", "espeak:en-us+f3", "espeak:en-gb")
    return piper + [Rendition(voice, speed) for voice in voices for speed in (1.0, 1.2)]


class SharedFeatures:
    """openWakeWord's mel and embedding models run once per chunk for every openWakeWord phrase."""

    def __init__(self) -> None:
        from pyopen_wakeword import OpenWakeWordFeatures

        self.features = OpenWakeWordFeatures.from_builtin()
        self.current: list[Any] = []

    def compute(self, audio: bytes) -> None:
        self.current = list(self.features.process_streaming(audio))

    def process_streaming(self, _audio: bytes) -> list[Any]:
        return self.current

    def reset(self) -> None:
        self.features.reset()


class FanOut(WakeWordDetector):
    """Every set-up's detector on the same audio, behind one gate; wakes and CPU kept per set-up."""

    def __init__(self, setups: list[tuple[str, str]] | None = None) -> None:
        super().__init__("fan out")
        check = second_check()
        self.shared = SharedFeatures()
        self.detectors: dict[str, WakeWordDetector] = {}
        self.wakes: dict[str, list[float]] = {}
        self.cpu: dict[str, float] = {"openwakeword features": 0.0}
        for engine, phrase in setups or SETUPS:
            settings = Settings(wake_phrase=phrase, wake_engine=engine)
            detector = create_wake_detector(settings, gated=False, second_check=check)
            if engine == OPEN:
                detector.features = self.shared  # type: ignore[attr-defined]
            self.detectors[key(engine, phrase)] = detector
            self.wakes[key(engine, phrase)] = []
            self.cpu[key(engine, phrase)] = 0.0
        self.uses_shared = any(engine == OPEN for engine, _phrase in setups or SETUPS)

    def process(self, chunk: AudioChunk) -> WakeDetected | None:
        # perf_counter, not process_time: the latter is a slow system call here (2 ms under load);
        # so the shares below are of wall time, an upper bound of CPU on a busy machine
        if self.uses_shared:
            began = time.perf_counter()
            self.shared.compute(chunk.audio)
            self.cpu["openwakeword features"] += time.perf_counter() - began
        for name, detector in self.detectors.items():
            began = time.perf_counter()
            found = detector.process(chunk)
            self.cpu[name] += time.perf_counter() - began
            if found is not None:
                self.wakes[name].append(found.at)
        return None

    def pause(self) -> None:
        for detector in self.detectors.values():
            detector.pause()

    def reset(self) -> None:
        self.shared.reset()
        for detector in self.detectors.values():
            detector.reset()


def second_check() -> CandidateCheck | None:
    """The recognizer named by WAKE_SECOND_CHECK (e.g. whisper) as keyword spotting's second check."""
    engine = os.environ.get("WAKE_SECOND_CHECK", "")
    if not engine:
        return None
    from assistant.asr import create_recognizer
    from assistant.wake.second_check import RecognizerCheck

    return RecognizerCheck(create_recognizer(Settings(), engine=engine).recognizer)


def feed(detector: WakeWordDetector, samples: np.ndarray, start: float = 0.0) -> float:
    """Feed float samples in 0.1 s chunks from stream time ``start``; returns the end time."""
    pcm = to_pcm16(samples)
    for offset in range(0, len(pcm), CHUNK * 2):
        detector.process(AudioChunk(pcm[offset : offset + CHUNK * 2], start + offset / (2 * RATE)))
    return start + len(samples) / RATE


def gated_fan_out(setups: list[tuple[str, str]] | None = None) -> tuple[GatedWakeDetector, FanOut]:
    fan = FanOut(setups)
    return GatedWakeDetector(fan), fan


# ------------------------------------------------------------------- misses


def miss_stream(
    kind: str | None, snr: float | None, seed: int
) -> tuple[np.ndarray, list[tuple[str, str, float, float]]]:
    """Every phrase in every rendition, 1.5 s apart, in noise; (phrase, voice, start, end) of each."""
    generator = np.random.default_rng(seed)
    pieces: list[np.ndarray] = []
    trials: list[tuple[str, str, float, float]] = []
    position = 0
    for rendition in miss_renditions():
        for phrase in generator.permutation(TRIAL_PHRASES):
            clip = speech(str(phrase), rendition)
            clip = clip * (SPEECH_LEVEL / (active_rms(clip) or 1.0))
            gap = np.zeros(int(1.5 * RATE), dtype=np.float32)
            pieces += [gap, clip.astype(np.float32)]
            start = (position + len(gap)) / RATE
            position += len(gap) + len(clip)
            trials.append((str(phrase), rendition.label, start, position / RATE))
    pieces.append(np.zeros(int(1.5 * RATE), dtype=np.float32))
    samples = np.concatenate(pieces)
    samples = samples + ROOM_HISS * noise("fan", len(samples), seed + 1)
    if kind is not None and snr is not None:
        babble = babble_pool() if kind == "babble" else None
        samples = samples + SPEECH_LEVEL / 10 ** (snr / 20) * noise(kind, len(samples), seed + 2, babble)
    return np.clip(samples, -1, 1).astype(np.float32), trials


def babble_pool() -> list[np.ndarray]:
    texts = distractor_texts()[:20]
    voices = [Rendition("piper", 1.0), Rendition("espeak:en-us", 1.0), Rendition("espeak:en-gb", 1.0)]
    return [speech(text, voice) for text in texts for voice in voices]


def run_misses(
    conditions: list[tuple[str | None, float | None]], save_to: Path | None = None
) -> dict[str, Any]:
    """Saves after every condition to ``save_to``, so a run cut short still counts."""
    results: dict[str, Any] = {}
    for index, (kind, snr) in enumerate(conditions):
        label = "clean" if kind is None else f"{kind} {snr:g} dB"
        samples, trials = miss_stream(kind, snr, seed=100 + index)
        gated, fan = gated_fan_out()
        began = time.perf_counter()
        feed(gated, samples)
        per_setup = {}
        for engine, phrase in SETUPS:
            wakes = fan.wakes[key(engine, phrase)]
            own = [(voice, start, end) for said, voice, start, end in trials if said == phrase]
            missed = [
                voice for voice, start, end in own if not any(start <= at <= end + HIT_AFTER for at in wakes)
            ]
            others = [
                at
                for at in wakes
                if not any(
                    said == phrase and start <= at <= end + HIT_AFTER for said, _v, start, end in trials
                )
            ]
            per_setup[key(engine, phrase)] = {"trials": len(own), "missed": missed, "false": len(others)}
        results[label] = {
            "seconds": len(samples) / RATE,
            "trials": trials,
            "wakes": fan.wakes,
            "gate_passed": gated.gate.seconds_passed / gated.gate.seconds_heard,
            "setups": per_setup,
        }
        print(f"{label}: {len(samples) / RATE:.0f} s in {time.perf_counter() - began:.0f} s", flush=True)
        if save_to is not None:
            save_to.write_text(json.dumps(results, indent=1))
    return results


# ------------------------------------------------------------- false wakes


def false_wake_segment(generator: np.random.Generator, pool: list[np.ndarray], seconds: float) -> np.ndarray:
    """About ``seconds`` of people talking (not to the assistant) with pauses, in one noise at one SNR."""
    pieces: list[np.ndarray] = []
    length = 0
    level = float(generator.uniform(0.02, 0.15))
    while length < seconds * RATE:
        clip = pool[int(generator.integers(0, len(pool)))]
        clip = clip * (level / (active_rms(clip) or 1.0)) * float(generator.uniform(0.7, 1.3))
        pause = np.zeros(int(generator.uniform(0.2, 2.0) * RATE), dtype=np.float32)
        pieces += [clip.astype(np.float32), pause]
        length += len(clip) + len(pause)
    samples = np.concatenate(pieces)
    if generator.random() < 0.1:  # now and then nobody talks: noise alone
        samples = np.zeros_like(samples)
    samples = samples + ROOM_HISS * noise("fan", len(samples), int(generator.integers(1 << 30)))
    kind = NOISES[int(generator.integers(0, len(NOISES)))]
    snr = float(generator.choice([30.0, 20.0, 10.0, 5.0]))
    babble = pool if kind == "babble" else None
    samples = samples + level / 10 ** (snr / 20) * noise(
        kind, len(samples), int(generator.integers(1 << 30)), babble
    )
    return np.clip(samples, -1, 1).astype(np.float32)


def false_wake_pool(texts: int) -> list[np.ndarray]:
    chosen = distractor_texts()[:texts]
    voices = [Rendition(v, 1.0) for v in ("piper", "espeak:en-us", "espeak:en-us+f3", "espeak:en-gb")]
    pool = []
    for index, text in enumerate(chosen):
        pool.append(speech(text, voices[index % len(voices)]))
        pool.append(speech(text, voices[(index + 1) % len(voices)]))
    return pool


def run_false(
    hours: float, seed: int, texts: int, engines: list[str] | None, save_to: Path | None = None
) -> dict[str, Any]:
    """Saves what it has after every minute of audio to ``save_to``, so a run cut short still counts."""
    generator = np.random.default_rng(seed)
    pool = false_wake_pool(texts)
    gated, fan = gated_fan_out([setup for setup in SETUPS if not engines or setup[0] in engines])
    position = 0.0
    began = time.perf_counter()
    while position < hours * 3600:
        position = feed(gated, false_wake_segment(generator, pool, 60.0), position)
        print(f"{position / 3600:.2f} h in {time.perf_counter() - began:.0f} s", flush=True)
        results = {
            "seconds": position,
            "clips": len(pool),
            "gate_passed": gated.gate.seconds_passed / gated.gate.seconds_heard,
            "wakes": fan.wakes,
            "cpu": {name: spent / position for name, spent in fan.cpu.items()},
        }
        if save_to is not None:
            save_to.write_text(json.dumps(results, indent=1))
    return results


# -------------------------------------------------------------- idle and memory

IDLE_CHOICES = [("pocketsphinx", "hey computer"), (MICRO, "okay nabu"), (OPEN, "hey rhasspy")]


def quiet_room(seconds: float) -> Path:
    path = OUT / f"quiet-room-{seconds:g}s.wav"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        hiss = ROOM_HISS * noise("fan", int(seconds * RATE), 7) + ROOM_HISS * noise(
            "brown", int(seconds * RATE), 8
        )
        save(hiss.astype(np.float32), path, RATE)
    return path


def home_for(engine: str, phrase: str, folder: Path) -> Path:
    from assistant.config import Home

    home = Home.locate(folder / f"{engine}-{phrase.replace(' ', '-')}").ensure()
    Settings(wake_phrase=phrase, wake_engine=engine, follow_up_seconds=0.0).save(home)
    return home.config_dir


def listen(home: Path, wav: Path, read_back: bool) -> tuple[float, int]:
    """CPU seconds and peak resident memory (KiB) of one `assistant listen` run."""
    command = [sys.executable, "-m", "assistant", "--home", str(home), "listen", "--input", str(wav)]
    if read_back:
        command.append("--read-back")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    timed = ["/usr/bin/time", "-f", "%M", *command]
    done = subprocess.run(timed, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = int(done.stderr.strip().splitlines()[-1])
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return cpu, peak


def run_idle(minutes: float) -> dict[str, Any]:
    """`assistant listen --read-back` on a quiet room: (long run - short run) CPU over the extra audio;
    and the detector alone with and without the gate on two minutes of the same room."""
    long_file, short_file = quiet_room(minutes * 60), quiet_room(5.0)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for engine, phrase in IDLE_CHOICES:
            home = home_for(engine, phrase, Path(folder))
            short_cpu, _ = listen(home, short_file, read_back=True)
            long_cpu, _ = listen(home, long_file, read_back=True)
            share = (long_cpu - short_cpu) / (minutes * 60 - 5.0)
            alone = {}
            samples = noise("fan", 120 * RATE, 9) * ROOM_HISS
            for gated in (True, False):
                detector = create_wake_detector(Settings(wake_phrase=phrase, wake_engine=engine), gated=gated)
                began = time.process_time()
                feed(detector, samples)
                alone["gated" if gated else "ungated"] = (time.process_time() - began) / 120
            results[key(engine, phrase)] = {"listen_share": share, "startup_cpu": short_cpu, **alone}
            print(key(engine, phrase), results[key(engine, phrase)], flush=True)
    return results


def spoken_turn() -> Path:
    path = OUT / "wake-memory-turns.wav"
    if not path.exists():
        voice = Rendition("piper", 1.0)
        parts = []
        for phrase in ("hey computer", "okay nabu", "hey rhasspy"):
            parts += [
                np.zeros(RATE, dtype=np.float32),
                speech(phrase, voice),
                np.zeros(RATE // 3, dtype=np.float32),
            ]
            parts += [speech("what time is it", voice), np.zeros(2 * RATE, dtype=np.float32)]
        save(np.concatenate(parts) * 0.8 + ROOM_HISS * noise("fan", sum(map(len, parts)), 3), path, RATE)
    return path


def run_memory() -> dict[str, Any]:
    """Peak resident memory of `assistant listen` (the whole assistant) per wake engine: waiting
    only (a quiet room) and with a turn (wake, request, reply)."""
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        for engine, phrase in IDLE_CHOICES:
            home = home_for(engine, phrase, Path(folder))
            _, waiting = listen(home, quiet_room(5.0), read_back=False)
            _, turn = listen(home, spoken_turn(), read_back=False)
            results[key(engine, phrase)] = {"waiting_mb": waiting / 1024, "turn_mb": turn / 1024}
            print(key(engine, phrase), results[key(engine, phrase)], flush=True)
    return results


# ------------------------------------------------------------------- report


def load(name: str) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(OUT.glob(f"wake-{name}*.json"))]


def pooled(runs: list[dict[str, Any]], setup: str, snr: str) -> tuple[int, int, list[str]]:
    missed: list[str] = []
    trials = 0
    for run in runs:
        for label, condition in run.items():
            if (snr == "clean" and label == "clean") or label.endswith(f" {snr} dB"):
                trials += condition["setups"][setup]["trials"]
                missed += condition["setups"][setup]["missed"]
    return len(missed), trials, missed


def report() -> None:
    misses = load("misses")
    if misses:
        print("\n## Wake word misses (all voices and noises of each SNR pooled)\n")
        print("| engine: phrase | clean | 20 dB | 10 dB | 5 dB | misses at 10 dB by voice |")
        print("| --- | --- | --- | --- | --- | --- |")
        for engine, phrase in SETUPS:
            cells = []
            for snr in ("clean", "20", "10", "5"):
                count, trials, _ = pooled(misses, key(engine, phrase), snr)
                cells.append(f"{100 * count / trials:.0f} % ({count}/{trials})" if trials else "-")
            _, _, at_ten = pooled(misses, key(engine, phrase), "10")
            voices = sorted({voice.split("@")[0] for voice in at_ten})
            by_voice = (
                ", ".join(f"{v} {sum(x.startswith(v + '@') for x in at_ten)}" for v in voices) or "none"
            )
            print(f"| {key(engine, phrase)} | " + " | ".join(cells) + f" | {by_voice} |")
        print("\nBoth trained engines together (a wake when either fires), from the same streams:\n")
        print("| phrase | clean | 20 dB | 10 dB | 5 dB | wakes on other phrases |")
        print("| --- | --- | --- | --- | --- | --- |")
        for phrase in BUNDLED_MODELS[MICRO]:
            cells = []
            for snr in ("clean", "20", "10", "5"):
                count = trials = 0
                for run in misses:
                    for label, condition in run.items():
                        if not ((snr == "clean" and label == "clean") or label.endswith(f" {snr} dB")):
                            continue
                        wakes = condition["wakes"][key(MICRO, phrase)] + condition["wakes"][key(OPEN, phrase)]
                        for said, _voice, start, end in condition["trials"]:
                            if said == phrase:
                                trials += 1
                                count += not any(start <= at <= end + HIT_AFTER for at in wakes)
                cells.append(f"{100 * count / trials:.0f} % ({count}/{trials})" if trials else "-")
            others = sum(
                c["setups"][key(engine, phrase)]["false"]
                for run in misses
                for c in run.values()
                for engine in (MICRO, OPEN)
            )
            print(f"| {phrase} | " + " | ".join(cells) + f" | {others} |")
        strays = {
            key(e, p): sum(c["setups"][key(e, p)]["false"] for run in misses for c in run.values())
            for e, p in SETUPS
        }
        print(f"\nWakes on the other phrases of the miss streams: {strays}")
    false = load("false")
    if false:
        seconds = sum(run["seconds"] for run in false)
        print("\n## False wakes over distractor speech and noise (per 10 h: extrapolated)\n")
        print(
            "| engine: phrase | hours | false wakes | per hour | per 10 h | share of a core in talk (wall) |"
        )
        print("| --- | --- | --- | --- | --- | --- |")
        for engine, phrase in SETUPS:
            runs = [run for run in false if key(engine, phrase) in run["wakes"]]
            if not runs:
                continue
            hours = sum(run["seconds"] for run in runs) / 3600
            count = sum(len(run["wakes"][key(engine, phrase)]) for run in runs)
            cpu = sum(run["cpu"][key(engine, phrase)] * run["seconds"] for run in runs) / (hours * 3600)
            if engine == OPEN:
                cpu += sum(run["cpu"]["openwakeword features"] * run["seconds"] for run in runs) / (
                    hours * 3600
                )
            rates = f"{count / hours:.2f} | {10 * count / hours:.1f}"
            print(f"| {key(engine, phrase)} | {hours:.2f} | {count} | {rates} | {100 * cpu:.1f} % |")
        gate = sum(run["gate_passed"] * run["seconds"] for run in false) / seconds
        print(f"\nThe energy gate let through {100 * gate:.0f} % of that audio.")
    for name, title in (("idle", "CPU while waiting in a quiet room"), ("memory", "Peak resident memory")):
        for run in load(name):
            print(f"\n## {title}\n")
            for setup, figures in run.items():
                shown = ", ".join(
                    f"{k} {100 * v:.2f} %" if k in ("listen_share", "gated", "ungated") else f"{k} {v:.1f}"
                    for k, v in figures.items()
                )
                print(f"- {setup}: {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("part", choices=["misses", "false", "idle", "memory", "report"])
    parser.add_argument("--hours", type=float, default=2.0, help="false: hours of distractor audio")
    parser.add_argument("--seed", type=int, default=0, help="false: a different stream per seed")
    parser.add_argument("--texts", type=int, default=160, help="false: distinct distractor sentences")
    parser.add_argument("--minutes", type=float, default=10.0, help="idle: minutes of quiet room")
    parser.add_argument("--snr", type=float, action="append", help="misses: only these SNRs (repeat)")
    parser.add_argument("--no-clean", action="store_true", help="misses: skip the clean condition")
    parser.add_argument("--engine", action="append", help="false: only these engines (repeat)")
    parser.add_argument("--tag", default="", help="suffix of the results file")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if args.part == "report":
        report()
        return
    if args.part == "misses":
        conditions: list[tuple[str | None, float | None]] = [] if args.no_clean else [(None, None)]
        conditions += [(kind, snr) for snr in (args.snr or SNRS) for kind in NOISES]
        results = run_misses(conditions, OUT / f"wake-misses{args.tag}.json")
    elif args.part == "false":
        results = run_false(
            args.hours, args.seed, args.texts, args.engine, OUT / f"wake-false{args.tag}.json"
        )
    elif args.part == "idle":
        results = run_idle(args.minutes)
    else:
        results = run_memory()
    path = OUT / f"wake-{args.part}{args.tag}.json"
    path.write_text(json.dumps(results, indent=1))
    print(f"saved {path}")
    report()


if __name__ == "__main__":
    main()
