"""Spoken everyday requests, end to end: acted on correctly, free-text slot WER, latency, RTF, memory.

The requests are the conversation corpus' opening turns and sentence tests (tests/corpus),
the ones the assistant gets right when they are typed. Each is spoken by Piper (joe) and three
eSpeak NG variants (en-us, en-us+f3, en-gb) at two speeds (alternating by request), clean and
mixed with synthesized fan (brown) noise or distractor speech at 20, 10 and 5 dB SNR. Every clip
goes through the voice loop as ``assistant listen --no-wake -i WAV`` runs it (a fresh assistant in
a temporary SQLite home per clip) and is scored like the corpus: intent, slots, database effect.

Run:  .venv/bin/python benchmarks/spoken_requests.py [--engine auto] [--requests N] [--voices ...]
      [--conditions clean 10] [--subset-conditions 20 5 --subset 40] [--latency 30]
Clean clips are cached in benchmarks/out/spoken/. Timings on a shared machine are noisy: compare
ratios within one run (CPU-time RTF is steadier than wall-clock latency).
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import wave
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.audio.convert import read_wav_samples, resample  # noqa: E402
from tests.speechgen import DISTRACTORS, save, word_error_rate  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "spoken"
VOICES = ["piper", "en-us", "en-us+f3", "en-gb"]
SPEEDS: dict[str, list[float]] = {"piper": [1.0, 0.85], "espeak": [150, 185]}
"""Piper length scale (lower is faster) and eSpeak words per minute, alternating by request."""
PAD_SECONDS = (0.3, 0.3)


@dataclass
class SpokenRequest:
    text: str
    intent: str
    slots: dict[str, Any]
    expect: Any = None
    """The corpus Expectation of an opening turn (None for a sentence test)."""
    text_slots: dict[str, str] = field(default_factory=dict)
    """Free-text slot -> the words typed text gives it (for slot WER)."""


# ------------------------------------------------------------------ the set


def corpus_requests() -> list[SpokenRequest]:
    from assistant.corpus.loader import load_paths

    found: dict[str, SpokenRequest] = {}
    for corpus in load_paths([ROOT / "tests" / "corpus"]):
        for conversation in corpus.conversations:
            turns = [turn for turn in conversation.turns if turn.say]
            if conversation.given or not turns or not turns[0].expect.check_intent:
                continue
            first = turns[0]
            if first.expect.intent and first.say:
                found.setdefault(
                    first.say, SpokenRequest(first.say, first.expect.intent, first.expect.slots, first.expect)
                )
        for test in corpus.sentence_tests:
            if test.intent:
                found.setdefault(test.sentence, SpokenRequest(test.sentence, test.intent, test.slots))
    return list(found.values())


def typed_correct(requests: list[SpokenRequest]) -> list[SpokenRequest]:
    """The requests the assistant gets right when typed (what speech can at best keep)."""
    kept = []
    for request in requests:
        with _fresh() as (assistant, clock):
            turn = assistant.handle_text(request.text, session_id="bench")
            if not _differences(assistant, clock, request, turn):
                request.text_slots = _text_slot_words(assistant, turn)
                kept.append(request)
    return kept


def cached_typed_correct() -> list[SpokenRequest]:
    """typed_correct over the corpus, remembered in benchmarks/out/ until the corpus changes."""
    requests = corpus_requests()
    digest = hashlib.sha1("\n".join(request.text for request in requests).encode()).hexdigest()[:12]
    cache = OUT.parent / f"typed-correct-{digest}.json"
    if cache.exists():
        kept = json.loads(cache.read_text())
        by_text = {request.text: request for request in requests}
        chosen = []
        for text, slots in kept.items():
            by_text[text].text_slots = slots
            chosen.append(by_text[text])
        return chosen
    chosen = typed_correct(requests)
    OUT.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps({request.text: request.text_slots for request in chosen}))
    return chosen


# ------------------------------------------------------------------ audio


def _voice_speed(voice: str, index: int) -> float:
    speeds = SPEEDS["piper" if voice == "piper" else "espeak"]
    return speeds[index % len(speeds)]


def clean_clip(text: str, voice: str, speed: float) -> np.ndarray:
    """16 kHz float samples, cached as WAV in benchmarks/out/spoken/."""
    key = hashlib.sha1(f"{voice}|{speed}|{text}".encode()).hexdigest()[:16]
    path = OUT / f"{voice}-{speed}-{key}.wav"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        samples, rate = _piper(text, speed) if voice == "piper" else _espeak(text, voice, int(speed))
        lead, tail = (np.zeros(int(seconds * 16000), dtype=np.float32) for seconds in PAD_SECONDS)
        save(np.concatenate([lead, resample(samples, rate, 16000), tail]), path)
    samples, _info = read_wav_samples(path)
    return samples


def _piper(text: str, length_scale: float) -> tuple[np.ndarray, int]:
    from piper.config import SynthesisConfig

    from tests.speechgen import _piper_voice

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as output:
        _piper_voice().synthesize_wav(text, output, syn_config=SynthesisConfig(length_scale=length_scale))
    buffer.seek(0)
    with wave.open(buffer, "rb") as source:
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0, rate


def _espeak(text: str, voice: str, speed: int) -> tuple[np.ndarray, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "espeak.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
        samples, info = read_wav_samples(path)
    return samples, info.rate


def _babble() -> np.ndarray:
    parts = [clean_clip(text, "piper", 1.0) for text in DISTRACTORS]
    parts += [clean_clip(text, "en-gb", 160) for text in DISTRACTORS[::2]]
    return np.concatenate(parts)


def noisy(samples: np.ndarray, snr_db: float, kind: str, seed: int, babble: np.ndarray) -> np.ndarray:
    """``samples`` with fan (brown) noise or distractor speech at ``snr_db`` against the speech."""
    rng = np.random.default_rng(seed)
    if kind == "fan":
        white = rng.standard_normal(len(samples) + 16000)
        brown = np.cumsum(white)
        brown -= np.convolve(brown, np.ones(400) / 400, mode="same")  # keep the rumble, drop the drift
        noise = brown[16000:].astype(np.float32)
    else:
        start = int(rng.integers(0, max(1, len(babble) - len(samples))))
        noise = np.resize(babble[start:], len(samples)).astype(np.float32)
    voiced = samples[np.abs(samples) > 0.01]
    speech_rms = float(np.sqrt(np.mean(voiced**2))) if len(voiced) else 0.1
    noise_rms = float(np.sqrt(np.mean(noise**2))) or 1.0
    gain = speech_rms / (10 ** (snr_db / 20)) / noise_rms
    return np.clip(samples + noise * gain, -1.0, 1.0).astype(np.float32)


# ------------------------------------------------------------------ running


class _fresh:
    """A real assistant in a new temporary home with the corpus' fake clock."""

    def __enter__(self) -> tuple[Any, Any]:
        from assistant.corpus.model import DEFAULT_START
        from assistant.corpus.runner import CorpusClock, fresh_assistant

        self.clock = CorpusClock(DEFAULT_START)
        self.context = fresh_assistant(self.clock)
        return self.context.__enter__(), self.clock

    def __exit__(self, *exc: Any) -> None:
        self.context.__exit__(*exc)


def _differences(assistant: Any, clock: Any, request: SpokenRequest, turn: Any) -> list[str]:
    from assistant.corpus.checks import observe, turn_differences
    from assistant.corpus.model import Expectation

    expect = request.expect or Expectation(check_intent=True, intent=request.intent, slots=request.slots)
    # What was done counts, not how the reply words it ("10 minutes" for "ten minutes").
    expect = Expectation(
        check_intent=True,
        intent=expect.intent,
        slots=expect.slots,
        outcome=expect.outcome,
        effect=expect.effect,
        asks=expect.asks,
    )
    observed = observe(assistant.store, clock.now(), expect.effect)
    return turn_differences(expect, turn, observed, resolve=assistant.nlu.resolve_slot)


def _text_slot_words(assistant: Any, turn: Any) -> dict[str, str]:
    if not turn.intent:
        return {}
    return {
        slot: str(value)
        for slot, value in turn.slots.items()
        if assistant.nlu.slot_kind(turn.intent, slot) == "text" and isinstance(value, str)
    }


@dataclass
class Outcome:
    voice: str
    condition: str
    correct: bool
    path: str
    latency_ms: float
    asr_cpu: float
    seconds: float
    heard: str
    slot_errors: float = 0.0
    slot_words: int = 0
    spoken: bool = False
    """The reply was spoken (latency is to its first audio, not to its text)."""
    reply_cpu_ms: float = 0.0
    """CPU time of this process (all threads) from the end of speech to the reply text: what the
    latency would be on an idle machine with one core, whatever the other loads are."""


_PHRASES: list[list[str]] = []


def _phrases(assistant: Any) -> list[str]:
    """Every clip's fresh home has the same phrases: make them once (one list object, so the
    recognizers' prompt and grammar caches hold across clips, as in a long-running assistant)."""
    if not _PHRASES:
        _PHRASES.append(assistant.phrases())
    return _PHRASES[0]


class _LiveWav:
    """A WAV file played like a microphone: paced in real time, and live, so the loop listens with
    its end-of-speech detector (``--no-wake`` on a live source) and speaks in the background."""

    def __new__(cls, path: Path) -> Any:
        from assistant.audio import WavFileSource

        class Live(WavFileSource):
            @property
            def is_live(self) -> bool:
                return True

        return Live(path, realtime=True)


def run_clip(
    recognizer: Any, request: SpokenRequest, samples: np.ndarray, synthesizer: Any = None, live: bool = False
) -> Outcome:
    from assistant.audio.sinks import NullSink
    from assistant.pipeline import VoiceLoop
    from assistant.voice import understanding_judge

    with _fresh() as (assistant, clock), tempfile.TemporaryDirectory() as folder:
        wav = save(samples, Path(folder) / "request.wav")
        from assistant.audio import WavFileSource

        if hasattr(recognizer, "judge"):
            recognizer.judge = understanding_judge(assistant)
        if live:
            samples = np.concatenate([samples, np.zeros(16000, dtype=np.float32)])
            wav = save(samples, Path(folder) / "request.wav")
        loop = VoiceLoop(
            _LiveWav(wav) if live else WavFileSource(wav),
            recognizer,
            assistant.handle_transcript,
            settings=assistant.settings,
            bus=assistant.bus,
            phrases_provider=lambda: _phrases(assistant),
            no_wake=True,
            synthesizer=synthesizer,
            sink=NullSink() if synthesizer is not None else None,
        )
        marks: dict[str, float] = {}

        def mark(event: Any) -> None:
            if event.type in ("speech-ended", "reply"):
                marks.setdefault(event.type, time.process_time())

        assistant.bus.subscribe(mark)
        began = time.process_time()
        turns = loop.run()
        cpu = time.process_time() - began
        speculation = getattr(getattr(recognizer, "dictation", recognizer), "speculation", None)
        if speculation is not None:
            speculation.wait()  # a decoding it did not need must not outlive this clip's home
        if not turns:
            return Outcome("", "", False, "", 0.0, cpu, len(samples) / 16000, "")
        turn = turns[0]
        correct = not _differences(assistant, clock, request, turn)
        asr = turn.trace.find("asr")
        latency = turn.trace.timings().get("response_latency", 0.0)
        heard_slots = _text_slot_words(assistant, turn)
        errors = words = 0.0
        for slot, typed in request.text_slots.items():
            reference = typed.lower().split()
            errors += word_error_rate(typed, heard_slots.get(slot, "")) * len(reference)
            words += len(reference)
        path = str(asr.input.get("path", "")) if asr is not None and isinstance(asr.input, dict) else ""
        asr_ms = asr.ms if asr is not None else 0.0
        return Outcome(
            "",
            "",
            correct,
            path,
            latency,
            asr_ms / 1000,
            len(samples) / 16000,
            turn.text,
            errors,
            int(words),
            spoken=synthesizer is not None and turn.trace.find("tts") is not None,
            reply_cpu_ms=round((marks.get("reply", 0.0) - marks.get("speech-ended", 0.0)) * 1000, 1),
        )


def summarize(label: str, outcomes: list[Outcome]) -> dict[str, Any]:
    if not outcomes:
        return {}
    correct = sum(outcome.correct for outcome in outcomes) / len(outcomes)
    slot_words = sum(outcome.slot_words for outcome in outcomes)
    slot_wer = sum(outcome.slot_errors for outcome in outcomes) / slot_words if slot_words else None
    paths: dict[str, int] = {}
    for outcome in outcomes:
        paths[outcome.path or "-"] = paths.get(outcome.path or "-", 0) + 1
    timed = [outcome for outcome in outcomes if outcome.spoken]
    commands = [outcome.latency_ms for outcome in timed if outcome.path == "grammar"]
    # an out-of-scope reply is neither; it counts with dictation (Whisper decided it)
    dictation = [outcome.latency_ms for outcome in timed if outcome.path != "grammar"]
    row = {
        "label": label,
        "clips": len(outcomes),
        "correct": round(correct, 3),
        "slot_wer": round(slot_wer, 3) if slot_wer is not None else None,
        "paths": paths,
        "latency_grammar_p50": _pct(commands, 50),
        "latency_grammar_p95": _pct(commands, 95),
        "latency_dictation_p50": _pct(dictation, 50),
        "latency_dictation_p95": _pct(dictation, 95),
        "latency_all_p50": _pct([o.latency_ms for o in timed], 50),
        "reply_cpu_grammar_p50": _pct([o.reply_cpu_ms for o in outcomes if o.path == "grammar"], 50),
        "reply_cpu_dictation_p50": _pct([o.reply_cpu_ms for o in outcomes if o.path != "grammar"], 50),
        "reply_cpu_dictation_p95": _pct([o.reply_cpu_ms for o in outcomes if o.path != "grammar"], 95),
        "latency_clips": len(timed),
        "asr_rtf_wall": round(sum(o.asr_cpu for o in outcomes) / sum(o.seconds for o in outcomes), 3),
    }
    print(json.dumps(row), flush=True)
    return row


def _pct(values: list[float], q: int) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--requests", type=int, default=0, help="at most this many requests (0: all)")
    parser.add_argument("--voices", nargs="+", default=VOICES)
    parser.add_argument("--conditions", nargs="+", default=["clean", "10"], help="clean and/or SNRs in dB")
    parser.add_argument("--subset-conditions", nargs="*", default=["20", "5"])
    parser.add_argument("--subset", type=int, default=40, help="requests run in the subset conditions")
    parser.add_argument(
        "--latency", type=int, default=30, help="clean clips per voice run with speech output"
    )
    parser.add_argument(
        "--live",
        type=int,
        default=0,
        help="clean clips per voice also played in real time (end-of-speech latency)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--report", metavar="LOG", help="only summarize a log of outcomes (outcomes-ENGINE.jsonl)"
    )
    args = parser.parse_args()
    if args.report:
        report(Path(args.report))
        return

    from assistant.asr import create_recognizer
    from assistant.config import Home, Settings
    from assistant.tts import create_synthesizer

    began = time.perf_counter()
    requests = cached_typed_correct()
    random.Random(args.seed).shuffle(requests)
    if args.requests:
        requests = requests[: args.requests]
    with tempfile.TemporaryDirectory() as folder:
        home = Home.locate(folder).ensure()
        choice = create_recognizer(Settings(), home, engine=args.engine)
    print(f"# engine {choice.engine}: {choice.message}")
    print(f"# {len(requests)} requests (typed-correct corpus turns), voices {args.voices}; set up in "
          f"{time.perf_counter() - began:.0f} s")  # fmt: skip
    babble = _babble()
    synthesizer = create_synthesizer(Settings()) if args.latency or args.live else None
    log = OUT.parent / f"outcomes-{choice.engine}.jsonl"
    log.write_text("")
    # Request by request across the voices, so a run cut short still covers every voice evenly.
    plan = [("live", index) for index in range(args.live)]
    for index in range(len(requests)):
        plan += [(condition, index) for condition in args.conditions]
        if index < args.subset:
            plan += [(condition, index) for condition in args.subset_conditions]
    for condition, index in plan:
        request = requests[index % len(requests)]
        for voice in args.voices:
            samples = clean_clip(request.text, voice, _voice_speed(voice, index))
            if condition not in ("clean", "live"):
                kind = "fan" if index % 2 == 0 else "speech"
                samples = noisy(samples, float(condition), kind, args.seed * 1000 + index, babble)
            speak = (
                synthesizer
                if condition == "live" or (condition == "clean" and index < args.latency)
                else None
            )
            outcome = run_clip(choice.recognizer, request, samples, speak, live=condition == "live")
            outcome.voice, outcome.condition = voice, condition
            with log.open("a") as output:
                output.write(json.dumps({**asdict(outcome), "text": request.text}) + "\n")
            if not outcome.correct and condition == "clean":
                print(f"  miss [{voice}] {request.text!r} -> {outcome.heard!r} ({outcome.path})", flush=True)
    report(log)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"# peak RSS of this process (assistant + speech engines + Piper for the clips): {rss:.0f} MB; "
          f"total {time.perf_counter() - began:.0f} s")  # fmt: skip


def report(log: Path) -> None:
    """Per voice and condition, from a log of outcomes (also for a run cut short)."""
    outcomes = [
        Outcome(**{k: v for k, v in json.loads(line).items() if k != "text"})
        for line in log.read_text().splitlines()
        if line
    ]
    groups: dict[tuple[str, str], list[Outcome]] = {}
    for outcome in outcomes:
        groups.setdefault((outcome.voice, outcome.condition), []).append(outcome)
    rows = [summarize(f"{voice} {condition}", group) for (voice, condition), group in sorted(groups.items())]
    for condition in sorted({outcome.condition for outcome in outcomes}):
        summarize(f"all voices {condition}", [o for o in outcomes if o.condition == condition])
    (log.with_suffix(".summary.json")).write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
